"""Installable, and opens without network in the language kept on the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cisp_pwa import i18n

from .conftest import CHROMIUM, CHROMIUM_ARGS

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
    finally:
        context.close()


def test_offline_the_app_opens_on_the_offline_screen_in_the_kept_language(page):
    page.goto("/ar/sign-in/")  # the language is kept on the phone
    expect(page.locator("#sign-in-submit")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.goto("/ar/goals/")  # never opened on this phone: the offline screen
    expect(page.locator("#offline-title")).to_have_text(i18n.gettext_for("ar")("Pas de connexion internet"))
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
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
