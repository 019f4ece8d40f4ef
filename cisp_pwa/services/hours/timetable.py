"""Groups and their week: which sessions a group has on which day.

A group's timetable is a list of half-days (weekday, "09:00", "12:30", on site or at a distance).
A session is one of them on a date; there is none on a Belgian public holiday (the one calendar
of services/help/opening_hours.py) or on a day the centre closed (`Closure`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from cisp_pwa.models import Closure, GroupMember, Role, TimetableSlot, TrainingGroup, User

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..help.opening_hours import BRUSSELS, is_public_holiday

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LABEL_MAX = 120


def now() -> datetime:
    """The hours' clock (tests move it): Belgian time, whatever the server's zone."""
    return datetime.now(BRUSSELS)


def today() -> date:
    return now().date()


def minutes(starts: str, ends: str) -> int:
    (h1, m1), (h2, m2) = (map(int, starts.split(":")), map(int, ends.split(":")))
    return (h2 * 60 + m2) - (h1 * 60 + m1)


def check_time(value: object) -> str:
    if not isinstance(value, str) or not _TIME.match(value):
        raise InvalidInput("hours_time_invalid")
    return value


@dataclass(frozen=True)
class TrainingSession:
    group_id: int
    day: date
    starts: str
    ends: str
    distance: bool

    @property
    def minutes(self) -> int:
        return minutes(self.starts, self.ends)


@dataclass(frozen=True)
class GroupView:
    id: int
    code: str
    name: str
    pathway_id: int


def closed_days(s: DbSession, centre_id: int, first: date, last: date) -> set[date]:
    """Public holidays and the centre's own closures between two days (both included)."""
    closures = set(s.scalars(select(Closure.day).where(Closure.centre_id == centre_id, Closure.day >= first,
                                                       Closure.day <= last)))
    day, holidays = first, set()
    while day <= last:
        if is_public_holiday(day):
            holidays.add(day)
        day += timedelta(days=1)
    return closures | holidays


def sessions(s: DbSession, group: TrainingGroup, first: date, last: date) -> list[TrainingSession]:
    """The group's sessions between two days (both included), in order."""
    slots = list(s.scalars(select(TimetableSlot).where(TimetableSlot.group_id == group.id)
                           .order_by(TimetableSlot.weekday, TimetableSlot.starts)))
    closed = closed_days(s, group.centre_id, first, last)
    found, day = [], first
    while day <= last:
        if day not in closed:
            found += [TrainingSession(group.id, day, slot.starts, slot.ends, slot.distance)
                      for slot in slots if slot.weekday == day.weekday()]
        day += timedelta(days=1)
    return found


def session_of(s: DbSession, group: TrainingGroup, day: date, starts: str) -> TrainingSession:
    """The session a browser named, if the group has it that day."""
    for found in sessions(s, group, day, day):
        if found.starts == starts:
            return found
    raise InvalidInput("hours_no_session")


def visible_groups(s: DbSession, actor: Actor, resource: str = policy.ATTENDANCE, *, acting: bool = False) -> list[TrainingGroup]:
    """The groups of the actor's centre with at least one trainee whose `resource` she may see
    (the admin: every group; a trainer: the groups of his trainees; a trainee: hers)."""
    members = select(GroupMember.group_id).where(
        GroupMember.trainee_id.in_(policy.visible_trainees(actor, resource, acting=acting)))
    query = select(TrainingGroup).where(TrainingGroup.centre_id == actor.centre_id)
    if actor.role != Role.admin:
        query = query.where(TrainingGroup.id.in_(members))
    else:
        policy.require_role(actor, Role.admin)
    return list(s.scalars(query.order_by(TrainingGroup.name, TrainingGroup.id)))


def group(s: DbSession, actor: Actor, group_id: object, resource: str = policy.ATTENDANCE, *,
          acting: bool = False) -> TrainingGroup:
    """A group the actor may see (or act on): AccessDenied otherwise, whatever was sent."""
    if not isinstance(group_id, int) or isinstance(group_id, bool):
        raise AccessDenied()
    for found in visible_groups(s, actor, resource, acting=acting):
        if found.id == group_id:
            return found
    raise AccessDenied()


def members(s: DbSession, actor: Actor, group_id: int, resource: str = policy.ATTENDANCE, *,
            acting: bool = False) -> list[User]:
    """The group's active trainees whose `resource` the actor may see, by name."""
    return list(s.scalars(
        select(User).join(GroupMember, GroupMember.trainee_id == User.id)
        .where(GroupMember.group_id == group_id, User.is_active.is_(True),
               User.id.in_(policy.visible_trainees(actor, resource, acting=acting)))
        .order_by(User.display_name, User.id)))


def groups_of_trainee(s: DbSession, trainee_id: int) -> list[TrainingGroup]:
    return list(s.scalars(select(TrainingGroup).join(GroupMember, GroupMember.group_id == TrainingGroup.id)
                          .where(GroupMember.trainee_id == trainee_id).order_by(TrainingGroup.id)))
