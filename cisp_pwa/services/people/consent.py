"""Consent: a person says yes to the terms of her role before any screen opens, and again when
their text changes. The texts live in the catalogs (pages/consent.py); their versions here:
change the words, raise the version."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cisp_pwa.models import Consent, Role, utcnow

from .. import policy
from ..actor import Actor
from ..errors import InvalidInput
from ..infra import audit, db, events

TRAINEE, STAFF = "trainee_terms", "staff_terms"
REFERRAL = "referral"  # her yes to one referral: the text is services/help/referrals.py consent_text
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
            if actor.role == Role.trainee and s.scalar(select(Consent.id).where(
                    Consent.user_id == actor.id, Consent.kind == kind, Consent.withdrawn_at.is_not(None)).limit(1)):
                # Yes again after taking it back: her coaches' lists no longer say she did.
                policy.tell(s, events.SUPPORT, actor.id, actor_id=actor.id)
                return
        events.nobody(s)  # her own screen goes on by itself


def withdraw(actor: Actor) -> None:
    """She takes back her yes to her terms, as easily as she gave it: the app pauses for her (every
    handler and screen asks her terms again: state/session.py), nothing is deleted, and her
    coaches see it on their list."""
    kind = kind_for(actor.role)
    with db.unit_of_work() as s:
        taken = s.execute(update(Consent).where(Consent.user_id == actor.id, Consent.kind == kind,
                                                Consent.withdrawn_at.is_(None)).values(withdrawn_at=utcnow()))
        if not taken.rowcount:
            events.nobody(s)  # nothing to take back (a second tap, a forged event)
            return
        audit.record(s, actor, "consent_withdrawn", "consent", None)
        if actor.role == Role.trainee:
            policy.tell(s, events.SUPPORT, actor.id, actor_id=actor.id)
        # Her screens open elsewhere ask her terms at their next event.
        events.publish(s, events.SESSION, [actor.id], actor_id=actor.id)


def withdrawn(s: Session, trainee_ids: list[int]) -> set[int]:
    """Of these trainees, those who took back their yes to their terms and have not given it again
    (her coaches' list says so; one who has not read them yet is not among them)."""
    if not trainee_ids:
        return set()
    rows = s.execute(select(Consent.user_id, Consent.withdrawn_at).where(
        Consent.user_id.in_(trainee_ids), Consent.kind == TRAINEE)).all()
    took_back = {user_id for user_id, at in rows if at is not None}
    standing = {user_id for user_id, at in rows if at is None}
    return took_back - standing
