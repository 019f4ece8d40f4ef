"""What the hours screens show: the trainer's attendance sheet for a session, her month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cisp_pwa.models import Presence

from .. import policy
from ..actor import Actor
from ..infra import db
from . import ledger, months, notices, timetable
from .notices import NoticeView
from .timetable import GroupView, TrainingSession


@dataclass(frozen=True)
class SheetLine:
    trainee_id: int
    name: str
    presence: str       # "" while not taken
    late_minutes: int
    reason: str
    notice: NoticeView | None
    locked: bool = False  # changing what is recorded is a correction: it needs a reason (ledger.needs_reason)


@dataclass(frozen=True)
class Sheet:
    groups: list[GroupView]
    group_id: int
    day: date
    sessions: list[TrainingSession]
    starts: str          # the session shown ("" when the group has none that day)
    lines: list[SheetLine]
    closed: bool         # the month is closed: changes need a reason


def _now_session(found: list[TrainingSession], day: date) -> str:
    if not found:
        return ""
    if day == timetable.today():
        now = timetable.now().strftime("%H:%M")
        for one in found:
            if now < one.ends:
                return one.starts
        return found[-1].starts
    return found[0].starts


def sheet(actor: Actor, group_id: int | None = None, day: date | None = None, starts: str = "") -> Sheet:
    """The attendance sheet of one session: today's current one by default, of the first group."""
    day = day or timetable.today()
    with db.reading() as s:
        groups = timetable.visible_groups(s, actor, policy.ATTENDANCE, acting=True)
        views = [GroupView(g.id, g.code, g.name, g.pathway_id) for g in groups]
        if not groups:
            return Sheet([], 0, day, [], "", [], False)
        group = timetable.group(s, actor, group_id, acting=True) if group_id else groups[0]
        found = timetable.sessions(s, group, day, day)
        starts = starts if any(x.starts == starts for x in found) else _now_session(found, day)
        people = timetable.members(s, actor, group.id, policy.ATTENDANCE, acting=True)
        ids = [p.id for p in people]
        standing = ledger.sessions_standing(s, ids, day, day)
        told = notices.standing_notices(s, actor, ids, day, day)
        lines = []
        for person in people:
            row = standing.get((person.id, day, starts))
            lines.append(SheetLine(person.id, person.display_name, Presence(row.presence).value if row else "",
                                   row.late_minutes if row else 0,
                                   row.reason.value if row and row.reason else "", told.get((person.id, day)),
                                   ledger.needs_reason(actor, row)))
        return Sheet(views, group.id, day, found, starts, lines, ledger.is_closed(s, group.centre_id, day))


@dataclass(frozen=True)
class DayLine:
    day: date
    starts: str
    ends: str
    distance: bool
    presence: str        # "" while not taken (or still to come)
    late_minutes: int
    justified: bool | None
    assimilation: str
    reason: str = ""                 # why, as the trainer noted it ("" when none)
    notice: NoticeView | None = None  # what she announced for that day (its certificate where the viewer may see it)


@dataclass(frozen=True)
class MyMonth:
    month: str
    figures: months.Figures
    rates: months.Rates
    days: list[DayLine]              # her sessions of the month, in order
    notices: list[NoticeView]        # what she announced, from today on
    closed: bool


def my_month(actor: Actor, month: str | None = None, trainee_id: int | None = None) -> MyMonth:
    """Her month ("Mes heures"), or a trainee's for those who may see her hours."""
    month = month or ledger.month_of(timetable.today())
    first, last = months.month_bounds(month)
    with db.reading() as s:
        her = policy.trainee(s, actor, policy.ATTENDANCE, trainee_id if trainee_id is not None else actor.id)
        figures = months.figures_for(s, her.centre_id, [her.id], month)[her.id]
        standing = ledger.sessions_standing(s, [her.id], first, last)
        planned = [x for g in timetable.groups_of_trainee(s, her.id) for x in timetable.sessions(s, g, first, last)]
        keys = {(x.day, x.starts): x for x in planned} | {(d, st): r for (_, d, st), r in standing.items()}
        told = notices.standing_notices(s, actor, [her.id], first, last)
        lines = []
        for (day, starts), x in sorted(keys.items()):
            row = standing.get((her.id, day, starts))
            lines.append(DayLine(day, starts, x.ends, x.distance, Presence(row.presence).value if row else "",
                                 row.late_minutes if row else 0, row.justified if row else None,
                                 row.assimilation.value if row and row.assimilation else "",
                                 row.reason.value if row and row.reason else "", told.get((her.id, day))))
        today = timetable.today()
        upcoming = notices.standing_notices(s, actor, [her.id], today, date.max)
        return MyMonth(month, figures, months.rates_of(s, her.centre_id), lines,
                       [upcoming[k] for k in sorted(upcoming, key=lambda k: k[1])],
                       ledger.is_closed(s, her.centre_id, first))


def flagged(actor: Actor) -> set[int]:
    """Her coach's list: the trainees with two unjustified absences in a row."""
    with db.reading() as s:
        return months.two_unjustified_in_a_row(s, policy.visible_trainees(actor, policy.ATTENDANCE))
