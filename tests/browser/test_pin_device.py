"""A trainee's PIN signs in on the phone that opened her access code, and nowhere else."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import accept_terms, shot

pytestmark = pytest.mark.browser

# Her own login: other browser tests make accounts too (test_consent makes a "rania").
LOGIN, PIN = "nour.haddad", "5831"
NOT_RECOGNISED = {
    "fr": "Ce téléphone n'est pas encore reconnu : demandez un nouveau code d'accès à votre accompagnateur·rice.",
    "ar": "هذا الهاتف غير معروف بعد: اطلب رمز دخول جديدًا من الشخص الذي يرافقك.",
}


def _new_trainee_and_code() -> str:
    """A new trainee coached by julie, and the access code julie shows her (on the app's database)."""
    from sqlalchemy import select

    from cisp_pwa.models import User
    from cisp_pwa.services.infra import db
    from cisp_pwa.services.people import centre_admin, invitations
    from cisp_pwa.services.actor import Actor

    with db.reading() as s:
        staff = {u.login: Actor.of(u) for u in s.scalars(select(User).where(User.login.in_(["sophie", "julie"])))}
        rania = s.scalar(select(User.id).where(User.login == LOGIN))
    if rania is None:
        rania = centre_admin.create_account(staff["sophie"], role="trainee", display_name="Nour Haddad", login=LOGIN)
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


def _user(login: str):
    from sqlalchemy import select

    from cisp_pwa.models import User
    from cisp_pwa.services.infra import db

    with db.reading() as s:
        return s.scalar(select(User).where(User.login == login))


def test_her_coach_sees_a_blocked_phone_and_wrong_codes_show_to_the_person_and_her_admin(page, second_page, app_db):
    """What a thief's tries leave on the screens of those concerned (made through the services
    on the app's database, as the tries would)."""
    from sqlalchemy import select

    from cisp_pwa.models import TrustedDevice, User, utcnow
    from cisp_pwa.services.infra import db, events
    from cisp_pwa.services.people import devices, invitations, second_factor

    from .conftest import sign_in

    _new_trainee_and_code()  # Nour exists, coached by julie
    rania = _user(LOGIN)
    with db.unit_of_work() as s:  # her one phone (a phone of the test before, if any, is gone)
        devices.revoke_phones(s, rania.id, utcnow())
        secret = devices.issue(s, s.get(User, rania.id), devices.PHONE, utcnow())
        events.nobody(s)
    with db.reading() as s:
        device_id = s.scalar(select(TrustedDevice.id).where(TrustedDevice.secret_hash == devices.secret_hash(secret)))
    for _ in range(devices.MAX_FAILURES):
        devices.failed(device_id, utcnow())
    second_factor._alert(_user("julie").id)  # 10 wrong codes after julie's password

    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    expect(page.locator("#blocked-phones")).to_contain_text(
        "Le téléphone de Nour Haddad est bloqué : trop de codes PIN faux. Donnez-lui un nouveau code d'accès.")
    shot(page, "trainees-blocked-phone-fr")
    page.goto("/fr/security/")
    expect(page.locator("#codes-alert")).to_contain_text("10 codes faux ont été tapés après votre mot de passe")
    shot(page, "security-codes-alert-fr")
    page.goto("/ar/security/")
    expect(page.locator("#codes-alert")).to_contain_text("10 رموز خاطئة")
    shot(page, "security-codes-alert-ar")

    sign_in(second_page, "sophie")
    second_page.wait_for_url("**/fr/centre/")
    expect(second_page.get_by_text("10 codes faux après le bon mot de passe")).to_be_visible()
    shot(second_page, "centre-codes-alert-fr")
    # A new code from her coach: the phone works again and the line goes.
    invitations.redeem(invitations.create_invitation(invitations_actor("julie"), rania.id).code)
    page.goto("/fr/trainees/")
    expect(page.locator("#trainees")).to_be_visible()
    expect(page.locator("#blocked-phones")).to_have_count(0)


def invitations_actor(login: str):
    from cisp_pwa.services.actor import Actor

    return Actor.of(_user(login))
