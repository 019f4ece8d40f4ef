"""The admin's groups, their week and the centre's closed days; every refusal has its words."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cisp_pwa import i18n, words
from cisp_pwa.models import TimetableSlot, TrainingGroup
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import groups, sheets, timetable
from cisp_pwa.services.infra import db

from ..helpers import actor, user_id


def _group() -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def test_the_admin_makes_a_group_with_its_week_and_its_trainer_finds_it(demo_db, hours_clock):
    group = groups.create_group(actor("sophie"), "cuisine-1", "Commis de cuisine 1", "eft-commis-cuisine")
    groups.set_members(actor("sophie"), group, [user_id("kevin")])
    groups.set_timetable(actor("sophie"), group, [{"weekday": 3, "starts": "08:30", "ends": "12:00"},
                                                  {"weekday": 3, "starts": "12:30", "ends": "15:00", "distance": True}])
    sheet = sheets.sheet(actor("marc"), group)
    assert [(s.starts, s.ends, s.distance) for s in sheet.sessions] == [("08:30", "12:00", False), ("12:30", "15:00", True)]
    assert [line.name for line in sheet.lines] == ["Kevin Maes"]
    assert [g.code for g in sheet.groups] == ["cuisine-1", "fle-alpha-1"]
    groups.set_members(actor("sophie"), group, [])
    assert [g.code for g in sheets.sheet(actor("marc")).groups] == ["fle-alpha-1"]


@pytest.mark.parametrize("slots, code", [
    ("lundi", "hours_timetable_invalid"),
    ([{"weekday": 7, "starts": "09:00", "ends": "12:00"}], "hours_timetable_invalid"),
    ([{"weekday": 0, "starts": "12:00", "ends": "09:00"}], "hours_timetable_invalid"),
    ([{"weekday": 0, "starts": "9:00", "ends": "12:00"}], "hours_time_invalid"),
    ([{"weekday": 0, "starts": "09:00", "ends": "12:00", "distance": "yes"}], "hours_timetable_invalid"),
    ([{"weekday": 0, "starts": "09:00", "ends": "12:00"}, {"weekday": 0, "starts": "11:00", "ends": "14:00"}],
     "hours_timetable_overlap"),
    ([{"weekday": 0, "starts": "09:00", "ends": "09:30"}] * 21, "hours_timetable_invalid"),
])
def test_a_week_that_cannot_be_is_refused_and_the_old_one_stays(demo_db, hours_clock, slots, code):
    with pytest.raises(InvalidInput) as refused:
        groups.set_timetable(actor("sophie"), _group(), slots)
    assert refused.value.code == code
    with db.reading() as s:
        assert len(list(s.scalars(select(TimetableSlot).where(TimetableSlot.group_id == _group())))) == 9


@pytest.mark.parametrize("who", ["julie", "marc", "amina", "claire"])
def test_only_the_centre_s_admin_changes_groups_and_closed_days(demo_db, hours_clock, who):
    changes = [lambda: groups.set_timetable(actor(who), _group(), []),
               lambda: groups.set_members(actor(who), _group(), [])]
    if who != "claire":  # another centre's admin makes her own groups and closed days
        changes += [lambda: groups.create_group(actor(who), "x", "X", "defi-fle-alpha"),
                    lambda: groups.add_closure(actor(who), date(2026, 12, 24))]
    for change in changes:
        with pytest.raises(AccessDenied):
            change()
    assert len(sheets.sheet(actor("sophie")).lines) == 3


def test_the_admin_cannot_put_another_centre_s_trainee_in_her_group(demo_db, hours_clock):
    with pytest.raises(AccessDenied):
        groups.set_members(actor("sophie"), _group(), [user_id("amina"), user_id("youssef")])
    assert len(sheets.sheet(actor("sophie")).lines) == 3


def test_a_group_code_is_the_centre_s_own(demo_db, hours_clock):
    with pytest.raises(InvalidInput) as refused:
        groups.create_group(actor("sophie"), "fle-alpha-1", "Encore", "defi-fle-alpha")
    assert refused.value.code == "hours_group_exists"
    groups.create_group(actor("claire"), "fle-alpha-1", "Le leur", "defi-fle-alpha")  # another centre: its own codes
    with pytest.raises(InvalidInput):
        groups.create_group(actor("sophie"), "fle-3", "FLE 3", "no-such-pathway")


def test_closed_days_and_public_holidays(demo_db, hours_clock):
    groups.add_closure(actor("sophie"), date(2026, 12, 24), "Veille de Noël")
    groups.add_closure(actor("sophie"), date(2026, 12, 24), "Deux fois")  # once
    assert groups.closures(actor("sophie"), 2026) == [(date(2026, 12, 24), "Veille de Noël")]
    with db.reading() as s:
        closed = timetable.closed_days(s, actor("sophie").centre_id, date(2026, 12, 1), date(2026, 12, 31))
        assert closed == {date(2026, 12, 24), date(2026, 12, 25)}
        assert timetable.closed_days(s, actor("claire").centre_id, date(2026, 12, 24), date(2026, 12, 24)) == set()
    groups.remove_closure(actor("sophie"), date(2026, 12, 24))
    assert groups.closures(actor("sophie"), 2026) == []
    with pytest.raises(AccessDenied):
        groups.remove_closure(actor("sophie"), date(2026, 12, 24))


def _refusal_codes() -> set[str]:
    """Every code the hours services refuse with (InvalidInput("...") in their source)."""
    found = set()
    for path in Path(timetable.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "InvalidInput" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_refusal_of_the_hours_has_its_words(locale):
    codes = _refusal_codes()
    assert "hours_correction_reason" in codes and "certificate_too_big" in codes  # the derivation works
    assert codes <= set(words.hours_errors(locale)), codes - set(words.hours_errors(locale))
