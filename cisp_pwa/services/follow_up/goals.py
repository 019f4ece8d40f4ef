"""Personal goals, built with the trainee: a goal the trainee proposes is real.

A trainee proposes goals for themself; it stays "proposed" until one of their coaches agrees.
While proposed, its author may edit or withdraw it. The trainee and the coaches add progress
notes and mark it reached; a coach may also drop it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa.models import Goal, GoalProgressNote, GoalStatus, GoalTheme, Role, User, utcnow

from .. import free_text, policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..help import referrals
from ..infra import audit, db, events

TITLE_MAX = 120
DETAIL_MAX = 1000
NOTE_MAX = 500
THEMES = tuple(t.value for t in GoalTheme)


@dataclass(frozen=True)
class ProgressNote:
    id: int
    author_name: str
    by_trainee: bool
    body: str
    created_at: datetime


@dataclass(frozen=True)
class GoalView:
    id: int
    trainee_id: int
    title: str
    theme: str
    status: str
    target_date: date | None
    detail: str
    proposed_by_trainee: bool
    notes: list[ProgressNote]
    partners: list[str]  # the services a referral for this goal sends her to
    # What the asking actor may do with it now: the screens show only these actions.
    can_edit: bool
    can_withdraw: bool
    can_agree: bool
    can_mark_reached: bool
    can_add_note: bool
    can_drop: bool


def _clean_fields(title: str, theme: str, target_date: date | None, detail: str) -> tuple[str, GoalTheme, date | None, str]:
    title = free_text.checked(title, TITLE_MAX, empty="title_empty", too_long="title_too_long", one_line=True)
    if theme not in THEMES:
        raise InvalidInput("theme_unknown")
    detail = free_text.checked(detail, DETAIL_MAX, too_long="detail_too_long")
    if target_date is not None:
        today = date.today()
        if not (today - timedelta(days=366) <= target_date <= today + timedelta(days=5 * 366)):
            raise InvalidInput("date_out_of_range")
    return title, GoalTheme(theme), target_date, detail


def _rights(actor: Actor, goal: Goal) -> dict[str, bool]:
    open_ = goal.status in (GoalStatus.proposed, GoalStatus.in_progress)
    own_proposal = goal.status == GoalStatus.proposed and goal.proposed_by_id == actor.id
    if actor.role == Role.trainee:
        return dict(
            can_edit=own_proposal,
            can_withdraw=own_proposal,
            can_agree=goal.status == GoalStatus.proposed and goal.proposed_by_id != actor.id,
            can_mark_reached=goal.status == GoalStatus.in_progress,
            can_add_note=open_,
            can_drop=False,
        )
    return dict(  # a coach of this trainee
        can_edit=open_,
        can_withdraw=own_proposal,
        can_agree=goal.status == GoalStatus.proposed and goal.proposed_by_id != actor.id,
        can_mark_reached=goal.status == GoalStatus.in_progress,
        can_add_note=open_,
        can_drop=goal.status == GoalStatus.in_progress,
    )


def _view(s: Session, actor: Actor, goal: Goal, names: dict[int, str]) -> GoalView:
    notes = s.scalars(
        select(GoalProgressNote).where(GoalProgressNote.goal_id == goal.id).order_by(GoalProgressNote.id)
    ).all()
    for author_id in {n.author_id for n in notes} - set(names):
        author = s.get(User, author_id)
        names[author_id] = author.display_name if author else ""
    return GoalView(
        id=goal.id, trainee_id=goal.trainee_id, title=goal.title, theme=goal.theme.value,
        status=goal.status.value, target_date=goal.target_date, detail=goal.detail,
        proposed_by_trainee=goal.proposed_by_id == goal.trainee_id,
        notes=[ProgressNote(n.id, names[n.author_id], n.author_id == goal.trainee_id, n.body, n.created_at)
               for n in notes],
        partners=referrals.linked_services(s, [goal.id]).get(goal.id, []),
        **_rights(actor, goal),
    )


def _goal_for(s: Session, actor: Actor, goal_id: int) -> Goal:
    """Load a goal by an id that came from a browser, then check the actor may see it."""
    goal = s.get(Goal, goal_id)
    if goal is None:
        raise AccessDenied()
    policy.trainee(s, actor, policy.GOALS, goal.trainee_id)
    return goal


def _tell(s: Session, actor: Actor, goal: Goal) -> None:
    """A goal or its notes changed: the trainee's and the coaches' screens."""
    policy.tell(s, events.GOALS, goal.trainee_id, actor_id=actor.id, id=goal.id)


def list_goals(actor: Actor, trainee_id: int) -> list[GoalView]:
    with db.reading() as s:
        policy.trainee(s, actor, policy.GOALS, trainee_id)
        goals = s.scalars(
            select(Goal).where(Goal.trainee_id == trainee_id).order_by(Goal.theme, Goal.id)
        ).all()
        names: dict[int, str] = {}
        return [_view(s, actor, g, names) for g in goals]


def propose_goal(actor: Actor, trainee_id: int, *, title: str, theme: str,
                 target_date: date | None = None, detail: str = "") -> GoalView:
    title, theme_, target_date, detail = _clean_fields(title, theme, target_date, detail)
    with db.unit_of_work() as s:
        policy.trainee(s, actor, policy.GOALS, trainee_id)
        goal = Goal(trainee_id=trainee_id, title=title, theme=theme_, target_date=target_date,
                    detail=detail, status=GoalStatus.proposed, proposed_by_id=actor.id)
        s.add(goal)
        s.flush()
        audit.record(s, actor, "goal_proposed", "goal", goal.id)
        _tell(s, actor, goal)
        return _view(s, actor, goal, {})


def edit_goal(actor: Actor, goal_id: int, *, title: str, theme: str,
              target_date: date | None = None, detail: str = "") -> GoalView:
    title, theme_, target_date, detail = _clean_fields(title, theme, target_date, detail)
    with db.unit_of_work() as s:
        goal = _goal_for(s, actor, goal_id)
        if not _rights(actor, goal)["can_edit"]:
            raise AccessDenied("goal_not_editable")
        goal.title, goal.theme, goal.target_date, goal.detail = title, theme_, target_date, detail
        audit.record(s, actor, "goal_edited", "goal", goal.id)
        _tell(s, actor, goal)
        return _view(s, actor, goal, {})


def withdraw_goal(actor: Actor, goal_id: int) -> None:
    """A proposal nobody agreed to yet may be taken back by its author: it is removed."""
    with db.unit_of_work() as s:
        goal = _goal_for(s, actor, goal_id)
        if not _rights(actor, goal)["can_withdraw"]:
            raise AccessDenied("goal_not_withdrawable")
        for note in s.scalars(select(GoalProgressNote).where(GoalProgressNote.goal_id == goal.id)):
            s.delete(note)
        audit.record(s, actor, "goal_withdrawn", "goal", goal.id)
        _tell(s, actor, goal)
        s.delete(goal)


def _move(actor: Actor, goal_id: int, right: str, status: GoalStatus, action: str) -> GoalView:
    """One status change: load the goal, check the actor's right to it, record who did it."""
    with db.unit_of_work() as s:
        goal = _goal_for(s, actor, goal_id)
        if not _rights(actor, goal)[right]:
            raise AccessDenied(f"goal_not_{right}")
        goal.status = status
        if status == GoalStatus.in_progress:
            goal.agreed_by_id = actor.id
        audit.record(s, actor, action, "goal", goal.id)
        _tell(s, actor, goal)
        return _view(s, actor, goal, {})


def agree_goal(actor: Actor, goal_id: int) -> GoalView:
    """The other side agrees to a proposal: the goal is in progress."""
    return _move(actor, goal_id, "can_agree", GoalStatus.in_progress, "goal_agreed")


def mark_reached(actor: Actor, goal_id: int) -> GoalView:
    return _move(actor, goal_id, "can_mark_reached", GoalStatus.reached, "goal_reached")


def add_progress_note(actor: Actor, goal_id: int, body: str) -> GoalView:
    body = free_text.checked(body, NOTE_MAX, empty="note_empty", too_long="note_too_long")
    with db.unit_of_work() as s:
        goal = _goal_for(s, actor, goal_id)
        if not _rights(actor, goal)["can_add_note"]:
            raise AccessDenied("goal_closed")
        s.add(GoalProgressNote(goal_id=goal.id, author_id=actor.id, body=body, created_at=utcnow()))
        goal.updated_at = utcnow()
        s.flush()
        audit.record(s, actor, "goal_note_added", "goal", goal.id)
        _tell(s, actor, goal)
        return _view(s, actor, goal, {})


def drop_goal(actor: Actor, goal_id: int) -> GoalView:
    """A coach marks a goal dropped (with the trainee): it stays in the file, never deleted."""
    return _move(actor, goal_id, "can_drop", GoalStatus.dropped, "goal_dropped")
