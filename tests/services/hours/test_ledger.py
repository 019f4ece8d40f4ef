"""The attendance ledger: who may take it, append-only corrections with their reason, client ids,
closed months, justified and assimilated absences. The clock is Thu 19 Nov 2026, 10:00."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import Attendance, AuditEvent, TrainingGroup
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import groups, ledger, months, sheets
from cisp_pwa.services.infra import db

from ..helpers import actor, user_id

THURSDAY = date(2026, 11, 19)


def _group() -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def _mark(login: str, presence: str = "present", **more) -> dict:
    return {"trainee": user_id(login), "presence": presence, **more}


def _rows(login: str) -> list[Attendance]:
    with db.reading() as s:
        rows = list(s.scalars(select(Attendance).where(Attendance.trainee_id == user_id(login))
                              .order_by(Attendance.id)))
        s.expunge_all()
        return rows


def _line(sheet, login: str):
    return next(line for line in sheet.lines if line.trainee_id == user_id(login))


def test_the_trainer_takes_his_trainees_attendance_and_they_see_it(demo_db, hours_clock):
    sheet = sheets.sheet(actor("marc"))
    assert (sheet.group_id, sheet.day, sheet.starts) == (_group(), THURSDAY, "09:00")
    assert [s.starts for s in sheet.sessions] == ["09:00", "13:30"]
    # His trainees only: fatou is in the group but not his.
    assert [line.name for line in sheet.lines] == ["Amina Benali", "Kevin Maes"]
    written = ledger.take(actor("marc"), sheet.group_id, THURSDAY, "09:00",
                          [_mark("amina"), _mark("kevin", "late", late=20)])
    assert written == 2
    after = sheets.sheet(actor("marc"))
    assert (_line(after, "amina").presence, _line(after, "kevin").presence, _line(after, "kevin").late_minutes) == (
        "present", "late", 20)
    mine = sheets.my_month(actor("kevin"))
    assert (mine.figures.present, mine.figures.late_count) == (210 - 20, 1)
    with db.reading() as s:
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "attendance_taken")) == 2


def test_the_admin_sees_and_takes_the_whole_group(demo_db, hours_clock):
    sheet = sheets.sheet(actor("sophie"))
    assert [line.name for line in sheet.lines] == ["Amina Benali", "Fatou Diallo", "Kevin Maes"]
    assert ledger.take(actor("sophie"), sheet.group_id, THURSDAY, "09:00", [_mark("fatou", "absent")]) == 1


@pytest.mark.parametrize("who", ["amina", "ines", "claire", "luc"])
def test_nobody_else_takes_attendance(demo_db, hours_clock, who):
    with pytest.raises(AccessDenied):
        ledger.take(actor(who), _group(), THURSDAY, "09:00", [_mark("amina")])
    assert _rows("amina") == []


def test_a_trainee_who_is_not_his_is_refused_and_nothing_of_the_sheet_is_written(demo_db, hours_clock):
    with pytest.raises(AccessDenied):
        ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina"), _mark("fatou")])
    assert _rows("amina") == [] and _rows("fatou") == []


@pytest.mark.parametrize("marks", [
    [], "amina", [{"trainee": "1", "presence": "present"}], [{"trainee": 1, "presence": "here"}],
    [{"trainee": 1, "presence": "late"}], [{"trainee": 1, "presence": "late", "late": 999}],
    [{"trainee": 1, "presence": "late", "late": True}], [{"trainee": 1, "presence": "absent", "reason": "bored"}],
    [{"trainee": 1, "presence": "present", "client_id": 7}], [{"trainee": True, "presence": "present"}],
])
def test_forged_marks_are_refused(demo_db, hours_clock, marks):
    with pytest.raises(InvalidInput):
        ledger.take(actor("marc"), _group(), THURSDAY, "09:00", marks)
    assert _rows("amina") == []


@pytest.mark.parametrize("day, starts, code", [
    (date(2026, 11, 20), "09:00", "hours_in_the_future"),
    (date(2026, 11, 11), "09:00", "hours_no_session"),   # a public holiday (Armistice)
    (date(2026, 11, 18), "13:30", "hours_no_session"),   # no Wednesday afternoon
    (THURSDAY, "9h", "hours_time_invalid"),
])
def test_only_a_session_of_the_group_can_be_taken(demo_db, hours_clock, day, starts, code):
    with pytest.raises(InvalidInput) as refused:
        ledger.take(actor("marc"), _group(), day, starts, [_mark("amina")])
    assert refused.value.code == code


def test_a_centre_closure_removes_its_sessions(demo_db, hours_clock):
    groups.add_closure(actor("sophie"), date(2026, 11, 17), "Journée pédagogique")
    with pytest.raises(InvalidInput):
        ledger.take(actor("marc"), _group(), date(2026, 11, 17), "09:00", [_mark("amina")])
    days = {line.day for line in sheets.my_month(actor("amina")).days}
    assert date(2026, 11, 17) not in days and date(2026, 11, 11) not in days and date(2026, 11, 16) in days


def test_sent_again_it_is_written_once(demo_db, hours_clock):
    marks = [_mark("amina", client_id="tablet-1-amina"), _mark("kevin", "absent", client_id="tablet-1-kevin")]
    assert ledger.take(actor("marc"), _group(), THURSDAY, "09:00", marks) == 2
    assert ledger.take(actor("marc"), _group(), THURSDAY, "09:00", marks) == 0
    assert ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina")]) == 0  # same mark: nothing
    assert len(_rows("amina")) == 1 and len(_rows("kevin")) == 1


def test_the_same_day_he_may_change_his_mind_later_a_correction_needs_its_reason(demo_db, hours_clock):
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina", "absent")])
    hours_clock.forward(minutes=20)  # she comes in: the same day, his own sheet
    assert ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina", "late", late=20)]) == 1
    hours_clock.forward(days=1)
    with pytest.raises(InvalidInput) as refused:
        ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina")])
    assert refused.value.code == "hours_correction_reason"
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina")], correction="Train en retard, attestation SNCB")
    rows = _rows("amina")
    assert [(r.presence.value, r.replaces_id, r.correction) for r in rows] == [
        ("absent", None, ""), ("late", rows[0].id, ""), ("present", rows[1].id, "Train en retard, attestation SNCB")]
    # Nothing was overwritten: every row is still there; the newest stands.
    assert sheets.my_month(actor("amina")).figures.present == 210
    assert [r.action for r in _audit()] == ["attendance_taken", "attendance_corrected", "attendance_corrected"]


def _audit() -> list[AuditEvent]:
    with db.reading() as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.action.like("attendance_%")).order_by(AuditEvent.id)))
        s.expunge_all()
        return rows


def test_a_change_by_someone_else_is_a_correction(demo_db, hours_clock):
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina", "absent")])
    with pytest.raises(InvalidInput):
        ledger.take(actor("julie"), _group(), THURSDAY, "09:00", [_mark("amina")])
    assert ledger.take(actor("julie"), _group(), THURSDAY, "09:00", [_mark("amina")], correction="Elle était là") == 1


def test_after_the_month_is_closed_only_amendments_with_a_reason(demo_db, hours_clock):
    october = date(2026, 10, 29)
    ledger.take(actor("marc"), _group(), october, "09:00", [_mark("amina")])
    months.close(actor("sophie"), "2026-10")
    with pytest.raises(InvalidInput) as refused:
        months.close(actor("sophie"), "2026-10")
    assert refused.value.code == "hours_month_closed"
    with pytest.raises(InvalidInput):
        ledger.take(actor("marc"), _group(), october, "09:00", [_mark("kevin")])  # even a first mark
    ledger.take(actor("marc"), _group(), october, "09:00", [_mark("amina", "absent")], correction="Erreur de ligne")
    assert _rows("amina")[-1].amendment is True
    assert _audit()[-1].action == "attendance_amended"


@pytest.mark.parametrize("who, month, code", [
    ("marc", "2026-10", None), ("julie", "2026-10", None), ("sophie", "2026-11", "hours_month_not_over"),
    ("sophie", "2026-13", "hours_month_invalid"), ("sophie", "octobre", "hours_month_invalid"),
])
def test_only_the_admin_closes_a_month_that_is_over(demo_db, hours_clock, who, month, code):
    with pytest.raises(AccessDenied if code is None else InvalidInput):
        months.close(actor(who), month)


def test_her_coach_justifies_and_assimilates_an_absence(demo_db, hours_clock):
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina", "absent", reason="sick")])
    assert sheets.my_month(actor("amina")).figures.absent_unjustified == 210
    ledger.decide(actor("julie"), user_id("amina"), THURSDAY, "09:00", True, "illness")
    figures = sheets.my_month(actor("amina")).figures
    assert (figures.assimilated, figures.absent_unjustified, figures.allowance_cents) == (210, 0, 350)
    ledger.decide(actor("sophie"), user_id("amina"), THURSDAY, "09:00", True)  # justified, not assimilated
    figures = sheets.my_month(actor("amina")).figures
    assert (figures.assimilated, figures.absent_justified, figures.allowance_cents) == (0, 210, 0)
    assert [r.action for r in _audit()] == ["attendance_taken", "attendance_justified", "attendance_justified"]


@pytest.mark.parametrize("who", ["marc", "amina", "luc", "claire"])
def test_nobody_else_decides(demo_db, hours_clock, who):
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina", "absent")])
    with pytest.raises(AccessDenied):
        ledger.decide(actor(who), user_id("amina"), THURSDAY, "09:00", True, "illness")
    assert len(_rows("amina")) == 1


def test_what_cannot_be_decided(demo_db, hours_clock):
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina")])
    with pytest.raises(InvalidInput) as refused:
        ledger.decide(actor("julie"), user_id("amina"), THURSDAY, "09:00", True)
    assert refused.value.code == "hours_nothing_to_justify"
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("kevin", "absent")])
    with pytest.raises(InvalidInput) as refused:
        ledger.decide(actor("julie"), user_id("kevin"), THURSDAY, "09:00", False, "illness")
    assert refused.value.code == "hours_assimilated_unjustified"
    with pytest.raises(InvalidInput):
        ledger.decide(actor("julie"), user_id("kevin"), THURSDAY, "09:00", "yes")
    with pytest.raises(InvalidInput):
        ledger.decide(actor("julie"), user_id("kevin"), THURSDAY, "09:00", True, "bored")


def test_distance_hours_are_never_assimilated(demo_db, hours_clock):
    friday = date(2026, 11, 13)  # Friday afternoon is at a distance
    ledger.take(actor("marc"), _group(), friday, "13:30", [_mark("amina", "absent")])
    with pytest.raises(InvalidInput) as refused:
        ledger.decide(actor("julie"), user_id("amina"), friday, "13:30", True, "illness")
    assert refused.value.code == "hours_distance_not_assimilated"
    ledger.decide(actor("julie"), user_id("amina"), friday, "13:30", True)
    assert sheets.my_month(actor("amina")).figures.absent_justified == 150


def test_two_unjustified_absences_in_a_row_are_flagged_for_her_coach(demo_db, hours_clock):
    ledger.take(actor("marc"), _group(), date(2026, 11, 18), "09:00", [_mark("amina", "absent"), _mark("kevin", "absent")])
    ledger.take(actor("marc"), _group(), THURSDAY, "09:00", [_mark("amina", "absent"), _mark("kevin")])
    assert sheets.flagged(actor("julie")) == {user_id("amina")}
    ledger.decide(actor("julie"), user_id("amina"), THURSDAY, "09:00", True)
    assert sheets.flagged(actor("julie")) == set()
    assert sheets.flagged(actor("luc")) == set()
