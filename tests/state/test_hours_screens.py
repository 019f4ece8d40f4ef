"""Mes heures and the Heures of her coach's file, without a browser: her taps ("Je serai absent·e",
why, which day), forged values (they change nothing), her coach's decision on an absence. The
clock is hours_clock's: Thursday 19 November 2026, 10:00."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cisp_pwa.models import TrainingGroup
from cisp_pwa.services.hours import ledger, notices, sheets
from cisp_pwa.services.infra import db
from cisp_pwa.state.hours_rows import shifted
from cisp_pwa.state.my_hours import MyHoursState
from cisp_pwa.state.trainee_file import TraineeFileState
from tests.services.helpers import actor, signed_in, user_id

from .helpers import open_screen, run

THURSDAY = date(2026, 11, 19)


def plain(text: str) -> str:
    """Babel's narrow and non-breaking spaces ("3\u202fh 30\xa0min") as plain ones."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _call(screen, name: str, *args):
    return type(screen).event_handlers[name].fn(screen, *args)


def _mine(login: str = "amina"):
    return run(open_screen(MyHoursState, signed_in(login).token))[0]


def _group_id() -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def test_her_month_in_her_words(demo_db, hours_clock):
    ledger.take(actor("marc"), _group_id(), THURSDAY, "09:00", [{"trainee": user_id("amina"), "presence": "late",
                                                                  "late": 30}])
    screen = _mine()
    assert (screen.month, screen.month_label, screen.today, screen.last_day) == (
        "2026-11", "novembre 2026", "2026-11-19", "2027-01-18")
    assert plain(screen.summary) == "En novembre 2026, vous avez 3 h de formation. Votre indemnité : 3,00 €."
    assert [(f.key, plain(f.value), plain(f.note)) for f in screen.figures] == [
        ("trained", "3 h", ""), ("allowance", "3,00 €", "1,00 € brut par heure")]
    thursday = next(d for d in screen.days if d.day == "2026-11-19")
    assert (thursday.label, thursday.today) == ("jeudi 19 novembre", True)
    assert [(x.times, x.status, plain(x.detail)) for x in thursday.sessions] == [
        ("09:00 – 12:30", "late", "30 min"), ("13:30 – 16:00", "upcoming", "")]
    assert next(d for d in screen.days if d.day == "2026-11-18").sessions[0].status == "unknown"  # not noted
    assert not any(d.day == "2026-11-11" for d in screen.days)  # Armistice: no session
    assert screen.offline_copy[0]["title"] == "novembre 2026"


def test_she_says_she_will_be_absent_in_a_few_taps_then_comes_after_all(demo_db, hours_clock):
    screen = _mine()
    _call(screen, "open_form", "absent")
    assert (screen.form_kind, screen.form_day) == ("absent", "2026-11-19")  # today by default
    _call(screen, "announce")
    assert screen.error == "reason_missing" and sheets.my_month(actor("amina")).notices == []
    _call(screen, "choose_reason", "bored")      # no such pictogram: nothing chosen
    _call(screen, "choose_day", "2026-11-18")    # yesterday: not a choice
    _call(screen, "choose_day", "2027-02-01")    # beyond 60 days
    assert (screen.form_reason, screen.form_day) == ("", "2026-11-19")
    _call(screen, "choose_reason", "child")
    _call(screen, "choose_day", "2026-11-23")
    assert screen.other_day
    _call(screen, "announce")
    assert (screen.error, screen.done, screen.form_kind) == ("", "announced", "")
    assert [(n.day, n.presence, n.reason, n.certificate_id) for n in screen.notices] == [
        ("2026-11-23", "absent", "child", 0)]
    _call(screen, "withdraw", screen.notices[0].id)
    assert (screen.notices, screen.done) == ([], "withdrawn")


def test_late_today_only_with_its_minutes(demo_db, hours_clock):
    screen = _mine()
    _call(screen, "open_form", "late")
    _call(screen, "choose_reason", "transport")
    _call(screen, "announce")
    assert screen.error == "hours_late_minutes"
    _call(screen, "choose_minutes", 15)  # not one of the taps
    assert screen.form_minutes == 0
    _call(screen, "choose_minutes", 20)
    _call(screen, "announce")
    assert [(n.presence, plain(n.late), n.day) for n in screen.notices] == [("late", "20 min", "2026-11-19")]


def test_forged_values_change_nothing(demo_db, hours_clock):
    kevins = notices.announce(actor("kevin"), THURSDAY, "absent", "sick")
    screen = _mine()
    _call(screen, "withdraw", kevins.id)  # not hers
    assert screen.error == "not_allowed"
    assert [n.id for n in sheets.my_month(actor("kevin")).notices] == [kevins.id]
    _call(screen, "open_form", "present")  # not a kind of notice
    assert screen.form_kind == ""
    for forged in ("2026-13", "november", "1999-12", "2026-1"):
        _call(screen, "show_month", forged)
        assert (screen.month, screen.error) == ("2026-11", "hours_month_invalid"), forged
    assert screen.prev_month == "2026-10"
    _call(screen, "show_month", screen.prev_month)
    assert (screen.month, screen.month_label, screen.this_month) == ("2026-10", "octobre 2026", False)


def test_months_shift_across_the_year():
    assert (shifted("2026-12", 1), shifted("2026-01", -1), shifted("2026-11", 1)) == ("2027-01", "2025-12", "2026-12")


def test_her_coach_sees_her_notice_and_decides_an_absence(demo_db, hours_clock):
    amina = user_id("amina")
    ledger.take(actor("marc"), _group_id(), THURSDAY, "09:00", [{"trainee": amina, "presence": "absent",
                                                                  "reason": "sick"}])
    from tests.photos import PNG_PHOTO
    told = notices.announce(actor("amina"), THURSDAY, "absent", "sick", certificate=("image/png", PNG_PHOTO))
    screen, _ = run(open_screen(TraineeFileState, signed_in("julie").token, f"trainee={amina}"))
    assert [(n.id, n.certificate_id > 0) for n in screen.hours_notices] == [(told.id, True)]
    [absence] = screen.hours_absences
    assert (absence.day, absence.starts, absence.reason, absence.notice, absence.choice, absence.decision) == (
        "2026-11-19", "09:00", "sick", "sick", "", "")
    assert absence.certificate_id == told.certificate_id
    _call(screen, "decide_absence", {"day": "2026-11-19", "starts": "09:00", "choice": "assimilated:"})  # forged: no code
    assert screen.hours_error == "hours_mark_invalid"
    _call(screen, "decide_absence", {"day": "19/11/2026", "starts": "09:00", "choice": "justified"})
    assert screen.hours_error == "hours_mark_invalid"
    _call(screen, "decide_absence", {"day": "2026-11-19", "starts": "9h", "choice": "justified"})
    assert screen.hours_error == "hours_time_invalid"
    _call(screen, "decide_absence", {"day": "2026-11-19", "starts": "09:00"})
    assert screen.hours_error == "hours_mark_invalid"
    _call(screen, "decide_absence", {"day": "2026-11-19", "starts": "09:00", "choice": "assimilated:holiday"})
    assert screen.hours_error == "hours_mark_invalid"
    _call(screen, "decide_absence", {"day": "2026-11-19", "starts": "13:30", "choice": "justified"})  # nothing noted then
    assert screen.hours_error == "hours_nothing_to_justify"
    _call(screen, "decide_absence", {"day": "2026-11-19", "starts": "09:00", "choice": "assimilated:illness"})
    assert screen.hours_error == ""
    [absence] = screen.hours_absences
    assert (absence.choice, absence.decision) == ("assimilated:illness", "Heures comptées : Maladie (certificat)")
    assert [(f.key, plain(f.value)) for f in screen.hours_figures][0] == ("trained", "3 h 30 min")
    # Her trainer opens nothing of this screen; her coach's decision is hers to see.
    assert sheets.my_month(actor("amina")).figures.assimilated == 210
