"""What the admin's "Heures" screen shows: her centre's groups with their trainees and week, its
closed days to come, its rates, the recent months and which of them she closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from cisp_pwa.i18n import localised
from cisp_pwa.models import Closure, GroupMember, MonthClosing, Pathway, Role, User

from .. import policy
from ..actor import Actor
from ..infra import db
from . import groups, ledger, months, timetable

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Member:
    id: int
    name: str


@dataclass(frozen=True)
class GroupOverview:
    id: int
    code: str
    name: str
    pathway: str                            # in the admin's language
    members: list[Member]                   # by name
    week: list[tuple[int, str, str, bool]]  # (weekday, starts, ends, distance), Monday first


@dataclass(frozen=True)
class MonthOverview:
    month: str      # "2026-11"
    first: date
    closed: bool
    over: bool      # ended before today: it may be closed


@dataclass(frozen=True)
class Overview:
    groups: list[GroupOverview]
    closures: list[tuple[date, str]]  # from the start of this month on
    rates: months.Rates
    months: list[MonthOverview]       # the newest first: this month and the eleven before


def overview(actor: Actor) -> Overview:
    policy.require_role(actor, Role.admin)
    today = timetable.today()
    with db.reading() as s:
        found = []
        for group in timetable.visible_groups(s, actor):
            people = s.execute(select(User.id, User.display_name).join(GroupMember, GroupMember.trainee_id == User.id)
                               .where(GroupMember.group_id == group.id, User.is_active.is_(True))
                               .order_by(User.display_name, User.id)).all()
            pathway = s.get(Pathway, group.pathway_id)
            found.append(GroupOverview(group.id, group.code, group.name, localised(pathway.name, actor.locale),
                                       [Member(i, n) for i, n in people], groups.week_of(s, group.id)))
        closures = [(c.day, c.label) for c in s.scalars(
            select(Closure).where(Closure.centre_id == actor.centre_id, Closure.day >= today.replace(day=1))
            .order_by(Closure.day))]
        closed = set(s.scalars(select(MonthClosing.month).where(MonthClosing.centre_id == actor.centre_id)))
        shown, first = [], today.replace(day=1)
        for _i in range(MONTHS_SHOWN):
            key = ledger.month_of(first)
            shown.append(MonthOverview(key, first, key in closed, months.month_bounds(key)[1] < today))
            first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
        return Overview(found, closures, months.rates_of(s, actor.centre_id), shown)
