"""A month's figures, against the month computed by hand; the rates; who sees which trainees."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cisp_pwa.models import TrainingGroup
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import ledger, months, sheets
from cisp_pwa.services.infra import db

from ..helpers import actor, user_id


def _group() -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def _take(day: date, starts: str, presence: str, correction: str = "", **more) -> None:
    ledger.take(actor("marc"), _group(), day, starts, [{"trainee": user_id("amina"), "presence": presence, **more}],
                correction=correction)


def _amina_s_november() -> None:
    """Fri 13: morning present (3 h 30), afternoon at a distance present (2 h 30).
    Mon 16: morning present (3 h 30); afternoon first marked absent, corrected to present (2 h 30).
    Tue 17: morning 30 min late (3 h), afternoon absent, not justified (2 h 30).
    Wed 18: morning absent, justified and assimilated (public transport strike, 3 h 30).
    Thu 19: morning absent, justified, not assimilated (3 h 30)."""
    _take(date(2026, 11, 13), "09:00", "present")
    _take(date(2026, 11, 13), "13:30", "present")
    _take(date(2026, 11, 16), "09:00", "present")
    _take(date(2026, 11, 16), "13:30", "absent")
    _take(date(2026, 11, 17), "09:00", "late", late=30)
    _take(date(2026, 11, 17), "13:30", "absent")
    _take(date(2026, 11, 18), "09:00", "absent", reason="transport")
    _take(date(2026, 11, 19), "09:00", "absent", reason="appointment")
    ledger.decide(actor("julie"), user_id("amina"), date(2026, 11, 18), "09:00", True, "strike")
    ledger.decide(actor("julie"), user_id("amina"), date(2026, 11, 19), "09:00", True)
    # A correction made after the day (its reason said): the newest row stands.
    ledger.take(actor("julie"), _group(), date(2026, 11, 16), "13:30",
                [{"trainee": user_id("amina"), "presence": "present"}], correction="Elle était en stage ce jour-là")


def test_the_month_computed_by_hand(demo_db, hours_clock):
    months.set_rates(actor("sophie"), 100, 350)  # €1 an hour, €3.50 a day travelled
    _amina_s_november()
    report = months.report(actor("sophie"), "2026-11")
    figures = {user.display_name: f for user, f in report.rows}
    amina = figures["Amina Benali"]
    # On site: 3h30 + 3h30 + 2h30 + 3h = 12 h 30 = 750 min; at a distance 2 h 30 = 150 min.
    assert (amina.present, amina.distance) == (750, 150)
    assert (amina.assimilated, amina.absent_justified, amina.absent_unjustified, amina.late_count) == (210, 210, 150, 1)
    # Paid: 750 + 150 + 210 = 1,110 min = 18.5 h x €1 = €18.50; travel: she came on site on
    # 13, 16 and 17 November = 3 days x €3.50 = €10.50.
    assert (amina.allowance_cents, amina.travel_cents) == (1850, 1050)
    assert figures["Kevin Maes"].paid_minutes == 0 and figures["Fatou Diallo"].allowance_cents == 0
    assert (report.month, report.closed, report.rates) == ("2026-11", False, months.Rates(100, 350))
    # The same figures on her own screen.
    assert sheets.my_month(actor("amina")).figures == amina


def test_the_default_rate_is_one_euro_an_hour_and_no_travel(demo_db, hours_clock):
    _take(date(2026, 11, 19), "09:00", "present")
    mine = sheets.my_month(actor("amina"))
    assert mine.rates == months.Rates(100, 0)
    assert (mine.figures.allowance_cents, mine.figures.travel_cents) == (350, 0)


def test_each_sees_the_trainees_whose_hours_are_theirs(demo_db, hours_clock):
    names = {who: [u.display_name for u, _ in months.report(actor(who), "2026-11").rows]
             for who in ("sophie", "marc", "julie", "amina", "claire")}
    assert names == {"sophie": ["Amina Benali", "Fatou Diallo", "Kevin Maes"], "marc": ["Amina Benali", "Kevin Maes"],
                     "julie": ["Amina Benali", "Kevin Maes"], "amina": ["Amina Benali"], "claire": ["Youssef El Amrani"]}
    with pytest.raises(AccessDenied):
        months.report(actor("claire"), "2026-11", _group())
    with pytest.raises(AccessDenied):
        sheets.my_month(actor("luc"), trainee_id=user_id("amina"))
    assert sheets.my_month(actor("julie"), trainee_id=user_id("amina")).month == "2026-11"


@pytest.mark.parametrize("who, values, error", [
    ("julie", (100, 0), AccessDenied), ("sophie", (-1, 0), InvalidInput), ("sophie", (100, "350"), InvalidInput),
    ("sophie", (100_000, 0), InvalidInput), ("sophie", (1.5, 0), InvalidInput),
])
def test_only_the_admin_sets_sensible_rates(demo_db, hours_clock, who, values, error):
    with pytest.raises(error):
        months.set_rates(actor(who), *values)
    assert sheets.my_month(actor("amina")).rates == months.Rates()


def test_a_month_of_another_shape_is_refused(demo_db, hours_clock):
    for month in ("2026-1", "26-11", "2026-00", "1999-12", None, 202611):
        with pytest.raises(InvalidInput):
            months.report(actor("sophie"), month)
