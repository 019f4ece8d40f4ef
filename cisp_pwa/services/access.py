"""The access matrix, in one place.

trainee -> their own data only; coach and trainer -> the trainees assigned to them, in their
centre; admin -> their centre. Messages and coach notes are narrower (see the functions).
Every id that came from a browser is loaded here and checked before anything is read.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa.models import Assignment, AssignmentRole, Role, User

from .actor import Actor
from .errors import AccessDenied


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise AccessDenied()


def _is_assigned(db: Session, staff_id: int, trainee_id: int, role: AssignmentRole) -> bool:
    found = db.scalar(
        select(Assignment.id).where(
            Assignment.staff_id == staff_id,
            Assignment.trainee_id == trainee_id,
            Assignment.role == role,
        )
    )
    return found is not None


def trainee_for(db: Session, actor: Actor, trainee_id: int) -> User:
    """The trainee `trainee_id`, if the actor may see their file; AccessDenied otherwise."""
    trainee = db.get(User, trainee_id)
    if trainee is None or trainee.role != Role.trainee:
        raise AccessDenied()
    if actor.role == Role.trainee:
        allowed = actor.id == trainee.id
    elif actor.role == Role.admin:
        allowed = actor.centre_id == trainee.centre_id
    else:
        assignment_role = AssignmentRole(actor.role.value)
        allowed = actor.centre_id == trainee.centre_id and _is_assigned(
            db, actor.id, trainee.id, assignment_role
        )
    if not allowed:
        raise AccessDenied()
    return trainee


def trainee_for_messages(db: Session, actor: Actor, trainee_id: int) -> User:
    """Messages are between the trainee and their coaches only: trust comes first."""
    require_role(actor, Role.trainee, Role.coach)
    return trainee_for(db, actor, trainee_id)


def trainee_for_coach_notes(db: Session, actor: Actor, trainee_id: int) -> User:
    """Coach notes: the trainee's coaches only, never the trainee or a trainer."""
    require_role(actor, Role.coach)
    return trainee_for(db, actor, trainee_id)


def user_in_centre(db: Session, actor: Actor, user_id: int) -> User:
    """Any account of the admin's own centre."""
    require_role(actor, Role.admin)
    user = db.get(User, user_id)
    if user is None or user.centre_id != actor.centre_id:
        raise AccessDenied()
    return user


def trainee_for_goals(db: Session, actor: Actor, trainee_id: int) -> User:
    """Goals often name social obstacles (housing, health, debts): the trainee and their
    coaches only, not trainers or the centre admin."""
    require_role(actor, Role.trainee, Role.coach)
    return trainee_for(db, actor, trainee_id)


def trainee_for_referrals(db: Session, actor: Actor, trainee_id: int) -> User:
    """Referrals say which help she needs (housing, debts, mental health): the trainee and her
    coaches only; trainers never; the centre admin sees counts (services/referrals.py)."""
    require_role(actor, Role.trainee, Role.coach)
    return trainee_for(db, actor, trainee_id)
