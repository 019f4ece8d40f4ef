"""The admin's Heures screen in the browser, on a 360 px phone: sophie imports a timetable file (a
broken one first: it says where, and changes nothing), closes a day, sets the rates, and downloads
the last month's CSV with the session; her trainees' certificates; the screen in Arabic; axe."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import yaml
from playwright.sync_api import expect
from sqlalchemy import select

from cisp_pwa.models import TrainingGroup
from cisp_pwa.services.hours import ledger, months, timetable, timetable_file
from cisp_pwa.services.infra import db
from tests.services.helpers import actor, user_id

from .conftest import shot, sign_in, switch_language
from .test_accessibility import check

pytestmark = pytest.mark.browser


def _fle() -> TrainingGroup:
    with db.reading() as s:
        group = s.scalar(select(TrainingGroup).where(TrainingGroup.code == "fle-alpha-1"))
        s.expunge_all()
        return group


def _amina_came_last_month() -> timetable.TrainingSession:
    """Marc marks amina present at the first morning session of last month (the app runs on the
    real clock); that month's figures are then this one session."""
    first = timetable.today().replace(day=1) - timedelta(days=1)
    first = first.replace(day=1)
    group = _fle()
    with db.reading() as s:
        session = next(x for x in timetable.sessions(s, group, first, first + timedelta(days=27))
                       if x.starts == "09:00")
    ledger.take(actor("marc"), group.id, session.day, session.starts,
                [{"trainee": user_id("amina"), "presence": "present"}])
    return session


def _timetable_file(tmp_path, broken: bool = False):
    """The centre's file with a new group (fatou's kitchen workshop, Tuesday afternoon)."""
    data = yaml.safe_load(timetable_file.export_timetable(actor("sophie"))[1])
    data["groups"] = [g for g in data["groups"] if g["code"] != "atelier-cuisine"]
    data["groups"].append({"code": "atelier-cuisine", "name": "Atelier cuisine", "pathway": "eft-commis-cuisine",
                           "members": ["fatou", "quelqu-un" if broken else "amina"],
                           "half_days": [{"weekday": "tu", "starts": "13:30", "ends": "16:30"}]})
    path = tmp_path / ("horaires-faux.yaml" if broken else "horaires.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_sophie_imports_the_timetable_closes_a_day_sets_the_rates_and_downloads_the_month(page, app_db, tmp_path):
    months.set_rates(actor("sophie"), 100, 0)  # as a new centre starts
    session = _amina_came_last_month()
    sign_in(page, "sophie")
    page.wait_for_url("**/fr/centre/")
    page.click("#hours-link")
    page.wait_for_url("**/fr/hours/")
    expect(page.locator("#hours-groups [data-group=fle-alpha-1]")).to_contain_text("FLE Alpha 1")
    expect(page.locator("#hours-groups [data-group=fle-alpha-1]")).to_contain_text("13:30–16:00")
    check(page, "sophie fr/hours")
    shot(page, "hours-admin-fr-360")

    # A file with a login of nobody: it says where, and nothing changes.
    page.locator("#timetable-file input[type=file]").set_input_files(str(_timetable_file(tmp_path, broken=True)))
    alert = page.locator("#timetable-import-error[role=alert]")
    expect(alert).to_contain_text("Ce fichier a une erreur. Rien n'a été changé.")
    expect(alert).to_contain_text("« Atelier cuisine »")
    expect(alert).to_contain_text("« quelqu-un »")
    expect(page.locator("#hours-groups [data-group=atelier-cuisine]")).to_have_count(0)
    check(page, "sophie fr/hours a broken file")
    shot(page, "hours-admin-import-error-fr-360")
    page.locator("#timetable-file input[type=file]").set_input_files(str(_timetable_file(tmp_path)))
    expect(page.locator("#timetable-import-notice")).to_be_visible()
    expect(page.locator("#timetable-import-error")).to_have_count(0)
    workshop = page.locator("#hours-groups [data-group=atelier-cuisine]")
    expect(workshop).to_contain_text("Atelier cuisine")
    expect(workshop).to_contain_text("2")  # fatou and amina
    expect(workshop).to_contain_text("mardi")

    # A closed day, two weeks from now.
    day = timetable.today() + timedelta(days=14)
    page.fill("#closure-day", day.isoformat())
    page.fill("#closure-label", "Journée pédagogique")
    page.click("#closure-add")
    closed = page.locator(f"#closures [data-closure='{day.isoformat()}']")
    expect(closed).to_contain_text("Journée pédagogique")
    expect(page.locator("#hours-notice-closure")).to_contain_text("Ce jour est fermé.")

    # The rates: a wrong amount is refused, then 1,10 € an hour and 3,50 € a day.
    page.fill("#rate-allowance", "un euro")
    page.click("#rates-save")
    expect(page.locator("#rates-error")).to_contain_text("1,10")
    page.fill("#rate-allowance", "1,10")
    page.fill("#rate-travel", "3,50")
    page.click("#rates-save")
    expect(page.locator("#hours-notice-rates")).to_contain_text("Les montants sont enregistrés.")
    expect(page.locator("#rate-travel")).to_have_value("3,50")

    # Last month's CSV of the demo group: amina's morning, at the new rates.
    month = ledger.month_of(session.day)
    expect(page.locator("#hours-month")).to_have_value(month)
    page.select_option("#hours-group", value=str(_fle().id))
    button = page.locator("#hours-csv")
    assert button.bounding_box()["height"] >= 44
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"heures-fle-alpha-1-{month}.csv"
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Mois", "Groupe", "Stagiaire", "Heures sur place"]
    amina = next(r for r in rows if r[2] == "Amina Benali")
    # 3 h 30 on site on 1 day: 3,5 x 1,10 = 3,85 €; 1 x 3,50 €.
    assert amina[3:7] == ["3,50", "0,00", "0,00", "3,50"] and amina[-4:-1] == ["1", "3,85", "3,50"]

    # Her certificate for that month, from the list below.
    with page.expect_download() as info:
        page.click(f"#attestation-month-{user_id('amina')}")
    assert info.value.suggested_filename == f"attestation-amina-benali-{month}.pdf"
    assert info.value.path().read_bytes().startswith(b"%PDF")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing runs off the side
    check(page, "sophie fr/hours after the changes")
    shot(page, "hours-admin-done-fr-360")

    # In Arabic: the same screen, right to left.
    switch_language(page, "ar")
    page.wait_for_url("**/ar/hours/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#hours-groups [data-group=atelier-cuisine]")).to_be_visible()
    page.click("#month-close")
    expect(page.locator("#month-close-ask")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check(page, "sophie ar/hours")
    shot(page, "hours-admin-ar-360")
    page.click("#month-close-cancel")
    expect(page.locator("#month-close-ask")).to_have_count(0)
    switch_language(page, "fr")
    page.wait_for_url("**/fr/hours/")

    # Closing a month, with its confirm step: the oldest month shown (no other test writes there).
    oldest = page.locator("#hours-month option").last.get_attribute("value")
    page.select_option("#hours-month", value=oldest)
    page.click("#month-close")
    page.click("#month-close-confirm")
    expect(page.locator("#month-closed")).to_be_visible()
    expect(page.locator("#hours-notice-month")).to_contain_text("Le mois est clôturé.")
    expect(page.locator("#hours-month option").last).to_contain_text("clôturé")
    expect(page.locator("#month-close")).to_have_count(0)


def test_a_trainer_is_sent_to_his_own_screen(page):
    sign_in(page, "marc")
    page.wait_for_url("**/fr/validations/")
    page.goto("/fr/hours/")
    page.wait_for_url("**/fr/validations/")
