"""The timetable file: a centre's groups (code, name, pathway, trainees by login, the week's
half-days) and its closed days, exported and imported as YAML, the way pathway files are.

    groups:
    - code: fle-alpha-1
      name: FLE Alpha 1
      pathway: defi-fle-alpha
      members: [amina, kevin, fatou]
      half_days:
      - {weekday: mo, starts: '09:00', ends: '12:30'}
      - {weekday: fr, starts: '13:30', ends: '16:00', distance: true}
    closures:
    - {day: 2026-12-24, label: Veille de Noël}

A broken file names the line, the group, the half-day or the closed day and the field
(services/infra/yaml_files.py; state/file_errors.py words it) and changes nothing: the whole file
loads in one unit of work. Loading is by code: a group the file names is created or brought to
what the file says (its name, pathway, trainees and week, replaced whole); a group it does not
name is left as it is. Its closed days are added (a day already closed keeps its place and takes
the file's label); a closed day is removed on the screen only. Rows already written keep the
hours they had (services/hours/groups.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select

from cisp_pwa.models import Closure, GroupMember, Pathway, Role, TrainingGroup, User

from .. import policy
from ..actor import Actor
from ..errors import InvalidInput, TimetableFileError
from ..infra import audit, db, yaml_files
from ..infra.yaml_files import Code, Strict, no_duplicates
from . import groups, timetable

FILE_MAX_BYTES = 256 * 1024
WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")  # as in opening hours: mo is Monday
NESTED = ("group", "half_day", "closure")
GROUPS_MAX = 100
MEMBERS_MAX = 200
CLOSURES_MAX = 400

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=timetable.LABEL_MAX)]
Login = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class HalfDaySpec(Strict):
    weekday: Literal[WEEKDAYS]  # type: ignore[valid-type]
    starts: str
    ends: str
    distance: bool = False

    @field_validator("starts", "ends")
    @classmethod
    def _time(cls, value: str) -> str:
        try:
            return timetable.check_time(value.strip())
        except InvalidInput:
            raise PydanticCustomError("time_invalid", "not a time like 09:00: {value}",
                                      {"value": value[:12]}) from None

    @model_validator(mode="after")
    def _order(self) -> HalfDaySpec:
        if timetable.minutes(self.starts, self.ends) <= 0:
            raise PydanticCustomError("time_order", "ends at {ends}, before it starts at {starts}",
                                      {"starts": self.starts, "ends": self.ends})
        return self

    @property
    def slot(self) -> tuple[int, str, str, bool]:
        return WEEKDAYS.index(self.weekday), self.starts, self.ends, self.distance


class GroupSpec(Strict):
    code: Code
    name: Text
    pathway: Code
    members: list[Login] = Field(default=[], max_length=MEMBERS_MAX)
    half_days: list[HalfDaySpec] = Field(default=[], max_length=groups.SLOTS_MAX)

    @field_validator("members")
    @classmethod
    def _once(cls, logins: list[str]) -> list[str]:
        seen: set[str] = set()
        for login in logins:
            if login in seen:
                raise PydanticCustomError("member_twice", "{login} is listed twice", {"login": login})
            seen.add(login)
        return logins

    @field_validator("half_days")
    @classmethod
    def _apart(cls, half_days: list[HalfDaySpec]) -> list[HalfDaySpec]:
        ordered = sorted(h.slot for h in half_days)
        for (d1, _s1, e1, _), (d2, s2, _e2, _) in zip(ordered, ordered[1:]):
            if d1 == d2 and s2 < e1:
                raise PydanticCustomError("half_days_overlap", "two half-days of {weekday} overlap",
                                          {"weekday": WEEKDAYS[d1]})
        return half_days


class ClosureSpec(Strict):
    day: date
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=timetable.LABEL_MAX)] = ""


class TimetableFile(Strict):
    groups: list[GroupSpec] = Field(default=[], max_length=GROUPS_MAX)
    closures: list[ClosureSpec] = Field(default=[], max_length=CLOSURES_MAX)

    @field_validator("groups")
    @classmethod
    def _codes(cls, found: list[GroupSpec]) -> list[GroupSpec]:
        no_duplicates([g.code for g in found])
        return found

    @field_validator("closures")
    @classmethod
    def _days(cls, found: list[ClosureSpec]) -> list[ClosureSpec]:
        seen: set[date] = set()
        for closure in found:
            if closure.day in seen:
                raise PydanticCustomError("day_twice", "{day} is listed twice", {"day": closure.day.isoformat()})
            seen.add(closure.day)
        return found


@dataclass(frozen=True)
class TimetableReport:
    """What loading a timetable file did."""

    created: int     # groups
    updated: int     # groups
    unchanged: int   # groups
    closures: int    # closed days added or relabelled


def parse_file_text(text: str, source: str) -> TimetableFile:
    return yaml_files.parse(text, source, TimetableFile, TimetableFileError, nested=NESTED)


def import_timetable(actor: Actor, text: str, filename: str) -> TimetableReport:
    """Load a timetable file into the admin's centre: all of it or nothing."""
    policy.require_role(actor, Role.admin)
    if not isinstance(text, str) or len(text.encode("utf-8")) > FILE_MAX_BYTES:
        raise InvalidInput("file_too_big")
    spec = parse_file_text(text, filename)

    def refused(location: tuple, problem: str, **context) -> TimetableFileError:
        return yaml_files.error_at(text, filename, location, TimetableFileError, problem, NESTED, context)

    with db.unit_of_work() as s:
        trainees = {u.login: u for u in s.scalars(select(User).where(User.centre_id == actor.centre_id,
                                                                     User.role == Role.trainee))}
        pathways: dict[str, Pathway] = {}
        for i, group_spec in enumerate(spec.groups):  # everything the database must know, first
            pathway = groups.find_pathway(s, group_spec.pathway)
            if pathway is None:
                raise refused(("groups", i, "pathway"), "pathway_unknown", code=group_spec.pathway)
            pathways[group_spec.pathway] = pathway
            for j, login in enumerate(group_spec.members):
                if login not in trainees:
                    raise refused(("groups", i, "members", j), "member_unknown", login=login)
        existing = {g.code: g for g in s.scalars(select(TrainingGroup).where(
            TrainingGroup.centre_id == actor.centre_id))}
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        told: set[int] = set()
        for group_spec in spec.groups:
            outcome, moved = _load_group(s, actor, existing.get(group_spec.code), group_spec,
                                         pathways[group_spec.pathway], trainees)
            counts[outcome] += 1
            told |= moved
        relabelled = 0
        for closure_spec in spec.closures:
            if groups.closure_added(s, actor, closure_spec.day, closure_spec.label):
                relabelled += 1
                continue
            found = s.scalar(select(Closure).where(Closure.centre_id == actor.centre_id,
                                                   Closure.day == closure_spec.day))
            if found.label != closure_spec.label:
                found.label = closure_spec.label
                relabelled += 1
        if relabelled:
            told |= groups.members_of(s, actor, None)
        audit.record(s, actor, "timetable_imported", "centre", actor.centre_id)
        groups.tell(s, actor, told)
        return TimetableReport(closures=relabelled, **counts)


def _load_group(s, actor: Actor, group: TrainingGroup | None, spec: GroupSpec, pathway: Pathway,
                trainees: dict[str, User]) -> tuple[str, set[int]]:
    """One group brought to what the file says: (created | updated | unchanged, the trainees whose
    hours screens change)."""
    outcome = "unchanged"
    if group is None:
        group, outcome = groups.new_group(s, actor, spec.code, spec.name, pathway), "created"
    elif (group.name, group.pathway_id) != (spec.name, pathway.id):
        group.name, group.pathway_id, outcome = spec.name, pathway.id, "updated"
        audit.record(s, actor, "group_changed", "training_group", group.id)
    moved: set[int] = set()
    wanted = sorted(trainees[login].id for login in spec.members)
    if set(wanted) != groups.members_of(s, actor, group.id):
        moved = groups.replace_members(s, actor, group, wanted)
        outcome = "updated" if outcome == "unchanged" else outcome
    week = sorted(h.slot for h in spec.half_days)
    if week != groups.week_of(s, group.id):
        groups.replace_week(s, actor, group, week)
        moved |= groups.members_of(s, actor, group.id)
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome, moved


def export_timetable(actor: Actor) -> tuple[str, str]:
    """(file name, YAML text) of the centre's groups and of its closed days from the start of this
    year, in the format the import reads."""
    policy.require_role(actor, Role.admin)
    with db.reading() as s:
        found = []
        for group in s.scalars(select(TrainingGroup).where(TrainingGroup.centre_id == actor.centre_id)
                               .order_by(TrainingGroup.code)):
            logins = s.scalars(select(User.login).join(GroupMember, GroupMember.trainee_id == User.id)
                               .where(GroupMember.group_id == group.id).order_by(User.login)).all()
            half_days = []
            for weekday, starts, ends, distance in groups.week_of(s, group.id):
                half_day = {"weekday": WEEKDAYS[weekday], "starts": starts, "ends": ends}
                if distance:
                    half_day["distance"] = True
                half_days.append(half_day)
            found.append({"code": group.code, "name": group.name,
                          "pathway": s.get(Pathway, group.pathway_id).code, "members": list(logins),
                          "half_days": half_days})
        first = date(timetable.today().year, 1, 1)
        closures = [{"day": c.day, "label": c.label} if c.label else {"day": c.day} for c in s.scalars(
            select(Closure).where(Closure.centre_id == actor.centre_id, Closure.day >= first).order_by(Closure.day))]
        data = {"groups": found, "closures": closures}
    return f"horaires-{timetable.today().isoformat()}.yaml", yaml_files.dump(data)
