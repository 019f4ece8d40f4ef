"""Each role signs in and lands on its own screen with its demo data; refusals; sign-out;
first paint in the chosen language and direction."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import shot, sign_in, switch_language

pytestmark = pytest.mark.browser

# login, landing path, a selector of that screen, a demo fact it must show
LANDINGS = [
    ("amina", "my-pathway", "#goals", "Prendre seule un rendez-vous chez le médecin"),
    ("julie", "trainees", "#trainees", "Kevin Maes"),
    ("marc", "validations", "#pending", "Je demande encore de l'aide au guichet."),
    ("sophie", "centre", "#pathways", "espaces verts"),
]


@pytest.mark.parametrize("login,landing,selector,fact", LANDINGS, ids=[l[0] for l in LANDINGS])
def test_each_role_lands_on_its_screen_in_french_and_arabic(page, login, landing, selector, fact):
    sign_in(page, login)
    page.wait_for_url(f"**/fr/{landing}/")
    expect(page.locator(selector)).to_contain_text(fact, ignore_case=True)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fr", "ltr"]
    shot(page, f"{landing}-fr")

    switch_language(page, "ar")
    page.wait_for_url(f"**/ar/{landing}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator(selector)).to_be_visible()
    expect(page.locator("#sign-out")).not_to_contain_text("Se déconnecter")
    shot(page, f"{landing}-ar")

    # The choice is kept on the account: a new device opens in Arabic after sign-in.
    page.context.clear_cookies()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    sign_in(page, login)
    page.wait_for_url(f"**/ar/{landing}/")
    switch_language(page, "fr")  # back to French for the other tests
    page.wait_for_url(f"**/fr/{landing}/")
    expect(page.locator(selector)).to_be_visible()


def test_wrong_password_is_refused_and_signs_nobody_in(page):
    sign_in(page, "fatou", "not-the-password")
    expect(page.locator("#sign-in-error")).to_have_text(
        "Identifiant ou mot de passe incorrect. Vérifiez et réessayez.")
    assert page.url.endswith("/fr/sign-in/")
    assert page.evaluate("localStorage.getItem('cisp_session')") in (None, "")
    sign_in(page, "nobody-here", "not-the-password")
    expect(page.locator("#sign-in-error")).to_have_text(
        "Identifiant ou mot de passe incorrect. Vérifiez et réessayez.")
    shot(page, "sign-in-refused-fr")


def test_a_protected_screen_sends_to_sign_in_and_back_after(page):
    page.goto("/fr/validations/")
    page.wait_for_url("**/fr/sign-in/?next=/fr/validations/")
    expect(page.locator("#pending")).to_have_count(0)
    page.fill("#login", "marc")
    page.fill("#password", "parcours-marc")
    page.click("#sign-in-submit")
    page.wait_for_url("**/fr/validations/")
    expect(page.locator("#pending")).to_contain_text("Kevin Maes")


def test_sign_out_then_back_shows_nothing_private(page):
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    private = "Prendre seule un rendez-vous chez le médecin"
    expect(page.locator("#goals")).to_contain_text(private)
    page.click("#sign-out")
    page.wait_for_url("**/fr/sign-in/")
    assert page.evaluate("localStorage.getItem('cisp_session')") in (None, "")
    page.go_back()
    page.wait_for_url("**/fr/sign-in/?next=/fr/my-pathway/")
    page.wait_for_timeout(500)
    expect(page.get_by_text(private)).to_have_count(0)
    assert private not in page.content()


def test_the_session_survives_a_new_websocket_and_client_token(page):
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    # Reflex keeps its client token in sessionStorage: dropping it is what a reconnect that
    # mints a new token looks like to the server.
    page.evaluate("sessionStorage.clear()")
    page.reload()
    expect(page.locator("#trainees")).to_contain_text("Amina Benali")
    assert page.url.endswith("/fr/trainees/")


def test_arabic_is_right_to_left_from_the_first_paint(page):
    page.add_init_script("""
        window.__flips = [];
        new MutationObserver(records => records.forEach(r => {
          const now = r.target.getAttribute(r.attributeName);
          if (r.target === document.documentElement && r.oldValue !== null && r.oldValue !== now)
            window.__flips.push(r.attributeName + ':' + r.oldValue + '->' + now);
        })).observe(document, {attributes: true, subtree: true, attributeOldValue: true,
                               attributeFilter: ['lang', 'dir']});
    """)
    response = page.goto("/ar/sign-in/")
    html = response.text()
    assert '<html dir="rtl" lang="ar"' in html  # the HTML that is painted first
    assert "تسجيل الدخول" in html and "Se connecter" not in html  # Arabic before any script
    expect(page.locator("#sign-in-submit")).to_be_visible()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    page.wait_for_timeout(500)
    assert page.evaluate("window.__flips") == []  # no flip after hydration
    shot(page, "sign-in-ar")


def test_the_language_switch_is_kept_on_the_device(page):
    page.goto("/")
    page.wait_for_url("**/fr/sign-in/")  # a French phone with no choice yet
    switch_language(page, "ar")
    page.wait_for_url("**/ar/sign-in/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#sign-in-submit")).to_have_text("تسجيل الدخول")
    page.goto("/")  # the bare address, later: opens in the kept language
    page.wait_for_url("**/ar/sign-in/")
    expect(page.locator("h1")).not_to_have_text("Bienvenue")


def _access_code(maker: str, trainee: str) -> str:
    """A new access code for a demo trainee, made by a demo staff member (on the app's database)."""
    from sqlalchemy import select

    from cisp_pwa.models import User
    from cisp_pwa.services.infra import db
    from cisp_pwa.services.people import invitations
    from cisp_pwa.services.actor import Actor

    with db.reading() as s:
        users = {u.login: u for u in s.scalars(select(User).where(User.login.in_([maker, trainee])))}
    return invitations.create_invitation(Actor.of(users[maker]), users[trainee].id).code


def test_a_phone_that_cannot_scan_types_its_code_from_the_sign_in_screen(page, app_db):
    code = _access_code("sophie", "fatou")
    page.goto("/fr/sign-in/")
    page.click("#have-a-code")
    page.wait_for_url("**/fr/welcome/")
    page.fill("#code", code.lower().replace("-", " "))  # as typed from a sheet of paper
    page.click("#code-submit")
    expect(page.locator("#pin-submit")).to_be_visible()
    shot(page, "welcome-typed-code-fr")


@pytest.mark.parametrize("locale, why", [("fr", "compte du personnel"), ("ar", "بحساب أحد الموظفين")])
def test_a_staff_phone_cannot_take_a_trainees_code(page, app_db, locale, why):
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    code = _access_code("julie", "amina")
    page.goto(f"/{locale}/welcome/?code={code}")
    expect(page.locator("#welcome-error")).to_contain_text(why)
    expect(page.locator("#pin-submit")).to_have_count(0)
    shot(page, f"welcome-staff-phone-{locale}")
    page.goto("/fr/trainees/")
    expect(page.locator("#trainees")).to_contain_text("Amina Benali")  # still Julie, nobody else


@pytest.mark.parametrize("login, maker, locale, told", [
    ("kevin", "sophie", "fr", "Un nouveau téléphone a été ajouté à votre compte le"),
    ("youssef", "claire", "ar", "أُضيف هاتف جديد إلى حسابك"),
])
def test_when_a_code_sets_up_another_phone_hers_closes_and_she_is_told_at_next_sign_in(
        page, second_page, app_db, login, maker, locale, told):
    sign_in(page, login, locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    expect(page.locator("#new-phone")).to_have_count(0)
    code = _access_code(maker, login)
    second_page.goto(f"/{locale}/welcome/?code={code}")  # someone else's phone takes the code
    expect(second_page.locator("#pin-submit")).to_be_visible()
    page.wait_for_url(f"**/{locale}/sign-in/**")  # her phone is signed out at once
    sign_in(page, login, locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    expect(page.locator("#new-phone")).to_contain_text(told)
    expect(page.locator("#new-phone-ok")).to_be_visible()
    shot(page, f"new-phone-notice-{locale}")
    page.click("#new-phone-ok")
    expect(page.locator("#new-phone")).to_have_count(0)
    page.reload()
    expect(page.locator("main")).to_be_visible()
    expect(page.locator("#new-phone")).to_have_count(0)  # told once


def test_a_tap_before_the_page_is_ready_never_puts_the_password_in_the_address(app_url):
    """The HTML as a slow phone has it before the scripts run: the button waits, and the form
    would never be sent as a GET (the password in the address, the history, the server's log)."""
    import re
    import urllib.request

    html = urllib.request.urlopen(f"{app_url}/fr/sign-in/", timeout=10).read().decode()
    form = re.search(r"<form[^>]*>", html).group(0)
    assert 'method="post"' in form
    button = re.search(r'<button[^>]*id="sign-in-submit"[^>]*>', html).group(0)
    assert "disabled" in button


def test_what_she_types_before_the_page_code_runs_is_kept(page):
    """A slow phone shows the form before its code has run: she may type at once. Her login and
    password must still be there when the code takes over, and the button then works."""
    held: list = []
    page.route("**/assets/*.js", lambda route: held.append(route))
    page.goto("/fr/sign-in/", wait_until="commit")
    expect(page.locator("#sign-in-submit")).to_be_attached()  # the prerendered form is there
    for _ in range(100):  # the module script asks for its files once the HTML is read
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page's code was not held back: this test would prove nothing"
    page.fill("#login", "amina")
    page.fill("#password", "parcours-amina")
    expect(page.locator("#sign-in-submit")).to_be_disabled()  # nothing can leave before the code runs
    for route in held:
        route.continue_()
    page.unroute("**/assets/*.js")
    expect(page.locator("#sign-in-submit")).to_be_enabled()
    expect(page.locator("#login")).to_have_value("amina")
    expect(page.locator("#password")).to_have_value("parcours-amina")
    page.click("#sign-in-submit")
    page.wait_for_url("**/fr/my-pathway/")
