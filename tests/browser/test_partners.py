"""The partner network in the browser: a trainee finds help in her language and calls it; a coach
proposes a referral, the trainee says yes on her phone (live), the coach sets the appointment
(live on her phone); the admin's screen counts. Screenshots at 360 px in French and Arabic; axe."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from cisp_pwa.models import PartnerService
from cisp_pwa.services.infra import db

from .conftest import shot, sign_in
from .test_accessibility import check

pytestmark = pytest.mark.browser
LIVE = 10_000  # ms a test waits for a live update before it calls it failed (never a measure)

# The phone's dialer and maps app, as far as a page can tell: the link it opens, recorded
# instead of leaving the page (headless Chromium has no dialer).
STUB_EXTERNAL = """
window.__opened = [];
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="tel:"], a[href^="geo:"]');
  if (a) { window.__opened.push(a.getAttribute('href')); e.preventDefault(); }
}, true);
"""


def test_a_trainee_finds_a_housing_service_in_arabic_and_taps_call(page):
    sign_in(page, "youssef", locale="ar")
    page.wait_for_url("**/ar/my-pathway/")
    page.click("#help-link")
    page.wait_for_url("**/ar/help/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    tiles = page.locator("#help-tiles [data-category]")
    expect(tiles.first).to_be_visible()
    expect(page.locator("#help-tiles [data-category=housing]")).to_contain_text("السكن")
    shot(page, "help-tiles-ar-360")
    check(page, "youssef ar/help tiles")
    page.click("#help-tiles [data-category=housing]")
    card = page.locator("#help-services [data-service]").first
    expect(card).to_contain_text("مساعدة في إيجاد سكن")  # what they do, in her language
    expect(card.locator("[data-open]")).to_have_count(1)  # open now or closed now: hours are known
    call = card.locator("a[data-call]")
    expect(call).to_have_attribute("href", "tel:049991010")
    expect(card.locator("a[data-map=geo]")).to_have_attribute("href", re.compile(r"^geo:0,0\?q=Rue%20Saint"))
    box = call.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    shot(page, "help-housing-ar-360")
    check(page, "youssef ar/help housing")
    page.evaluate(STUB_EXTERNAL)
    call.click()
    assert page.evaluate("window.__opened") == ["tel:049991010"]
    page.click("#help-back")
    expect(tiles.first).to_be_visible()


def test_the_help_screen_in_french_at_320_px_with_large_text(page):
    page.set_viewport_size({"width": 320, "height": 700})
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    page.click("#display-settings summary")
    page.click("#setting-size-xlarge")
    page.goto("/fr/help/")
    page.click("#help-tiles [data-category=mental_health]")
    card = page.locator("#help-services [data-service]").first
    expect(card).to_contain_text("L'Escale")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing runs off the side
    shot(page, "help-mental-health-fr-320-large")


def _file_of(page, trainee: str) -> None:
    page.goto("/fr/trainees/")
    link = page.locator(f"#trainees [data-trainee='{trainee}'] [data-link=file]")
    page.goto(link.get_attribute("href"))
    expect(page.locator("#referral-new")).to_be_visible()


def test_a_coach_proposes_the_trainee_accepts_live_and_the_coach_sets_the_appointment(page, second_page):
    coach, trainee = page, second_page
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    _file_of(coach, "Amina Benali")
    sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.goto("/fr/help/")
    expect(trainee.locator("#help-tiles")).to_be_visible()
    before = trainee.locator("#referrals [data-referral]").count()

    coach.click("#referral-new")
    option = coach.locator("#referral-service option", has_text="Confluent")
    coach.select_option("#referral-service", value=option.get_attribute("value"))
    coach.fill("#referral-reason", "Pour trouver un logement plus grand près du centre.")
    coach.check("#share-note")
    coach.fill("#referral-note", "Amina cherche un deux-chambres.")
    coach.click("#referral-submit")
    row = coach.locator("#file-referrals [data-referral]").first
    expect(row).to_contain_text("Proposée")
    check(coach, "julie fr trainee file with a referral")

    card = trainee.locator("#referrals [data-referral]").first
    expect(trainee.locator("#referrals [data-referral]")).to_have_count(before + 1, timeout=LIVE)  # live
    expect(card).to_contain_text("Amina cherche un deux-chambres.")  # she sees what will be shared
    expect(card).to_contain_text("J'accepte que")
    expect(card).to_contain_text("Julie Renard")
    shot(trainee, "help-referral-proposed-fr-360")
    check(trainee, "amina fr/help referral proposed")
    card.locator("[data-accept]").click()
    expect(trainee.locator("#help-notice")).to_be_visible()
    expect(card).to_contain_text("Acceptée")
    expect(card).to_contain_text("Amina cherche un deux-chambres.")  # what the partner is told stays in sight

    expect(row).to_contain_text("Acceptée", timeout=LIVE)  # live on the coach's screen
    row.locator("[data-step=appointment]").click()
    day = date.today() + timedelta(days=5)
    coach.fill("#appointment-day", day.isoformat())
    coach.fill("#appointment-time", "10:30")
    coach.click("#step-save")
    expect(row).to_contain_text("Rendez-vous fixé")
    expect(card).to_contain_text("Rendez-vous fixé", timeout=LIVE)  # live on her phone
    expect(card).to_contain_text("10:30")
    expect(card.locator("a[data-call]")).to_have_attribute("href", "tel:081994010")
    shot(trainee, "help-referral-appointment-fr-360")
    shot(coach, "trainee-file-referral-fr-360")

    # She may take her yes back at any time: the coach's buttons go.
    card.locator("[data-withdraw]").click()
    trainee.click("#withdraw-confirm")
    expect(card).to_contain_text("Accord retiré")
    expect(row).to_contain_text("Accord retiré", timeout=LIVE)
    expect(row.locator("[data-step]")).to_have_count(0)


def test_the_same_in_arabic_on_her_phone(page, second_page):
    """Youssef (Arabic) reads his coach's proposal in Arabic, and says no."""
    coach, trainee = page, second_page
    sign_in(coach, "luc")
    coach.wait_for_url("**/fr/trainees/")
    _file_of(coach, "Youssef El Amrani")
    coach.click("#referral-new")
    option = coach.locator("#referral-service option", has_text="Budget Clair")
    coach.select_option("#referral-service", value=option.get_attribute("value"))
    coach.fill("#referral-reason", "Pour faire un budget ensemble.")
    coach.click("#referral-submit")
    sign_in(trainee, "youssef", locale="ar")
    trainee.wait_for_url("**/ar/my-pathway/")
    waiting = trainee.locator("#next-steps a[href='/ar/help/']")  # her home says an answer is awaited
    expect(waiting).to_contain_text("ينتظر ردك")
    waiting.click()
    trainee.wait_for_url("**/ar/help/")
    card = trainee.locator("#referrals [data-referral]").first
    expect(card).to_contain_text("أوافق على أن يوجّهني")
    expect(card).to_contain_text("Luc Janssens")
    expect(card).to_contain_text("لن يخبرهم")  # nothing shared
    shot(trainee, "help-referral-proposed-ar-360")
    check(trainee, "youssef ar/help referral proposed")
    card.locator("[data-refuse]").click()
    expect(card).to_contain_text("مرفوض")
    coach.goto(coach.url.replace("/fr/", "/ar/"))  # the coach's file in Arabic too
    row = coach.locator("#file-referrals [data-referral]").first
    expect(row).to_contain_text("مرفوض")
    expect(row.locator("[data-step]")).to_have_count(0)  # a no ends it: nothing more to do
    shot(coach, "trainee-file-referral-ar-360")
    check(coach, "luc ar trainee file with a refused referral")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_admin_sees_counts_and_the_regions_services(page, app_db, locale):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "sophie")
    page.wait_for_url("**/fr/centre/")
    page.goto(f"/{locale}/partners/")
    expect(page.locator("#partner-rows [data-partner]").first).to_be_visible()
    expect(page.locator("#referral-counts [data-status]")).to_have_count(8)
    shot(page, f"partners-admin-{locale}-1280")
    check(page, f"sophie {locale}/partners")
    page.click("#partner-new")
    page.fill("#partner-name", "Crèche Les Lutins")
    page.fill("#partner-code", f"creche-les-lutins-{locale}")
    page.select_option("#partner-category", "childcare")
    page.fill("#partner-description", "Garde d'enfants pendant la formation.")
    page.fill("#partner-hours", "lundi 9h")
    page.click("#partner-save")
    expect(page.locator("#partner-form-error")).to_contain_text("9h")  # which part, and an example
    check(page, f"sophie {locale}/partners form error")
    page.fill("#partner-hours", "mo-fr 07:30-18:00")
    page.click("#partner-translations")  # the description in other languages, on the same form
    page.fill("#partner-description-nl", "Kinderopvang tijdens de opleiding.")
    shot(page, f"partners-admin-form-{locale}-1280")
    page.set_viewport_size({"width": 360, "height": 740})  # the same form on a phone
    page.locator("#partner-description-nl").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth <= 360")
    page.screenshot(path=str(shot(page, f"partners-admin-form-{locale}-360")).replace(".png", "-viewport.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    check(page, f"sophie {locale}/partners form with its translations")
    page.click("#partner-save")
    expect(page.locator("#partner-save")).to_have_count(0)  # saved: the form closes
    expect(page.locator("#partner-rows")).to_contain_text("Crèche Les Lutins")
    with db.reading() as s:
        texts = s.scalar(select(PartnerService.description).where(PartnerService.code == f"creche-les-lutins-{locale}"))
    assert (texts[locale], texts["nl"]) == ("Garde d'enfants pendant la formation.", "Kinderopvang tijdens de opleiding.")
    assert texts["de"] == texts[locale]  # not translated yet: her text stands in (services/help/partners.save_service)
    if locale == "fr":  # once is enough: the service is made; the Arabic run finds it there
        page.set_viewport_size({"width": 360, "height": 740})
        shot(page, "partners-admin-fr-360")


def test_offline_the_help_screen_opens_from_the_phone_with_its_call_buttons(page):
    from .test_offline import _controlled

    sign_in(page, "fatou")
    page.wait_for_url("**/fr/my-pathway/")
    _controlled(page)
    page.click("#help-link")
    page.wait_for_url("**/fr/help/")
    expect(page.locator("#help-tiles")).to_be_visible()
    expect(page.locator("#offline-copy")).to_have_count(0)
    page.context.set_offline(True)
    page.reload()  # no network: the copy kept on the phone
    copy = page.locator("#offline-copy")
    expect(copy).to_contain_text("Hors ligne")
    expect(copy).to_contain_text("Agence immobilière sociale Confluent")
    expect(copy.locator("a[href='tel:081994010']")).to_have_count(1)  # calling needs no data
    shot(page, "offline-help-fr-360")
    page.context.set_offline(False)


def test_open_now_turns_to_closed_at_closing_time_on_an_open_screen(page, app_db):
    """No event comes when a service closes: the screen wakes at that minute by itself."""
    from datetime import datetime

    from cisp_pwa.services.infra import events
    from cisp_pwa.services.help.opening_hours import BRUSSELS

    now = datetime.now(BRUSSELS)
    closing = (now + timedelta(seconds=80 if now.second > 40 else 60)).replace(second=0)
    end = "24:00" if closing.date() != now.date() else closing.strftime("%H:%M")
    with db.unit_of_work() as s:
        service = s.scalar(select(PartnerService).where(PartnerService.code == "ais-confluent"))
        service_id, hours = service.id, service.hours
        service.hours = f"mo-su 00:00-{end}; ph 00:00-{end}"  # open even on a public holiday
        events.nobody(s)  # on purpose: nothing tells the screen, the clock does
    try:
        sign_in(page, "amina")
        page.wait_for_url("**/fr/my-pathway/")
        page.goto("/fr/help/")
        page.click("#help-tiles [data-category=housing]")
        card = page.locator(f"#help-services [data-service='{service_id}']")
        expect(card.locator("[data-open=open]")).to_have_text("Ouvert maintenant")
        expect(card.locator("[data-open=closed]")).to_have_text("Fermé maintenant", timeout=120_000)
    finally:
        with db.unit_of_work() as s:
            s.get(PartnerService, service_id).hours = hours
            events.nobody(s)
