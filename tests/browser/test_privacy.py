"""Her data in her hands (Mes données) and the admin's erasure, in the browser."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, shot, sign_in, switch_language

pytestmark = pytest.mark.browser


def test_the_trainee_reads_what_is_kept_downloads_her_file_and_sees_who_opened_it(page, second_page, app_db):
    from tests.services.helpers import actor

    amina = actor("amina")
    sign_in(second_page, "julie")  # her coach opens her messages: it leaves a trace she can see
    second_page.wait_for_url("**/fr/trainees/")
    second_page.goto(f"/fr/conversation/?trainee={amina.id}")
    expect(second_page.locator("#message-body")).to_be_visible()
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    link = page.locator("#my-data-link")
    assert link.bounding_box()["height"] >= 44
    link.click()
    page.wait_for_url("**/fr/my-data/")
    expect(page.locator("h1")).to_have_text("Mes données")
    expect(page.locator("#viewings li").first).to_contain_text("Julie")
    expect(page.locator("#viewings li").first).to_contain_text("Accompagnateur ou accompagnatrice")
    expect(page.locator("#viewings li").first).to_contain_text("vos messages")
    for button in ("#download-page", "#download-file"):
        box = page.locator(button).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    shot(page, "my-data-fr-360")
    page.locator("#download-page").locator("xpath=../..").screenshot(
        path=str(SCREENSHOTS / "my-data-downloads-fr-360.png"))

    with page.expect_download() as info:
        page.click("#download-file")
    download = info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(open(download.path(), encoding="utf-8").read())
    bodies = [m["body"] for m in data["tables"]["message"]]
    assert bodies and {m["sender_id"] for m in data["tables"]["message"]} >= {amina.id, actor("julie").id}
    assert "password_hash" not in data["tables"]["app_user"][0]

    with page.expect_download() as info:
        page.click("#download-page")
    readable = open(info.value.path(), encoding="utf-8").read()
    assert info.value.suggested_filename.endswith(".html") and "Qui a ouvert mon dossier" in readable

    switch_language(page, "ar")
    page.wait_for_url(re.compile(r".*/ar/my-data/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#download-file")).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    shot(page, "my-data-ar-360")
    with page.expect_download() as info:
        page.click("#download-page")
    assert 'dir="rtl"' in open(info.value.path(), encoding="utf-8").read()
    switch_language(page, "fr")
    page.wait_for_url(re.compile(r".*/fr/my-data/"))


def test_the_admin_erases_a_trainee_who_then_shows_as_anonymous(page, app_db):
    from cisp_pwa.services.conversations import messages
    from cisp_pwa.services.people import centre_admin
    from tests.services.helpers import actor

    trainee_id = centre_admin.create_account(actor("sophie"), role="trainee", display_name="Léa Vandamme",
                                             login="lea-efface")
    centre_admin.set_assignment(actor("sophie"), trainee_id, actor("julie").id, True)
    messages.send_message(actor("julie"), trainee_id, "erase-test-1", "Bienvenue Léa")
    sign_in(page, "sophie")
    page.wait_for_url("**/fr/centre/")
    row = page.locator("#accounts [data-login=lea-efface]")
    row.get_by_role("button", name="Gérer").click()
    expect(page.locator("#trainee-setup")).to_contain_text("Léa Vandamme")
    page.click("#erase-start")
    page.click("#erase-confirm")  # no reason chosen: refused, said beside the button
    expect(page.locator("#erase-error")).to_have_text("Choisissez une raison.")
    page.click("label:has(#erase-reason-asked_by_trainee)")
    expect(page.locator("#erase-reason-asked_by_trainee")).to_be_checked()
    page.locator("#erase-panel").scroll_into_view_if_needed()
    shot(page, "centre-erase-fr-360")
    page.locator("#trainee-setup").screenshot(path=str(SCREENSHOTS / "centre-erase-panel-fr-360.png"))
    assert page.locator("#erase-confirm").bounding_box()["height"] >= 44
    page.click("#erase-confirm")
    expect(page.locator("#admin-notice")).to_have_text("Les données sont effacées. Le compte est anonyme.")
    row = page.locator(f"#accounts [data-login=anonyme-{trainee_id}]")
    expect(row).to_contain_text("Anonyme")
    expect(row).to_contain_text("données effacées")
    expect(row.get_by_role("button")).to_have_count(0)  # neither managed nor reactivated
    expect(page.locator("#accounts")).not_to_contain_text("Léa Vandamme")
    expect(page.locator("#trainee-setup")).to_have_count(0)


def test_she_takes_her_yes_back_from_my_data_and_her_coach_sees_it_live(page, second_page, app_db):
    trainee, coach = page, second_page
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    card = coach.locator("#trainees [data-trainee='Kevin Maes']")
    expect(card).to_be_visible()
    expect(card.locator("[data-terms-withdrawn]")).to_have_count(0)
    sign_in(trainee, "kevin")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.goto("/fr/my-data/")
    trainee.click("#withdraw-open")
    # What follows is said before anything changes: what stops, who is told, what is kept and
    # how long, how to have it erased sooner, that she may say yes again.
    expect(trainee.locator("#withdraw-follows li")).to_have_count(5)
    expect(trainee.locator("#withdraw-follows")).to_contain_text("24 mois")
    expect(trainee.locator("#withdraw-follows [data-read-aloud=button]")).to_have_count(5)
    for button in ("#withdraw-confirm", "#withdraw-keep"):
        assert trainee.locator(button).bounding_box()["height"] >= 44
    shot(trainee, "my-data-withdraw-fr-360")
    trainee.click("#withdraw-keep")  # changing her mind costs nothing
    expect(trainee.locator("#withdraw-follows")).to_have_count(0)

    switch_language(trainee, "ar")
    trainee.wait_for_url(re.compile(r".*/ar/my-data/"))
    trainee.click("#withdraw-open")
    expect(trainee.locator("#withdraw-follows li")).to_have_count(5)
    trainee.wait_for_timeout(300)
    assert trainee.evaluate("document.documentElement.scrollWidth") <= 360
    shot(trainee, "my-data-withdraw-ar-360")
    switch_language(trainee, "fr")
    trainee.wait_for_url(re.compile(r".*/fr/my-data/"))

    trainee.click("#withdraw-open")
    trainee.click("#withdraw-confirm")
    trainee.wait_for_url(re.compile(r".*/fr/consent/\?next=.*my-data.*"))
    # Her coach's open list says so, without a reload.
    expect(card.locator("[data-terms-withdrawn]")).to_be_visible(timeout=15_000)
    shot(coach, "coach-terms-withdrawn-fr-360")
    trainee.goto("/fr/goals/")  # nothing opens until she says yes again
    trainee.wait_for_url(re.compile(r".*/fr/consent/\?next=.*"))
    for _ in range(3):
        trainee.click("#consent-next")
    trainee.click("#consent-accept")
    trainee.wait_for_url("**/fr/goals/")
    expect(card.locator("[data-terms-withdrawn]")).to_have_count(0, timeout=15_000)
