"""Présences: the trainer takes a group of twelve in a few taps, on a phone and on the centre's
tablet with no network (the sheet waits there and is written once when the network is back); a
trainee's notice shows on the open screen as she sends it.

The app runs on the real clock: the demo group is given a session every day of the week, twice
(the test's day is whatever day it is), and the sheet is the day's, or the last day before it
that is not a public holiday.

Her notice is sent here, through the service, as her phone's screen would: so that its event
reaches the app's open screens, this module's app is served with Redis (as several workers are in
production), and this process publishes on the same Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from cisp_pwa import demo, settings
from cisp_pwa.models import Attendance, TrainingGroup, User
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.help.opening_hours import is_public_holiday
from cisp_pwa.services.hours import groups, ledger, notices, timetable
from cisp_pwa.services.infra import bus, db
from cisp_pwa.services.people import centre_admin

from . import conftest
from .conftest import shot, sign_in
from .test_accessibility import check

pytestmark = pytest.mark.browser
LIVE = 10_000  # ms a test waits for a live update before it calls it failed (never a measure)
TABLET = {"width": 800, "height": 1280}
NEW_TRAINEES = ["Nadia Amrani", "Olivier Petit", "Samira El Idrissi", "Jonathan Lemaire", "Aïcha Bah",
                "Dimitri Popescu", "Grace Mukendi", "Hugo Lambert", "Leila Haddad"]
EVERY_DAY = [{"weekday": d, "starts": starts, "ends": ends}
             for d in range(7) for starts, ends in (("08:00", "12:00"), ("13:00", "23:59"))]


# Its own Redis database and port (the other browser tests' app keeps its own, without Redis).
REDIS_URL = os.environ.get("CISP_TEST_ATTENDANCE_REDIS_URL", "redis://127.0.0.1:6379/10")
PORT = conftest.PORT + 1


@pytest.fixture(scope="module")
def app_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("attendance-app")


@pytest.fixture(scope="module")
def app_url(app_data_dir):
    """The app as conftest.app_url serves it (production build, a fresh demo database), with Redis
    (one worker), its own build folder and port; this process publishes on the same Redis."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.RedisError as exc:
        conftest.unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    env = {**os.environ, "CISP_DATA_DIR": str(app_data_dir), "CISP_PORT": str(PORT),
           "CISP_PUBLIC_URL": f"http://127.0.0.1:{PORT}", "CISP_DEMO": "1", "REDIS_URL": REDIS_URL,
           "GRANIAN_WORKERS": "1", "REFLEX_WEB_WORKDIR": str(app_data_dir / "web"),
           "REFLEX_STATES_WORKDIR": str(app_data_dir / "states")}
    env.pop("DATABASE_URL", None)
    env["PATH"] = os.pathsep.join([str(settings.PROJECT_DIR / ".tools" / "node_modules" / ".bin"),
                                   str(Path(sys.executable).parent), env.get("PATH", "")])
    subprocess.run([sys.executable, "-m", "cisp_pwa.cli", "setup"], env=env, check=True,
                   cwd=settings.PROJECT_DIR, capture_output=True)
    log_path = app_data_dir / "app.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod"], cwd=settings.PROJECT_DIR,
                                  env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{PORT}"
    served = conftest._served.get("db")
    conftest._served["db"] = app_data_dir / "cisp.db"  # sign_in's second factor reads it
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDIS_URL", REDIS_URL)
        bus.reset()
        try:
            deadline = time.monotonic() + 600
            while not (conftest._get(f"{base}/ping") == 200 and conftest._get(f"{base}/fr/sign-in/") == 200):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the app did not start:\n" + log_path.read_text(errors="replace")[-4000:])
                time.sleep(1)
            yield base
        finally:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(server.pid, signal.SIGKILL)
            bus.reset()
            if served is not None:
                conftest._served["db"] = served


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


def _sheet_day() -> date:
    """Today, or the last day before that is not a public holiday (no session on one)."""
    day = timetable.today()
    while is_public_holiday(day):
        day -= timedelta(days=1)
    return day


def _notice_day() -> date:
    """Today, or the first day after that is not a public holiday (she announces from today on)."""
    day = timetable.today()
    while is_public_holiday(day):
        day += timedelta(days=1)
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


def test_the_trainer_takes_twelve_in_a_few_taps_and_a_notice_shows_live(page, twelve):
    day = _sheet_day()
    _open(page, "fr", day)
    starts = page.locator("#attendance-sessions [aria-pressed=true]").get_attribute("data-starts")
    assert _rows(twelve, day, starts) == []
    page.evaluate("window.__stillTheSamePage = true")

    # Amina says on her phone she will be absent, ill: her row says so at once, and is chosen.
    notice_day = _notice_day()
    notices.announce(_actor("amina"), notice_day, "absent", "sick")
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
