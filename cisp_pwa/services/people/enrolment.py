"""Staff enrolment links: a one-time link, valid 24 hours, with which a staff member (admin, coach
or trainer) sets her own password; an admin then sets up her authenticator app
(services/people/second_factor.py) before anything opens.

A link is made for a new admin (by the operator on the command line, `invite_new_admin`, or by
another admin of the centre, `centre_admin.create_admin`) and when a centre's admin resets the
access of a coach or a trainer (`centre_admin.reset_access`). Nobody types a password for someone
else. Only the SHA-256 of the code is kept (an `Invitation` row with the purpose "enrol" or
"reset"); a newer link of the same person replaces the older one; a used or expired link opens
nothing. Wrong codes are counted per browser and per address (services/infra/throttle.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cisp_pwa import i18n, routes, settings
from cisp_pwa.models import AuditEvent, AuthSession, Centre, Invitation, Role, User, utcnow

from .. import policy
from ..actor import Actor
from ..errors import InvalidInput, ServiceError, Throttled
from ..infra import db, events, throttle
from . import accounts, auth, passwords, second_factor
from .auth import SignedIn

VALID_FOR = timedelta(hours=24)
ENROL, RESET = "enrol", "reset"  # Invitation.purpose: a new account, or an access reset
PURPOSES = (ENROL, RESET)
STAFF = frozenset({Role.admin, Role.coach, Role.trainer})
CODE_MAX = 100  # longer than any code made here: refused before anything is looked up
PASSWORD_MAX = 1024  # what sign-in accepts (services/people/auth.py)


class EnrolmentRefused(ServiceError):
    """code: enrolment_unknown | enrolment_used | enrolment_expired"""


@dataclass(frozen=True)
class EnrolmentLink:
    code: str  # shown once to whoever made it, never stored in clear
    url: str
    expires_at: datetime
    user_id: int
    display_name: str = ""
    reset: bool = False


@dataclass(frozen=True)
class EnrolmentView:
    """What the enrolment page says before she chooses her password."""

    display_name: str
    role: str
    reset: bool  # her centre's administration reset her access: the page says so
    locale: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def enrolment_url(code: str, locale: str) -> str:
    """The link to give: absolute, on the app's public address, in the person's language."""
    if not isinstance(code, str) or not code or len(code) > CODE_MAX or not code.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("enrolment_code_invalid")
    if locale not in i18n.LOCALES:
        raise InvalidInput("unknown_locale")
    return f"{settings.public_url()}{routes.path(locale, routes.ENROL)}?code={code}"


def issue(s: Session, user: User, *, created_by_id: int | None, purpose: str,
          now: datetime | None = None) -> EnrolmentLink:
    """A new link for this staff member, within the caller's unit of work; any older link of hers
    that still worked stops working."""
    if purpose not in PURPOSES or Role(user.role) not in STAFF:
        raise InvalidInput("enrolment_staff_only")
    now = now or utcnow()
    s.execute(update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                       Invitation.expires_at > now).values(expires_at=now))
    code = secrets.token_urlsafe(24)  # 192 bits
    invitation = Invitation(user_id=user.id, created_by_id=created_by_id, code_hash=_hash(code), purpose=purpose,
                            created_at=now, expires_at=now + VALID_FOR)
    s.add(invitation)
    s.flush()
    return EnrolmentLink(code, enrolment_url(code, user.locale), invitation.expires_at, user.id,
                         user.display_name, purpose == RESET)


def invite_new_admin(centre_id: int, *, display_name: str, login: str, locale: str = "fr") -> EnrolmentLink:
    """The operator's action (command line): a new admin of this centre, with no password, and
    her enrolment link. Audited with no actor."""
    if type(centre_id) is not int:
        raise InvalidInput("centre_unknown")
    display_name, login, locale = accounts.checked_identity(display_name, login, locale)
    with db.unit_of_work() as s:
        if s.get(Centre, centre_id) is None:
            raise InvalidInput("centre_unknown")
        if s.scalar(select(User.id).where(User.login == login)) is not None:
            raise InvalidInput("login_taken")
        admins = policy.admins_of(s, centre_id)
        user = User(centre_id=centre_id, role=Role.admin, login=login, display_name=display_name,
                    password_hash=None, locale=locale)
        s.add(user)
        s.flush()
        link = issue(s, user, created_by_id=None, purpose=ENROL)
        s.add(AuditEvent(actor_id=None, centre_id=centre_id, action="admin_invited", target_type="user",
                         target_id=user.id))
        events.publish(s, events.ACCOUNTS, admins, id=user.id)
        return link


def _usable(s: Session, code: str, now: datetime) -> tuple[Invitation, User]:
    if not code or len(code) > CODE_MAX:
        raise EnrolmentRefused("enrolment_unknown")
    invitation = s.scalar(select(Invitation).where(Invitation.code_hash == _hash(code),
                                                   Invitation.purpose.in_(PURPOSES)))
    user = s.get(User, invitation.user_id) if invitation is not None else None
    if invitation is None or user is None or not user.is_active or Role(user.role) not in STAFF:
        raise EnrolmentRefused("enrolment_unknown")
    if invitation.used_at is not None:
        raise EnrolmentRefused("enrolment_used")
    if invitation.expires_at <= now:
        raise EnrolmentRefused("enrolment_expired")
    return invitation, user


def _throttled(code: str, client: str, device: str, now: datetime, look):
    """Run `look(code, now)`; a refused code counts against this browser and this address."""
    if not (throttle.allowed("enrolment_device", device) and throttle.allowed("enrolment_client", client)):
        raise Throttled(retry_after=max(throttle.retry_after("enrolment_device", device),
                                        throttle.retry_after("enrolment_client", client)))
    try:
        return look(code if isinstance(code, str) else "", now)
    except EnrolmentRefused:
        throttle.hit("enrolment_device", device)
        throttle.hit("enrolment_client", client)
        raise


def peek(code: str, client: str = "", device: str = "", now: datetime | None = None) -> EnrolmentView:
    """Whom the link is for (nothing is used up): the page greets her by name."""
    def look(code: str, now: datetime) -> EnrolmentView:
        with db.reading() as s:
            invitation, user = _usable(s, code, now)
            return EnrolmentView(user.display_name, user.role.value, invitation.purpose == RESET, user.locale)
    return _throttled(code, client, device, now or utcnow(), look)


def password_problem(password: str) -> str:
    """Why a password cannot be chosen ("" when it can)."""
    if not isinstance(password, str) or len(password) < passwords.MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if len(password) > PASSWORD_MAX:
        return "password_too_long"
    return ""


def set_password(code: str, password: str, client: str = "", device: str = "",
                 now: datetime | None = None) -> SignedIn:
    """Use the link: her password is set, the link is used up, any session of hers ends, and this
    browser gets a session. An admin's session still waits for her authenticator app
    (`SignedIn.second_factor` is SET_UP). Slow (argon2): call it off the event loop."""
    now = now or utcnow()
    peek(code, client, device, now)  # a wrong code is counted before anything else is looked at
    if problem := password_problem(password):
        raise InvalidInput(problem, minimum=passwords.MIN_PASSWORD_LENGTH)
    hashed = passwords.hash_secret(password)
    with db.unit_of_work() as s:
        invitation, user = _usable(s, code, now)
        invitation.used_at = now
        user.password_hash = hashed
        ended = s.execute(update(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
                          .values(revoked_at=now)).rowcount
        step = second_factor.step_needed(s, user)
        token = auth.open_session(s, user, now, second_factor_due=bool(step))
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="enrolment_used"))
        if not step:
            s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="sign_in"))
        if ended:  # a screen of hers still open elsewhere closes
            events.publish(s, events.SESSION, [user.id], actor_id=user.id)
        # The admins' list no longer says "link not used yet".
        events.publish(s, events.ACCOUNTS, policy.admins_of(s, user.centre_id), actor_id=user.id, id=user.id)
        return SignedIn(token=token, actor=Actor.of(user), second_factor=step)
