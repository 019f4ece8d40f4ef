"""Her month ("Mes heures", her coach's file): each session with what the trainer noted and what she
announced for its day, the certificate only for those who may see it. The clock is
hours_clock's: Thursday 19 November 2026, 10:00."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cisp_pwa.models import TrainingGroup
from cisp_pwa.services.hours import ledger, months, notices, sheets
from cisp_pwa.services.infra import db

from ...photos import PNG_PHOTO
from ..helpers import actor, user_id

THURSDAY, FRIDAY = date(2026, 11, 19), date(2026, 11, 20)


def _group_id() -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def _line(mine: sheets.MyMonth, day: date, starts: str) -> sheets.DayLine:
    return next(x for x in mine.days if (x.day, x.starts) == (day, starts))


def test_a_day_shows_what_the_trainer_noted_and_what_she_announced(demo_db, hours_clock):
    amina = user_id("amina")
    ledger.take(actor("marc"), _group_id(), THURSDAY, "09:00",
                [{"trainee": amina, "presence": "absent", "reason": "transport"}])
    told = notices.announce(actor("amina"), FRIDAY, "absent", "sick", certificate=("image/png", PNG_PHOTO))

    for login, sees_photo in (("amina", True), ("julie", True), ("sophie", True), ("marc", False)):
        mine = sheets.my_month(actor(login), "2026-11", amina)
        thursday = _line(mine, THURSDAY, "09:00")
        assert (thursday.presence, thursday.reason, thursday.notice) == ("absent", "transport", None), login
        friday = [x for x in mine.days if x.day == FRIDAY]
        assert [x.starts for x in friday] == ["09:00", "13:30"]  # both of Friday's sessions say it
        for line in friday:
            assert (line.presence, line.notice.id, line.notice.reason) == ("", told.id, "sick"), login
            assert (line.notice.certificate_id is not None) is sees_photo, login
        assert [n.id for n in mine.notices] == [told.id]


def test_a_past_notice_stays_on_its_day_and_a_withdrawn_one_goes(demo_db, hours_clock):
    amina = user_id("amina")
    today = notices.announce(actor("amina"), THURSDAY, "late", "child", late_minutes=20)
    friday = notices.announce(actor("amina"), FRIDAY, "absent", "appointment")
    notices.withdraw(actor("amina"), friday.id)
    hours_clock.forward(days=1)
    mine = sheets.my_month(actor("julie"), "2026-11", amina)
    assert mine.notices == []  # her list: from today on
    assert _line(mine, THURSDAY, "13:30").notice.id == today.id
    assert (_line(mine, THURSDAY, "13:30").notice.presence, _line(mine, THURSDAY, "13:30").notice.late_minutes) == (
        "late", 20)
    assert all(x.notice is None for x in mine.days if x.day == FRIDAY)


def test_her_figures_follow_the_centre_rates(demo_db, hours_clock):
    amina = user_id("amina")
    ledger.take(actor("marc"), _group_id(), THURSDAY, "09:00", [{"trainee": amina, "presence": "present"}])
    mine = sheets.my_month(actor("amina"))
    assert (mine.figures.present, mine.figures.allowance_cents, mine.figures.travel_cents) == (210, 350, 0)
    assert mine.rates == months.Rates(100, 0)
    months.set_rates(actor("sophie"), 150, 350)
    mine = sheets.my_month(actor("amina"))
    assert (mine.figures.allowance_cents, mine.figures.travel_cents) == (525, 350)
