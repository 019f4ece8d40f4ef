"""A second factor for staff accounts: an authenticator app (TOTP, RFC 6238) and one-time
recovery codes for a lost phone.

An admin reaches every account of a centre: the password alone never signs an admin in. On the
first sign-in without an app, the admin sets one up before anything opens. Coaches and trainers
may turn it on too. Trainees never: a PIN on their own phone, set up by an access code.

Sign-in in two steps: a right password opens a session that still waits for the second factor
(`AuthSession.second_factor_due`): it signs nobody in, expires within minutes, and only the
code (or a recovery code) completes it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from cisp_pwa import settings
from cisp_pwa.models import AuditEvent, AuthSession, RecoveryCode, Role, SecondFactor, User, utcnow

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput, Throttled
from ..infra import db, events, push, throttle

ISSUER = "CISP Parcours"
STEP_SECONDS = 30
RECOVERY_CODES = 10
# Unambiguous letters and digits (no 0/O, 1/I/L): read off paper, typed on a phone.
_RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_RECOVERY_LENGTH = 10  # about 50 bits each
WAIT_FOR_CODE = timedelta(minutes=10)  # a session waiting for its second factor
ROLES_REQUIRED = frozenset({Role.admin})
ROLES_ALLOWED = frozenset({Role.admin, Role.coach, Role.trainer})

# Wrong codes in a row after which the person and her centre's admins are told; an alert shows
# on their screens for ALERT_SHOWN.
ALERT_AFTER = 10
ALERT = "second_factor_alert"  # its audit action
ALERT_SHOWN = timedelta(days=14)

# What sign-in still asks after the password.
CODE = "code"  # the app's code (or a recovery code)
SET_UP = "set_up"  # an admin without an app: set one up first


@dataclass(frozen=True)
class Setup:
    secret: str  # to type into the app by hand
    uri: str  # otpauth:// for the QR code


@dataclass(frozen=True)
class Status:
    on: bool
    required: bool
    recovery_codes_left: int


def step_needed(s: Session, user: User) -> str:
    """After a right password: "" (signed in), CODE or SET_UP."""
    factor = s.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))
    if factor is not None and factor.confirmed_at is not None:
        return CODE
    return SET_UP if Role(user.role) in ROLES_REQUIRED else ""


def recovery_code_hash(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode()).hexdigest()


def _normalise_recovery(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _new_recovery_codes(s: Session, user_id: int) -> list[str]:
    """Replace every recovery code of this account; the codes are shown once, kept hashed."""
    s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    s.add_all(RecoveryCode(user_id=user_id, code_hash=recovery_code_hash(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _code_fits(s: Session, factor: SecondFactor, code: str, now: datetime, recovery: bool) -> bool:
    """The app's code for now (or 30 s either side: clocks drift), never one already taken;
    else, when `recovery`, an unused recovery code (then used up)."""
    code = code.strip().replace(" ", "")
    if len(code) == 6 and code.isdigit():
        totp = pyotp.TOTP(factor.secret)
        current = int(now.timestamp()) // STEP_SECONDS
        for step in (current - 1, current, current + 1):
            if step > factor.last_step and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
                factor.last_step = step
                return True
        return False
    if not recovery or len(_normalise_recovery(code)) != _RECOVERY_LENGTH:
        return False
    used = s.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == factor.user_id, RecoveryCode.code_hash == recovery_code_hash(code),
        RecoveryCode.used_at.is_(None)).values(used_at=now))
    return bool(used.rowcount)


def _claim(user_id: int, client: str) -> int:
    """Before checking a code, in one atomic step each: a try from this client (5 in 15 minutes),
    and the account's growing delay (the try counts as a wrong code until it proves right).
    Returns this try's number among the account's wrong codes."""
    claimed = throttle.claim("second_factor", user_id)
    if not claimed.allowed:  # waiting: not a try from this client either
        raise Throttled(retry_after=claimed.retry_after)
    if throttle.take("second_factor_client", user_id, client):
        return claimed.failures
    throttle.release("second_factor", user_id)
    raise Throttled(retry_after=throttle.wait_taken("second_factor_client", user_id, client))


def _not_a_guess(user_id: int) -> None:
    """The try was refused before any code was compared (session gone, app not set up)."""
    throttle.release("second_factor", user_id)


def _alert(user_id: int) -> None:
    """Too many wrong codes: whoever types them has the password. The person and her centre's
    admins are told (their screens, a push in neutral words), and it is audited."""
    with db.unit_of_work() as s:
        user = s.get(User, user_id)
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action=ALERT, target_type="user",
                         target_id=user.id))
        told = sorted({user.id, *policy.admins_of(s, user.centre_id)})
        events.publish(s, events.SECURITY, told, id=user.id, push=push.CODES_WRONG, push_to=told)


def _waiting(s: Session, hashed: str, now: datetime) -> tuple[AuthSession, User]:
    """The session opened by a right password that waits for its second factor."""
    row = s.execute(select(AuthSession, User).join(User, User.id == AuthSession.user_id).where(
        AuthSession.token_hash == hashed, AuthSession.second_factor_due.is_(True),
        AuthSession.revoked_at.is_(None), AuthSession.expires_at > now)).first() if hashed else None
    if row is None or not row[1].is_active:
        raise AccessDenied()
    return row[0], row[1]


def _complete(s: Session, session: AuthSession, user: User, now: datetime) -> None:
    session.second_factor_due = False
    session.expires_at = now + settings.SESSION_ABSOLUTE
    session.last_seen_at = now
    s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="sign_in"))


def _start(s: Session, user: User) -> Setup:
    factor = s.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))
    if factor is not None and factor.confirmed_at is not None:
        raise InvalidInput("second_factor_already_on")
    secret = pyotp.random_base32(32)
    if factor is None:
        s.add(SecondFactor(user_id=user.id, secret=secret, last_step=0))
    else:
        factor.secret, factor.last_step = secret, 0
    events.nobody(s)
    return Setup(secret, pyotp.TOTP(secret).provisioning_uri(name=user.login, issuer_name=ISSUER))


def _confirm(s: Session, user: User, code: str, now: datetime) -> list[str] | None:
    factor = s.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))
    if factor is None or factor.confirmed_at is not None:
        raise InvalidInput("second_factor_not_started")
    if not _code_fits(s, factor, code, now, recovery=False):
        return None
    factor.confirmed_at = now
    s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="second_factor_on"))
    return _new_recovery_codes(s, user.id)


def _checked(result, user_id: int, client: str, tries: int):
    """A wrong code changed nothing and stays counted against this account and this client (the
    10th in a row tells the person and her admins); a right one gives its tries back."""
    if result is None:
        if tries % ALERT_AFTER == 0:
            _alert(user_id)
        raise InvalidInput("second_factor_wrong")
    throttle.give_back("second_factor_client", user_id, client)
    throttle.release("second_factor", user_id, reset=True)
    return result


def _guarded(user_id: int, client: str, check):
    """`check()` (None: a wrong code) between the claim and the count."""
    tries = _claim(user_id, client)
    try:
        result = check()
    except Exception:
        _not_a_guess(user_id)
        raise
    return _checked(result, user_id, client, tries)


# --- while signing in (the session waits; `hashed` is its token's hash) -----------------------

def _waiting_step(hashed: str, client: str, now: datetime, step):
    """`step(s, session, user)` on the session waiting for its second step, in one unit of work,
    guarded like every code check (_guarded: None is a wrong code)."""
    with db.reading() as s:
        user_id = _waiting(s, hashed, now)[1].id

    def check():
        with db.unit_of_work() as s:
            session, user = _waiting(s, hashed, now)
            result = step(s, session, user)
            events.nobody(s)
        return result
    return _guarded(user_id, client, check)


def start_setup_signing_in(hashed: str, now: datetime | None = None) -> Setup:
    now = now or utcnow()
    with db.unit_of_work() as s:
        _session, user = _waiting(s, hashed, now)
        return _start(s, user)


def confirm_setup_signing_in(hashed: str, code: str, client: str = "", now: datetime | None = None) -> list[str]:
    """The app's first code: the app is on, the session opens; returns the recovery codes."""
    now = now or utcnow()

    def step(s: Session, session: AuthSession, user: User) -> list[str] | None:
        codes = _confirm(s, user, code, now)
        if codes is not None:
            _complete(s, session, user, now)
        return codes
    return _waiting_step(hashed, client, now, step)


def verify_signing_in(hashed: str, code: str, client: str = "", now: datetime | None = None) -> Actor:
    """The second step of sign-in: the app's code or a recovery code opens the session."""
    now = now or utcnow()

    def step(s: Session, session: AuthSession, user: User) -> Actor | None:
        factor = s.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id,
                                                     SecondFactor.confirmed_at.is_not(None)))
        ok = factor is not None and _code_fits(s, factor, code, now, recovery=True)
        if ok:
            _complete(s, session, user, now)
        else:
            s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="second_factor_failed"))
        return Actor.of(user) if ok else None
    return _waiting_step(hashed, client, now, step)


# --- from the account's security screen (signed in) -------------------------------------------

def _own_user(s: Session, actor: Actor) -> User:
    if actor.role not in ROLES_ALLOWED:
        raise AccessDenied()
    user = s.get(User, actor.id)
    if user is None or not user.is_active:
        raise AccessDenied()
    return user


def status(actor: Actor) -> Status:
    with db.reading() as s:
        user = _own_user(s, actor)
        on = step_needed(s, user) == CODE
        left = s.scalar(select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0
    return Status(on=on, required=actor.role in ROLES_REQUIRED, recovery_codes_left=left if on else 0)


def start_setup(actor: Actor) -> Setup:
    with db.unit_of_work() as s:
        return _start(s, _own_user(s, actor))


def confirm_setup(actor: Actor, code: str, client: str = "", now: datetime | None = None) -> list[str]:
    now = now or utcnow()

    def check():
        with db.unit_of_work() as s:
            codes = _confirm(s, _own_user(s, actor), code, now)
            events.nobody(s)
        return codes
    return _guarded(actor.id, client, check)


def _with_code(actor: Actor, code: str, client: str, now: datetime | None, change) -> object:
    """Run `change(s, user)` once the app's current code (or a recovery code) is given."""
    now = now or utcnow()

    def check():
        with db.unit_of_work() as s:
            user = _own_user(s, actor)
            factor = s.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id,
                                                         SecondFactor.confirmed_at.is_not(None)))
            if factor is None:
                raise InvalidInput("second_factor_not_started")
            result = change(s, user, factor) if _code_fits(s, factor, code, now, recovery=True) else None
            events.nobody(s)  # the account's own settings: no other screen shows them
        return result
    return _guarded(actor.id, client, check)


def new_recovery_codes(actor: Actor, code: str, client: str = "", now: datetime | None = None) -> list[str]:
    def change(s: Session, user: User, factor: SecondFactor) -> list[str]:
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="recovery_codes_new"))
        return _new_recovery_codes(s, user.id)
    return _with_code(actor, code, client, now, change)


def turn_off(actor: Actor, code: str, client: str = "", now: datetime | None = None) -> None:
    """Off for a coach or a trainer; an admin sets up another app at the next sign-in."""
    def change(s: Session, user: User, factor: SecondFactor) -> bool:
        s.delete(factor)
        s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="second_factor_off"))
        return True
    _with_code(actor, code, client, now, change)


# --- the alerts, on the person's and her admins' screens --------------------------------------

def last_alert(actor: Actor, now: datetime | None = None) -> datetime | None:
    """When wrong codes last piled up on the actor's own account (within ALERT_SHOWN)."""
    now = now or utcnow()
    with db.reading() as s:
        return s.scalar(select(func.max(AuditEvent.created_at)).where(
            AuditEvent.action == ALERT, AuditEvent.target_id == actor.id, AuditEvent.target_type == "user",
            AuditEvent.created_at > now - ALERT_SHOWN))


def alerts_in_centre(actor: Actor, now: datetime | None = None) -> dict[int, datetime]:
    """For the centre's admin: account id -> when wrong codes last piled up on it."""
    policy.require_role(actor, Role.admin)
    now = now or utcnow()
    with db.reading() as s:
        rows = s.execute(select(AuditEvent.target_id, func.max(AuditEvent.created_at)).where(
            AuditEvent.action == ALERT, AuditEvent.centre_id == actor.centre_id, AuditEvent.target_type == "user",
            AuditEvent.created_at > now - ALERT_SHOWN).group_by(AuditEvent.target_id)).all()
    return {user_id: at for user_id, at in rows if user_id is not None}
