"""The Présences screen's state without a browser: the sheet the address names, a sheet saved (or
refused, the device keeping its taps), a forged group. The clock is Thu 19 Nov 2026, 10:00."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select

from cisp_pwa.models import Attendance, TrainingGroup
from cisp_pwa.services.infra import db
from cisp_pwa.state.attendance import AttendanceState
from tests.services.helpers import signed_in, user_id

from .helpers import open_screen, redirect_path, run


def _group(code: str = "fle-alpha-1") -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == code))


def _rows() -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(Attendance.id)))


def _sheet(**more) -> dict:
    marks = [{"trainee": user_id("amina"), "presence": "present", "client_id": str(uuid.uuid4())},
             {"trainee": user_id("kevin"), "presence": "late", "late": 10, "client_id": str(uuid.uuid4())}]
    return {"kind": "attendance", "id": str(uuid.uuid4()), "group": _group(), "day": "2026-11-19", "starts": "09:00",
            "marks": json.dumps(marks), "correction": "", **more}


def _call(screen, handler: str, *args):
    return AttendanceState.event_handlers[handler].fn(screen, *args)


def test_it_opens_on_the_session_now_and_on_the_one_its_address_names(demo_db, hours_clock):
    screen, _ = run(open_screen(AttendanceState, signed_in("marc").token))
    assert (screen.group_id, screen.day, screen.starts) == (_group(), "2026-11-19", "09:00")
    assert [s.starts for s in screen.sessions] == ["09:00", "13:30"]
    assert [line.name for line in screen.lines] == ["Amina Benali", "Kevin Maes"]
    assert screen.day_label == "jeudi 19 novembre 2026"
    other, _ = run(open_screen(AttendanceState, signed_in("marc").token,
                               f"group={_group()}&day=2026-11-17&starts=13:30"))
    assert (other.day, other.starts) == ("2026-11-17", "13:30")
    # Going elsewhere is an address: a reload (the network came back) keeps it.
    then = _call(other, "choose_session", "09:00")
    assert redirect_path(then) == f"/fr/attendance/?group={_group()}&day=2026-11-17&starts=09%3A00"
    assert _call(other, "choose_day", "2026-11") is None  # still being typed


def test_a_group_that_is_not_hers_opens_her_own(demo_db, hours_clock):
    screen, _ = run(open_screen(AttendanceState, signed_in("marc").token, f"group={_group('numerique-1')}"))
    assert screen.group_id == _group() and screen.error == "not_allowed" and screen.loaded


def test_a_saved_sheet_shows_what_is_recorded(demo_db, hours_clock):
    screen, _ = run(open_screen(AttendanceState, signed_in("marc").token))
    sheet = _sheet()
    _call(screen, "save", sheet)
    assert (screen.sent, screen.refused, screen.error, screen.notice) == ([sheet["id"]], "", "", "saved")
    assert [(line.presence, line.late) for line in screen.lines] == [("present", 0), ("late", 10)]
    assert _rows() == 2


def test_a_correction_without_its_reason_is_refused_and_the_device_keeps_the_taps(demo_db, hours_clock):
    marc, _ = run(open_screen(AttendanceState, signed_in("marc").token))
    _call(marc, "save", _sheet())
    sophie, _ = run(open_screen(AttendanceState, signed_in("sophie").token))
    assert [line.locked for line in sophie.lines if line.presence] == [True, True]  # marc's rows
    changed = json.dumps([{"trainee": user_id("kevin"), "presence": "present", "client_id": str(uuid.uuid4())}])
    refused = _sheet(marks=changed)
    _call(sophie, "save", refused)
    assert (sophie.error, sophie.refused, sophie.sent) == ("hours_correction_reason", refused["id"], [])
    assert _rows() == 2
    again = _sheet(marks=changed, correction="Arrivé à l'heure")
    _call(sophie, "save", again)
    assert (sophie.error, sophie.sent, _rows()) == ("", [again["id"]], 3)


def test_a_forged_sheet_writes_nothing(demo_db, hours_clock):
    screen, _ = run(open_screen(AttendanceState, signed_in("marc").token))
    for forged in ({"id": "x", "group": "1"}, {**_sheet(), "marks": [1, 2]}, {**_sheet(), "day": "demain"},
                   {**_sheet(), "group": _group("numerique-1")}):
        _call(screen, "save", forged)
        assert screen.error and screen.sent == []
    assert _rows() == 0
