"""The offline screen is generated from the catalogs: it must match them."""

from __future__ import annotations

import json

import pytest

from cisp_pwa import i18n, pwa, settings


def test_the_offline_page_is_up_to_date():
    assert pwa.OFFLINE_PAGE.read_text(encoding="utf-8") == pwa.offline_page(), "run `make i18n`"


def test_the_offline_page_speaks_every_language():
    page = pwa.offline_page()
    for locale in i18n.LOCALES:
        assert pwa.offline_words(locale)["title"] in page
    assert len({pwa.offline_words(loc)["title"] for loc in i18n.LOCALES}) == len(i18n.LOCALES)


def test_the_manifests_are_up_to_date():
    for locale in i18n.LOCALES:
        assert pwa.manifest_path(locale).read_text(encoding="utf-8") == pwa.manifest(locale), "run `make i18n`"


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_each_language_has_a_manifest_that_starts_in_it(locale):
    manifest = json.loads(pwa.manifest_path(locale).read_text(encoding="utf-8"))
    assert manifest["display"] == "standalone" and manifest["start_url"] == f"/{locale}/"
    assert (manifest["lang"], manifest["dir"], manifest["id"]) == (locale, i18n.direction(locale), "/")
    assert i18n.gettext_for(locale)("Mes messages") in manifest["description"]
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert (settings.PROJECT_DIR / "assets" / icon["src"].lstrip("/")).exists()
