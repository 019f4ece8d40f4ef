"""Installable, and opens without network in the language kept on the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cisp_pwa import i18n

from .conftest import CHROMIUM, CHROMIUM_ARGS, shot, sign_in

pytestmark = pytest.mark.browser


def test_chromium_finds_nothing_against_installing(browser, app_url, tmp_path):
    # A normal profile: Chromium never offers to install from an incognito-like context.
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=app_url)
    try:
        page = context.new_page()
        page.goto("/fr/sign-in/")
        expect(page.locator("#sign-in-submit")).to_be_visible()
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        page.goto("/ar/sign-in/")  # installed from an Arabic screen, the app starts in Arabic
        expect(page.locator("#sign-in-submit")).to_be_visible()
        app = cdp.send("Page.getAppManifest")
        assert app["url"].endswith("/manifest-ar.webmanifest") and not app["errors"]
        assert app["manifest"]["startUrl"].endswith("/ar/")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_offline_the_app_opens_on_the_offline_screen_in_the_kept_language(page):
    page.goto("/ar/sign-in/")  # the language is kept on the phone
    expect(page.locator("#sign-in-submit")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # The worker keeps this language's trainee screens in the background: on a busy machine
    # (or a slow phone) that takes a while; offline before then, there is nothing to show.
    page.wait_for_function("async () => !!(await caches.match('/ar/goals/'))", timeout=60_000)
    page.context.set_offline(True)
    page.goto("/ar/validations/")  # a staff screen, never opened on this phone: the offline screen
    expect(page.locator("#offline-title")).to_have_text(i18n.gettext_for("ar")("Pas de connexion internet"))
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    page.goto("/ar/goals/")  # a trainee screen, kept for this language: it opens, and says why it is empty
    expect(page.locator("#offline-copy")).to_contain_text(i18n.gettext_for("ar")(
        "Pas de connexion. Cet écran n'a pas encore été gardé sur ce téléphone."))
    page.goto("/ar/sign-in/")  # already seen: its copy opens
    expect(page.locator("#sign-in-submit")).to_be_visible()
    page.context.set_offline(False)
    cached = page.evaluate("""async () => {
        const keys = [];
        for (const name of await caches.keys())
            for (const request of await (await caches.open(name)).keys()) keys.push(new URL(request.url).pathname);
        return keys;
    }""")
    assert not [k for k in cached if k.startswith(("/_event", "/_upload", "/ping", "/_health"))]


IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def test_the_home_offers_to_install_with_the_browsers_own_prompt(browser, app_url, tmp_path):
    # A normal profile, where Chromium fires its install event (engagement checks bypassed).
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, viewport={"width": 360, "height": 740},
        args=CHROMIUM_ARGS + ["--bypass-app-banner-engagement-checks"], base_url=app_url)
    try:
        page = context.new_page()
        sign_in(page, "amina")
        page.wait_for_url("**/fr/my-pathway/")
        card = page.locator("#install-card")
        expect(card).to_contain_text("Installer l'application")
        expect(card.locator("#install-app")).to_have_text("Installer")
        shot(page, "install-card-fr")
        card.locator("#install-dismiss").click()  # "Non merci": never again on this phone
        expect(card).to_have_count(0)
        page.reload()
        expect(page.locator("#greeting")).to_be_visible()
        page.wait_for_function("window.cispInstallEvent != null")
        expect(page.locator("#install-card")).to_have_count(0)
    finally:
        context.close()


def test_on_an_iphone_plain_instructions_and_only_the_first_times(browser, app_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=app_url,
                                  user_agent=IPHONE_SAFARI, locale="fr-BE")
    try:
        page = context.new_page()
        sign_in(page, "amina", locale="ar")
        page.wait_for_url("**/fr/my-pathway/")
        page.goto("/ar/my-pathway/")
        card = page.locator("#install-card")
        expect(card).to_contain_text(i18n.gettext_for("ar")("Installer l'application"))
        expect(card.locator("#install-app")).to_have_count(0)  # no install event on an iPhone
        expect(card).to_contain_text(i18n.gettext_for("ar")(
            "Sur iPhone : touchez le bouton Partager, puis « Sur l'écran d'accueil »."))
        shot(page, "install-iphone-ar")
        for _ in range(2):  # shown on three openings of the home, then not any more
            page.reload()
            expect(page.locator("#install-card")).to_be_visible()
        page.reload()
        expect(page.locator("#greeting")).to_be_visible()
        expect(page.locator("#install-card")).to_have_count(0)
    finally:
        context.close()


def test_a_new_version_replaces_the_old_files_whole(page):
    page.goto("/fr/sign-in/")
    expect(page.locator("#sign-in-submit")).to_be_visible()
    first = page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)")
    assert "/sw.js?v=" in first
    page.wait_for_function("caches.keys().then((k) => k.length === 1)")
    old_cache, = page.evaluate("caches.keys()")
    # What a deployment does: the page names a worker of another version.
    page.evaluate("navigator.serviceWorker.register('/sw.js?v=next-version')")
    page.wait_for_function("navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL.endsWith('v=next-version')")
    # Only the new version's files stay, whatever the old worker was still doing.
    page.wait_for_function("caches.keys().then((k) => k.length === 1 && k[0] === 'cisp-shell-3-next-version')")
    page.reload()  # this page names its own version again: one more clean switch
    expect(page.locator("#sign-in-submit")).to_be_visible()
    page.wait_for_function(f"caches.keys().then((k) => k.length === 1 && k[0] === {old_cache!r})")
