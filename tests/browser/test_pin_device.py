"""A trainee's PIN signs in on the phone that opened her access code, and nowhere else."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import accept_terms, shot

pytestmark = pytest.mark.browser

LOGIN, PIN = "rania", "5831"
NOT_RECOGNISED = {
    "fr": "Ce téléphone n'est pas encore reconnu : demandez un nouveau code d'accès à votre accompagnateur·rice.",
    "ar": "هذا الهاتف غير معروف بعد: اطلب رمز دخول جديدًا من الشخص الذي يرافقك.",
}


def _new_trainee_and_code() -> str:
    """A new trainee coached by julie, and the access code julie shows her (on the app's database)."""
    from sqlalchemy import select

    from cisp_pwa.models import User
    from cisp_pwa.services import centre_admin, db, invitations
    from cisp_pwa.services.actor import Actor

    with db.reading() as s:
        staff = {u.login: Actor.of(u) for u in s.scalars(select(User).where(User.login.in_(["sophie", "julie"])))}
        rania = s.scalar(select(User.id).where(User.login == LOGIN))
    if rania is None:
        rania = centre_admin.create_account(staff["sophie"], role="trainee", display_name="Rania Haddad", login=LOGIN)
        centre_admin.set_assignment(staff["sophie"], rania, staff["julie"].id, True)
    return invitations.create_invitation(staff["julie"], rania).code


def _pin_sign_in(page, locale: str = "fr") -> None:
    page.goto(f"/{locale}/sign-in/")
    expect(page.locator("#sign-in-submit")).to_be_enabled()
    page.fill("#login", LOGIN)
    page.fill("#password", PIN)
    page.click("#sign-in-submit")


def test_her_pin_works_on_her_phone_after_sign_out_and_nowhere_else(page, second_page, app_db):
    code = _new_trainee_and_code()
    page.goto(f"/fr/welcome/?code={code}")
    expect(page.locator("#pin-submit")).to_be_visible()
    page.wait_for_function(f"!!localStorage.getItem('cisp_device:{LOGIN}')", timeout=10_000)
    kept = page.evaluate(f"localStorage.getItem('cisp_device:{LOGIN}')")
    assert kept and len(kept) >= 43  # the phone keeps its secret for her account
    assert kept not in page.content()
    page.fill("#pin", PIN)
    page.fill("#pin_again", PIN)
    page.click("#pin-submit")
    expect(page.locator("#pin-done")).to_be_visible()

    page.goto("/fr/my-pathway/")
    accept_terms(page)
    page.wait_for_url("**/fr/my-pathway/")
    page.click("#sign-out")
    page.wait_for_url("**/fr/sign-in/")
    assert page.evaluate("localStorage.getItem('cisp_session')") in (None, "")
    assert page.evaluate(f"localStorage.getItem('cisp_device:{LOGIN}')") == kept  # the phone stays hers

    _pin_sign_in(page)  # her phone: in
    page.wait_for_url("**/fr/my-pathway/")

    for locale in ("fr", "ar"):  # another phone: the PIN opens nothing, and it says why
        _pin_sign_in(second_page, locale)
        expect(second_page.locator("#sign-in-error")).to_have_text(NOT_RECOGNISED[locale])
        assert second_page.url.endswith(f"/{locale}/sign-in/")
        assert second_page.evaluate("localStorage.getItem('cisp_session')") in (None, "")
        shot(second_page, f"sign-in-phone-not-recognised-{locale}")
