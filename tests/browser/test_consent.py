"""Consent before any screen, as a new trainee meets it: one idea per screen, each read aloud,
in her language; then yes (the screen she asked for opens) or no (whom to ask). Staff say yes to
their commitments once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def _consent(locale: str) -> re.Pattern:
    return re.compile(rf".*/{locale}/consent/\?next=.*")


def _new_account(login: str, role: str, locale: str) -> None:
    from cisp_pwa.services.people import auth, centre_admin
    from tests.services.helpers import actor

    new_id = centre_admin.create_account(actor("sophie"), role=role, display_name=f"{login.title()} Nouvelle",
                                         login=login, password=f"parcours-{login}", locale=locale)
    auth.set_password(new_id, f"parcours-{login}")  # a trainee's PIN, in life: a password here


@pytest.mark.parametrize("login, locale", [("rania", "fr"), ("zahra", "ar")])
def test_a_new_trainee_reads_her_terms_one_idea_at_a_time_then_her_screen_opens(page, app_db, login, locale):
    _new_account(login, "trainee", locale)
    sign_in(page, login, locale=locale)
    page.wait_for_url(_consent(locale))
    assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "ar" else "ltr")
    for step in range(1, 5):
        card = page.locator(f"#consent-step-{step}")
        expect(card).to_be_visible()
        expect(card.locator("[data-read-aloud=button]").first).to_be_visible()  # beside every idea
        shot(page, f"consent-{step}-{locale}")
        if step < 4:
            page.click("#consent-next")
    page.goto(f"/{locale}/goals/")  # nothing opens before she says yes
    page.wait_for_url(_consent(locale))
    for _ in range(3):
        page.click("#consent-next")
    page.click("#consent-accept")
    page.wait_for_url(f"**/{locale}/goals/")  # the screen she asked for
    page.goto(f"/{locale}/my-pathway/")
    expect(page.locator("#greeting")).to_be_visible()  # asked once


def test_no_says_whom_to_ask_and_a_coach_says_yes_to_the_staff_commitments(page, app_db):
    _new_account("ilona", "trainee", "fr")
    sign_in(page, "ilona")
    page.wait_for_url(_consent("fr"))
    for _ in range(3):
        page.click("#consent-next")
    page.click("#consent-refuse")
    expect(page.locator("#consent-refused")).to_contain_text("secrétariat du centre")
    shot(page, "consent-refused-fr")
    page.click("#consent-sign-out")
    page.wait_for_url("**/fr/sign-in/")

    _new_account("hugues", "coach", "fr")
    sign_in(page, "hugues")
    page.wait_for_url(_consent("fr"))
    expect(page.locator("#consent-step-1")).to_contain_text("Chaque ouverture d'un dossier est enregistrée.")
    shot(page, "consent-staff-fr")
    page.click("#consent-accept")
    page.wait_for_url("**/fr/trainees/")
