"""Sign-in, server-side sessions and sign-out.

The browser keeps only a random 256-bit token; the database keeps its SHA-256, so a leaked
table signs nobody in. Every event resolves the token again: a revoked session or a
deactivated account stops at once.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cisp_pwa import settings
from cisp_pwa.models import AuditEvent, AuthSession, Role, User, utcnow

from ..actor import Actor
from ..errors import DeviceUnknown, InvalidInput, SignInRefused, SignInThrottled
from ..infra import db, events, throttle
from . import devices, passwords, second_factor

logger = logging.getLogger(__name__)

# Checking a session never writes (every event checks one). When it was last used is kept in
# memory and written in one blind UPDATE at most once a minute per process, only after use.
_TOUCH_EVERY_SECONDS = 60
_seen: dict[int, datetime] = {}  # session id -> when this process last saw it used
_seen_lock = threading.Lock()
_last_touch = time.monotonic()


@dataclass(frozen=True)
class SignedIn:
    token: str
    actor: Actor
    new_phone_at: datetime | None = None  # a new phone was set up since the last sign-in: say so
    # What is still asked before the session signs in: "" (nothing), second_factor.CODE or
    # second_factor.SET_UP. Until then the token signs nobody in.
    second_factor: str = ""
    # A new device secret for this phone or browser, to keep under this login (devices.py): "" when
    # none was made (it already had one, or a trainee signed in with a password).
    device_secret: str = ""
    login: str = ""


def token_hash(token: str) -> str:
    """What the database (and a screen's server-side state) keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_login(login: str) -> str:
    return login.strip().lower()


def open_session(s: Session, user: User, now: datetime, second_factor_due: bool = False) -> str:
    """A new session for a user whose identity was just proven (or whose password was, and who
    still owes the second factor); returns the token, once."""
    token = secrets.token_urlsafe(32)
    expires = now + (second_factor.WAIT_FOR_CODE if second_factor_due else settings.SESSION_ABSOLUTE)
    s.add(AuthSession(user_id=user.id, token_hash=token_hash(token), created_at=now, last_seen_at=now,
                      expires_at=expires, second_factor_due=second_factor_due))
    return token


def _is_pin(secret: str) -> bool:
    """4 to 6 digits: a PIN. A password has at least MIN_PASSWORD_LENGTH characters, so it is
    never one."""
    return 4 <= len(secret) <= 6 and secret.isdigit()


class _Claims:
    """The limits an attempt took before the work; given back when it was right (or refused
    before any check)."""

    def __init__(self) -> None:
        self.counters: list[tuple] = []
        self.delays: list[tuple] = []

    def counter(self, rule: str, *keys) -> bool:
        self.counters.append((rule, *keys))
        return throttle.take(rule, *keys)

    def delay(self, rule: str, *keys) -> throttle.Claim:
        claimed = throttle.claim(rule, *keys)
        if claimed.allowed:
            self.delays.append((rule, *keys))
        return claimed

    def give_back(self, reset: bool = False, tries: bool = True) -> None:
        """`tries`: the counted tries too (a right secret); else only the failures (a try
        refused before any check stays a try, and no failure)."""
        for rule, *keys in self.counters if tries else ():
            throttle.give_back(rule, *keys)
        for rule, *keys in self.delays:
            throttle.release(rule, *keys, reset=reset)


def sign_in(login: str, secret: str, client: str = "", now: datetime | None = None, device: str = "") -> SignedIn:
    """Check a login and password (or a trainee's PIN); open a session. `client`: the address the
    attempt comes from; `device`: the device secret this phone or browser keeps for this login
    (services/people/devices.py). Slow (argon2): call it off the event loop.

    A PIN opens nothing without a live device secret of the account (DeviceUnknown, the same
    for an unknown login). Every limit is taken BEFORE the argon2 work, in one atomic step, and
    given back by a right secret:
    - a PIN on a trusted phone: growing delays per device and per account; at 10 wrong PINs in a
      row the phone's secret is revoked and her coaches are told;
    - a password on a browser this account trusts: growing delays for that browser only;
    - any other password: per (login, address) 5 in 15 minutes; per account, across every
      address, growing delays (1 free, then 2, 4... up to a minute: never a lasting lock);
      per address, 30 failures in 15 minutes, applied only to logins that are failing
      themselves (known or not, so the answer never tells which exist): a busy address never
      refuses a right password of an account nobody is attacking.
    An unknown login gets the same answers and costs the same work as a known one."""
    now = now or utcnow()
    if not isinstance(login, str) or not isinstance(secret, str) or not isinstance(device, str):
        raise SignInRefused()
    login = normalise_login(login)
    if not login or not secret or len(login) > 120 or len(secret) > 1024:
        raise SignInRefused()
    with db.reading() as s:
        user = s.scalar(select(User).where(User.login == login))
        trusted = devices.find(s, user.id, device) if user is not None and user.is_active else None
        trusted_id, trusted_kind = (trusted.id, trusted.kind) if trusted is not None else (0, "")
    by_pin = _is_pin(secret)
    if by_pin and trusted_kind != devices.PHONE:
        # Not her phone: the PIN is not even checked.
        raise DeviceUnknown()
    claims = _Claims()
    if trusted_id:
        refused = [c for c in (claims.delay("device", trusted_id),
                               claims.delay("pin_account", user.id) if by_pin else None) if c and not c.allowed]
    else:
        refused = []
        if not claims.counter("sign_in_login", login, client):
            refused.append(throttle.Claim(False, retry_after=throttle.wait_taken("sign_in_login", login, client)))
        account = claims.delay("password_account", login)
        if not account.allowed:
            refused.append(account)
        elif account.failures > 1:  # a login failing already (known or not: the answer never tells)
            if not claims.counter("sign_in_client", client):
                refused.append(throttle.Claim(False, retry_after=throttle.wait_taken("sign_in_client", client)))
    if refused:
        claims.give_back(tries=False)  # nothing was checked: no failure counted, only the try
        raise SignInThrottled(retry_after=max(c.retry_after for c in refused))
    stored = None
    if user is not None and user.is_active:
        stored = user.pin_hash if by_pin else user.password_hash
    ok = passwords.verify_secret(stored, secret)  # no hash to check: a dummy one, the same work
    if not ok:
        if trusted_id:
            devices.failed(trusted_id, now)
        else:
            if not any(rule == "sign_in_client" for rule, *_ in claims.counters):
                throttle.take("sign_in_client", client)  # a failure from this address, counted
            if user is not None:
                with db.unit_of_work() as s:
                    s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="sign_in_failed"))
                    events.nobody(s)  # sign-ins show on no open screen
        raise SignInRefused()
    claims.give_back(reset=bool(trusted_id))
    if trusted_id:
        devices.used(trusted_id, now)
    rehash = passwords.hash_secret(secret) if stored == user.password_hash and passwords.needs_rehash(stored) else None
    with db.unit_of_work() as s:
        user = s.get(User, user.id)
        if rehash:
            user.password_hash = rehash
        # A staff member's browser is recognised from now on (her own limit, not her account's).
        new_device = devices.issue(s, user, devices.BROWSER, now) \
            if not trusted_id and Role(user.role) != Role.trainee else ""
        step = second_factor.step_needed(s, user)
        token = open_session(s, user, now, second_factor_due=bool(step))
        events.nobody(s)
        if step:  # signed in once the second factor is given (second_factor.py)
            s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="password_right"))
            return SignedIn(token=token, actor=Actor.of(user), second_factor=step, device_secret=new_device,
                            login=user.login)
        new_phone_at, user.new_phone_at = user.new_phone_at, None  # told once
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="sign_in"))
        return SignedIn(token=token, actor=Actor.of(user), new_phone_at=new_phone_at, device_secret=new_device,
                        login=user.login)


def actor_for_token(token: str, now: datetime | None = None) -> Actor | None:
    """The signed-in actor, or None when the token is unknown, expired, idle or revoked."""
    return actor_for_token_hash(token_hash(token), now) if token else None


def actor_for_token_hash(hashed: str, now: datetime | None = None) -> Actor | None:
    """The same, from the token's hash (all a screen's server-side state keeps). Reads only: it
    runs on every event of every open screen."""
    if not hashed:
        return None
    now = now or utcnow()
    with db.reading() as s:
        row = s.execute(
            select(AuthSession.id, AuthSession.revoked_at, AuthSession.expires_at, AuthSession.last_seen_at,
                   AuthSession.second_factor_due, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.token_hash == hashed)
        ).first()
    if row is None:
        return None
    session_id, revoked_at, expires_at, last_seen_at, due, user = row
    with _seen_lock:
        last_seen_at = max(last_seen_at, _seen.get(session_id, last_seen_at))
    if revoked_at is not None or due or expires_at <= now or last_seen_at + settings.SESSION_IDLE <= now \
            or not user.is_active:
        return None
    _note_used(session_id, now)
    return Actor.of(user)


def _note_used(session_id: int, now: datetime) -> None:
    global _last_touch
    with _seen_lock:
        if _seen.get(session_id, now) <= now:
            _seen[session_id] = now
        due = time.monotonic() - _last_touch >= _TOUCH_EVERY_SECONDS
        if due:
            _last_touch = time.monotonic()
    if due:
        touch_sessions()


def forget_usage() -> None:
    """Drop what this process noted of sessions in use, unwritten (another database: tests)."""
    with _seen_lock:
        _seen.clear()


def touch_sessions() -> None:
    """Write when the sessions used since the last time were last seen: one blind UPDATE per
    session, in one short write transaction, no read before it."""
    with _seen_lock:
        batch = dict(_seen)
        _seen.clear()
    if not batch:
        return
    try:
        with db.unit_of_work() as s:
            for session_id, seen_at in batch.items():
                s.execute(update(AuthSession).where(AuthSession.id == session_id, AuthSession.last_seen_at < seen_at)
                          .values(last_seen_at=seen_at))
            events.nobody(s)
    except Exception as exc:  # noqa: BLE001 - busy or gone: keep them for the next time
        with _seen_lock:
            for session_id, seen_at in batch.items():
                _seen[session_id] = max(seen_at, _seen.get(session_id, seen_at))
        logger.warning("sessions' last use not written: %s", type(exc).__name__)


def sign_out(hashed: str, now: datetime | None = None) -> None:
    """End the session whose token has this hash (`token_hash`); the person's screens open
    elsewhere check theirs again."""
    if not hashed:
        return
    now = now or utcnow()
    with db.unit_of_work() as s:
        user_id = s.scalar(select(AuthSession.user_id).where(AuthSession.token_hash == hashed,
                                                             AuthSession.revoked_at.is_(None)))
        if user_id is None:
            return
        s.execute(update(AuthSession).where(AuthSession.token_hash == hashed, AuthSession.revoked_at.is_(None))
                  .values(revoked_at=now))
        events.publish(s, events.SESSION, [user_id], actor_id=user_id)


def revoke_all_sessions(user_id: int, now: datetime | None = None) -> int:
    """End every open session of an account (deactivation, password change)."""
    now = now or utcnow()
    with db.unit_of_work() as s:
        result = s.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        # Their open screens close at once.
        events.publish(s, events.SESSION, [user_id])
        return result.rowcount or 0


def open_sessions(user_id: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    with db.reading() as s:
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
        events.nobody(s)
