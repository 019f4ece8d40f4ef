"""Présences: the trainer takes a group of twelve in a few taps, on a phone and on the centre's
tablet with no network (the sheet waits there and is written once when the network is back); a
trainee's notice shows on the open screen as she sends it.

The app runs on the real clock: the demo group is given a session every day of the week, twice
(the test's day is whatever day it is), and the sheet is the day's, or the last day before it
that is not a public holiday.

Her notice is sent from her phone's "Mes heures" screen, beside the trainer's open sheet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from cisp_pwa import demo
from cisp_pwa.models import Attendance, TrainingGroup, User
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.help.opening_hours import is_public_holiday
from cisp_pwa.services.hours import groups, ledger, notices, sheets, timetable
from cisp_pwa.services.infra import db, events
from cisp_pwa.services.people import centre_admin

from .conftest import shot, sign_in
from .test_accessibility import check

pytestmark = pytest.mark.browser
LIVE = 10_000  # ms a test waits for a live update before it calls it failed (never a measure)
TABLET = {"width": 800, "height": 1280}
NEW_TRAINEES = ["Nadia Amrani", "Olivier Petit", "Samira El Idrissi", "Jonathan Lemaire", "Aïcha Bah",
                "Dimitri Popescu", "Grace Mukendi", "Hugo Lambert", "Leila Haddad"]
EVERY_DAY = [{"weekday": d, "starts": starts, "ends": ends}
             for d in range(7) for starts, ends in (("08:00", "12:00"), ("13:00", "23:59"))]


def _actor(login: str) -> Actor:
    with db.reading() as s:
        return Actor.of(s.scalar(select(User).where(User.login == login)))


@pytest.fixture(scope="module")
def twelve(app_url, app_data_dir):
    """The demo group "FLE Alpha 1" with twelve trainees (amina, kevin, fatou and nine new ones),
    all of them marc's, and a session every day. Set back as it was after the module."""
    db.configure(f"sqlite:///{app_data_dir / 'cisp.db'}")
    sophie, marc = _actor("sophie"), _actor("marc")
    with db.reading() as s:
        group = s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))
    demo_ids = [_actor(login).id for login in ("amina", "kevin", "fatou")]
    new_ids = [centre_admin.create_account(sophie, role="trainee", display_name=name, login=f"presences-{n}")
               for n, name in enumerate(NEW_TRAINEES, 1)]
    for trainee in [demo_ids[2], *new_ids]:  # fatou was not marc's
        centre_admin.set_assignment(sophie, trainee, marc.id, True)
    groups.set_members(sophie, group, demo_ids + new_ids)
    groups.set_timetable(sophie, group, EVERY_DAY)
    yield group
    groups.set_timetable(sophie, group, [{"weekday": d, "starts": a, "ends": b, "distance": far}
                                         for d, a, b, far in demo.DEMO_WEEK])
    groups.set_members(sophie, group, demo_ids)
    for trainee in [demo_ids[2], *new_ids]:
        centre_admin.set_assignment(sophie, trainee, marc.id, False)
    for trainee in new_ids:
        centre_admin.set_active(sophie, trainee, False)
    # The rows of this module's sessions (not the demo week's half-days) would stand as the demo
    # trainees' latest ones for the tests after it: a test's data goes with it.
    with db.unit_of_work() as s:
        s.execute(delete(Attendance).where(Attendance.group_id == group,
                                           Attendance.starts.in_({x["starts"] for x in EVERY_DAY})))
        events.nobody(s)


def _sheet_day() -> date:
    """Today, or the last day before that is not a public holiday (no session on one)."""
    day = timetable.today()
    while is_public_holiday(day):
        day -= timedelta(days=1)
    return day


def _rows(group: int, day: date, starts: str) -> list[Attendance]:
    with db.reading() as s:
        rows = list(s.scalars(select(Attendance).where(Attendance.group_id == group, Attendance.day == day,
                                                       Attendance.starts == starts).order_by(Attendance.id)))
        s.expunge_all()
        return rows


def _open(page, locale: str, day: date) -> None:
    """Marc opens Présences from his menu (the day is chosen when it is not today's)."""
    sign_in(page, "marc")
    page.wait_for_url("**/fr/validations/")
    if locale != "fr":
        page.goto(f"/{locale}/validations/")
    page.click("#nav-attendance")
    page.wait_for_url(f"**/{locale}/attendance/")
    expect(page.locator("#attendance-rows > li")).to_have_count(12)
    if day != timetable.today():
        page.fill("#attendance-day", day.isoformat())
        expect(page.locator("#attendance-day")).to_have_value(day.isoformat())
    expect(page.locator("#attendance-sessions [aria-pressed=true]")).to_have_count(1)


def _row(page, name: str):
    return page.locator(f"#attendance-rows > li[data-name='{name}']")


class Taps:
    """Every tap the trainer makes on the sheet, counted."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator) -> None:
        locator.click()
        self.count += 1


def _she_will_be_absent(phone) -> None:
    sign_in(phone, "amina")
    phone.wait_for_url("**/fr/my-pathway/")
    phone.click("#my-hours-link")
    phone.wait_for_url("**/fr/my-hours/")
    phone.click("#hours-absent")
    expect(phone.locator("#day-today")).to_have_attribute("aria-pressed", "true")
    phone.click("#absence-reasons [data-reason=sick]")
    phone.click("#absence-send-button")
    expect(phone.locator("#my-notices [data-notice]")).to_have_count(1)


@pytest.fixture
def no_notice_left(twelve):
    yield
    for notice in sheets.my_month(_actor("amina")).notices:
        notices.withdraw(_actor("amina"), notice.id)


def test_the_trainer_takes_twelve_in_a_few_taps_and_a_notice_shows_live(page, second_page, twelve, no_notice_left):
    day = _sheet_day()
    _open(page, "fr", day)
    starts = page.locator("#attendance-sessions [aria-pressed=true]").get_attribute("data-starts")
    assert _rows(twelve, day, starts) == []
    page.evaluate("window.__stillTheSamePage = true")

    # Amina says on her phone she will be absent today, ill: her row says so at once, and is chosen.
    notice_day = timetable.today()
    _she_will_be_absent(second_page)
    if notice_day == day:
        amina = _row(page, "Amina Benali")
        expect(amina.locator("[data-notice=absent]")).to_contain_text("Malade", timeout=LIVE)
        expect(amina.locator("[data-presence=absent]")).to_have_attribute("aria-pressed", "true")
    shot(page, "attendance-notice-fr")

    taps = Taps()
    taps(page.locator("#all-present"))
    kevin, hugo = _row(page, "Kevin Maes"), _row(page, "Hugo Lambert")
    taps(kevin.locator("[data-presence=absent]"))
    taps(hugo.locator("[data-presence=late]"))
    taps(hugo.locator("[data-minutes='10']"))
    expect(page.locator("#attendance-rows > li[data-choice='']")).to_have_count(0)
    shot(page, "attendance-taken-fr")
    taps(page.locator("#attendance-save"))
    assert taps.count <= 15

    expect(page.locator("#attendance-saved")).to_contain_text("C'est enregistré")
    expect(page.locator("#attendance-rows > li[data-status=recorded]")).to_have_count(12)
    rows = _rows(twelve, day, starts)
    by_name = {}
    with db.reading() as s:
        names = {i: n for i, n in s.execute(select(User.id, User.display_name))}
    for row in rows:
        by_name[names[row.trainee_id]] = (row.presence.value, row.late_minutes)
    assert len(rows) == 12 and len(by_name) == 12
    assert by_name["Kevin Maes"] == ("absent", 0) and by_name["Hugo Lambert"] == ("late", 10)
    assert by_name["Amina Benali"] == ("absent" if notice_day == day else "present", 0)
    assert sum(p == "present" for p, _ in by_name.values()) == (9 if notice_day == day else 10)
    assert all(row.client_id and row.recorded_by == _actor("marc").id for row in rows)
    assert page.evaluate("window.__stillTheSamePage === true"), "the screen was reloaded"
    check(page, "marc fr attendance")
    shot(page, "attendance-saved-fr")

    # Changing his own sheet of today needs no reason; a row he made is his to fix.
    taps(hugo.locator("[data-presence=present]"))
    expect(page.locator("#attendance-correction")).to_have_count(0)
    page.click("#attendance-save")
    expect(hugo).to_have_attribute("data-status", "recorded")
    assert len(_rows(twelve, day, starts)) == 13


def test_someone_elses_row_is_changed_with_a_reason(page, twelve):
    """Julie, the coach, changes a row marc recorded: the screen asks why, then sends again."""
    day = _sheet_day()
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    page.click("#nav-attendance")
    expect(page.locator("#attendance-rows > li")).to_have_count(2)  # her trainees only: amina, kevin
    if day != timetable.today():
        page.fill("#attendance-day", day.isoformat())
    starts = page.locator("#attendance-sessions [aria-pressed=true]").get_attribute("data-starts")
    kevin = _row(page, "Kevin Maes")
    if kevin.get_attribute("data-status") != "recorded":  # run alone: marc's row first
        ledger.take(_actor("marc"), twelve, day, starts, [{"trainee": _actor("kevin").id, "presence": "absent"}])
        expect(kevin).to_have_attribute("data-status", "recorded", timeout=LIVE)
    before = len(_rows(twelve, day, starts))
    kevin.locator("[data-presence=present]").click()
    expect(page.locator("#attendance-correction")).to_be_visible()
    page.click("#attendance-save")
    expect(page.locator("#attendance-problem")).to_contain_text("écrivez pourquoi")
    page.fill("#attendance-correction", "Il est arrivé à l'heure, en bus")
    page.click("#attendance-save")
    expect(kevin).to_have_attribute("data-status", "recorded")
    rows = _rows(twelve, day, starts)
    assert len(rows) == before + 1 and rows[-1].correction == "Il est arrivé à l'heure, en bus"
    assert rows[-1].replaces_id is not None


def test_on_the_tablet_with_no_network_the_sheet_waits_and_is_written_once(browser, app_url, twelve):
    context = browser.new_context(viewport=TABLET, base_url=app_url, locale="fr-BE")
    context.set_default_timeout(20_000)
    tablet = context.new_page()
    try:
        day = _sheet_day()
        _open(tablet, "fr", day)
        # The other half-day: nothing taken yet.
        starts = tablet.locator("#attendance-sessions [aria-pressed=false]").first.get_attribute("data-starts")
        other = tablet.locator(f"#attendance-sessions [data-starts='{starts}']")
        other.click()
        expect(other).to_have_attribute("aria-pressed", "true")
        expect(tablet.locator("#attendance-rows > li[data-status=recorded]")).to_have_count(0)
        assert _rows(twelve, day, starts) == []
        check(tablet, "marc fr attendance tablet")

        context.set_offline(True)
        expect(tablet.locator("#offline-notice")).to_be_visible()
        tablet.click("#all-present")
        _row(tablet, "Grace Mukendi").locator("[data-presence=absent]").click()
        tablet.click("#attendance-save")
        expect(tablet.locator("#attendance-waiting")).to_contain_text("En attente d'envoi")
        expect(tablet.locator("#attendance-rows > li[data-status=waiting]")).to_have_count(12)
        shot(tablet, "attendance-offline-tablet-fr")
        tablet.wait_for_timeout(1500)
        assert _rows(twelve, day, starts) == []  # nothing reached the server

        context.set_offline(False)
        expect(tablet.locator("#attendance-waiting")).to_have_count(0, timeout=LIVE * 2)
        expect(other).to_have_attribute("aria-pressed", "true")  # still the sheet she took
        expect(tablet.locator("#outbox-waiting")).to_have_count(0)
        expect(tablet.locator("#attendance-rows > li[data-status=recorded]")).to_have_count(12, timeout=LIVE)
        expect(tablet.locator("#attendance-arrived")).to_contain_text("c'est enregistré")
        rows = _rows(twelve, day, starts)
        assert len(rows) == 12 and len({r.trainee_id for r in rows}) == 12
        assert [r.presence.value for r in rows].count("absent") >= 1
        # Sent once: the connection coming back again (a reload sends the outbox again) adds nothing.
        tablet.reload()
        expect(tablet.locator("#attendance-rows > li")).to_have_count(12)
        tablet.wait_for_timeout(1500)
        assert len(_rows(twelve, day, starts)) == 12
        shot(tablet, "attendance-tablet-fr")
    finally:
        context.close()


def test_in_arabic_on_a_phone(page, twelve):
    day = _sheet_day()
    _open(page, "ar", day)
    expect(page.locator("div[dir=rtl]").first).to_be_visible()
    expect(page.locator("#nav-attendance")).to_have_attribute("aria-current", "page")
    first = page.locator("#attendance-rows > li").first
    first.locator("[data-presence=late]").click()
    expect(first.locator("[data-minutes]").first).to_be_visible()
    check(page, "marc ar attendance")
    shot(page, "attendance-ar")


def test_large_text_keeps_the_sheet_inside_320_px(browser, app_url, twelve):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=app_url, locale="fr-BE")
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        day = _sheet_day()
        _open(page, "fr", day)
        page.click("#display-settings summary")
        page.click("#setting-size-xlarge")
        for locale in ("fr", "ar"):
            page.goto(f"/{locale}/attendance/")
            expect(page.locator("#attendance-rows > li")).to_have_count(12)
            page.locator("#attendance-rows > li").first.locator("[data-presence=late]").click()
            expect(page.locator("#attendance-rows > li").first.locator("[data-minutes]").first).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, locale
            shot(page, f"attendance-320-xlarge-{locale}")
    finally:
        context.close()
