"""What a second walk-through on a phone showed (360 × 740, French and Arabic): a long message is
never cut, the voice recorder's buttons are never under the tab bar, `/` opens the phone's
language even without scripts, and "Trouver de l'aide" shows its kept copy at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cisp_pwa import i18n
from cisp_pwa.services.conversations.messages import BODY_MAX

from .conftest import PHONE, shot, sign_in

pytestmark = pytest.mark.browser


TRAINEE = {"fr": "amina", "ar": "youssef"}  # whose account speaks the language


def _open_messages(page, locale: str) -> None:
    sign_in(page, TRAINEE[locale], locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    page.click("#tab-messages")
    page.wait_for_url(f"**/{locale}/messages/")
    expect(page.locator("#message-body")).to_be_visible()


def _plain(text: str) -> str:
    """Grouping spaces (narrow, no-break) as plain spaces."""
    return re.sub(r"[\u202f\u00a0]", " ", text)


# 1. A message over 2,000 characters is never cut: the counter warns, "Envoyer" says why.

@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_message_past_the_limit_is_kept_whole_and_she_is_told_why_it_cannot_go(page, locale):
    _ = i18n.gettext_for(locale)
    _open_messages(page, locale)
    thread_before = page.locator("#thread li").count()
    long_text = ("Bonjour Julie, " * 200)[: BODY_MAX + 140 - 3] + "FIN"  # the end must not be lost
    box = page.locator("#message-body")
    box.fill(long_text)  # what a paste does: the whole text, in one go
    assert box.input_value() == long_text  # nothing cut by the browser
    counter = page.locator("#message-counter")
    expect(counter).to_have_attribute("data-over", "true")
    if locale == "fr":
        assert _plain(counter.inner_text()) == "2 140 / 2 000"
    else:
        assert _plain(counter.inner_text()) == "2,140 / 2,000"
    color = counter.evaluate("e => getComputedStyle(e).color")
    assert color != page.locator("#message-body").evaluate("e => getComputedStyle(e).color")
    send = page.locator("#message-send")
    expect(send).to_be_visible()
    box_size = send.bounding_box()
    assert box_size["height"] >= 44 and box_size["width"] >= 44
    send.click()
    why = _("Votre message est trop long : enlevez %(n)s caractères, ou envoyez-le en deux fois.").replace(
        "%(n)s", "140")
    expect(page.locator("#message-error")).to_have_text(why)
    page.wait_for_timeout(300)
    _in_sight(page, "#message-error")  # said where she looks, not under the tab bar
    _screen(page, f"walk-message-too-long-screen-{locale}")
    shot(page, f"walk-message-too-long-{locale}")
    # Nothing went: not to the server, not to the outbox; her text is still all there.
    page.wait_for_timeout(1000)
    assert page.locator("#thread li").count() == thread_before
    assert page.locator("#pending-messages li").count() == 0
    assert page.evaluate("localStorage.getItem('cisp_outbox')") in (None, "[]")
    assert box.input_value() == long_text
    # Typed on past the limit too: the box takes every key.
    box.press("End")
    box.type("!!")
    assert box.input_value() == long_text + "!!"
    # Taken back under the limit, it goes whole.
    short = long_text[: BODY_MAX - 10] + "FIN"
    box.fill(short)
    expect(counter).to_have_attribute("data-over", "false")
    expect(page.locator("#message-error")).to_have_text("")
    send.click()
    expect(page.locator("#thread li").last).to_contain_text("FIN")
    assert page.locator("#thread li").last.inner_text().count("Bonjour") >= 100


def test_offline_a_message_past_the_limit_stays_in_the_box_not_in_the_outbox(page):
    _ = i18n.gettext_for("fr")
    _open_messages(page, "fr")
    page.context.set_offline(True)
    long_text = "x" * (BODY_MAX + 5)
    page.fill("#message-body", long_text)
    page.click("#message-send")
    expect(page.locator("#message-error")).to_have_text(
        _("Votre message est trop long : enlevez %(n)s caractères, ou envoyez-le en deux fois.").replace("%(n)s", "5"))
    assert page.locator("#pending-messages li").count() == 0
    assert page.locator("#message-body").input_value() == long_text
    page.context.set_offline(False)


# 2. Voice: "Parler" before the text box, as big as "Envoyer"; the recorder's buttons come into
# view above the tab bar by themselves; the offline copy says a voice message waits for internet.

def _in_sight(page, selector: str) -> None:
    """Wholly on screen, above the fixed tab bar, without the test scrolling to it."""
    bar_top = page.evaluate("document.querySelector('nav.fixed.bottom-0').getBoundingClientRect().top")
    top, bottom = page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.top, r.bottom]; }", selector)
    assert top >= 0 and bottom <= bar_top, f"{selector} at {top}-{bottom}, tab bar from {bar_top}"


def _screen(page, name: str) -> None:
    """What she sees (the viewport, not the whole page)."""
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_parler_is_found_first_and_the_recorder_never_hides_under_the_tab_bar(page, locale):
    _ = i18n.gettext_for(locale)
    _open_messages(page, locale)
    record = page.locator("#voice-record")
    expect(record).to_contain_text(_("Parler"))
    r = record.bounding_box()
    box = page.locator("#message-body").bounding_box()
    send = page.locator("#message-send").bounding_box()
    assert r["y"] + r["height"] <= box["y"]              # before the text box
    assert r["height"] >= max(44, send["height"] - 1)    # as high as "Envoyer"
    assert r["width"] >= box["width"] - 1                # as wide as the text box
    page.evaluate("window.scrollTo(0, 0)")
    record.click()
    expect(page.locator("#voice-stop")).to_be_visible()
    page.wait_for_timeout(300)
    _in_sight(page, "#voice-stop")
    _screen(page, f"walk-voice-recording-{locale}")
    page.wait_for_timeout(1500)
    page.click("#voice-stop")
    expect(page.locator("#voice-send")).to_be_visible()
    page.wait_for_timeout(300)
    for button in ("#voice-preview", "#voice-cancel", "#voice-send"):
        _in_sight(page, button)
        assert page.locator(button).bounding_box()["height"] >= 44
    _screen(page, f"walk-voice-recorded-{locale}")
    # At the very bottom of the page too, nothing of the recorder is under the tab bar.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    _in_sight(page, "#voice-recorder")
    page.click("#voice-send")
    mine = page.locator("#thread li[data-mine=true] [data-voice]").last
    expect(mine).to_be_visible()

    # Offline, her copy of the thread says plainly the voice message waits for internet.
    page.wait_for_timeout(1000)  # the copy of the screen is saved with it
    page.context.set_offline(True)
    copy = page.locator("#offline-copy")
    expect(copy).to_contain_text(_("Hors ligne"))
    later = copy.locator("[data-voice-later]").last
    expect(later).to_have_text(_("À écouter quand vous aurez internet"))
    expect(copy.locator("li").filter(has=page.locator("[data-voice-later]")).last).to_contain_text(_("Message vocal"))
    shot(page, f"walk-voice-offline-copy-{locale}")
    page.context.set_offline(False)


# 7. First screens: "/" opens the phone's language without scripts; the help shows its copy at once.

def test_the_address_alone_opens_arabic_on_a_phone_set_to_arabic_even_without_scripts(browser, app_url):
    context = browser.new_context(viewport=PHONE, base_url=app_url, locale="ar", java_script_enabled=False)
    try:
        page = context.new_page()
        answer = page.request.get("/", headers={"Accept-Language": "ar"}, max_redirects=0)
        assert answer.status == 302 and answer.headers["location"] == "/ar/"
        assert "Accept-Language" in answer.headers["vary"]
        assert answer.headers["cache-control"] == "no-store"
        page.goto("/")
        assert page.url == f"{app_url}/ar/"
        html = page.locator("html")
        expect(html).to_have_attribute("lang", "ar")
        expect(html).to_have_attribute("dir", "rtl")
        shot(page, "walk-root-no-scripts-ar")
        # q-values honoured, only the shipped languages, French by default.
        for header, locale in (("ja, ar;q=0.3, de;q=0.8", "de"), ("ja", "fr"), ("fr-BE,fr;q=0.9", "fr"),
                               ("prs", "fa")):
            answer = page.request.get("/", headers={"Accept-Language": header}, max_redirects=0)
            assert answer.headers["location"] == f"/{locale}/", header
    finally:
        context.close()
    # In French, scripts off: French.
    context = browser.new_context(viewport=PHONE, base_url=app_url, locale="fr-BE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.url == f"{app_url}/fr/"
        shot(page, "walk-root-no-scripts-fr")
    finally:
        context.close()


def test_the_language_kept_on_the_phone_wins_over_the_phones_setting(browser, app_url):
    context = browser.new_context(viewport=PHONE, base_url=app_url, locale="ar")
    try:
        page = context.new_page()
        page.goto("/")
        page.wait_for_url("**/ar/**")
        page.goto("/uk/sign-in/")  # she chose Ukrainian on this phone
        expect(page.locator("#sign-in-submit")).to_be_visible()
        page.goto("/")
        page.wait_for_url("**/uk/**")
        answer = page.request.get("/", max_redirects=0)  # the server knows it too (the cookie)
        assert answer.headers["location"] == "/uk/"
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_help_shows_the_tiles_kept_on_the_phone_at_once_then_the_fresh_ones(page, locale):
    _ = i18n.gettext_for(locale)
    held = {"on": False, "waiting": [], "sockets": []}

    def relay(ws):
        server = ws.connect_to_server()
        held["sockets"].append(ws)

        def to_page(message):
            if held["on"]:
                held["waiting"].append((ws, message))  # a slow network: the answer is late
            else:
                ws.send(message)

        ws.on_message(lambda message: server.send(message))
        server.on_message(to_page)

    page.route_web_socket("**/_event/**", relay)
    sign_in(page, TRAINEE[locale], locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    page.goto(f"/{locale}/help/")
    expect(page.locator("#help-tiles")).to_be_visible()  # seen once: kept on the phone
    page.wait_for_timeout(500)

    held["on"] = True
    page.goto(f"/{locale}/help/")
    early = page.locator("#early-copy")
    expect(early).to_be_visible()
    expect(early).to_contain_text(_("Trouver de l'aide"))
    expect(early.locator("section").first).to_be_visible()
    expect(page.get_by_text(_("Chargement…"))).to_have_count(0)
    expect(page.locator("#help-tiles")).to_have_count(0)
    shot(page, f"walk-help-early-{locale}")

    held["on"] = False  # the network answers: the fresh tiles replace the copy
    waiting, held["waiting"] = held["waiting"], []
    for ws, message in waiting:
        ws.send(message)
    expect(page.locator("#help-tiles")).to_be_visible()
    expect(page.locator("#early-copy")).to_have_count(0)
    shot(page, f"walk-help-fresh-{locale}")
