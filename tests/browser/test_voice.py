"""Voice messages in the browser: Chromium's fake microphone records, the trainee listens and
sends, her coach's open conversation shows it live and plays it to the end; nobody else hears
it; a forged recording is refused with the reason on the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import shot, sign_in
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


def _record(trainee, seconds: float = 2.0) -> None:
    trainee.click("#voice-record")
    expect(trainee.locator("#voice-timer")).to_contain_text("2:00")
    trainee.wait_for_timeout(seconds * 1000)
    expect(trainee.locator("#voice-timer")).not_to_contain_text("0:00 /")
    trainee.click("#voice-stop")
    expect(trainee.locator("#voice-preview")).to_be_visible()


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
    _record(trainee)
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
    assert coach.evaluate(f"document.getElementById('voice-audio-{message_id}').playbackRate") == 0.75
    assert coach.evaluate(f"document.getElementById('voice-audio-{message_id}').src").startswith("blob:")
    shot(coach, "voice-coach-fr")
    shot(trainee, "voice-sent-fr")
    check(coach, "a voice message on the coach's screen")
    check(trainee, "a voice message on the trainee's screen")

    # The members hear it, never kept by a cache; anyone else gets 403, no session 401.
    assert coach.evaluate(FETCH_STATUS, message_id) == [200, "private, no-store"]
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
    page.click("#voice-cancel")
    expect(page.locator("#voice-record")).to_be_visible()
    assert page.locator("#thread [data-voice]").count() == voices_before
