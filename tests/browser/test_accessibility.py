"""axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every screen of every role, French and Arabic."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cisp_pwa import settings

from .conftest import sign_in

pytestmark = pytest.mark.browser
AXE = settings.PROJECT_DIR / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make tools`")
    page.wait_for_timeout(300)  # let the last state update paint
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]]


def check(page, what: str) -> None:
    found = violations(page)
    assert found == [], f"{what}: " + "\n".join(found)


# role: [(path after /<locale>/, a selector that shows the screen has its data)]
SCREENS = {
    "amina": [("my-pathway/", "#goals"), ("goals/", "#goal-groups"), ("skills/", "#skill-areas"),
              ("messages/", "#message-body"), ("my-data/", "#kept-list"),
              ("passport/", "#passport-areas"), ("help/", "#help-tiles"), ("my-hours/", "#my-hours-figures")],
    "julie": [("security/", "#second-factor-off"), ("trainees/", "#trainees")],
    "marc": [("validations/", "#pending"), ("attendance/", "#attendance-day")],
    # The centre screen last: the pathway editor is opened from it.
    "sophie": [("security/", "#second-factor-on"), ("partners/", "#partner-rows"), ("centre/", "#accounts")],
}


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_screens_before_sign_in(page, locale):
    for path, selector in [("sign-in/", "#sign-in-submit"), ("welcome/", "#code-submit")]:
        page.goto(f"/{locale}/{path}")
        expect(page.locator(selector)).to_be_visible()
        check(page, f"{locale}/{path}")


@pytest.mark.parametrize("locale", ["fr", "ar"])
@pytest.mark.parametrize("login", list(SCREENS))
def test_every_screen_of_every_role(page, login, locale):
    sign_in(page, login)
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    for path, selector in SCREENS[login]:
        page.goto(f"/{locale}/{path}")
        expect(page.locator(selector)).to_be_visible()
        check(page, f"{login} {locale}/{path}")
    if login == "julie":  # the screens opened from the inbox
        card = page.locator("#trainees [data-trainee='Amina Benali']")
        for link, selector in (("conversation", "#message-body"), ("file", "#coach-note")):
            page.goto(card.locator(f"[data-link={link}]").get_attribute("href"))
            expect(page.locator(selector)).to_be_visible()
            check(page, f"julie {locale} {link}")
            page.goto(f"/{locale}/trainees/")
            expect(card).to_be_visible()
    if login == "sophie":
        page.locator("#pathways li").first.get_by_role("link").first.click()
        expect(page.locator("#pathway-items")).to_be_visible()
        check(page, f"sophie {locale} pathway editor")
