"""Consent: a person says yes to the terms of her role before any screen opens, and again when
their text changes. The texts live in the catalogs (pages/consent.py); their versions here:
change the words, raise the version."""

from __future__ import annotations

from sqlalchemy import select

from cisp_pwa.models import Consent, Role

from . import audit, db, events
from .actor import Actor
from .errors import InvalidInput

TRAINEE, STAFF = "trainee_terms", "staff_terms"
REFERRAL = "referral"  # her yes to one referral: the text is services/referrals.py consent_text
VERSIONS = {TRAINEE: "2026-12", STAFF: "2026-12", REFERRAL: "2026-12"}


def kind_for(role: Role) -> str:
    return TRAINEE if role == Role.trainee else STAFF


def needed(actor: Actor) -> bool:
    """Whether this person still has to say yes to the current text of her terms."""
    kind = kind_for(actor.role)
    with db.reading() as s:
        return s.scalar(select(Consent.id).where(
            Consent.user_id == actor.id, Consent.kind == kind, Consent.version == VERSIONS[kind],
            Consent.withdrawn_at.is_(None)).limit(1)) is None


def accept(actor: Actor, version: str, locale: str) -> None:
    """Yes to the text she read (its version, in the language she read it in)."""
    kind = kind_for(actor.role)
    if version != VERSIONS[kind]:  # an old screen: she must read the current text
        raise InvalidInput("consent_outdated")
    with db.unit_of_work() as s:
        if s.scalar(select(Consent.id).where(Consent.user_id == actor.id, Consent.kind == kind,
                                             Consent.version == version, Consent.withdrawn_at.is_(None))) is None:
            s.add(Consent(user_id=actor.id, kind=kind, version=version, locale=locale[:8]))
            audit.record(s, actor, "consent_given", "consent", None)
        events.nobody(s)  # her own screen goes on by itself
