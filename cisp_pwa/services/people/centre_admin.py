"""What a centre admin does with the accounts of their own centre: create (another admin gets an
enrolment link, never a password typed for her), assign coaches and trainers, enrol in a pathway,
reset a coach's or a trainer's access, deactivate (sessions end at once; the data stays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cisp_pwa.i18n import localised
from cisp_pwa.models import (Assignment, AssignmentRole, AuthSession, Enrolment, Invitation, Pathway, RecoveryCode,
                             Role, SecondFactor, User, utcnow)

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events
from . import accounts, auth, enrolment, passwords
from .enrolment import EnrolmentLink

CREATABLE = (Role.trainee, Role.coach, Role.trainer)
RESETTABLE = (Role.coach, Role.trainer)  # an admin's access is reset by the operator


@dataclass(frozen=True)
class TraineeSetup:
    id: int
    display_name: str
    login: str
    is_active: bool
    has_pin: bool
    pathway_id: int | None
    pathway_name: str
    coach_ids: list[int]
    trainer_ids: list[int]


def create_account(actor: Actor, *, role: str, display_name: str, login: str,
                   password: str = "", locale: str = "fr") -> int:
    """A new account in the admin's centre. Staff sign in with a password; trainees are
    invited (QR code) and choose a PIN, so they need none. Another admin: `create_admin`."""
    policy.require_role(actor, Role.admin)
    if role not in {r.value for r in CREATABLE}:
        raise InvalidInput("role_unknown")
    display_name, login, locale = accounts.checked_identity(display_name, login, locale)
    password_hash = None
    if role != Role.trainee.value:
        if len(password or "") < passwords.MIN_PASSWORD_LENGTH:
            raise InvalidInput("password_too_short", minimum=passwords.MIN_PASSWORD_LENGTH)
        password_hash = passwords.hash_secret(password)
    with db.unit_of_work() as s:
        if s.scalar(select(User.id).where(User.login == login)) is not None:
            raise InvalidInput("login_taken")
        user = User(centre_id=actor.centre_id, role=Role(role), login=login, display_name=display_name,
                    password_hash=password_hash, locale=locale)
        s.add(user)
        s.flush()
        audit.record(s, actor, "account_created", "user", user.id)
        events.publish(s, events.ACCOUNTS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=user.id)
        return user.id


def create_admin(actor: Actor, *, display_name: str, login: str, locale: str = "fr") -> EnrolmentLink:
    """Another admin of the centre: no password is typed for her. The screen shows her enrolment
    link (24 hours): she sets her password, then her authenticator app."""
    policy.require_role(actor, Role.admin)
    display_name, login, locale = accounts.checked_identity(display_name, login, locale)
    with db.unit_of_work() as s:
        if s.scalar(select(User.id).where(User.login == login)) is not None:
            raise InvalidInput("login_taken")
        admins = policy.admins_of(s, actor.centre_id)
        user = User(centre_id=actor.centre_id, role=Role.admin, login=login, display_name=display_name,
                    password_hash=None, locale=locale)
        s.add(user)
        s.flush()
        link = enrolment.issue(s, user, created_by_id=actor.id, purpose=enrolment.ENROL)
        audit.record(s, actor, "account_created", "user", user.id)
        events.publish(s, events.ACCOUNTS, admins, actor_id=actor.id, id=user.id)
        return link


def reset_access(actor: Actor, user_id: int) -> EnrolmentLink:
    """A coach or a trainer of the admin's centre lost her password or her phone: every session
    of hers ends at once (her open screens close), her password, authenticator app and recovery
    codes are removed, and a new enrolment link (24 hours) is made for her to set them again.
    Never the admin herself, another admin, a trainee (her access code: invitations.py) or
    anyone of another centre."""
    if type(user_id) is not int:
        raise AccessDenied()
    now = utcnow()
    with db.unit_of_work() as s:
        user = policy.user_in_centre(s, actor, user_id)
        if user.id == actor.id:
            raise AccessDenied("not_yourself")
        if user.role not in RESETTABLE:
            raise InvalidInput("reset_staff_only")
        if not user.is_active:
            raise InvalidInput("account_inactive")
        s.execute(update(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
                  .values(revoked_at=now))
        user.password_hash = None
        s.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
        s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        link = enrolment.issue(s, user, created_by_id=actor.id, purpose=enrolment.RESET, now=now)
        audit.record(s, actor, "access_reset", "user", user.id)
        # Her open screens close at once (they check their session on this event).
        events.publish(s, events.SESSION, [user.id], actor_id=actor.id)
        events.publish(s, events.ACCOUNTS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=user.id)
        return link


def new_link(actor: Actor, user_id: int) -> EnrolmentLink:
    """A staff member of the centre (another admin too) whose link was never used (lost, closed
    before it was handed over, expired): a new one; the older one stops working. Once she has a
    password, only a reset (coaches and trainers) makes a link."""
    if type(user_id) is not int:
        raise AccessDenied()
    with db.unit_of_work() as s:
        user = policy.user_in_centre(s, actor, user_id)
        if user.id == actor.id:
            raise AccessDenied("not_yourself")
        if user.role == Role.trainee or user.password_hash is not None or user.anonymised_at is not None:
            raise InvalidInput("link_not_waiting")
        if not user.is_active:
            raise InvalidInput("account_inactive")
        last = s.scalar(select(Invitation.purpose).where(Invitation.user_id == user.id).order_by(Invitation.id.desc()))
        link = enrolment.issue(s, user, created_by_id=actor.id,
                               purpose=enrolment.RESET if last == enrolment.RESET else enrolment.ENROL)
        audit.record(s, actor, "enrolment_link_new", "user", user.id)
        events.nobody(s)  # the link shows only on its maker's screen
        return link


def _trainee_and_staff(s: Session, actor: Actor, trainee_id: int, staff_id: int) -> tuple[User, User]:
    trainee = policy.user_in_centre(s, actor, trainee_id)
    staff = policy.user_in_centre(s, actor, staff_id)
    if trainee.role != Role.trainee or staff.role not in (Role.coach, Role.trainer):
        raise InvalidInput("assignment_roles")
    return trainee, staff


def set_assignment(actor: Actor, trainee_id: int, staff_id: int, assigned: bool) -> None:
    """Make a coach or a trainer of the centre support a trainee (or stop)."""
    with db.unit_of_work() as s:
        trainee, staff = _trainee_and_staff(s, actor, trainee_id, staff_id)
        existing = s.scalar(select(Assignment).where(Assignment.trainee_id == trainee.id,
                                                     Assignment.staff_id == staff.id))
        if assigned and existing is None:
            s.add(Assignment(trainee_id=trainee.id, staff_id=staff.id, role=AssignmentRole(staff.role.value)))
            audit.record(s, actor, "assigned", "user", trainee.id)
        elif not assigned and existing is not None:
            s.delete(existing)
            audit.record(s, actor, "unassigned", "user", trainee.id)
        else:
            return
        # The staff member's list (before or after), the trainee's circle, the admins.
        _tell_support(s, actor, trainee.id, extra=[staff.id])


def enrol(actor: Actor, trainee_id: int, pathway_id: int) -> None:
    """Enrol a trainee in a pathway; a current enrolment elsewhere ends today (kept as history)."""
    with db.unit_of_work() as s:
        trainee = policy.user_in_centre(s, actor, trainee_id)
        if trainee.role != Role.trainee:
            raise InvalidInput("not_a_trainee")
        if s.get(Pathway, pathway_id) is None:
            raise InvalidInput("pathway_unknown")
        current = s.scalars(select(Enrolment).where(Enrolment.trainee_id == trainee.id,
                                                    Enrolment.ended_on.is_(None))).all()
        if any(e.pathway_id == pathway_id for e in current):
            return
        for e in current:
            e.ended_on = date.today()
        s.add(Enrolment(trainee_id=trainee.id, pathway_id=pathway_id, started_on=date.today()))
        audit.record(s, actor, "enrolled", "user", trainee.id)
        _tell_support(s, actor, trainee.id)


def set_active(actor: Actor, user_id: int, active: bool) -> None:
    """Deactivate (or reactivate) an account. Deactivation ends its sessions at once: every
    event checks the session again, so an open screen stops too. Nothing is deleted."""
    with db.unit_of_work() as s:
        user = policy.user_in_centre(s, actor, user_id)
        if user.id == actor.id:
            raise AccessDenied("not_yourself")
        if active and user.anonymised_at is not None:
            raise InvalidInput("account_erased")  # erased data does not come back (privacy.erase)
        user.is_active = active
        audit.record(s, actor, "account_activated" if active else "account_deactivated", "user", user.id)
        # The account's own screens close at once (they check their session on this event).
        events.publish(s, events.SESSION, [user.id], actor_id=actor.id)
        events.publish(s, events.ACCOUNTS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=user.id)
    if not active:
        auth.revoke_all_sessions(user_id)


def _tell_support(s: Session, actor: Actor, trainee_id: int, extra: list[int] = ()) -> None:
    """`extra`: staff who just stopped supporting her, whose lists must drop her."""
    policy.tell(s, events.SUPPORT, trainee_id, actor_id=actor.id, also=extra)


def trainee_setup(actor: Actor, trainee_id: int) -> TraineeSetup:
    with db.reading() as s:
        trainee = policy.user_in_centre(s, actor, trainee_id)
        if trainee.role != Role.trainee:
            raise InvalidInput("not_a_trainee")
        assignments = s.scalars(select(Assignment).where(Assignment.trainee_id == trainee.id)).all()
        enrolment = s.scalar(select(Enrolment).where(Enrolment.trainee_id == trainee.id,
                                                     Enrolment.ended_on.is_(None)).order_by(Enrolment.id.desc()))
        pathway = s.get(Pathway, enrolment.pathway_id) if enrolment else None
        return TraineeSetup(
            trainee.id, trainee.display_name, trainee.login, trainee.is_active, trainee.pin_hash is not None,
            pathway.id if pathway else None, localised(pathway.name, actor.locale) if pathway else "",
            [a.staff_id for a in assignments if a.role == AssignmentRole.coach],
            [a.staff_id for a in assignments if a.role == AssignmentRole.trainer],
        )
