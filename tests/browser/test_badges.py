"""Sharing the passport in the browser: she shares, an employer opens the link on another phone
(no sign-in) and sees only the list, a badge verifies with jwcrypto against the issuer profile the
app serves, the PDF carries both languages and the link's QR code, she withdraws and the link says
so. In French and Arabic, at 360 px."""

from __future__ import annotations

import json
import unicodedata
import urllib.request

import pypdfium2
import pytest
from jwcrypto import jwk, jws
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import PHONE, SCREENSHOTS, shot, sign_in
from .test_accessibility import check

pytestmark = pytest.mark.browser

FIRST = {"fr": "Se présenter : dire son nom, son pays, sa langue et où on habite.",
         "ar": "تقديم النفس: ذكر الاسم والبلد واللغة ومكان السكن."}
WITHDRAWN = {"fr": "Ce partage a été retiré.", "ar": "تم سحب هذه المشاركة."}


def _fits(locator, width: int = 360) -> None:
    box = locator.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= width


def _pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_she_shares_an_employer_checks_and_she_withdraws(page, browser, app_url, app_db, locale):
    from cisp_pwa.services.credentials import badges
    from cisp_pwa.services.people import accounts
    from cisp_pwa.services.errors import InvalidInput
    from tests.services.helpers import actor

    accounts.set_locale(actor("amina"), locale)
    try:  # a share left by an earlier run of this test
        badges.withdraw(actor("amina"))
    except InvalidInput:
        pass
    sign_in(page, "amina", locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    page.goto(f"/{locale}/passport/")
    expect(page.locator("#passport-areas")).to_be_visible()
    make = page.locator("#share-make")
    _fits(make)
    page.click("#share-make")
    link = page.locator("#share-link")
    expect(link).to_be_visible()
    url = link.get_attribute("href")
    assert url.startswith(f"{app_url}/badges/share/") and link.inner_text() == url
    expect(page.locator("#share-qr")).to_be_visible()
    badge_buttons = page.locator("#share-badges button")
    expect(badge_buttons.first).to_be_visible()
    for selector in ("#share-copy", "#share-withdraw"):
        _fits(page.locator(selector))
    _fits(badge_buttons.first)
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, f"passport-share-{locale}-360")
    page.locator("#share").screenshot(path=str(SCREENSHOTS / f"passport-share-card-{locale}-360.png"))
    check(page, f"amina {locale} passport shared")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page.click("#share-copy")
    assert page.evaluate("navigator.clipboard.readText()") == url  # "Copier le lien" copies it

    # A badge she downloads verifies, with another library, against the issuer profile served.
    with page.expect_download() as info:
        badge_buttons.filter(has_text=FIRST[locale]).click()
    assert info.value.suggested_filename.endswith(".jwt")
    token = open(info.value.path()).read().strip()
    signed = jws.JWS()
    signed.deserialize(token)
    issuer = json.loads(signed.objects["payload"])["issuer"]["id"]
    with urllib.request.urlopen(issuer, timeout=10) as response:
        profile = json.load(response)
    method = next(m for m in profile["verificationMethod"] if m["id"] == signed.jose_header["kid"])
    signed.verify(jwk.JWK(**method["publicKeyJwk"]), alg="Ed25519")
    assert json.loads(signed.payload)["credentialSubject"]["achievement"]["name"] == FIRST["fr"]

    # The PDF: the labels in both languages, the share link and its QR code; page 1 as an image.
    with page.expect_download() as info:
        page.click("#passport-download")
    pdf_path = info.value.path()
    text = _pdf_text(pdf_path)
    assert FIRST["fr"].split(" :")[0] in text and url in text.replace("\n", "")
    if locale == "ar":
        assert FIRST["ar"].rstrip(".").split(":")[0] in text
    assert sum(len(p.images) for p in PdfReader(str(pdf_path)).pages) == 1  # the QR code
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    pdf[0].render(scale=1.5).to_pil().save(SCREENSHOTS / f"passport-pdf-{locale}-page1.png")
    pdf.close()

    # An employer's phone: no sign-in, the list only, in the phone's language.
    employer = browser.new_context(viewport=PHONE, locale="ar" if locale == "ar" else "fr-BE")
    public = employer.new_page()
    answer = public.goto(url)
    assert answer.status == 200
    expect(public.locator("html")).to_have_attribute("lang", locale)
    expect(public.locator("#share-name")).to_have_text("Amina Benali")
    expect(public.locator("#share-centre")).to_have_text("CISP La Passerelle (Namur)")
    expect(public.locator("#share-skills")).to_contain_text(FIRST[locale])
    expect(public.locator("#share-skills .ok").first).to_be_visible()
    body = public.locator("body").inner_text()
    for hidden in ("Marc Dubois", "Très bien à l'oral", "amina"):
        assert hidden not in body
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The employer can check elsewhere: each badge and the centre's issuer profile are linked.
    links = public.locator("#share-skills a.check")
    assert links.count() >= 1
    credential = public.request.get(links.first.get_attribute("href"))
    assert credential.status == 200 and credential.text().count(".") == 2  # a signed JWT, as a verifier reads it
    issuer = public.request.get(public.locator("#share-issuer").get_attribute("href"))
    assert issuer.status == 200 and issuer.json()["verificationMethod"]
    shot(public, f"share-page-{locale}-360")
    check(public, f"share page {locale}")
    public.set_viewport_size({"width": 320, "height": 640})
    public.evaluate("document.documentElement.style.fontSize = '130%'")  # large text
    assert public.evaluate("document.documentElement.scrollWidth") <= 320
    shot(public, f"share-page-{locale}-320-large")

    # She withdraws: her screen offers to share again, the link says so plainly.
    page.click("#share-withdraw")
    expect(page.locator("#share-make")).to_be_visible()
    expect(page.locator("#share-link")).to_have_count(0)
    answer = public.goto(url)
    assert answer.status == 410
    expect(public.locator("#share-withdrawn")).to_contain_text(WITHDRAWN[locale])
    assert "Amina" not in public.locator("body").inner_text()
    shot(public, f"share-withdrawn-{locale}-320-large")
    employer.close()
    accounts.set_locale(actor("amina"), "fr")
