"""Mon passeport in the browser: from the home card to the downloaded PDF, in French and Arabic."""

from __future__ import annotations

import io
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import SCREENSHOTS, shot, sign_in

pytestmark = pytest.mark.browser

FIRST = {"fr": "Se présenter : dire son nom, son pays, sa langue et où on habite.",
         "ar": "تقديم النفس: ذكر الاسم والبلد واللغة ومكان السكن."}
SECOND = {"fr": "Prendre un rendez-vous chez le médecin par téléphone.",
          "ar": "أخذ موعد عند الطبيب عبر الهاتف."}
LEVEL_3 = {"fr": "Sans aide", "ar": "بدون مساعدة"}


def _pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_she_opens_her_passport_unticks_a_skill_and_downloads_the_pdf(page, app_db, locale):
    from cisp_pwa.services.people import accounts
    from tests.services.helpers import actor

    accounts.set_locale(actor("amina"), locale)
    sign_in(page, "amina", locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    link = page.locator("#passport-link")
    box = link.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    shot(page, f"passport-home-{locale}-360")
    link.locator("xpath=..").screenshot(path=str(SCREENSHOTS / f"passport-card-{locale}-360.png"))
    link.click()
    page.wait_for_url(f"**/{locale}/passport/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if locale == "ar" else "ltr")
    from cisp_pwa.services.credentials import passport

    skills = page.locator("#passport-areas li")
    validated = sum(len(a.skills) for p in passport.passport_for(actor("amina")).pathways for a in p.areas)
    expect(skills).to_have_count(validated)  # the validated skills only (other tests may validate more)
    first, second = skills.filter(has_text=FIRST[locale]), skills.filter(has_text=SECOND[locale].rstrip("."))
    expect(first).to_contain_text(FIRST[locale])
    expect(first.locator("[data-level=trainer]")).to_contain_text(LEVEL_3[locale])
    expect(first).to_contain_text("Marc Dubois")
    expect(second.locator("[data-level=mine]")).to_be_visible()  # her own level, beside, labelled
    expect(page.locator("#passport-areas")).not_to_contain_text("Très bien à l'oral")  # never the reason
    expect(page.locator(".passport-pathway")).to_have_count(1)
    box = page.locator("#passport-download").bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    shot(page, f"passport-{locale}-360")

    box = first.locator("input[type=checkbox]")
    expect(box).to_be_checked()
    first.locator("label").click()  # the whole line is the checkbox's label
    expect(box).not_to_be_checked()
    with page.expect_download() as info:
        page.click("#passport-download")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = _pdf_text(download.path())
    assert "Amina Benali" in text and SECOND["fr"].split(" par ")[0] in text
    assert FIRST["fr"].split(" :")[0] not in text  # unticked: left out
    if locale == "ar":
        assert SECOND["ar"].rstrip(".") in text  # her language beside French
    (SCREENSHOTS / f"passport-{locale}.pdf").write_bytes(data)

    for line in skills.all():  # nothing ticked: said beside the button, nothing downloaded
        if line.locator("input[type=checkbox]").is_checked():
            line.locator("label").click()
            expect(line.locator("input[type=checkbox]")).not_to_be_checked()
    page.click("#passport-download")
    expect(page.locator("#passport-error")).to_be_visible()
    accounts.set_locale(actor("amina"), "fr")
