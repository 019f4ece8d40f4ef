"""Offline on the trainee's phone: the last seen screens stay readable, what is written offline
is sent once when the network is back, and nothing personal stays after sign-out."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from .conftest import shot, sign_in
from .test_accessibility import check

pytestmark = pytest.mark.browser

# Every place a browser keeps data for a site: local storage, IndexedDB, Cache Storage.
BROWSER_STORAGE = """async () => {
    const found = [];
    for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        found.push(key + "=" + localStorage.getItem(key));
    }
    for (const info of (await indexedDB.databases())) {
        const db = await new Promise((ok, ko) => {
            const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = ko;
        });
        for (const store of db.objectStoreNames) {
            const all = await new Promise((ok) => {
                const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result);
            });
            found.push(JSON.stringify(all));
        }
        db.close();
    }
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) found.push(await (await cache.match(request)).text());
    }
    return found.join("\\n");
}"""


def _controlled_in(page, locale: str) -> None:
    """The service worker runs this page (and has kept the trainee's screens of the language)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function("""(path) => caches.keys().then(async (names) => {
        for (const n of names) if (await (await caches.open(n)).match(path, {ignoreVary: true})) return true;
        return false;
    })""", arg=f"/{locale}/skills/")


def _controlled(page) -> None:
    _controlled_in(page, "fr")


def _open_tab(page, tab: str) -> None:
    page.click(f"#tab-{tab}")
    page.wait_for_url(f"**/{tab}/")


def _db(app_data_dir):
    return sqlite3.connect(app_data_dir / "cisp.db")


def test_offline_the_last_seen_screens_stay_readable_and_drafts_go_later(page, second_page, app_data_dir):
    trainee, coach = page, second_page
    sign_in(trainee, "kevin")
    trainee.wait_for_url("**/fr/my-pathway/")
    _controlled(trainee)
    # Seen once online, with its data on the screen: each screen is kept.
    for tab, shown in (("goals", "#goal-groups"), ("skills", "#skill-areas li"), ("messages", "#thread, #thread-empty")):
        _open_tab(trainee, tab)
        expect(trainee.locator(shown).first).to_be_visible()
        expect(trainee.locator("#offline-copy")).to_have_count(0)
    expect(trainee.locator("#message-body")).to_be_visible()
    trainee.fill("#message-body", "Bonjour, je suis à la gare.")
    trainee.click("#message-send")
    expect(trainee.locator("#thread li", has_text="je suis à la gare")).to_have_count(1)

    # The coach has the conversation open, live.
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Kevin Maes'] [data-link=conversation]").click()
    expect(coach.locator("#thread li", has_text="je suis à la gare")).to_have_count(1)

    trainee.context.set_offline(True)
    trainee.reload()  # no network: the screen opens from the phone, marked offline
    copy = trainee.locator("#offline-copy")
    expect(copy).to_contain_text("Hors ligne")
    expect(copy).to_contain_text("Bonjour, je suis à la gare.")
    trainee.fill("#message-body", "Écrit sans réseau")
    trainee.click("#message-send")
    waiting = trainee.locator("#pending-messages li", has_text="Écrit sans réseau")
    expect(waiting).to_contain_text("En attente d'envoi")
    shot(trainee, "offline-messages-fr")

    trainee.goto("/fr/skills/")  # a full load, still offline: the kept copy, and a level to give
    expect(trainee.locator("#offline-copy")).to_contain_text("Hors ligne")
    first = trainee.locator("#offline-copy li", has=trainee.get_by_role("button", name="M'évaluer")).first
    skill_label = first.locator("p").first.inner_text()
    skill = trainee.locator("#offline-copy li", has_text=skill_label).first
    skill.get_by_role("button", name="M'évaluer").click()
    skill.locator("[data-level='2']").click()
    expect(skill.locator("[data-draft=assessment]")).to_have_text("En attente d'envoi : Avec de l'aide")
    expect(trainee.locator("#outbox-waiting")).to_contain_text("2")
    shot(trainee, "offline-skills-fr")
    trainee.goto("/fr/goals/")
    expect(trainee.locator("#offline-copy")).to_contain_text("Hors ligne")
    shot(trainee, "offline-goals-fr")
    trainee.goto("/fr/my-pathway/")
    expect(trainee.locator("#offline-copy")).to_contain_text("Mes objectifs")
    shot(trainee, "offline-home-fr")
    expect(coach.locator("#thread li", has_text="Écrit sans réseau")).to_have_count(0)

    trainee.context.set_offline(False)
    trainee.reload()
    expect(trainee.locator("#offline-copy")).to_have_count(0)
    expect(trainee.locator("#outbox-waiting")).to_have_count(0, timeout=20000)
    # Delivered once, on the coach's live screen, and in the order it was made.
    expect(coach.locator("#thread li", has_text="Écrit sans réseau")).to_have_count(1, timeout=10000)
    trainee.reload()  # a reload sends nothing twice
    expect(trainee.locator("#greeting")).to_be_visible()
    with _db(app_data_dir) as db:
        sent = db.execute("SELECT m.created_at FROM message m JOIN app_user u ON u.id = m.sender_id "
                          "WHERE u.login = 'kevin' AND m.body = 'Écrit sans réseau'").fetchall()
        assessed = db.execute("SELECT a.created_at, a.level FROM self_assessment a JOIN app_user u ON "
                              "u.id = a.trainee_id WHERE u.login = 'kevin' AND a.client_id IS NOT NULL").fetchall()
    assert len(sent) == 1 and len(assessed) == 1
    assert assessed[0][1] == 2 and sent[0][0] <= assessed[0][0]
    _open_tab(trainee, "skills")
    card = trainee.locator("#skill-areas li", has_text=skill_label).first
    expect(card).to_contain_text("En attente de validation")


def test_after_sign_out_no_personal_text_stays_in_the_browser(page):
    sentinel = "SENTINELLE-7Q4 dettes et santé"
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    _controlled(page)
    _open_tab(page, "messages")
    page.fill("#message-body", sentinel)
    page.click("#message-send")
    expect(page.locator("#thread li", has_text=sentinel)).to_have_count(1)
    _open_tab(page, "goals")
    page.context.set_offline(True)
    _open_tab(page, "messages")  # offline: a draft waits on the phone too
    page.fill("#message-body", sentinel + " (brouillon)")
    page.click("#message-send")
    expect(page.locator("#pending-messages")).to_contain_text("En attente d'envoi")
    # The phone holds it now (so the check below can fail).
    assert sentinel in page.evaluate(BROWSER_STORAGE)

    page.click("#sign-out")  # offline: the phone forgets at once, and shows sign-in
    page.wait_for_url("**/fr/sign-in/")
    expect(page.locator("#sign-in-submit")).to_be_visible()
    assert sentinel not in page.evaluate(BROWSER_STORAGE)

    page.context.set_offline(False)
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    _open_tab(page, "messages")
    expect(page.locator("#thread li", has_text=sentinel)).to_have_count(1)
    assert sentinel in page.evaluate(BROWSER_STORAGE)  # the messages screen is kept again
    page.click("#sign-out")  # online: the server ends the session, the phone forgets
    page.wait_for_url("**/fr/sign-in/")
    page.wait_for_function("localStorage.getItem('cisp_copy_messages') === null")
    assert sentinel not in page.evaluate(BROWSER_STORAGE)


def test_offline_in_arabic_the_copy_reads_right_to_left(page):
    from cisp_pwa import i18n

    _ = i18n.gettext_for("ar")
    sign_in(page, "youssef", locale="ar")
    page.wait_for_url("**/ar/my-pathway/")
    _controlled_in(page, "ar")
    _open_tab(page, "skills")
    expect(page.locator("#skill-areas")).to_be_visible()
    page.context.set_offline(True)
    page.reload()
    copy = page.locator("#offline-copy")
    expect(copy).to_contain_text(_("Hors ligne"))
    expect(copy.get_by_role("button", name=_("M'évaluer")).first).to_be_visible()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    copy.get_by_role("button", name=_("M'évaluer")).first.click()  # the levels to choose from
    shot(page, "offline-skills-ar")
    page.wait_for_timeout(3000)  # several failed reconnections: nothing in English pops up
    expect(page.get_by_text("Cannot connect to server")).to_have_count(0)
    check(page, "offline ar/skills/")  # WCAG A and AA, offline too
    page.goto("/ar/my-pathway/")
    expect(page.locator("#offline-copy")).to_contain_text(_("Mes objectifs"))
    shot(page, "offline-home-ar")
    check(page, "offline ar/my-pathway/")
    page.goto("/ar/goals/")
    expect(page.locator("#offline-copy")).to_contain_text(_("Hors ligne"))
    shot(page, "offline-goals-ar")
    page.goto("/ar/messages/")
    page.fill("#message-body", "مكتوب بدون شبكة")
    page.click("#message-send")
    expect(page.locator("#pending-messages")).to_contain_text(_("En attente d'envoi"))
    expect(page.locator("#outbox-waiting")).to_have_text(_("En attente d'envoi : %(n)s").replace("%(n)s", "1"))
    shot(page, "offline-messages-ar")
    page.context.set_offline(False)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_coach_reply_written_offline_goes_when_back(page, app_data_dir, locale):
    from cisp_pwa import i18n

    _ = i18n.gettext_for(locale)
    body = f"Réponse écrite dans le train ({locale})"
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    page.locator("#trainees [data-trainee='Amina Benali'] [data-link=conversation]").click()
    page.wait_for_url("**/conversation/**")
    page.goto(page.url.replace("/fr/", f"/{locale}/"))
    expect(page.locator("#message-body")).to_be_visible()
    page.context.set_offline(True)
    expect(page.locator("#offline-notice")).to_have_text(_("Pas de connexion internet"))
    page.fill("#message-body", body)
    page.click("#message-send")
    expect(page.locator("#pending-messages li", has_text=body)).to_contain_text(_("En attente d'envoi"))
    shot(page, f"conversation-offline-{locale}")
    page.context.set_offline(False)
    expect(page.locator("#thread li", has_text=body)).to_have_count(1, timeout=20000)
    expect(page.locator("#pending-messages")).to_have_count(0)
    expect(page.locator("#outbox-refused")).to_have_count(0)
    expect(page.locator("#offline-notice")).to_have_count(0)
    with _db(app_data_dir) as db:
        assert db.execute("SELECT count(*) FROM message WHERE body = ?", (body,)).fetchone() == (1,)


def test_after_a_dropped_connection_the_screen_updates_itself_again(page, second_page):
    """Reflex stops a screen's live updates when its connection drops: the screen loads again."""
    coach, trainee = page, second_page
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Amina Benali'] [data-link=conversation]").click()
    expect(coach.locator("#message-body")).to_be_visible()
    coach.context.set_offline(True)
    coach.wait_for_function("!navigator.onLine")
    expect(coach.locator("#thread")).to_be_visible()
    coach.wait_for_timeout(1500)  # long enough for the socket to drop: a train in a tunnel
    coach.context.set_offline(False)
    sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.click("#tab-messages")
    trainee.fill("#message-body", "Arrivé après la coupure")
    trainee.click("#message-send")
    expect(coach.locator("#thread li", has_text="Arrivé après la coupure")).to_have_count(1, timeout=10000)


def test_a_message_the_server_does_not_confirm_offers_a_retry_and_lands_once(page, app_data_dir):
    """Connected, but the message never reaches the server (a proxy drops it): after a while the
    trainee is told and can send it again, with the same id."""
    dropping = {"on": False}

    def relay(ws):
        server = ws.connect_to_server()

        def to_server(message):
            if dropping["on"] and isinstance(message, str) and '"body":"Perdu en route"' in message:
                return  # lost on the way
            server.send(message)

        ws.on_message(to_server)
        server.on_message(lambda message: ws.send(message))

    page.route_web_socket("**/_event/**", relay)
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    _open_tab(page, "messages")
    expect(page.locator("#message-body")).to_be_visible()
    dropping["on"] = True
    page.fill("#message-body", "Perdu en route")
    page.click("#message-send")
    pending = page.locator("#pending-messages li", has_text="Perdu en route")
    expect(pending).to_contain_text("Non envoyé — réessayer", timeout=15000)
    dropping["on"] = False
    pending.get_by_role("button", name="Non envoyé — réessayer").click()
    expect(page.locator("#thread li", has_text="Perdu en route")).to_have_count(1)
    expect(page.locator("#pending-messages")).to_have_count(0)
    with _db(app_data_dir) as db:
        assert db.execute("SELECT count(*) FROM message WHERE body = 'Perdu en route'").fetchone() == (1,)
