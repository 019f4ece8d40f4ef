"""Staff enrolment links in the browser: sophie creates another admin, whose own phone opens the
link, sets a password and an authenticator app and lands on the admin home; sophie resets julie's
access: julie's open screen closes, her old password stops working, her link sets a new one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, accept_terms, app_code, shot, sign_in, switch_language
from .test_accessibility import check

pytestmark = pytest.mark.browser
NEW_PASSWORD = "un jardin au printemps"


def _new_phone(browser, app_url):
    context = browser.new_context(viewport=PHONE, base_url=app_url, locale="fr-BE")
    context.set_default_timeout(20_000)
    return context, context.new_page()


def _create_admin(admin, name: str, login: str, locale: str = "") -> str:
    """On the centre screen: role admin, no password typed; returns the link shown."""
    admin.click("#create-role-admin")
    expect(admin.locator("#create-role-admin")).to_have_attribute("aria-checked", "true")
    expect(admin.locator("#create-form #password")).to_have_count(0)
    admin.fill("#display_name", name)
    admin.fill("#login", login)
    if locale:
        admin.select_option("#create-locale", locale)
    admin.click("#create-submit")
    url = admin.locator("#enrol-url")
    expect(url).to_contain_text(re.compile(r"^http://127\.0\.0\.1:\d+/[a-z]{2}/enrol/\?code=[A-Za-z0-9_-]{30,}$"))
    expect(admin.locator("#enrol-qr")).to_have_attribute("src", re.compile(r"^data:image/svg"))
    return url.inner_text()


def test_an_admin_creates_an_admin_who_sets_her_password_and_app(page, browser, app_url):
    admin = page
    admin.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(admin, "sophie")
    admin.wait_for_url("**/fr/centre/")
    expect(admin.locator("#demo-tag")).to_have_text("Démo")  # a demo build says so on every screen
    link = _create_admin(admin, "Paul Dubois", "paul.dubois")
    expect(admin.locator("#admin-notice")).to_have_text("Le compte est créé. Donnez le lien à la personne.")
    expect(admin.locator("#enrol-valid")).to_have_text("Valable 24 heures, une seule fois.")
    admin.click("#enrol-copy")
    expect(admin.locator("#enrol-copied")).to_be_visible()
    assert admin.evaluate("navigator.clipboard.readText()") == link
    expect(admin.locator("#accounts [data-login='paul.dubois']")).to_contain_text("lien pas encore utilisé")
    shot(admin, "enrol-admin-link-fr-360")
    check(admin, "the centre screen with an enrolment link (fr)")
    # Closed before it was handed over: a new one, and the first stops working.
    admin.click("#enrol-link-close")
    expect(admin.locator("#enrol-link")).to_have_count(0)
    admin.locator("#accounts [data-login='paul.dubois'] [data-action=new-link]").click()
    expect(admin.locator("#admin-notice")).to_have_text("Voici un nouveau lien. L'ancien ne marche plus.")
    expect(admin.locator("#enrol-url")).to_contain_text("/fr/enrol/?code=")
    first, link = link, admin.locator("#enrol-url").inner_text()
    assert link != first

    context, phone = _new_phone(browser, app_url)
    try:
        phone.goto(first)
        expect(phone.locator("#enrol-refused")).to_contain_text("Ce lien n'est plus valable")
        phone.goto(link)
        expect(phone.locator("#enrol-hello")).to_contain_text("Paul Dubois")
        expect(phone.locator("#enrol-reset")).to_have_count(0)  # a new account: nothing was reset
        expect(phone.locator("#demo-tag")).to_be_visible()
        expect(phone.locator("#enrol-submit")).to_be_enabled()
        shot(phone, "enrol-password-fr-360")
        check(phone, "the enrolment page (fr)")
        phone.fill("#password", NEW_PASSWORD)
        phone.fill("#password_again", NEW_PASSWORD + " !")
        phone.click("#enrol-submit")
        expect(phone.locator("#enrol-error")).to_have_text("Les deux mots de passe ne sont pas les mêmes.")
        phone.fill("#password", NEW_PASSWORD)
        phone.fill("#password_again", NEW_PASSWORD)
        phone.click("#enrol-submit")
        # An admin: her authenticator app comes before anything opens, the sign-in's own steps.
        expect(phone.locator("#second-factor-set-up")).to_be_visible()
        assert "code=" not in phone.url  # the used code left the address bar
        key = phone.locator("#second-factor-key")
        expect(key).not_to_be_empty()
        expect(phone.locator("#second-factor-qr")).to_have_attribute("src", re.compile(r"^data:image/svg"))
        shot(phone, "enrol-set-up-fr-360")
        phone.fill("#second-factor-code", app_code("paul.dubois", key.inner_text().replace(" ", "")))
        phone.click("#second-factor-submit")
        expect(phone.locator("#recovery-codes li")).to_have_count(10)
        phone.click("#recovery-codes-done")
        accept_terms(phone)  # a new account reads her terms first
        phone.wait_for_url("**/fr/centre/")
        expect(phone.locator("#accounts")).to_be_visible()
        expect(phone.locator("#accounts [data-login='paul.dubois']")).not_to_contain_text("lien pas encore utilisé")
        phone.goto(link)  # used: it opens nothing, and says so
        expect(phone.locator("#enrol-refused")).to_contain_text("Ce lien a déjà servi.")
        shot(phone, "enrol-used-fr-360")
    finally:
        context.close()

    # In Arabic: the form for an admin, the link, and the enrolment page.
    switch_language(admin, "ar")
    admin.wait_for_url("**/ar/centre/")
    expect(admin.locator("html")).to_have_attribute("dir", "rtl")
    admin.click("#create-role-admin")
    shot(admin, "enrol-admin-form-ar-360")
    link = _create_admin(admin, "نادية العلوي", "nadia.alaoui", locale="ar")
    assert "/ar/enrol/" in link
    shot(admin, "enrol-admin-link-ar-360")
    check(admin, "the centre screen with an enrolment link (ar)")
    context, phone = _new_phone(browser, app_url)
    try:
        phone.goto(link)
        expect(phone.locator("html")).to_have_attribute("dir", "rtl")
        expect(phone.locator("#enrol-hello")).to_contain_text("نادية العلوي")
        shot(phone, "enrol-password-ar-360")
        check(phone, "the enrolment page (ar)")
        phone.goto(link.replace("code=", "code=x"))
        expect(phone.locator("#enrol-refused")).to_be_visible()
        shot(phone, "enrol-unknown-ar-360")
    finally:
        context.close()


def test_a_reset_closes_the_coachs_screen_and_her_link_sets_a_new_password(page, second_page, app_db):
    from cisp_pwa.services.people import auth

    from tests.services.helpers import user_id

    admin, coach = page, second_page
    try:
        sign_in(coach, "julie")
        coach.wait_for_url("**/fr/trainees/")
        expect(coach.locator("#trainees")).to_be_visible()
        sign_in(admin, "sophie")
        admin.wait_for_url("**/fr/centre/")
        row = admin.locator("#accounts [data-login='julie']")
        expect(admin.locator("#accounts [data-login='sophie'] [data-action=reset]")).to_have_count(0)  # never herself
        expect(admin.locator("#accounts [data-login='amina'] [data-action=reset]")).to_have_count(0)  # nor a trainee
        row.locator("[data-action=reset]").click()
        expect(row.locator("#reset-question")).to_be_visible()
        shot(admin, "enrol-reset-question-fr-360")
        row.locator("#reset-confirm").click()
        expect(admin.locator("#admin-notice")).to_have_text("L'accès est réinitialisé. Ses sessions sont fermées.")
        link = admin.locator("#enrol-url")
        expect(link).to_contain_text("/fr/enrol/?code=")
        link = link.inner_text()
        shot(admin, "enrol-reset-link-fr-360")

        coach.wait_for_url(re.compile(r".*/fr/sign-in/.*"), timeout=10_000)  # her open screen closed at once
        coach.fill("#login", "julie")
        coach.fill("#password", "parcours-julie")
        coach.click("#sign-in-submit")
        expect(coach.locator("#sign-in-error")).to_contain_text("Identifiant ou mot de passe incorrect")

        coach.goto(link)
        expect(coach.locator("#enrol-reset")).to_contain_text(
            "Votre accès a été réinitialisé par l'administration de votre centre.")
        expect(coach.locator("#enrol-hello")).to_contain_text("Julie Renard")
        shot(coach, "enrol-reset-fr-360")
        coach.fill("#password", NEW_PASSWORD)
        coach.fill("#password_again", NEW_PASSWORD)
        coach.click("#enrol-submit")
        coach.wait_for_url("**/fr/trainees/")  # a coach: no app required, straight home
        expect(coach.locator("#trainees")).to_be_visible()
        coach.click("#sign-out")
        coach.wait_for_url("**/fr/sign-in/")
        sign_in(coach, "julie", NEW_PASSWORD)
        coach.wait_for_url("**/fr/trainees/")
    finally:
        auth.set_password(user_id("julie"), "parcours-julie")  # the other tests sign her in as the demo does
