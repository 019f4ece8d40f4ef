"""Voice messages in the browser: Chromium's fake microphone records, the trainee listens and
sends, her coach's open conversation shows it live and plays it to the end, and the trainee's
screen then says "Écouté"; nobody else hears it; a forged recording, or one whose length is
forged, is refused with the reason on the screen; recorded offline, it waits on the phone
(IndexedDB) and goes once, in its place; a blocked microphone is said plainly and the text box
stays."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
from playwright.sync_api import expect

from cisp_pwa import i18n

from .conftest import CHROMIUM, PHONE, SCREENSHOTS, shot, sign_in
from .test_accessibility import check

pytestmark = pytest.mark.browser
LIVE = 10_000

FETCH_STATUS = """async (id) => {
  const raw = localStorage.getItem('cisp_session') || '';
  const headers = raw ? { Authorization: 'Bearer ' + raw } : {};
  const response = await fetch('/voice/' + id, { headers, cache: 'no-store' });
  return [response.status, response.headers.get('cache-control')];
}"""
# The same request with no session at all (an open page may write its token back at any time).
FETCH_STATUS_WITHOUT_SESSION = """async (id) => {
  const response = await fetch('/voice/' + id, { cache: 'no-store' });
  return [response.status, response.headers.get('cache-control')];
}"""


def _record(trainee, seconds: float = 2.0, shoot: str = "") -> None:
    """Record with the fake microphone; `shoot`: screenshots of the recorder while recording
    and once recorded (<shoot>-recording, <shoot>-recorded)."""
    trainee.click("#voice-record")
    expect(trainee.locator("#voice-timer")).to_contain_text("2:00")
    trainee.wait_for_timeout(seconds * 1000)
    expect(trainee.locator("#voice-timer")).not_to_contain_text("0:00 /")
    if shoot:
        shot(trainee, f"{shoot}-recording")
    trainee.click("#voice-stop")
    expect(trainee.locator("#voice-preview")).to_be_visible()
    if shoot:
        shot(trainee, f"{shoot}-recorded")


def _db(app_data_dir):
    return sqlite3.connect(app_data_dir / "cisp.db")


def _open_messages(page, login: str, locale: str = "fr") -> None:
    sign_in(page, login, locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    page.click("#tab-messages")
    page.wait_for_url(f"**/{locale}/messages/")
    expect(page.locator("#voice-record")).to_be_visible()


def _open_conversation(coach, login: str, trainee_name: str) -> None:
    sign_in(coach, login)
    coach.wait_for_url("**/fr/trainees/")
    coach.locator(f"#trainees [data-trainee='{trainee_name}'] [data-link=conversation]").click()
    expect(coach.locator("#message-body")).to_be_visible()


def test_a_trainee_says_it_and_her_coach_hears_it_live(page, second_page, browser, app_url):
    trainee, coach = page, second_page
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Amina Benali'] [data-link=conversation]").click()
    expect(coach.locator("#message-body")).to_be_visible()
    heard_before = coach.locator("#thread [data-voice]").count()

    sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.click("#tab-messages")
    trainee.wait_for_url("**/fr/messages/")
    expect(trainee.locator("#voice-record")).to_contain_text("Parler")
    box = trainee.locator("#voice-record").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    expect(trainee.locator("#message-body")).to_be_visible()  # writing stays possible
    shot(trainee, "voice-idle-fr")
    _record(trainee, shoot="voice-fr")
    expect(trainee.locator("#voice-recorder")).to_contain_text("Envoyer")
    expect(trainee.locator("#voice-recorder")).to_contain_text("Annuler")
    shot(trainee, "voice-recorded-fr")
    check(trainee, "the recorder, before sending")
    trainee.click("#voice-send")
    expect(trainee.locator("#voice-record")).to_be_visible()  # sent: the recorder is ready again
    mine = trainee.locator("#thread li[data-mine=true] [data-voice]").last
    expect(mine).to_be_visible()
    message_id = mine.get_attribute("data-voice")

    # Live on the coach's open screen, without reload; she plays it to the end, slower.
    voice = coach.locator(f"#thread [data-voice='{message_id}']")
    expect(voice).to_be_visible(timeout=LIVE)
    assert coach.locator("#thread [data-voice]").count() == heard_before + 1
    expect(voice).to_contain_text("0:0")  # its length, e.g. 0:02
    voice.locator("[data-action=speed]").click()
    expect(voice.locator("[data-action=speed]")).to_have_attribute("aria-pressed", "true")
    expect(voice.locator("[data-action=speed]")).to_have_text("0.75×")
    play = voice.locator("[data-action=play]")
    assert play.bounding_box()["height"] >= 44
    play.click()
    audio = coach.locator(f"#voice-audio-{message_id}")
    expect(audio).to_have_attribute("data-ended", "true", timeout=15_000)
    expect(voice.locator("[role=progressbar]")).to_have_attribute("data-progress", "100")
    assert coach.evaluate(f"document.getElementById('voice-audio-{message_id}').playbackRate") == 0.75
    assert coach.evaluate(f"document.getElementById('voice-audio-{message_id}').src").startswith("blob:")
    # She sees, live, that her coach has listened (as "Lu" for a text).
    bubble = trainee.locator("#thread li[data-mine=true]", has=trainee.locator(f"[data-voice='{message_id}']"))
    expect(bubble.locator("[data-listened=true]")).to_have_text("Écouté", timeout=LIVE)
    shot(coach, "voice-coach-fr")
    shot(trainee, "voice-sent-fr")
    check(coach, "a voice message on the coach's screen")
    check(trainee, "a voice message on the trainee's screen")

    # The members hear it, never kept by a cache; anyone else gets 403, no session 401.
    assert coach.evaluate(FETCH_STATUS, message_id) == [200, "private, no-store"]
    # Asked through the service worker (the page is its client now), it still keeps nothing.
    trainee.evaluate("navigator.serviceWorker.ready.then(() => true)")
    trainee.reload()
    trainee.wait_for_function("navigator.serviceWorker.controller !== null")
    assert trainee.evaluate(FETCH_STATUS, message_id) == [200, "private, no-store"]
    kept = trainee.evaluate("""caches.keys().then(async (names) => {
        const urls = [];
        for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(r.url);
        return urls;
    })""")
    assert kept and not [url for url in kept if "/voice" in url]
    for login in ("marc", "luc"):
        context = browser.new_context(base_url=app_url)
        other = context.new_page()
        sign_in(other, login)
        other.wait_for_url("**/fr/**/")
        other.wait_for_function("!!localStorage.getItem('cisp_session')")
        assert other.evaluate(FETCH_STATUS, message_id)[0] == 403, login
        assert other.evaluate(FETCH_STATUS_WITHOUT_SESSION, message_id)[0] == 401
        context.close()


def test_a_forged_recording_is_refused_with_the_reason(page):
    sign_in(page, "kevin")
    page.wait_for_url("**/fr/my-pathway/")
    page.click("#tab-messages")
    page.wait_for_url("**/fr/messages/")
    voices_before = page.locator("#thread [data-voice]").count()
    _record(page, 1.0)
    # What leaves the phone is replaced by a page pretending to be a WebM recording.
    page.route("**/voice?*", lambda route: route.continue_(post_data=b"<html>not a sound</html>"))
    page.click("#voice-send")
    expect(page.locator("#voice-error")).to_contain_text("n'est pas un enregistrement")
    expect(page.locator("#voice-send")).to_be_enabled()  # kept: she may cancel or try again
    shot(page, "voice-refused-fr")
    page.unroute("**/voice?*")
    # The real recording, but the phone is made to say it lasts 30 s: the server reads its length.
    page.route("**/voice?*", lambda route: route.continue_(
        headers={**route.request.headers, "x-duration-ms": "30000"}))
    page.click("#voice-send")
    expect(page.locator("#voice-error")).to_contain_text("Cet enregistrement est abîmé")
    shot(page, "voice-refused-length-fr")
    page.unroute("**/voice?*")
    page.click("#voice-cancel")
    expect(page.locator("#voice-record")).to_be_visible()
    assert page.locator("#thread [data-voice]").count() == voices_before


OUTBOX = "() => JSON.parse(localStorage.getItem('cisp_outbox') || '[]')"
# What IndexedDB holds for the voice drafts: {draft id: size of its recording}.
RECORDINGS = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes('cisp-voice')) return {};
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open('cisp-voice');
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains('recordings')) { db.close(); resolve({}); return; }
      const store = db.transaction('recordings').objectStore('recordings');
      const kept = {};
      store.openCursor().onsuccess = (event) => {
        const cursor = event.target.result;
        if (cursor) { kept[cursor.key] = cursor.value.size; cursor.continue(); } else { db.close(); resolve(kept); }
      };
    };
  });
}"""


def test_recorded_offline_it_waits_on_the_phone_then_goes_once_in_its_place(page, second_page, app_data_dir):
    trainee, coach = page, second_page
    _open_conversation(coach, "julie", "Amina Benali")
    _open_messages(trainee, "amina")
    voices_before = coach.locator("#thread [data-voice]").count()
    tag = uuid.uuid4().hex[:6]

    trainee.context.set_offline(True)
    trainee.fill("#message-body", f"Avant le vocal {tag}")
    trainee.click("#message-send")
    _record(trainee)
    trainee.click("#voice-send")
    expect(trainee.locator("#voice-record")).to_be_visible()  # the recorder is free again
    waiting = trainee.locator("#pending-messages li[data-kind=voice]")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Message vocal (0:0")
    expect(waiting).to_contain_text("En attente d'envoi")
    trainee.fill("#message-body", f"Après le vocal {tag}")
    trainee.click("#message-send")
    expect(trainee.locator("#pending-messages li")).to_have_count(3)
    shot(trainee, "voice-offline-waiting-fr")
    check(trainee, "a voice message waiting offline")

    # The outbox keeps its place and its length, the recording itself waits in IndexedDB.
    outbox = trainee.evaluate(OUTBOX)
    assert [d["kind"] for d in outbox] == ["message", "voice", "message"]
    voice_draft = outbox[1]
    assert set(voice_draft) == {"kind", "id", "trainee", "ms", "owner", "at"}
    assert len(json.dumps(outbox)) < 1000  # no sound in localStorage
    kept = trainee.evaluate(RECORDINGS)
    assert list(kept) == [voice_draft["id"]] and kept[voice_draft["id"]] > 100
    with _db(app_data_dir) as db:
        assert db.execute("SELECT count(*) FROM message WHERE client_id = ?", (voice_draft["id"],)).fetchone() == (0,)

    trainee.context.set_offline(False)
    expect(trainee.locator("#outbox-waiting")).to_have_count(0, timeout=20_000)
    expect(trainee.locator("#pending-messages li")).to_have_count(0)
    # Live on the coach's screen, once, between the two texts.
    expect(coach.locator("#thread [data-voice]")).to_have_count(voices_before + 1, timeout=LIVE)
    expect(coach.locator("#thread li", has_text=f"Après le vocal {tag}")).to_have_count(1, timeout=LIVE)
    trainee.reload()  # a reload sends nothing twice
    expect(trainee.locator("#voice-record")).to_be_visible()
    expect(trainee.locator("#thread [data-voice]")).to_have_count(voices_before + 1)
    assert trainee.evaluate(RECORDINGS) == {}  # sent: the phone keeps no sound
    with _db(app_data_dir) as db:
        ids = [db.execute("SELECT m.id FROM message m JOIN app_user u ON u.id = m.sender_id "
                          "WHERE u.login = 'amina' AND m.body = ?", (body,)).fetchall()
               for body in (f"Avant le vocal {tag}", f"Après le vocal {tag}")]
        voice_rows = db.execute("SELECT m.id, v.size FROM message m JOIN voice_note v ON v.message_id = m.id "
                                "WHERE m.client_id = ?", (voice_draft["id"],)).fetchall()
    assert len(ids[0]) == len(ids[1]) == 1 and len(voice_rows) == 1 and voice_rows[0][1] > 100
    assert ids[0][0][0] < voice_rows[0][0] < ids[1][0][0]  # in the order they were made


def test_in_arabic_the_recorder_and_a_voice_message_read_right_to_left(page, second_page):
    _ = i18n.gettext_for("ar")
    trainee, coach = page, second_page
    _open_messages(trainee, "youssef", "ar")
    expect(trainee.locator("html")).to_have_attribute("dir", "rtl")
    expect(trainee.locator("#voice-record")).to_contain_text(_("Parler"))
    shot(trainee, "voice-idle-ar")
    _record(trainee, shoot="voice-ar")
    check(trainee, "the recorder in Arabic")
    trainee.click("#voice-send")
    mine = trainee.locator("#thread li[data-mine=true] [data-voice]").last
    expect(mine).to_be_visible()
    message_id = mine.get_attribute("data-voice")
    expect(mine).to_contain_text(_("Message vocal"))
    shot(trainee, "voice-thread-ar")
    check(trainee, "a voice message in Arabic")

    # Luc answers in French on his screen; Youssef's Arabic screen plays it.
    _open_conversation(coach, "luc", "Youssef El Amrani")
    expect(coach.locator(f"#thread [data-voice='{message_id}']")).to_be_visible()
    _record(coach, 1.0)
    coach.click("#voice-send")
    answer = trainee.locator("#thread li[data-mine=false] [data-voice]").last
    expect(answer).to_be_visible(timeout=LIVE)
    answer.locator("[data-action=play]").click()
    answer_id = answer.get_attribute("data-voice")
    expect(trainee.locator(f"#voice-audio-{answer_id}")).to_have_attribute("data-ended", "true", timeout=15_000)
    shot(trainee, "voice-played-ar")
    mark = coach.locator("#thread li[data-mine=true]", has=coach.locator(f"[data-voice='{answer_id}']"))
    expect(mark.locator("[data-listened=true]")).to_have_text("Écouté", timeout=LIVE)  # his screen: French
    # The coach's screen in Arabic, with both voice messages.
    coach.goto(coach.url.replace("/fr/", "/ar/"))
    expect(coach.locator("#thread [data-voice]").first).to_be_visible()
    expect(coach.locator("#thread li[data-mine=true] [data-listened=true]").last).to_have_text(_("Écouté"))
    shot(coach, "voice-coach-ar")
    check(coach, "voice messages on the coach's screen in Arabic")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_at_320_px_with_large_text_the_recorder_fits(browser, app_url, locale):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=app_url, locale="fr-BE")
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    page.click("#display-settings summary")
    page.click("#setting-size-large")
    page.goto(f"/{locale}/messages/")
    expect(page.locator("#voice-record")).to_be_visible()
    fits = "document.documentElement.scrollWidth <= 320"
    assert page.evaluate(fits)
    shot(page, f"voice-idle-{locale}-320-large")
    _record(page, 1.0)
    assert page.evaluate(fits)
    for button in ("#voice-preview", "#voice-cancel", "#voice-send"):
        box = page.locator(button).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, button
    shot(page, f"voice-recorded-{locale}-320-large")
    voices = page.locator("#thread li[data-mine=true] [data-voice]").count()
    page.click("#voice-send")
    expect(page.locator("#thread li[data-mine=true] [data-voice]")).to_have_count(voices + 1)
    voice = page.locator("#thread [data-voice]").last
    voice.scroll_into_view_if_needed()
    assert page.evaluate(fits)
    shot(page, f"voice-thread-{locale}-320-large")
    context.close()


def test_a_blocked_microphone_is_said_plainly_and_the_text_box_stays(browser, app_url):
    """A phone that said no to the microphone (no fake permission: headless Chromium refuses)."""
    refusing = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream"])
    try:
        for locale in ("fr", "ar"):
            _ = i18n.gettext_for(locale)
            context = refusing.new_context(viewport=PHONE, base_url=app_url, locale="fr-BE")
            context.set_default_timeout(20_000)
            page = context.new_page()
            _open_messages(page, "kevin")
            page.goto(f"/{locale}/messages/")
            expect(page.locator("#voice-record")).to_be_visible()
            page.click("#voice-record")
            expect(page.locator("#voice-error")).to_have_text(_(
                "Le micro est bloqué. Pour l'autoriser : touchez le cadenas à côté de l'adresse, "
                "puis Micro, puis Autoriser. Vous pouvez aussi écrire votre message."), timeout=10_000)
            expect(page.locator("#message-body")).to_be_visible()
            expect(page.locator("#message-body")).to_be_editable()
            expect(page.locator("#voice-record")).to_be_visible()  # she may try again once allowed
            # The words come into view whole: nothing (the tab bar) covers them.
            page.wait_for_function("""() => {
                const box = document.getElementById('voice-error').getBoundingClientRect();
                const hit = document.elementFromPoint(box.left + box.width / 2, box.bottom - 4);
                return !!(hit && hit.closest('#voice-error'));
            }""")
            page.screenshot(path=str(SCREENSHOTS / f"voice-blocked-{locale}-viewport.png"))
            shot(page, f"voice-blocked-{locale}")
            check(page, f"a blocked microphone ({locale})")
            context.close()
    finally:
        refusing.close()
