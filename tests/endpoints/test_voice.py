"""Voice messages over HTTP (endpoints/voice.py): the session from the Authorization header, the
service's answers as status codes, nothing cached."""

from __future__ import annotations

import uuid

import pytest
from starlette.testclient import TestClient

from cisp_pwa.endpoints import voice
from cisp_pwa.services.people import auth

from ..recordings import M4A, WEBM, webm_moved_by
from ..services.helpers import user_id


@pytest.fixture
def client(demo_db):
    return TestClient(voice.api())


def _token(login: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + auth.sign_in(login, f"parcours-{login}").token}


def _upload(client, login, data=WEBM, mime="audio/webm;codecs=opus", trainee=None, **headers):
    return client.post(f"/voice?trainee={trainee or user_id('amina')}", content=data, headers={
        **(_token(login) if login else {}), "Content-Type": mime, "X-Client-Id": str(uuid.uuid4()),
        "X-Duration-Ms": "2000", **headers})


def test_a_member_sends_and_the_other_members_hear_it(client):
    sent = _upload(client, "amina")
    assert sent.status_code == 200 and sent.headers["cache-control"] == "private, no-store"
    message_id = sent.json()["id"]
    for login in ("julie", "amina"):
        heard = client.get(f"/voice/{message_id}", headers=_token(login))
        assert heard.status_code == 200 and heard.content == WEBM
        assert heard.headers["content-type"] == "audio/webm"
        assert heard.headers["cache-control"] == "private, no-store"
    for login in ("marc", "luc", "kevin"):
        assert client.get(f"/voice/{message_id}", headers=_token(login)).status_code == 403
    assert client.get(f"/voice/{message_id}").status_code == 401
    assert client.get(f"/voice/{message_id}", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/voice/999999", headers=_token("julie")).status_code == 403


def test_refusals_carry_the_reason(client):
    wrong = _upload(client, "amina", data=b"<html>not a sound</html>")
    assert (wrong.status_code, wrong.json()) == (400, {"error": "voice_not_audio"})
    assert _upload(client, "amina", mime="text/plain").json() == {"error": "voice_type"}
    assert _upload(client, None).status_code == 401
    assert _upload(client, "marc").status_code == 403
    assert _upload(client, "luc").status_code == 403
    assert _upload(client, "amina", **{"X-Duration-Ms": "abc"}).status_code == 400
    assert _upload(client, "amina", **{"X-Client-Id": "x"}).json() == {"error": "client_id_invalid"}
    big = _upload(client, "amina", data=WEBM[:4] + b"\x00" * (1024 * 1024))
    assert (big.status_code, big.json()) == (413, {"error": "voice_too_big"})


def test_a_replayed_upload_lands_once(client):
    """The phone's outbox sends again what it did not hear back about: the same id, one message."""
    from sqlalchemy import func, select

    from cisp_pwa.models import Message, VoiceNote
    from cisp_pwa.services.infra import db

    headers = {"X-Client-Id": str(uuid.uuid4())}
    first = _upload(client, "amina", **headers)
    again = _upload(client, "amina", **headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    with db.reading() as s:
        assert s.scalar(select(func.count(Message.id)).where(Message.client_id == headers["X-Client-Id"])) == 1
        assert s.scalar(select(func.count(VoiceNote.id))) == 1


def test_playing_it_on_the_other_side_marks_it_listened(client):
    from cisp_pwa.services.conversations import messages

    from ..services.helpers import actor

    message_id = _upload(client, "amina").json()["id"]

    def listened() -> bool:
        return next(m.listened for m in messages.list_messages(actor("amina"), user_id("amina"))
                    if m.id == message_id)

    assert client.get(f"/voice/{message_id}", headers=_token("amina")).status_code == 200
    assert client.get(f"/voice/{message_id}", headers=_token("marc")).status_code == 403
    assert not listened()  # her own playback, and a refused one, mark nothing
    # A HEAD asks about the recording without hearing it: nothing marked.
    head = client.head(f"/voice/{message_id}", headers=_token("julie"))
    assert head.status_code == 200 and head.content == b""
    assert not listened()
    assert client.get(f"/voice/{message_id}", headers=_token("julie")).status_code == 200
    assert listened()


def test_an_mp4_recording_is_kept_and_one_too_long_is_refused(client):
    mp4 = M4A  # AAC in MP4, as Safari's MediaRecorder makes
    sent = _upload(client, "amina", data=mp4, mime="audio/mp4;codecs=mp4a.40.2")
    assert sent.status_code == 200
    heard = client.get(f"/voice/{sent.json()['id']}", headers=_token("julie"))
    assert (heard.status_code, heard.headers["content-type"], heard.content) == (200, "audio/mp4", mp4)
    too_long = _upload(client, "amina", **{"X-Duration-Ms": "120001"})
    assert (too_long.status_code, too_long.json()) == (400, {"error": "voice_too_long"})
    said_webm = _upload(client, "amina", data=mp4, mime="audio/webm")
    assert (said_webm.status_code, said_webm.json()) == (400, {"error": "voice_not_audio"})


def test_a_recording_that_lies_about_its_length_is_refused_and_nothing_is_kept(client):
    """The phone says 2 s: the server reads the real length from the recording itself."""
    from sqlalchemy import func, select

    from cisp_pwa.models import VoiceNote
    from cisp_pwa.services.conversations import messages
    from cisp_pwa.services.infra import db

    from ..services.helpers import actor

    two_minutes_more = _upload(client, "amina", data=webm_moved_by(WEBM, 128_000))
    assert (two_minutes_more.status_code, two_minutes_more.json()) == (400, {"error": "voice_too_long"})
    thirty_s_more = _upload(client, "amina", data=webm_moved_by(WEBM, 30_000))
    assert (thirty_s_more.status_code, thirty_s_more.json()) == (400, {"error": "voice_length_mismatch"})
    cut = _upload(client, "amina", data=WEBM[:150])
    assert (cut.status_code, cut.json()) == (400, {"error": "voice_unreadable"})
    with db.reading() as s:
        assert s.scalar(select(func.count(VoiceNote.id))) == 0
    # The true one goes, with the length it really has (2 s; the phone's clock said 3 s).
    sent = _upload(client, "amina", **{"X-Duration-Ms": "3000"})
    seen = messages.list_messages(actor("julie"), user_id("amina"))
    kept = next(m for m in seen if m.id == sent.json()["id"])
    assert abs(kept.voice_ms - 2000) <= 300


def test_every_refusal_of_a_recording_has_words_in_every_language():
    """Each code the service refuses a recording with is said on the screen (voice_recorder.py)."""
    import inspect
    import re

    from cisp_pwa import i18n
    from cisp_pwa.components.voice_recorder import refusals
    from cisp_pwa.services.conversations import voice as voice_service

    codes = set(re.findall(r'InvalidInput\("(\w+)"', inspect.getsource(voice_service)))
    assert {"voice_unreadable", "voice_length_mismatch", "voice_too_long"} <= codes
    for locale in i18n.LOCALES:
        words = refusals(locale)
        assert all(words.get(code) for code in codes), locale
    damaged = "Cet enregistrement est abîmé. Recommencez avec le bouton Parler."
    assert refusals("fr")["voice_length_mismatch"] == damaged
    assert refusals("en")["voice_unreadable"] == "This recording is damaged. Try again with the Talk button."
