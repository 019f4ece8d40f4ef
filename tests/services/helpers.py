"""Look-ups for service tests: the actor of a demo login, ids by code; signing in as the app does;
the text of a PDF the app made."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime, timezone

import pyotp
from pypdf import PdfReader
from sqlalchemy import select

from cisp_pwa.models import Pathway, SecondFactor, Skill, SkillArea, User
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import auth, second_factor


def actor(login: str) -> Actor:
    with db.reading() as s:
        return Actor.of(s.scalar(select(User).where(User.login == login)))


def user_id(login: str) -> int:
    return actor(login).id


def skill_ids(pathway_code: str) -> list[int]:
    with db.reading() as s:
        return list(s.scalars(
            select(Skill.id).join(SkillArea, SkillArea.id == Skill.area_id)
            .join(Pathway, Pathway.id == SkillArea.pathway_id)
            .where(Pathway.code == pathway_code).order_by(SkillArea.position, Skill.position)
        ))


def code_for(secret: str, at: datetime | None = None, step_offset: int = 0) -> str:
    """What the authenticator app shows (RFC 6238), now or `step_offset` steps of 30 s later."""
    moment = (at or datetime.now(timezone.utc)).timestamp() + 30 * step_offset
    return pyotp.TOTP(secret).at(moment)


def signed_in(login: str, password: str | None = None) -> auth.SignedIn:
    """Sign a demo account in, second factor included: an admin sets up the app on the way."""
    signed = auth.sign_in(login, password or f"parcours-{login}")
    if signed.second_factor == second_factor.SET_UP:
        setup = second_factor.start_setup_signing_in(auth.token_hash(signed.token))
        second_factor.confirm_setup_signing_in(auth.token_hash(signed.token), code_for(setup.secret))
    elif signed.second_factor == second_factor.CODE:
        with db.reading() as s:
            factor = s.scalar(select(SecondFactor).join(User, User.id == SecondFactor.user_id)
                              .where(User.login == login))
            secret, last = factor.secret, factor.last_step
        now = datetime.now(timezone.utc)
        offset = max(0, last + 1 - int(now.timestamp()) // 30)  # a code not taken yet
        second_factor.verify_signing_in(auth.token_hash(signed.token), code_for(secret, now, offset))
    return signed


def phone_for(login: str) -> str:
    """Give a demo trainee's phone its device secret (as opening an access code does, without
    signing her other phones out); returns the secret the phone keeps."""
    from cisp_pwa.models import utcnow
    from cisp_pwa.services.infra import events
    from cisp_pwa.services.people import devices

    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.login == login))
        secret = devices.issue(s, user, devices.PHONE, utcnow())
        events.nobody(s)
    return secret


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, its letters back from their shaped forms (a right-to-left line's final
    full stop comes out where it is drawn: compare labels without it)."""
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))
