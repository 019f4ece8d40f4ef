"""The admin's side of hours: groups, who is in them, their week, the centre's closed days.

A group belongs to one centre and one pathway; its trainees are of that centre. Its timetable is
replaced whole (what the timetable file says); rows already written keep the hours they had.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from cisp_pwa.models import Closure, GroupMember, Pathway, Role, TimetableSlot, TrainingGroup, User

from .. import free_text, policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events
from . import timetable

SLOTS_MAX = 20
CODE_MAX = 60


def _admin_group(s, actor: Actor, group_id: object) -> TrainingGroup:
    policy.require_role(actor, Role.admin)
    return timetable.group(s, actor, group_id)


def check_slots(slots: object) -> list[tuple[int, str, str, bool]]:
    """[(weekday, starts, ends, distance)], each half-day a positive span, none overlapping."""
    if not isinstance(slots, list) or len(slots) > SLOTS_MAX:
        raise InvalidInput("hours_timetable_invalid")
    found = []
    for slot in slots:
        if not isinstance(slot, dict) or type(slot.get("weekday")) is not int or not 0 <= slot["weekday"] <= 6:
            raise InvalidInput("hours_timetable_invalid")
        starts, ends = timetable.check_time(slot.get("starts")), timetable.check_time(slot.get("ends"))
        distance = slot.get("distance", False)
        if not isinstance(distance, bool) or timetable.minutes(starts, ends) <= 0:
            raise InvalidInput("hours_timetable_invalid")
        found.append((slot["weekday"], starts, ends, distance))
    found.sort()
    for (d1, _, e1, _), (d2, s2, _, _) in zip(found, found[1:]):
        if d1 == d2 and s2 < e1:
            raise InvalidInput("hours_timetable_overlap")
    return found


# --- within the caller's unit of work (the timetable file loads several in one) --------------

def find_pathway(s, pathway_code: object) -> Pathway | None:
    return s.scalar(select(Pathway).where(Pathway.code == pathway_code)) if isinstance(pathway_code, str) else None


def new_group(s, actor: Actor, code: str, name: str, pathway: Pathway) -> TrainingGroup:
    """A group of the admin's centre (code and name checked by the caller)."""
    if s.scalar(select(TrainingGroup.id).where(TrainingGroup.centre_id == actor.centre_id,
                                               TrainingGroup.code == code)):
        raise InvalidInput("hours_group_exists")
    group = TrainingGroup(centre_id=actor.centre_id, pathway_id=pathway.id, code=code, name=name)
    s.add(group)
    s.flush()
    audit.record(s, actor, "group_created", "training_group", group.id)
    return group


def replace_members(s, actor: Actor, group: TrainingGroup, trainee_ids: list[int]) -> set[int]:
    """The group's trainees become these (each one the admin may act on); returns those who
    came or left."""
    for trainee_id in trainee_ids:
        policy.trainee(s, actor, policy.FILE, trainee_id, acting=True)
    before = set(s.scalars(select(GroupMember.trainee_id).where(GroupMember.group_id == group.id)))
    wanted = set(trainee_ids)
    s.execute(delete(GroupMember).where(GroupMember.group_id == group.id,
                                        GroupMember.trainee_id.in_(before - wanted)))
    for trainee_id in sorted(wanted - before):
        s.add(GroupMember(group_id=group.id, trainee_id=trainee_id))
    audit.record(s, actor, "group_members_set", "training_group", group.id)
    return before ^ wanted


def week_of(s, group_id: int) -> list[tuple[int, str, str, bool]]:
    return [(x.weekday, x.starts, x.ends, x.distance) for x in s.scalars(
        select(TimetableSlot).where(TimetableSlot.group_id == group_id)
        .order_by(TimetableSlot.weekday, TimetableSlot.starts))]


def replace_week(s, actor: Actor, group: TrainingGroup, checked: list[tuple[int, str, str, bool]]) -> None:
    """The group's week becomes these half-days (from `check_slots`)."""
    s.execute(delete(TimetableSlot).where(TimetableSlot.group_id == group.id))
    for weekday, starts, ends, distance in checked:
        s.add(TimetableSlot(group_id=group.id, weekday=weekday, starts=starts, ends=ends, distance=distance))
    audit.record(s, actor, "timetable_set", "training_group", group.id)


def closure_added(s, actor: Actor, day: date, label: str) -> bool:
    """The centre closes that day (label checked by the caller); False when it was closed already."""
    if s.scalar(select(Closure.id).where(Closure.centre_id == actor.centre_id, Closure.day == day)):
        return False
    s.add(Closure(centre_id=actor.centre_id, day=day, label=label))
    s.flush()
    audit.record(s, actor, "closure_added", "centre", actor.centre_id)
    return True


def members_of(s, actor: Actor, group_id: int | None) -> set[int]:
    """The trainees of one group of the admin's centre (None: of all its groups)."""
    query = select(GroupMember.trainee_id).join(User, User.id == GroupMember.trainee_id).where(
        User.centre_id == actor.centre_id)
    if group_id is not None:
        query = query.where(GroupMember.group_id == group_id)
    return set(s.scalars(query))


def tell(s, actor: Actor, trainee_ids: set[int], group_id: int = 0) -> None:
    """Their hours screens (and those of whoever follows their hours), and the admins' screens."""
    for trainee_id in sorted(trainee_ids):
        policy.tell(s, events.HOURS, trainee_id, actor_id=actor.id)
    events.publish(s, events.GROUPS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=group_id)


def check_code(code: object) -> str:
    return free_text.checked(code, CODE_MAX, empty="hours_group_code", too_long="hours_group_code", one_line=True)


def check_name(name: object) -> str:
    return free_text.checked(name, timetable.LABEL_MAX, empty="hours_group_name", too_long="hours_group_name",
                             one_line=True)


def check_label(label: object) -> str:
    return free_text.checked(label, timetable.LABEL_MAX, too_long="hours_group_name", one_line=True) if label else ""


# --- one action each ---------------------------------------------------------------------------

def create_group(actor: Actor, code: str, name: str, pathway_code: str) -> int:
    policy.require_role(actor, Role.admin)
    code, name = check_code(code), check_name(name)
    with db.unit_of_work() as s:
        pathway = find_pathway(s, pathway_code)
        if pathway is None:
            raise InvalidInput("hours_group_pathway")
        group = new_group(s, actor, code, name, pathway)
        events.publish(s, events.GROUPS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=group.id)
        return group.id


def set_members(actor: Actor, group_id: int, trainee_ids: object) -> None:
    if not isinstance(trainee_ids, list) or any(type(t) is not int for t in trainee_ids):
        raise InvalidInput("hours_group_members")
    with db.unit_of_work() as s:
        group = _admin_group(s, actor, group_id)
        tell(s, actor, replace_members(s, actor, group, trainee_ids), group.id)


def set_timetable(actor: Actor, group_id: int, slots: object) -> None:
    checked = check_slots(slots)
    with db.unit_of_work() as s:
        group = _admin_group(s, actor, group_id)
        replace_week(s, actor, group, checked)
        tell(s, actor, members_of(s, actor, group.id), group.id)


def add_closure(actor: Actor, day: object, label: str = "") -> None:
    policy.require_role(actor, Role.admin)
    if not isinstance(day, date):
        raise InvalidInput("hours_day_invalid")
    label = check_label(label or "")
    with db.unit_of_work() as s:
        if not closure_added(s, actor, day, label):
            events.nobody(s)
            return
        tell(s, actor, members_of(s, actor, None))


def remove_closure(actor: Actor, day: object) -> None:
    policy.require_role(actor, Role.admin)
    if not isinstance(day, date):
        raise InvalidInput("hours_day_invalid")
    with db.unit_of_work() as s:
        found = s.scalar(select(Closure).where(Closure.centre_id == actor.centre_id, Closure.day == day))
        if found is None:
            raise AccessDenied()
        s.delete(found)
        audit.record(s, actor, "closure_removed", "centre", actor.centre_id)
        tell(s, actor, members_of(s, actor, None))


def closures(actor: Actor, year: int) -> list[tuple[date, str]]:
    policy.require_role(actor, Role.admin)
    with db.reading() as s:
        return [(c.day, c.label) for c in s.scalars(
            select(Closure).where(Closure.centre_id == actor.centre_id, Closure.day >= date(year, 1, 1),
                                  Closure.day <= date(year, 12, 31)).order_by(Closure.day))]
