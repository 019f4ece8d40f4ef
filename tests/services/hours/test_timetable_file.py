"""The timetable file (services/hours/timetable_file.py), on both databases: what the export
writes reads back as it was; a file creates and changes groups, their trainees, their week and
the closed days, in one go; a broken file changes nothing and says where and why."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from sqlalchemy import func, select

from cisp_pwa.models import AuditEvent, Closure, GroupMember, TimetableSlot, TrainingGroup
from cisp_pwa.services.errors import AccessDenied, InvalidInput, TimetableFileError
from cisp_pwa.services.hours import groups, timetable, timetable_file
from cisp_pwa.services.infra import db
from cisp_pwa.state import file_errors

from ..helpers import actor, user_id

NEW_GROUP = """\
groups:
- code: cuisine-1
  name: Commis de cuisine 1
  pathway: eft-commis-cuisine
  members: [fatou]
  half_days:
  - {weekday: mo, starts: 08:30, ends: 12:00}
  - {weekday: th, starts: 13:00, ends: 16:30, distance: true}
closures:
- day: 2026-12-24
  label: Veille de Noël
- day: 2026-12-31
"""


def _snapshot() -> tuple:
    """Everything a timetable file can change, as plain values."""
    with db.reading() as s:
        return (
            sorted(s.execute(select(TrainingGroup.centre_id, TrainingGroup.code, TrainingGroup.name,
                                    TrainingGroup.pathway_id)).all()),
            sorted(s.execute(select(GroupMember.group_id, GroupMember.trainee_id)).all()),
            sorted(s.execute(select(TimetableSlot.group_id, TimetableSlot.weekday, TimetableSlot.starts,
                                    TimetableSlot.ends, TimetableSlot.distance)).all()),
            sorted(s.execute(select(Closure.centre_id, Closure.day, Closure.label)).all()),
        )


def _group(code: str) -> TrainingGroup:
    with db.reading() as s:
        found = s.scalar(select(TrainingGroup).where(TrainingGroup.code == code))
        s.expunge_all()
        return found


def _week(code: str) -> list[tuple]:
    with db.reading() as s:
        return groups.week_of(s, _group(code).id)


def _members(code: str) -> set[int]:
    with db.reading() as s:
        return set(s.scalars(select(GroupMember.trainee_id).where(GroupMember.group_id == _group(code).id)))


def test_the_export_reads_back_as_it_was(demo_db, hours_clock):
    sophie = actor("sophie")
    groups.add_closure(sophie, date(2026, 12, 24), "Veille de Noël")
    name, text = timetable_file.export_timetable(sophie)
    assert name == "horaires-2026-11-19.yaml"
    data = yaml.safe_load(text)
    assert data["groups"] == [{
        "code": "fle-alpha-1", "name": "FLE Alpha 1", "pathway": "defi-fle-alpha",
        "members": ["amina", "fatou", "kevin"],
        "half_days": [{"weekday": "mo", "starts": "09:00", "ends": "12:30"},
                      {"weekday": "mo", "starts": "13:30", "ends": "16:00"},
                      {"weekday": "tu", "starts": "09:00", "ends": "12:30"},
                      {"weekday": "tu", "starts": "13:30", "ends": "16:00"},
                      {"weekday": "we", "starts": "09:00", "ends": "12:30"},
                      {"weekday": "th", "starts": "09:00", "ends": "12:30"},
                      {"weekday": "th", "starts": "13:30", "ends": "16:00"},
                      {"weekday": "fr", "starts": "09:00", "ends": "12:30"},
                      {"weekday": "fr", "starts": "13:30", "ends": "16:00", "distance": True}]}]
    assert data["closures"] == [{"day": date(2026, 12, 24), "label": "Veille de Noël"}]
    before = _snapshot()
    report = timetable_file.import_timetable(sophie, text, name)
    assert report == timetable_file.TimetableReport(created=0, updated=0, unchanged=1, closures=0)
    assert _snapshot() == before


def test_a_file_creates_a_group_with_its_trainees_its_week_and_closed_days(demo_db, hours_clock):
    report = timetable_file.import_timetable(actor("sophie"), NEW_GROUP, "cuisine.yaml")
    assert report == timetable_file.TimetableReport(created=1, updated=0, unchanged=0, closures=2)
    group = _group("cuisine-1")
    assert group.name == "Commis de cuisine 1" and group.centre_id == actor("sophie").centre_id
    assert _members("cuisine-1") == {user_id("fatou")}
    # Times written without quotes read as times (YAML 1.1 would read 13:00 as minutes).
    assert _week("cuisine-1") == [(0, "08:30", "12:00", False), (3, "13:00", "16:30", True)]
    with db.reading() as s:
        assert [(d, label) for d, label in s.execute(select(Closure.day, Closure.label).order_by(Closure.day))] == [
            (date(2026, 12, 24), "Veille de Noël"), (date(2026, 12, 31), "")]
        # Its Thursdays of Christmas week and the next are closed days: Mondays only.
        assert {x.day for x in timetable.sessions(s, group, date(2026, 12, 21), date(2026, 12, 31))} == {
            date(2026, 12, 21), date(2026, 12, 28)}
        assert s.scalar(select(func.count()).where(AuditEvent.action == "timetable_imported")) == 1
    # The same file again: nothing to do.
    again = timetable_file.import_timetable(actor("sophie"), NEW_GROUP, "cuisine.yaml")
    assert again == timetable_file.TimetableReport(created=0, updated=0, unchanged=1, closures=0)


def test_a_file_brings_a_group_to_what_it_says_and_leaves_the_others(demo_db, hours_clock):
    sophie = actor("sophie")
    timetable_file.import_timetable(sophie, NEW_GROUP, "cuisine.yaml")
    data = yaml.safe_load(timetable_file.export_timetable(sophie)[1])
    fle = next(g for g in data["groups"] if g["code"] == "fle-alpha-1")
    fle["name"], fle["members"] = "FLE Alpha 1 (matin)", ["amina", "kevin"]
    fle["half_days"] = [h for h in fle["half_days"] if h["starts"] == "09:00"]
    data["groups"] = [fle]  # cuisine-1 is not in the file: it stays as it is
    data["closures"] = [{"day": date(2026, 12, 24), "label": "Fermé l'après-midi aussi"}]
    report = timetable_file.import_timetable(sophie, yaml.safe_dump(data, allow_unicode=True), "fle.yaml")
    assert report == timetable_file.TimetableReport(created=0, updated=1, unchanged=0, closures=1)
    assert _group("fle-alpha-1").name == "FLE Alpha 1 (matin)"
    assert _members("fle-alpha-1") == {user_id("amina"), user_id("kevin")}
    assert _week("fle-alpha-1") == [(d, "09:00", "12:30", False) for d in range(5)]
    assert _members("cuisine-1") == {user_id("fatou")} and len(_week("cuisine-1")) == 2
    assert dict(groups.closures(sophie, 2026)) == {date(2026, 12, 24): "Fermé l'après-midi aussi",
                                                    date(2026, 12, 31): ""}


def _refused(text: str, locale: str = "fr") -> tuple[dict, str]:
    before = _snapshot()
    with pytest.raises(TimetableFileError) as caught:
        timetable_file.import_timetable(actor("sophie"), text, "horaires.yaml")
    assert _snapshot() == before  # a bad file changes nothing
    return caught.value.details, file_errors.describe(caught.value.details, locale, file_errors.TIMETABLE)


def test_a_login_of_no_trainee_of_the_centre_changes_nothing_and_says_where(demo_db, hours_clock):
    # youssef trains in the other centre; the first group would load fine, the second refuses:
    # nothing of either is written.
    text = NEW_GROUP.replace("closures:", """\
- code: cuisine-2
  name: Commis de cuisine 2
  pathway: eft-commis-cuisine
  members: [kevin, youssef]
closures:""")
    details, said = _refused(text)
    assert details["problem"] == "member_unknown" and details["line"] == 12
    assert details["group"] == 2 and details["within"] == "members.1"
    assert said == ("Ligne 12 · Groupe 2 « Commis de cuisine 2 » · champ « members.1 » : Aucun ou aucune stagiaire "
                    "du centre ne se connecte avec « youssef ». Vérifiez l'identifiant dans la liste des comptes.")
    assert _group("cuisine-1") is None


@pytest.mark.parametrize("change, problem, line, within", [
    (("pathway: eft-commis-cuisine", "pathway: eft-boulangerie"), "pathway_unknown", 4, "pathway"),
    (("ends: 12:00", "ends: 08:00"), "time_order", 7, ""),
    (("starts: 13:00", "starts: 1pm"), "time_invalid", 8, "starts"),
    (("weekday: th", "weekday: jeudi"), "literal_error", 8, "weekday"),
    (("weekday: th", "weekday: mo"), "half_days_overlap", 6, "half_days"),
    (("members: [fatou]", "members: [fatou, fatou]"), "member_twice", 5, "members"),
    (("- day: 2026-12-31", "- day: 31/12/2026"), "date_from_datetime_parsing", 12, "day"),
    (("distance: true", "distance: true, room: 4"), "extra_forbidden", 8, "room"),
])
def test_a_broken_file_changes_nothing_and_names_the_line_and_the_field(demo_db, hours_clock, change, problem,
                                                                         line, within):
    old, new = change
    assert old in NEW_GROUP
    text = NEW_GROUP.replace(old, new)
    if problem == "half_days_overlap":
        text = text.replace("13:00, ends: 16:30, distance: true", "10:00, ends: 11:00")
    details, said = _refused(text)
    assert (details["problem"], details["line"], details["within"]) == (problem, line, within)
    assert said.startswith(f"Ligne {line} · ")
    assert "Ce champ n'a pas la bonne forme" not in said  # each problem has its own words


def test_what_is_not_a_timetable_file_changes_nothing(demo_db, hours_clock):
    for text, problem in (("- a list", "top_not_mapping"), ("groups: [", "yaml_invalid"),
                          ("groups:\n- &a {code: x}\n- *a", "aliases")):
        details, said = _refused(text)
        assert details["problem"] == problem and said
    with pytest.raises(InvalidInput, match="file_too_big"):
        timetable_file.import_timetable(actor("sophie"), "#" * (timetable_file.FILE_MAX_BYTES + 1), "big.yaml")


@pytest.mark.parametrize("login", ["marc", "julie", "amina"])
def test_only_the_admin_imports_or_exports(demo_db, hours_clock, login):
    with pytest.raises(AccessDenied):
        timetable_file.import_timetable(actor(login), NEW_GROUP, "x.yaml")
    with pytest.raises(AccessDenied):
        timetable_file.export_timetable(actor(login))


def test_each_centre_has_its_own_groups(demo_db, hours_clock):
    """The other centre's admin exports hers only; the same code in another centre is another group."""
    claire = actor("claire")
    data = yaml.safe_load(timetable_file.export_timetable(claire)[1])
    assert [g["code"] for g in data["groups"]] == ["numerique-1"] and data["groups"][0]["members"] == ["youssef"]
    text = NEW_GROUP.replace("code: cuisine-1", "code: fle-alpha-1").replace("[fatou]", "[youssef]")
    report = timetable_file.import_timetable(claire, text, "x.yaml")
    assert report.created == 1
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(TrainingGroup.code == "fle-alpha-1")) == 2
    assert "fle-alpha-1" in [g["code"] for g in yaml.safe_load(timetable_file.export_timetable(claire)[1])["groups"]]
    assert _members_in_centre("fle-alpha-1", actor("sophie").centre_id) == {
        user_id("amina"), user_id("kevin"), user_id("fatou")}


def _members_in_centre(code: str, centre_id: int) -> set[int]:
    with db.reading() as s:
        group = s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == code, TrainingGroup.centre_id == centre_id))
        return set(s.scalars(select(GroupMember.trainee_id).where(GroupMember.group_id == group)))
