"""The second factor as people meet it: an admin sets up her app at her first sign-in (French
and Arabic), a coach turns it on from the security screen, then signs in with the app's code
and, phone lost, with a recovery code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from .conftest import app_code, shot, sign_in

pytestmark = pytest.mark.browser


def _forget_app(login: str, locale: str = "fr") -> None:
    """This account starts without an authenticator app, whatever an earlier test set up, and
    in this language."""
    from cisp_pwa.models import RecoveryCode, SecondFactor, User
    from cisp_pwa.services.infra import db, events

    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.login == login))
        user.locale, user_id = locale, user.id
        s.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))
        s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        events.nobody(s)


def _type_password(page, login: str, locale: str) -> None:
    page.goto(f"/{locale}/sign-in/")
    expect(page.locator("#sign-in-submit")).to_be_enabled()  # the page's code runs: nothing typed is lost
    page.fill("#login", login)
    page.fill("#password", f"parcours-{login}")
    page.click("#sign-in-submit")


@pytest.mark.parametrize("login, locale, landing, wrong_code", [
    ("sophie", "fr", "centre", "Ce code ne convient pas"),
    ("claire", "ar", "centre", "هذا الرمز غير صحيح"),
])
def test_an_admin_sets_up_her_app_before_anything_opens(page, app_db, login, locale, landing, wrong_code):
    _forget_app(login, locale)
    _type_password(page, login, locale)
    expect(page.locator("#second-factor-set-up")).to_be_visible()
    key = page.locator("#second-factor-key")
    expect(key).not_to_be_empty()
    expect(page.locator("#second-factor-qr")).to_have_attribute("src", re.compile(r"^data:image/svg"))
    page.goto(f"/{locale}/{landing}/")  # the password alone opens nothing
    page.wait_for_url(f"**/{locale}/sign-in/**")
    _type_password(page, login, locale)
    key = page.locator("#second-factor-key")
    expect(key).not_to_be_empty()
    page.fill("#second-factor-code", "000000" if app_code(login, key.inner_text().replace(" ", "")) != "000000"
              else "111111")
    page.click("#second-factor-submit")
    expect(page.locator("#second-factor-error")).to_contain_text(wrong_code)
    shot(page, f"second-factor-set-up-{locale}")
    page.fill("#second-factor-code", app_code(login, key.inner_text().replace(" ", "")))
    page.click("#second-factor-submit")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "ar" else "ltr")
    shot(page, f"second-factor-recovery-codes-{locale}")
    page.click("#recovery-codes-done")
    page.wait_for_url(f"**/{locale}/{landing}/")
    # Next time: the app's code.
    page.click("#sign-out")
    page.wait_for_url(f"**/{locale}/sign-in/")
    _type_password(page, login, locale)
    expect(page.locator("#second-factor-code-step")).to_be_visible()
    shot(page, f"second-factor-code-{locale}")
    page.fill("#second-factor-code", app_code(login))
    page.click("#second-factor-submit")
    page.wait_for_url(f"**/{locale}/{landing}/")
    if locale == "fr":
        page.click("#sign-out")  # the others tests sign in in French


def test_a_coach_turns_it_on_and_a_recovery_code_replaces_a_lost_phone(page, app_db):
    _forget_app("julie")
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    page.click("#security-link")
    page.wait_for_url("**/fr/security/")
    expect(page.locator("#second-factor-off")).to_be_visible()
    page.click("#second-factor-start")
    key = page.locator("#second-factor-key")
    expect(key).not_to_be_empty()
    page.fill("#second-factor-code", app_code("julie", key.inner_text().replace(" ", "")))
    page.click("#second-factor-submit")
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.nth(2).inner_text()
    shot(page, "security-recovery-codes-fr")
    page.click("#recovery-codes-done")
    expect(page.locator("#second-factor-on")).to_be_visible()
    expect(page.locator("#codes-left")).to_have_text("10")
    shot(page, "security-on-fr")
    page.click("#sign-out")
    page.wait_for_url("**/fr/sign-in/")

    _type_password(page, "julie", "fr")  # her phone is lost: a code from her sheet of paper
    page.fill("#second-factor-code", recovery.lower())
    page.click("#second-factor-submit")
    page.wait_for_url("**/fr/trainees/")
    page.goto("/fr/security/")
    expect(page.locator("#codes-left")).to_have_text("9")

    page.click("#turn-off")  # back to a password only (a coach may)
    page.fill("#second-factor-code", app_code("julie"))
    page.click("#second-factor-submit")
    expect(page.locator("#second-factor-off")).to_be_visible()
