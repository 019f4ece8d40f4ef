"""A month's hours: the figures per trainee, what they are paid, closing the month.

From the standing rows of the month (ledger.standing), per trainee:
- present: the minutes of the sessions she attended on site, less the minutes she came late;
- distance: the same for distance-learning sessions (counted apart);
- assimilated: the minutes of absences a coach or the admin justified with a force-majeure code
  (never distance sessions);
- absent justified, absent unjustified (not justified yet counts as unjustified);
- allowance: (present + distance + assimilated) hours × the centre's rate per hour;
- travel: the days she came on site × the centre's rate per day.
The rates are the centre's (`HoursRates`), €1 an hour and nothing for travel until the admin
sets them: they change by decree.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from cisp_pwa.models import Attendance, Centre, HoursRates, MonthClosing, Presence, Role, User, utcnow

from .. import policy
from ..actor import Actor
from ..errors import InvalidInput
from ..infra import audit, db, events
from . import ledger, timetable

DEFAULT_ALLOWANCE_CENTS_PER_HOUR = 100  # €1 gross an hour (Forem training contract)
DEFAULT_TRAVEL_CENTS_PER_DAY = 0
RATE_MAX_CENTS = 10_000
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_bounds(month: object) -> tuple[date, date]:
    if not isinstance(month, str) or not _MONTH.match(month):
        raise InvalidInput("hours_month_invalid")
    year, number = int(month[:4]), int(month[5:])
    if not 2000 <= year <= 2100:
        raise InvalidInput("hours_month_invalid")
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


@dataclass(frozen=True)
class Rates:
    allowance_cents_per_hour: int = DEFAULT_ALLOWANCE_CENTS_PER_HOUR
    travel_cents_per_day: int = DEFAULT_TRAVEL_CENTS_PER_DAY


def rates_of(s: DbSession, centre_id: int) -> Rates:
    row = s.scalar(select(HoursRates).where(HoursRates.centre_id == centre_id))
    return Rates(row.allowance_cents_per_hour, row.travel_cents_per_day) if row else Rates()


@dataclass
class Figures:
    """One trainee's month, in minutes and cents."""
    trainee_id: int
    present: int = 0
    distance: int = 0
    assimilated: int = 0
    absent_justified: int = 0
    absent_unjustified: int = 0
    late_count: int = 0
    days: set = field(default_factory=set)  # days she came on site
    allowance_cents: int = 0
    travel_cents: int = 0

    @property
    def paid_minutes(self) -> int:
        return self.present + self.distance + self.assimilated


def add_row(figures: Figures, row: Attendance) -> None:
    minutes = max(0, timetable.minutes(row.starts, row.ends))
    if row.presence in (Presence.present, Presence.late):
        attended = max(0, minutes - row.late_minutes)
        if row.presence == Presence.late:
            figures.late_count += 1
        if row.distance:
            figures.distance += attended
        else:
            figures.present += attended
            figures.days.add(row.day)
    elif row.assimilation is not None and not row.distance:
        figures.assimilated += minutes
    elif row.justified:
        figures.absent_justified += minutes
    else:
        figures.absent_unjustified += minutes


def figures_for(s: DbSession, centre_id: int, trainee_ids: list[int], month: str,
                group_id: int | None = None) -> dict[int, Figures]:
    """The month's figures of these trainees (all of them, even with no row); with `group_id`,
    of that group's sessions only."""
    first, last = month_bounds(month)
    return figures_between(s, centre_id, trainee_ids, first, last, group_id)


def figures_between(s: DbSession, centre_id: int, trainee_ids: list[int], first: date, last: date,
                    group_id: int | None = None) -> dict[int, Figures]:
    """The figures of these trainees between two days (both included), at the centre's rates."""
    rates = rates_of(s, centre_id)
    found = {t: Figures(t) for t in trainee_ids}
    for row in s.scalars(ledger.standing(trainee_ids, first, last)):
        if group_id is None or row.group_id == group_id:
            add_row(found[row.trainee_id], row)
    for figures in found.values():
        figures.allowance_cents = round(figures.paid_minutes * rates.allowance_cents_per_hour / 60)
        figures.travel_cents = len(figures.days) * rates.travel_cents_per_day
    return found


@dataclass(frozen=True)
class MonthReport:
    month: str
    centre_name: str
    closed: bool
    rates: Rates
    rows: list[tuple[User, Figures]]  # by name


def report(actor: Actor, month: str, group_id: int | None = None) -> MonthReport:
    """The month of every trainee whose hours the actor may see (of one group when given)."""
    first, _ = month_bounds(month)
    with db.reading() as s:
        visible = policy.visible_trainees(actor, policy.ATTENDANCE)
        query = select(User).where(User.id.in_(visible))
        if group_id is not None:
            group = timetable.group(s, actor, group_id)
            query = query.where(User.id.in_([u.id for u in timetable.members(s, actor, group.id)]))
        trainees = list(s.scalars(query.order_by(User.display_name, User.id)))
        figures = figures_for(s, actor.centre_id, [t.id for t in trainees], month)
        centre = s.get(Centre, actor.centre_id)
        result = MonthReport(month, centre.name, ledger.is_closed(s, actor.centre_id, first),
                             rates_of(s, actor.centre_id), [(t, figures[t.id]) for t in trainees])
        s.expunge_all()
        return result


def close(actor: Actor, month: str) -> None:
    """The admin closes a month of her centre (once): after it, only amendments with a reason."""
    first, last = month_bounds(month)
    policy.require_role(actor, Role.admin)
    if last >= timetable.today():
        raise InvalidInput("hours_month_not_over")
    with db.unit_of_work() as s:
        if ledger.is_closed(s, actor.centre_id, first):
            raise InvalidInput("hours_month_closed")
        me = s.get(User, actor.id)
        if me is None or not me.is_active or me.centre_id != actor.centre_id:
            raise InvalidInput("hours_month_invalid")
        closing = MonthClosing(centre_id=actor.centre_id, month=month, closed_by=actor.id, closed_at=utcnow())
        s.add(closing)
        s.flush()
        audit.record(s, actor, "month_closed", "month_closing", closing.id)
        events.publish(s, events.GROUPS, policy.centre_members(s, actor.centre_id), actor_id=actor.id)


def set_rates(actor: Actor, allowance_cents_per_hour: object, travel_cents_per_day: object) -> Rates:
    policy.require_role(actor, Role.admin)
    for value in (allowance_cents_per_hour, travel_cents_per_day):
        if type(value) is not int or not 0 <= value <= RATE_MAX_CENTS:
            raise InvalidInput("hours_rate_invalid")
    with db.unit_of_work() as s:
        row = s.scalar(select(HoursRates).where(HoursRates.centre_id == actor.centre_id))
        if row is None:
            row = HoursRates(centre_id=actor.centre_id)
            s.add(row)
        row.allowance_cents_per_hour, row.travel_cents_per_day = allowance_cents_per_hour, travel_cents_per_day
        s.flush()
        audit.record(s, actor, "hours_rates_set", "centre", actor.centre_id)
        events.publish(s, events.GROUPS, policy.centre_members(s, actor.centre_id), actor_id=actor.id)
        return Rates(allowance_cents_per_hour, travel_cents_per_day)


def two_unjustified_in_a_row(s: DbSession, trainee_ids) -> set[int]:
    """The trainees whose last two recorded sessions (in the last 60 days) are absences not
    (yet) justified: their coach's list flags them."""
    since = timetable.today() - timedelta(days=60)
    flagged, last_two = set(), {}
    rows = s.execute(select(Attendance.trainee_id, Attendance.presence, Attendance.justified)
                     .where(Attendance.id.in_(ledger.newest_ids(trainee_ids, since)))
                     .order_by(Attendance.trainee_id, Attendance.day.desc(), Attendance.starts.desc()))
    for trainee_id, presence, justified in rows:
        seen = last_two.setdefault(trainee_id, [])
        if len(seen) < 2:
            seen.append(presence == Presence.absent and not justified)
    for trainee_id, seen in last_two.items():
        if seen == [True, True]:
            flagged.add(trainee_id)
    return flagged
