"""Push notifications in the real app: the service worker shows a push (delivered by Chromium's
DevTools, as a push service would), and the Notifications card keeps each switch.

Headless Chromium cannot reach a real push service, so `pushManager.subscribe` never answers
here (REFLEX-NOTES.md): the card tests start from a subscription written to the app's database,
and the one test that turns a kind on replaces only pushManager's two calls with a subscription
whose keys the test made. Everything else — permission, the card, the state, the service, the
database — is the real thing."""

from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services.infra.db import make_engine
from cisp_pwa.services.infra.push_sender import payload_for
from tests.services.push_receiver import Phone

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser
FCM = "https://fcm.googleapis.com/fcm/send/browser-test-"


def _eventually(page, read, tries: int = 100):
    """Ask the page again until it answers (bounded: about 20 s); the last answer otherwise."""
    for _ in range(tries):
        value = read()
        if value:
            return value
        page.wait_for_timeout(200)
    return read()


@pytest.fixture
def app_db(app_data_dir):
    engine = make_engine(f"sqlite:///{app_data_dir / 'cisp.db'}")
    yield engine
    with engine.begin() as c:  # each test starts with no phone subscribed
        c.execute(text("DELETE FROM push_subscription"))
    engine.dispose()


def _subscribe_directly(app_db, login: str, kinds: list[str]) -> str:
    phone, endpoint = Phone(), FCM + uuid.uuid4().hex
    with app_db.begin() as c:
        user_id = c.execute(text("SELECT id FROM app_user WHERE login = :l"), {"l": login}).scalar_one()
        c.execute(text("INSERT INTO push_subscription (user_id, endpoint, p256dh, auth, kinds, created_at) "
                       "VALUES (:u, :e, :p, :a, :k, CURRENT_TIMESTAMP)"),
                  {"u": user_id, "e": endpoint, "p": phone.p256dh, "a": phone.auth, "k": json.dumps(kinds)})
    return endpoint


def _rows(app_db, login: str) -> list[tuple[str, list]]:
    with app_db.begin() as c:
        return [(e, json.loads(k)) for e, k in c.execute(text(
            "SELECT endpoint, kinds FROM push_subscription JOIN app_user ON app_user.id = user_id "
            "WHERE login = :l ORDER BY push_subscription.id"), {"l": login})]


def test_the_service_worker_shows_a_pushed_notification(page, app_url):
    page.context.grant_permissions(["notifications"], origin=app_url)
    page.goto("/ar/sign-in/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    registration_id = _eventually(page, lambda: next(
        (r["registrationId"] for r in registrations if r["scopeURL"] == app_url + "/" and not r["isDeleted"]), None))
    assert registration_id, registrations
    payload = payload_for("message", Role.trainee, "ar")  # what the server sends Youssef
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": app_url, "registrationId": registration_id, "data": json.dumps(payload, ensure_ascii=False)})
    shown = _eventually(page, lambda: page.evaluate("""navigator.serviceWorker.ready
        .then(r => r.getNotifications())
        .then(list => list.map(n => ({title: n.title, body: n.body, icon: n.icon, tag: n.tag, dir: n.dir,
                                      lang: n.lang, url: n.data && n.data.url})))"""))
    assert len(shown) == 1
    [note] = shown
    ar = i18n.gettext_for("ar")
    assert (note["title"], note["body"]) == (ar("Nouveau message"), ar("Ouvrez CISP Parcours pour le lire."))
    assert note["icon"] == app_url + "/icon-192.png" and note["url"] == "/ar/messages/"
    assert (note["dir"], note["lang"], note["tag"]) == ("rtl", "ar", "cisp-message")


def _card(page):
    card = page.locator("#push-settings")
    expect(card).to_be_visible()
    return card


def test_a_kind_turned_off_stays_off_and_on_again_subscribes_this_phone(page, app_url, app_db):
    first = _subscribe_directly(app_db, "amina", ["message", "validation"])
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    _card(page)
    expect(page.locator("#push-message")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#push-validation")).to_have_attribute("aria-checked", "true")
    page.click("#push-validation")
    expect(page.locator("#push-validation")).to_have_attribute("aria-checked", "false")
    page.reload()
    _card(page).scroll_into_view_if_needed()
    expect(page.locator("#push-validation")).to_have_attribute("aria-checked", "false")
    expect(page.locator("#push-validation")).to_have_text("Non")
    expect(page.locator("#push-message")).to_have_attribute("aria-checked", "true")
    assert _rows(app_db, "amina") == [(first, ["message"])]
    for button in ("#push-message", "#push-validation"):  # a thumb's worth
        box = page.locator(button).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    shot(page, "push-settings-fr")

    # On again: the phone says yes, this phone subscribes with the server's key, the server keeps it.
    phone, second = Phone(), FCM + uuid.uuid4().hex
    page.context.grant_permissions(["notifications"], origin=app_url)
    # Like a real browser, the stand-in subscription outlives a reload (kept in sessionStorage).
    page.add_init_script(f"""(() => {{
        const KEY = "test-push-subscription";
        const build = (key) => ({{
            options: {{ applicationServerKey: new Uint8Array(key).buffer }},
            unsubscribe: async () => {{ sessionStorage.removeItem(KEY); sessionStorage.setItem("test-push-gone", "1"); return true; }},
            toJSON: () => ({{ endpoint: {json.dumps(second)},
                             keys: {{ p256dh: {json.dumps(phone.p256dh)}, auth: {json.dumps(phone.auth)} }} }}),
        }});
        PushManager.prototype.getSubscription = async function () {{
            const kept = sessionStorage.getItem(KEY);
            return kept ? build(JSON.parse(kept)) : null;
        }};
        PushManager.prototype.subscribe = async function (options) {{
            const key = Array.from(new Uint8Array(options.applicationServerKey));
            sessionStorage.setItem(KEY, JSON.stringify(key));
            sessionStorage.setItem("test-push-key-length", String(key.length));
            return build(key);
        }};
    }})();""")
    page.goto("/ar/my-pathway/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    _card(page)
    page.click("#push-validation")
    expect(page.locator("#push-validation")).to_have_attribute("aria-checked", "true")
    assert page.evaluate("sessionStorage.getItem('test-push-key-length')") == "65"  # the VAPID public key, decoded
    page.reload()
    _card(page).scroll_into_view_if_needed()
    expect(page.locator("#push-validation")).to_have_attribute("aria-checked", "true")
    ar = i18n.gettext_for("ar")
    expect(page.locator("#push-validation")).to_have_text(ar("Oui"))
    expect(page.locator("#push-label-validation")).to_have_text(ar("Compétences validées"))
    assert _rows(app_db, "amina") == [(first, ["message", "validation"]), (second, ["message", "validation"])]
    shot(page, "push-settings-ar")
    # Signing out on a shared phone: this phone stops receiving her notifications.
    page.click("#sign-out")
    page.wait_for_url("**/ar/sign-in/")
    assert _eventually(page, lambda: page.evaluate("sessionStorage.getItem('test-push-gone') === '1'"))


def test_blocked_notifications_are_said_plainly(page, app_db):
    _subscribe_directly(app_db, "amina", [])
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    _card(page)
    # No permission was granted to this context: the browser refuses.
    page.click("#push-message")
    expect(page.locator("#push-problem")).to_have_text(
        i18n.gettext_for("fr")("Les notifications sont bloquées. Vous pouvez les autoriser dans les réglages "
                               "du navigateur."))
    expect(page.locator("#push-message")).to_have_attribute("aria-checked", "false")
    assert _rows(app_db, "amina")[0][1] == []
    page.evaluate("window.scrollTo(0, 0)")  # a full-page shot draws the fixed tab bar where it is
    shot(page, "push-blocked-fr")


def test_a_coach_can_turn_on_messages_only(page, app_db):
    _subscribe_directly(app_db, "julie", ["message"])
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    _card(page)
    expect(page.locator("#push-message")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#push-validation")).to_have_count(0)
    page.click("#push-message")
    expect(page.locator("#push-message")).to_have_attribute("aria-checked", "false")
    page.reload()
    expect(page.locator("#push-message")).to_have_attribute("aria-checked", "false")
    shot(page, "push-settings-coach-fr")
