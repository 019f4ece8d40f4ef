"""The attendance ledger: append-only rows, the newest of a session standing.

- `take`: the trainer (or coach) marks a group's session, one mark per trainee. A mark equal to
  the standing row writes nothing (a tablet that sends twice changes nothing; so does its client
  id). Changing a row written on another day, or by someone else, is a correction: it needs its
  reason. In a closed month every change is an amendment, with its reason.
- `decide`: a coach or the admin says whether an absence is justified, and whether its hours
  count (assimilated: force majeure, never for distance hours). A new row too.
Every row is audited; each change tells the trainee and those who follow her hours.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session as DbSession

from cisp_pwa.models import AbsenceReason, Assimilation, Attendance, MonthClosing, Presence

from .. import free_text, policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events
from . import timetable

CORRECTION_MAX = 200
LATE_MAX_MINUTES = 240
CLIENT_ID_MAX = 40
SENT_MAX = 10_000  # characters of a sheet's marks as a screen sends them (JSON): a large group fits


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def is_closed(s: DbSession, centre_id: int, day: date) -> bool:
    return s.scalar(select(MonthClosing.id).where(MonthClosing.centre_id == centre_id,
                                                  MonthClosing.month == month_of(day))) is not None


def newest_ids(trainee_ids: Select | list[int], first: date, last: date | None = None) -> Select:
    """The id of the standing row of each (trainee, day, session) from `first` (to `last`)."""
    query = select(func.max(Attendance.id)).where(Attendance.trainee_id.in_(trainee_ids), Attendance.day >= first)
    if last is not None:
        query = query.where(Attendance.day <= last)
    return query.group_by(Attendance.trainee_id, Attendance.day, Attendance.starts)


def standing(trainee_ids: Select | list[int], first: date, last: date) -> Select:
    """The standing row of each (trainee, day, session) between two days: the newest written."""
    return select(Attendance).where(Attendance.id.in_(newest_ids(trainee_ids, first, last)))


def _standing_one(s: DbSession, trainee_id: int, day: date, starts: str) -> Attendance | None:
    return s.scalar(select(Attendance).where(Attendance.trainee_id == trainee_id, Attendance.day == day,
                                             Attendance.starts == starts).order_by(Attendance.id.desc()).limit(1))


@dataclass(frozen=True)
class Mark:
    trainee_id: int
    presence: Presence
    late_minutes: int = 0
    reason: AbsenceReason | None = None
    client_id: str | None = None


def mark_from(value: object) -> Mark:
    """A mark as a browser sends it ({"trainee": id, "presence": ..., "late": minutes,
    "reason": ..., "client_id": ...}), checked: InvalidInput otherwise."""
    if not isinstance(value, dict):
        raise InvalidInput("hours_mark_invalid")
    trainee_id, late = value.get("trainee"), value.get("late", 0)
    if type(trainee_id) is not int or trainee_id <= 0:
        raise InvalidInput("hours_mark_invalid")
    try:
        presence = Presence(value.get("presence"))
        reason = AbsenceReason(value["reason"]) if value.get("reason") else None
    except ValueError:
        raise InvalidInput("hours_mark_invalid") from None
    if presence == Presence.late:
        if type(late) is not int or not 0 < late <= LATE_MAX_MINUTES:
            raise InvalidInput("hours_late_minutes", maximum=LATE_MAX_MINUTES)
    else:
        late = 0
    if presence == Presence.present:
        reason = None
    client_id = value.get("client_id")
    if client_id is not None and (not isinstance(client_id, str) or not 0 < len(client_id) <= CLIENT_ID_MAX):
        raise InvalidInput("hours_mark_invalid")
    return Mark(trainee_id, presence, late, reason, client_id)


def needs_reason(actor: Actor, row: Attendance | None) -> bool:
    """Changing this standing row is a correction: it was written by someone else, or on an
    earlier day (a closed month asks a reason for every change besides)."""
    return row is not None and (row.recorded_by != actor.id
                                or row.recorded_at.astimezone(timetable.BRUSSELS).date() != timetable.today())


def _same(row: Attendance, mark: Mark) -> bool:
    return (row.presence == mark.presence and row.late_minutes == mark.late_minutes
            and (mark.reason is None or row.reason == mark.reason))


def take(actor: Actor, group_id: int, day: date, starts: str, marks: list, correction: str = "") -> int:
    """Mark a session of a group. Returns how many rows were written. Nothing is written when one
    mark is refused (the whole sheet is sent again once fixed)."""
    if not isinstance(day, date) or not isinstance(marks, list) or not marks or len(marks) > 200:
        raise InvalidInput("hours_mark_invalid")
    starts = timetable.check_time(starts)
    checked = [mark_from(m) for m in marks]
    correction = free_text.checked(correction or "", CORRECTION_MAX, too_long="hours_correction_too_long",
                                   one_line=True) if correction else ""
    if day > timetable.today():
        raise InvalidInput("hours_in_the_future")
    written = 0
    with db.unit_of_work() as s:
        group = timetable.group(s, actor, group_id, policy.ATTENDANCE, acting=True)
        session = timetable.session_of(s, group, day, starts)
        closed = is_closed(s, group.centre_id, day)
        allowed = {u.id for u in timetable.members(s, actor, group.id, policy.ATTENDANCE, acting=True)}
        rows = []
        for mark in checked:
            if mark.trainee_id not in allowed:
                raise AccessDenied()
            if mark.client_id and s.scalar(select(Attendance.id).where(Attendance.client_id == mark.client_id)):
                continue  # sent again once the network came back: written already
            before = _standing_one(s, mark.trainee_id, day, starts)
            if before is not None and _same(before, mark):
                continue
            is_correction = needs_reason(actor, before)
            if (is_correction or closed) and not correction:
                raise InvalidInput("hours_correction_reason")
            rows.append(Attendance(
                trainee_id=mark.trainee_id, group_id=group.id, day=day, starts=session.starts, ends=session.ends,
                distance=session.distance, presence=mark.presence, late_minutes=mark.late_minutes,
                reason=mark.reason, justified=None, assimilation=None, recorded_by=actor.id, recorded_at=timetable.now(),
                replaces_id=before.id if before else None, correction=correction if (is_correction or closed) else "",
                amendment=closed, client_id=mark.client_id))
        for row in rows:
            s.add(row)
            s.flush()
            audit.record(s, actor, "attendance_amended" if row.amendment else
                         "attendance_corrected" if row.replaces_id else "attendance_taken", "attendance", row.id)
            policy.tell(s, events.HOURS, row.trainee_id, actor_id=actor.id, id=row.id)
            written += 1
        if not rows:
            events.nobody(s)
    return written


def sheet_from(value: object) -> tuple[int, date, object, list, str]:
    """A sheet as a screen sends it (the trainer's tablet now, or its outbox once the network is
    back): {"group": id, "day": "2026-11-19", "starts": "09:00", "marks": the marks of `mark_from`
    as JSON text, "correction": why, for a correction}. (group, day, starts, marks, correction),
    each checked again by `take`; InvalidInput for anything else."""
    if not isinstance(value, dict):
        raise InvalidInput("hours_mark_invalid")
    group_id, day, marks, correction = value.get("group"), value.get("day"), value.get("marks"), value.get("correction")
    if (type(group_id) is not int or not isinstance(day, str) or not isinstance(marks, str) or len(marks) > SENT_MAX
            or not isinstance(correction, (str, type(None)))):
        raise InvalidInput("hours_mark_invalid")
    try:
        day, marks = date.fromisoformat(day), json.loads(marks)
    except (ValueError, RecursionError):
        raise InvalidInput("hours_mark_invalid") from None
    return group_id, day, value.get("starts"), marks, correction or ""


def take_sent(actor: Actor, value: object) -> int:
    """`take`, for a sheet as a screen sends it (`sheet_from`)."""
    return take(actor, *sheet_from(value))


def decide(actor: Actor, trainee_id: int, day: date, starts: str, justified: bool,
           assimilation: str | None = None, correction: str = "") -> None:
    """Justified or not; assimilated (with its reason code) or not. Only for an absence."""
    if not isinstance(day, date) or not isinstance(justified, bool):
        raise InvalidInput("hours_mark_invalid")
    starts = timetable.check_time(starts)
    try:
        code = Assimilation(assimilation) if assimilation else None
    except ValueError:
        raise InvalidInput("hours_mark_invalid") from None
    if code is not None and not justified:
        raise InvalidInput("hours_assimilated_unjustified")
    correction = free_text.checked(correction or "", CORRECTION_MAX, too_long="hours_correction_too_long",
                                   one_line=True) if correction else ""
    with db.unit_of_work() as s:
        trainee = policy.trainee(s, actor, policy.JUSTIFICATION, trainee_id, acting=True)
        before = _standing_one(s, trainee.id, day, starts)
        if before is None or before.presence == Presence.present:
            raise InvalidInput("hours_nothing_to_justify")
        if code is not None and before.distance:
            raise InvalidInput("hours_distance_not_assimilated")
        closed = is_closed(s, trainee.centre_id, day)
        if closed and not correction:
            raise InvalidInput("hours_correction_reason")
        if before.justified == justified and before.assimilation == code:
            events.nobody(s)
            return
        row = Attendance(
            trainee_id=trainee.id, group_id=before.group_id, day=day, starts=before.starts, ends=before.ends,
            distance=before.distance, presence=before.presence, late_minutes=before.late_minutes,
            reason=before.reason, justified=justified, assimilation=code, recorded_by=actor.id,
            recorded_at=timetable.now(), replaces_id=before.id, correction=correction, amendment=closed)
        s.add(row)
        s.flush()
        audit.record(s, actor, "attendance_justified" if justified else "attendance_unjustified", "attendance", row.id)
        policy.tell(s, events.HOURS, trainee.id, actor_id=actor.id, id=row.id)


def history(actor: Actor, trainee_id: int, day: date, starts: str) -> list[Attendance]:
    """Every row of one session of hers, oldest first (what was corrected, by whom, why)."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.ATTENDANCE, trainee_id)
        rows = list(s.scalars(select(Attendance).where(Attendance.trainee_id == trainee_id, Attendance.day == day,
                                                       Attendance.starts == starts).order_by(Attendance.id)))
        s.expunge_all()
        return rows


def sessions_standing(s: DbSession, trainee_ids: list[int], first: date, last: date) -> dict:
    """{(trainee, day, starts): standing row} between two days."""
    if not trainee_ids:
        return {}
    return {(r.trainee_id, r.day, r.starts): r for r in s.scalars(standing(trainee_ids, first, last))}
