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


def create_group(actor: Actor, code: str, name: str, pathway_code: str) -> int:
    policy.require_role(actor, Role.admin)
    code = free_text.checked(code, CODE_MAX, empty="hours_group_code", too_long="hours_group_code", one_line=True)
    name = free_text.checked(name, timetable.LABEL_MAX, empty="hours_group_name", too_long="hours_group_name",
                             one_line=True)
    with db.unit_of_work() as s:
        pathway = s.scalar(select(Pathway).where(Pathway.code == pathway_code)) if isinstance(pathway_code, str) else None
        if pathway is None:
            raise InvalidInput("hours_group_pathway")
        if s.scalar(select(TrainingGroup.id).where(TrainingGroup.centre_id == actor.centre_id,
                                                   TrainingGroup.code == code)):
            raise InvalidInput("hours_group_exists")
        group = TrainingGroup(centre_id=actor.centre_id, pathway_id=pathway.id, code=code, name=name)
        s.add(group)
        s.flush()
        audit.record(s, actor, "group_created", "training_group", group.id)
        events.publish(s, events.GROUPS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=group.id)
        return group.id


def set_members(actor: Actor, group_id: int, trainee_ids: object) -> None:
    if not isinstance(trainee_ids, list) or any(type(t) is not int for t in trainee_ids):
        raise InvalidInput("hours_group_members")
    with db.unit_of_work() as s:
        group = _admin_group(s, actor, group_id)
        for trainee_id in trainee_ids:
            policy.trainee(s, actor, policy.FILE, trainee_id, acting=True)
        before = set(s.scalars(select(GroupMember.trainee_id).where(GroupMember.group_id == group.id)))
        wanted = set(trainee_ids)
        s.execute(delete(GroupMember).where(GroupMember.group_id == group.id,
                                            GroupMember.trainee_id.in_(before - wanted)))
        for trainee_id in sorted(wanted - before):
            s.add(GroupMember(group_id=group.id, trainee_id=trainee_id))
        audit.record(s, actor, "group_members_set", "training_group", group.id)
        for trainee_id in sorted(before ^ wanted):
            policy.tell(s, events.HOURS, trainee_id, actor_id=actor.id)
        events.publish(s, events.GROUPS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=group.id)


def set_timetable(actor: Actor, group_id: int, slots: object) -> None:
    checked = check_slots(slots)
    with db.unit_of_work() as s:
        group = _admin_group(s, actor, group_id)
        s.execute(delete(TimetableSlot).where(TimetableSlot.group_id == group.id))
        for weekday, starts, ends, distance in checked:
            s.add(TimetableSlot(group_id=group.id, weekday=weekday, starts=starts, ends=ends, distance=distance))
        audit.record(s, actor, "timetable_set", "training_group", group.id)
        _tell_group(s, actor, group.id)


def _tell_group(s, actor: Actor, group_id: int | None) -> None:
    """A week or a closed day changed: the members' hours screens, the group's staff, the admins."""
    query = select(GroupMember.trainee_id).join(User, User.id == GroupMember.trainee_id).where(
        User.centre_id == actor.centre_id)
    if group_id is not None:
        query = query.where(GroupMember.group_id == group_id)
    for trainee_id in sorted(set(s.scalars(query))):
        policy.tell(s, events.HOURS, trainee_id, actor_id=actor.id)
    events.publish(s, events.GROUPS, policy.admins_of(s, actor.centre_id), actor_id=actor.id, id=group_id or 0)


def add_closure(actor: Actor, day: object, label: str = "") -> None:
    policy.require_role(actor, Role.admin)
    if not isinstance(day, date):
        raise InvalidInput("hours_day_invalid")
    label = free_text.checked(label or "", timetable.LABEL_MAX, too_long="hours_group_name", one_line=True) if label else ""
    with db.unit_of_work() as s:
        if s.scalar(select(Closure.id).where(Closure.centre_id == actor.centre_id, Closure.day == day)):
            events.nobody(s)
            return
        closure = Closure(centre_id=actor.centre_id, day=day, label=label)
        s.add(closure)
        s.flush()
        audit.record(s, actor, "closure_added", "centre", actor.centre_id)
        _tell_group(s, actor, None)


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
        _tell_group(s, actor, None)


def closures(actor: Actor, year: int) -> list[tuple[date, str]]:
    policy.require_role(actor, Role.admin)
    with db.reading() as s:
        return [(c.day, c.label) for c in s.scalars(
            select(Closure).where(Closure.centre_id == actor.centre_id, Closure.day >= date(year, 1, 1),
                                  Closure.day <= date(year, 12, 31)).order_by(Closure.day))]
