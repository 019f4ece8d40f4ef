"""Events: every service action that changes what someone sees tells exactly those people.

Within its unit of work, an action calls `publish(s, kind, user_ids, ...)`; once the transaction
commits (never before, never after a rollback), one small event goes to each of those users'
open screens through the bus, and the pushes of the same action are queued. An event holds a
kind and ids, never content: a screen that receives it fetches what changed, with its own
access checks. A write that changes no open screen says so with `nobody(s)`; a write that does
neither is reported in the log (db.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa.models import Assignment, AssignmentRole, Enrolment, Role, User

from . import bus

# The kinds, and what a screen that receives one fetches again.
MESSAGE = "message"        # a message in the trainee's conversation (id: the message)
READ = "read"              # someone read the trainee's conversation further
LISTENED = "listened"      # the other side started to listen to a voice message (id: the message)
GOALS = "goals"            # a goal of the trainee, or its notes (id: the goal)
COACH_NOTE = "coach_note"  # a private note on the trainee (coaches only)
ASSESSMENT = "assessment"  # the trainee self-assessed a skill (id: the self-assessment)
VALIDATION = "validation"  # a trainer answered a self-assessment (id: the self-assessment)
SUPPORT = "support"        # who supports the trainee, or their pathway, changed
PATHWAY = "pathway"        # labels or skills of a pathway changed (id: the pathway)
ACCOUNTS = "accounts"      # the centre's accounts changed (admins)
ACCOUNT = "account"        # one's own settings (language, notifications)
SESSION = "session"        # sessions of this user ended: open screens check theirs again
SHARE = "share"            # the trainee made or withdrew her passport's share link (id: the share)
PARTNERS = "partners"      # the directory of help of the user's centre changed (id: the service)
REFERRAL = "referral"      # a referral of the trainee moved (id: the referral)
SECURITY = "security"      # an account's phone was blocked (wrong PINs), or wrong authenticator
                           # codes piled up (id: the account)
KINDS = (MESSAGE, READ, LISTENED, GOALS, COACH_NOTE, ASSESSMENT, VALIDATION, SUPPORT, PATHWAY, ACCOUNTS, ACCOUNT,
         SESSION, SHARE, PARTNERS, REFERRAL, SECURITY)

_QUEUE = "cisp_events"     # Session.info keys
_PUSHES = "cisp_pushes"
_NOBODY = "cisp_nobody"


def publish(s: Session, kind: str, user_ids: Iterable[int], *, actor_id: int = 0, trainee_id: int = 0,
            id: int = 0, push: str | None = None, push_to: Iterable[int] = ()) -> None:
    """Queue one event for these users, sent once the unit of work commits. `push` (a kind of
    services.push) also notifies `push_to` on their phones, after the commit too."""
    assert kind in KINDS, kind
    event = {"kind": kind, "actor": actor_id, "trainee": trainee_id, "id": id}
    s.info.setdefault(_QUEUE, []).append((frozenset(user_ids), event))
    if push:
        s.info.setdefault(_PUSHES, []).append((push, frozenset(push_to)))


def nobody(s: Session) -> None:
    """This unit of work writes what no open screen shows (a sign-in, an audit row, a code)."""
    s.info[_NOBODY] = True


def announced(s: Session) -> bool:
    return bool(s.info.get(_QUEUE) or s.info.get(_NOBODY))


def after_commit(s: Session) -> None:
    """Called by the unit of work once its transaction committed."""
    from . import push_sender

    queued, pushes = s.info.pop(_QUEUE, []), s.info.pop(_PUSHES, [])
    s.info.pop(_NOBODY, None)
    hub = bus.hub()
    for user_ids, event in queued:
        hub.publish(user_ids, event)
    by_kind: dict[str, set[int]] = {}  # one push per person and kind (a bulk confirm: one)
    for kind, user_ids in pushes:
        by_kind.setdefault(kind, set()).update(user_ids)
    for kind, user_ids in by_kind.items():
        push_sender.notify(user_ids, kind)


def after_rollback(s: Session) -> None:
    """Nothing happened: nobody is told."""
    for key in (_QUEUE, _PUSHES, _NOBODY):
        s.info.pop(key, None)


# Who is concerned: one place for the audiences the actions use.

def coaches_of(s: Session, trainee_id: int) -> list[int]:
    return list(s.scalars(select(Assignment.staff_id).where(
        Assignment.trainee_id == trainee_id, Assignment.role == AssignmentRole.coach)))


def trainers_of(s: Session, trainee_id: int) -> list[int]:
    return list(s.scalars(select(Assignment.staff_id).where(
        Assignment.trainee_id == trainee_id, Assignment.role == AssignmentRole.trainer)))


def admins_of(s: Session, centre_id: int) -> list[int]:
    return list(s.scalars(select(User.id).where(User.centre_id == centre_id, User.role == Role.admin,
                                                User.is_active.is_(True))))


def conversation_circle(s: Session, trainee_id: int) -> list[int]:
    """Who sees the trainee's messages and goals: the trainee and their coaches."""
    return [trainee_id, *coaches_of(s, trainee_id)]


def skills_circle(s: Session, trainee_id: int) -> list[int]:
    """Who sees the trainee's skills: the trainee, their coaches and their trainers."""
    return [trainee_id, *coaches_of(s, trainee_id), *trainers_of(s, trainee_id)]


def pathway_circle(s: Session, pathway_id: int) -> list[int]:
    """Everyone whose screens show this pathway: its current trainees, their staff, and the
    admins of their centres."""
    trainees = s.execute(
        select(User.id, User.centre_id).join(Enrolment, Enrolment.trainee_id == User.id)
        .where(Enrolment.pathway_id == pathway_id, Enrolment.ended_on.is_(None))
    ).all()
    ids = {t for t, _ in trainees}
    staff = s.scalars(select(Assignment.staff_id).where(Assignment.trainee_id.in_(ids))) if ids else []
    admins = s.scalars(select(User.id).where(User.centre_id.in_({c for _, c in trainees}),
                                             User.role == Role.admin)) if ids else []
    return sorted(ids | set(staff) | set(admins))
