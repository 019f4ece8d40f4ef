"""QR onboarding: a one-time invitation, valid 15 minutes, signs a trainee's phone in; the
trainee then chooses a PIN (4 to 6 digits) for later sign-ins."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from cisp_pwa.models import AuditEvent, AuthSession, Invitation, Role, User, utcnow

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput, ServiceError, Throttled
from ..infra import audit, db, events, throttle
from . import auth, devices, passwords
from .auth import SignedIn

VALID_FOR = timedelta(minutes=15)
# No 0/O, 1/I/L: easy to read aloud and to type from a screen. 8 characters: about 40 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
PURPOSE = "trainee"  # Invitation.purpose of these codes
PIN = re.compile(r"^[0-9]{4,6}$")
# PINs people pick first (published counts of leaked PINs), beyond the repeated and sequential
# ones refused by rule: keypad lines, pairs, dates. A thief tries these first on every login.
COMMON_PINS = frozenset({
    "1212", "1004", "2000", "6969", "1122", "1313", "2001", "1010", "2580", "0852", "1379", "1397",
    "1470", "0741", "3690", "0963", "2468", "8642", "1357", "7531", "1998", "1999", "2020", "2121",
    "4545", "5683", "7777", "1111", "0000", "2222", "1221", "2112", "6666", "9999", "5555", "0007",
    "121212", "112233", "123123", "159753", "147258", "258369", "520520", "131313", "101010", "696969",
    "159357", "246810", "147852", "741852", "963852", "102030", "010203", "111222", "123321", "654123",
    "202020", "212121", "252525", "100200", "200000", "100000", "007007", "777777", "112358", "852456",
})


class InvitationRefused(ServiceError):
    """code: invitation_unknown | invitation_used | invitation_expired | staff_device"""


@dataclass(frozen=True)
class InvitationView:
    code: str            # shown once to the person creating it, never stored in clear
    trainee_name: str
    expires_at: datetime


def normalise_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def _code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def create_invitation(actor: Actor, trainee_id: int, now: datetime | None = None) -> InvitationView:
    """By the centre admin or one of the trainee's coaches. Any earlier invitation of the
    trainee stops working: only the newest one signs in."""
    now = now or utcnow()
    policy.require_role(actor, Role.admin, Role.coach)
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    code = f"{raw[:4]}-{raw[4:]}"
    with db.unit_of_work() as s:
        trainee = policy.trainee(s, actor, policy.DEVICE, trainee_id, acting=True)
        if not trainee.is_active:
            raise InvalidInput("account_inactive")
        s.execute(update(Invitation).where(Invitation.user_id == trainee.id, Invitation.used_at.is_(None),
                                           Invitation.expires_at > now).values(expires_at=now))
        invitation = Invitation(user_id=trainee.id, created_by_id=actor.id, code_hash=_code_hash(code),
                                created_at=now, expires_at=now + VALID_FOR, purpose=PURPOSE)
        s.add(invitation)
        s.flush()
        audit.record(s, actor, "invitation_created", "user", trainee.id)
        events.nobody(s)  # the code shows only on its maker's screen
        return InvitationView(code, trainee.display_name, invitation.expires_at)


def redeem(code: str, client: str = "", device: str = "", now: datetime | None = None,
           signed_in: Actor | None = None) -> SignedIn:
    """The phone that opens the invitation is signed in, once. Wrong codes are counted per
    device and per address (`client`); past either limit, nothing is checked for a while.
    `signed_in`: who this phone is signed in as, if anyone: a staff member's phone never
    becomes a trainee's (whoever made the code cannot use it on their own phone)."""
    if signed_in is not None and signed_in.role != Role.trainee:
        raise InvitationRefused("staff_device")
    now = now or utcnow()
    if not (throttle.allowed("invitation_device", device) and throttle.allowed("invitation_client", client)):
        raise Throttled(retry_after=throttle.retry_after("invitation_device", device))
    try:
        signed = _redeem(code if isinstance(code, str) else "", now)
    except InvitationRefused:
        throttle.hit("invitation_device", device)
        throttle.hit("invitation_client", client)
        raise
    # Her coach vouched for this phone: wrong PINs typed before on the account wait no more.
    throttle.release("pin_account", signed.actor.id, reset=True)
    return signed


def _redeem(code: str, now: datetime) -> SignedIn:
    if len(normalise_code(code)) != CODE_LENGTH:
        raise InvitationRefused("invitation_unknown")
    with db.unit_of_work() as s:
        # A staff member's enrolment link (services/people/enrolment.py) never signs a phone in here.
        invitation = s.scalar(select(Invitation).where(Invitation.code_hash == _code_hash(code),
                                                       Invitation.purpose == PURPOSE))
        if invitation is None:
            raise InvitationRefused("invitation_unknown")
        if invitation.used_at is not None:
            raise InvitationRefused("invitation_used")
        if invitation.expires_at <= now:
            raise InvitationRefused("invitation_expired")
        user = s.get(User, invitation.user_id)
        if user is None or not user.is_active:
            raise InvitationRefused("invitation_unknown")
        invitation.used_at = now
        # An account already in use (a PIN, a password or a phone signed in) gets a new phone:
        # every other phone of it is signed out, its open screens close, and the person is told
        # at her next sign-in: whoever made the code cannot quietly become her.
        signed_out = s.execute(update(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
                               .values(revoked_at=now)).rowcount
        if signed_out or user.pin_hash is not None or user.password_hash is not None:
            user.new_phone_at = now
            events.publish(s, events.SESSION, [user.id])
        else:
            events.nobody(s)  # a first phone: nothing else is open
        token = auth.open_session(s, user, now)
        # This phone is hers from now on: her PIN signs in only with the secret it keeps, and a
        # phone that had it before needs a new code (devices.py).
        devices.revoke_phones(s, user.id, now)
        device_secret = devices.issue(s, user, devices.PHONE, now)
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="invitation_used"))
        return SignedIn(token, Actor.of(user), device_secret=device_secret, login=user.login)


def pin_problem(pin: str) -> str:
    """Why a PIN cannot be chosen ("" when it can): not 4 to 6 digits, or too easy to guess."""
    if not isinstance(pin, str) or not PIN.match(pin):
        return "pin_invalid"
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    if len(steps) == 1 and steps <= {-1, 0, 1}:  # 0000, 1234, 9876
        return "pin_too_easy"
    half = len(pin) // 2
    if pin in COMMON_PINS or (len(pin) % 2 == 0 and pin[:half] == pin[half:]):  # 1212, 123123
        return "pin_too_easy"
    return ""


def set_pin(actor: Actor, pin: str) -> None:
    """The trainee's PIN for later sign-ins (with their login): 4 to 6 digits, not one of
    those a thief tries first."""
    policy.require_role(actor, Role.trainee)
    if problem := pin_problem(pin):
        raise InvalidInput(problem)
    hashed = passwords.hash_secret(pin)
    with db.unit_of_work() as s:
        user = s.get(User, actor.id)
        if user is None:
            raise AccessDenied()
        user.pin_hash = hashed
        audit.record(s, actor, "pin_set", "user", actor.id)
        # The admins' view of the account says whether it has a PIN.
        events.publish(s, events.ACCOUNTS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=actor.id)
