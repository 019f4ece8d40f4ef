"""Server-side sign-in sessions and one-time invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonIdIndexed, UTCDateTime


class AuthSession(Base):
    """A signed-in device. Only the SHA-256 of the token is kept."""

    __tablename__ = "auth_session"

    id: Mapped[Id]
    user_id: Mapped[PersonIdIndexed]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Moment]
    last_seen_at: Mapped[Moment]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The password was right, the second factor is still to come: the session signs nobody in
    # until it is given (services/people/second_factor.py), and it expires within minutes.
    second_factor_due: Mapped[bool] = mapped_column(Boolean, default=False)


class SecondFactor(Base):
    """A staff account's authenticator app (TOTP). Admins must have one; coaches and trainers
    may. `confirmed_at` empty: shown to the person, not yet proven by a code."""

    __tablename__ = "second_factor"

    id: Mapped[Id]
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), unique=True)
    secret: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last 30-second step a code was accepted for: a code seen once is never taken again.
    last_step: Mapped[int] = mapped_column(Integer, default=0)


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app (lost phone). Hashed."""

    __tablename__ = "recovery_code"

    id: Mapped[Id]
    user_id: Mapped[PersonIdIndexed]
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Invitation(Base):
    """A one-time invitation. `purpose` "trainee": signs a trainee's phone in (QR onboarding, 15
    minutes); "enrol": a new staff member sets her password (24 hours); "reset": the same after
    her centre's admin reset her access (services/people/enrolment.py)."""

    __tablename__ = "invitation"

    id: Mapped[Id]
    user_id: Mapped[PersonIdIndexed]
    # Nobody: made by the operator on the command line (the first admin of a centre).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    purpose: Mapped[str] = mapped_column(String(16), default="trainee", server_default="trainee")
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Moment]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TrustedDevice(Base):
    """A phone (or browser) an account trusts: it holds a random secret, the server its SHA-256.
    A trainee's phone gets one when it opens her access code; her PIN signs in only together
    with it. A staff member's browser gets one at a right password: her own browser is never
    slowed by a stranger's wrong passwords on her account. Revoked after too many wrong PINs
    (or passwords) on it, and when another phone takes her access code."""

    __tablename__ = "trusted_device"

    id: Mapped[Id]
    user_id: Mapped[PersonIdIndexed]
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="phone")  # phone (trainee) | browser (staff)
    created_at: Mapped[Moment]
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_why: Mapped[str | None] = mapped_column(String(16))  # wrong_pins | new_phone
    # Wrong PINs (or passwords) typed on it since the last right one.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
