"""Sign-in, server-side sessions and sign-out.

The browser keeps only a random 256-bit token; the database keeps its SHA-256, so a leaked
table signs nobody in. Every event resolves the token again: a revoked session or a
deactivated account stops at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cisp_pwa import settings
from cisp_pwa.models import AuditEvent, AuthSession, User, utcnow

from . import db, passwords
from .actor import Actor
from .errors import InvalidInput, SignInRefused, SignInThrottled

# Writing last_seen on every event would make each click a write: once a minute is enough.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    token: str
    actor: Actor


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lock_for(failures: int) -> timedelta:
    """No wait for the first free attempts, then doubling waits up to the maximum."""
    extra = failures - settings.SIGN_IN_FREE_ATTEMPTS
    if extra < 0:
        return timedelta(0)
    return min(timedelta(seconds=30 * 2**extra), settings.SIGN_IN_MAX_LOCK)


def normalise_login(login: str) -> str:
    return login.strip().lower()


def open_session(s: Session, user: User, now: datetime) -> str:
    """A new session for a user whose identity was just proven; returns the token, once."""
    token = secrets.token_urlsafe(32)
    s.add(AuthSession(user_id=user.id, token_hash=_token_hash(token), created_at=now,
                      last_seen_at=now, expires_at=now + settings.SESSION_ABSOLUTE))
    return token


def sign_in(login: str, secret: str, now: datetime | None = None) -> SignedIn:
    """Check a login and password; open a session. Slow (argon2): call it off the event loop."""
    now = now or utcnow()
    login = normalise_login(login)
    if not login or not secret or len(login) > 120 or len(secret) > 1024:
        raise SignInRefused()
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.login == login))
        if user is not None and user.locked_until is not None and user.locked_until > now:
            # Checked before the hash: a locked account costs no argon2 work.
            raise SignInThrottled(retry_after=int((user.locked_until - now).total_seconds()) + 1)
        by_password = passwords.verify_secret(user.password_hash if user else None, secret)
        ok = by_password
        if not ok and user is not None and user.pin_hash and secret.isdigit():
            # Trainees sign in with their login and the PIN they chose (throttled the same way).
            ok = passwords.verify_secret(user.pin_hash, secret)
        if user is None or not user.is_active or not ok:
            if user is not None:
                user.failed_sign_ins += 1
                wait = _lock_for(user.failed_sign_ins)
                user.locked_until = now + wait if wait else None
                s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="sign_in_failed"))
        else:
            user.failed_sign_ins = 0
            user.locked_until = None
            if by_password and passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_secret(secret)
            token = open_session(s, user, now)
            s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="sign_in"))
            return SignedIn(token=token, actor=Actor.of(user))
    # Out of the transaction so the failure counter is committed.
    raise SignInRefused()


def actor_for_token(token: str, now: datetime | None = None) -> Actor | None:
    """The signed-in actor, or None when the token is unknown, expired, idle or revoked."""
    if not token:
        return None
    now = now or utcnow()
    with db.unit_of_work() as s:
        row = s.execute(
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.token_hash == _token_hash(token))
        ).first()
        if row is None:
            return None
        session, user = row
        if (
            session.revoked_at is not None
            or session.expires_at <= now
            or session.last_seen_at + settings.SESSION_IDLE <= now
            or not user.is_active
        ):
            return None
        if now - session.last_seen_at >= _TOUCH_EVERY:
            session.last_seen_at = now
        return Actor.of(user)


def sign_out(token: str, now: datetime | None = None) -> None:
    if not token:
        return
    now = now or utcnow()
    with db.unit_of_work() as s:
        s.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == _token_hash(token), AuthSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def revoke_all_sessions(user_id: int, now: datetime | None = None) -> int:
    """End every open session of an account (deactivation, password change)."""
    now = now or utcnow()
    with db.unit_of_work() as s:
        result = s.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return result.rowcount or 0


def open_sessions(user_id: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    with db.unit_of_work() as s:
        return s.scalar(
            select(func.count(AuthSession.id)).where(
                AuthSession.user_id == user_id,
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > now,
            )
        ) or 0


def set_password(user_id: int, password: str) -> None:
    if len(password) < passwords.MIN_PASSWORD_LENGTH:
        raise InvalidInput("password_too_short", minimum=passwords.MIN_PASSWORD_LENGTH)
    hashed = passwords.hash_secret(password)
    with db.unit_of_work() as s:
        user = s.get(User, user_id)
        if user is None:
            raise InvalidInput("unknown_user")
        user.password_hash = hashed
