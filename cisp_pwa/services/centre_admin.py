"""What a centre admin does with the accounts of their own centre: create, assign coaches and
trainers, enrol in a pathway, deactivate (sessions end at once; the data stays)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa import i18n
from cisp_pwa.models import Assignment, AssignmentRole, Enrolment, Pathway, Role, User

from . import access, audit, auth, db, events, passwords
from .actor import Actor
from .dashboards import localised
from .errors import AccessDenied, InvalidInput

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,59}$")
NAME_MAX = 120
CREATABLE = (Role.trainee, Role.coach, Role.trainer)


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
    invited (QR code) and choose a PIN, so they need none."""
    access.require_role(actor, Role.admin)
    if role not in {r.value for r in CREATABLE}:
        raise InvalidInput("role_unknown")
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise InvalidInput("name_empty")
    if len(display_name) > NAME_MAX:
        raise InvalidInput("name_too_long", maximum=NAME_MAX)
    login = auth.normalise_login(login)
    if not LOGIN.match(login):
        raise InvalidInput("login_invalid")
    if locale not in i18n.LOCALES:
        raise InvalidInput("unknown_locale")
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
        events.publish(s, events.ACCOUNTS, events.admins_of(s, actor.centre_id), actor_id=actor.id, id=user.id)
        return user.id


def _trainee_and_staff(s: Session, actor: Actor, trainee_id: int, staff_id: int) -> tuple[User, User]:
    trainee = access.user_in_centre(s, actor, trainee_id)
    staff = access.user_in_centre(s, actor, staff_id)
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
        trainee = access.user_in_centre(s, actor, trainee_id)
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
        user = access.user_in_centre(s, actor, user_id)
        if user.id == actor.id:
            raise AccessDenied("not_yourself")
        if active and user.anonymised_at is not None:
            raise InvalidInput("account_erased")  # erased data does not come back (privacy.erase)
        user.is_active = active
        audit.record(s, actor, "account_activated" if active else "account_deactivated", "user", user.id)
        # The account's own screens close at once (they check their session on this event).
        events.publish(s, events.SESSION, [user.id], actor_id=actor.id)
        events.publish(s, events.ACCOUNTS, events.admins_of(s, actor.centre_id), actor_id=actor.id, id=user.id)
    if not active:
        auth.revoke_all_sessions(user_id)


def _tell_support(s: Session, actor: Actor, trainee_id: int, extra: list[int] = ()) -> None:
    users = {*events.skills_circle(s, trainee_id), *extra, *events.admins_of(s, actor.centre_id)}
    events.publish(s, events.SUPPORT, users, actor_id=actor.id, trainee_id=trainee_id)


def trainee_setup(actor: Actor, trainee_id: int) -> TraineeSetup:
    with db.reading() as s:
        trainee = access.user_in_centre(s, actor, trainee_id)
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
