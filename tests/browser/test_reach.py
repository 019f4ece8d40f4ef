"""Reaching every trainee: read-aloud in the screen's language, text size, every language
rendered (no raw message ids), right-to-left where it should be."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from cisp_pwa import i18n

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def amina_in_french(app_db):
    """Opening /<locale>/ pages keeps that language on her account: she starts, and is left, in
    French. A test that opened pages in another language waits (`_kept`) until the server has
    handled its last page's load, so that no late load changes her language after this."""
    from cisp_pwa.services.people import accounts
    from tests.services.helpers import actor

    accounts.set_locale(actor("amina"), "fr")
    yield
    accounts.set_locale(actor("amina"), "fr")


def _kept(login: str, locale: str) -> None:
    from tests.services.helpers import actor

    deadline = time.monotonic() + 20
    while actor(login).locale != locale:
        assert time.monotonic() < deadline, f"the server never handled the last {locale} page's load"
        time.sleep(0.1)

# Headless Chromium here has no speech engine: this stands in for the phone's voices and records
# what the page asks it to say. The page's own code (voice choice, lang, message) runs unchanged.
FAKE_VOICES = """
window.__spoken = [];
const voices = [{lang: 'fr-BE', name: 'fr'}, {lang: 'ar-SA', name: 'ar'}, {lang: 'uk-UA', name: 'uk'}];
speechSynthesis.getVoices = () => voices;
speechSynthesis.speak = (u) => window.__spoken.push({text: u.text, lang: u.lang});
"""


@pytest.mark.parametrize("locale", ["fr", "ar", "uk"])
def test_read_aloud_speaks_in_the_screens_language(page, locale):
    page.add_init_script(FAKE_VOICES)
    sign_in(page, "amina")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto(f"/{locale}/skills/")
    expect(page.locator("#skill-areas")).to_be_visible()
    first_skill = page.locator("#skill-areas li").first
    label = first_skill.locator("p").first.inner_text()
    first_skill.locator("[data-read-aloud=button]").click()
    page.wait_for_function("window.__spoken.length > 0")
    spoken = page.evaluate("window.__spoken")
    assert spoken == [{"text": label, "lang": locale}]


def test_without_a_voice_the_button_says_so(page):
    sign_in(page, "amina")  # this machine's Chromium has no voice at all: the real case
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto("/fa/skills/")
    expect(page.locator("#skill-areas")).to_be_visible()
    page.locator("#skill-areas [data-read-aloud=button]").first.click()
    expect(page.locator("[data-read-aloud=status]").first).to_have_text(
        i18n.gettext_for("fa")("Ce téléphone n'a pas de voix pour cette langue."))


def test_the_listen_buttons_can_be_turned_off(page):
    sign_in(page, "amina")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.goto("/fr/goals/")
    expect(page.locator("#goal-groups [data-read-aloud=button]").first).to_be_visible()
    page.click("#display-settings summary")
    page.click("#setting-listen-off")
    expect(page.locator("#goal-groups [data-read-aloud=button]").first).to_be_hidden()
    page.reload()  # kept on the phone, applied before the first paint
    expect(page.locator("#goal-groups")).to_be_visible()
    expect(page.locator("#goal-groups [data-read-aloud=button]").first).to_be_hidden()
    assert page.evaluate("document.documentElement.dataset.readAloud") == "off"


@pytest.mark.parametrize("size", ["large", "xlarge"])
def test_large_text_keeps_every_trainee_screen_inside_320_px(browser, app_url, size):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=app_url)
    page = context.new_page()
    sign_in(page, "amina")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.click("#display-settings summary")
    page.click(f"#setting-size-{size}")
    root_px = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root_px == {"large": 18, "xlarge": 20}[size]
    for locale in ("fr", "ar"):
        for tab, selector in (("my-pathway", "#goals"), ("goals", "#goal-groups"), ("skills", "#skill-areas"),
                              ("messages", "#message-body")):
            page.goto(f"/{locale}/{tab}/")
            expect(page.locator(selector)).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, (size, locale, tab)
    context.close()


@pytest.mark.parametrize("locale", [loc for loc in i18n.LOCALES if loc != i18n.DEFAULT_LOCALE])
def test_every_language_renders_its_own_words(page, locale, amina_in_french):
    """No screen shows a raw message id (the French source) in another language."""
    _ = i18n.gettext_for(locale)
    sign_in(page, "amina")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    for tab, heading in (("my-pathway", "Mon parcours"), ("goals", "Mes objectifs"),
                         ("skills", "Mes compétences"), ("messages", "Mes messages")):
        page.goto(f"/{locale}/{tab}/")
        expect(page.locator("html")).to_have_attribute("lang", locale)
        expect(page.locator("html")).to_have_attribute("dir", i18n.direction(locale))
        expect(page.locator("h1")).to_have_text(_(heading))
        assert _(heading) != heading
        body = page.locator("main").inner_text()
        for french in ("Mes objectifs", "À faire maintenant", "Proposer un objectif", "Votre message"):
            assert french not in body, (locale, tab, french)
        if locale in ("ar", "fa", "uk"):
            shot(page, f"{tab}-{locale}-360")
    _kept("amina", locale)


def test_sign_in_and_move_around_with_the_keyboard_only(page, amina_in_french):
    page.goto("/fr/sign-in/")
    expect(page.locator("#sign-in-submit")).to_be_enabled()  # the page's code runs: Enter signs in
    page.focus("#login")
    page.keyboard.type("amina")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("parcours-amina")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/my-pathway/")
    expect(page.locator("#goals")).to_be_visible()
    # Tab until the Objectifs tab has the focus: it is reachable, and the focus can be seen.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "tab-goals":
            break
    else:
        pytest.fail("the Objectifs tab never got the keyboard focus")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/goals/")
    expect(page.locator("h1")).to_have_text("Mes objectifs")
