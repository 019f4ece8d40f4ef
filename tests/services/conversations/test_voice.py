"""Voice messages: checked recordings, the same rules as text messages, heard by members only."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import Message, VoiceNote
from cisp_pwa.services.conversations import messages, voice
from cisp_pwa.services.errors import AccessDenied, InvalidInput, Throttled
from cisp_pwa.services.infra import audio_length, db
from cisp_pwa.services.records import privacy
from tests.recordings import M4A, MP4, OGG, WEBM, webm_moved_by, webm_padded_to

from ..helpers import actor, user_id


def cid() -> str:
    return str(uuid.uuid4())


def _notes() -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(VoiceNote.id)))


@pytest.mark.parametrize("mime, data", [("audio/webm;codecs=opus", WEBM), ("audio/mp4", MP4),
                                        ("audio/mp4;codecs=mp4a.40.2", M4A), ("audio/ogg", OGG)])
def test_a_recording_is_a_message_of_the_conversation(demo_db, mime, data):
    amina, julie = actor("amina"), actor("julie")
    before = messages.send_message(julie, amina.id, cid(), "Tu m'envoies un vocal ?")
    # The phone's clock says 3 s (near enough); the 2 s the recording really lasts are kept.
    sent = voice.send_voice(amina, amina.id, cid(), mime, data, 3000)
    assert sent.id > before.id and abs(sent.voice_ms - 2000) <= 300 and sent.body == ""
    seen = messages.list_messages(julie, amina.id)
    assert [(m.body, m.voice_ms) for m in seen][-2:] == [("Tu m'envoies un vocal ?", 0), ("", sent.voice_ms)]
    # Read marks and unread counts are those of every message.
    assert messages.unread_count(julie, amina.id) == 1
    assert voice.audio_for(julie, sent.id) == (mime.split(";")[0], data)
    assert voice.audio_for(amina, sent.id) == (mime.split(";")[0], data)
    inbox = {i.trainee_name: i for i in messages.coach_inbox(julie)}
    assert inbox["Amina Benali"].last_voice and inbox["Amina Benali"].preview == ""


def test_the_same_client_id_lands_once(demo_db):
    amina = actor("amina")
    client_id = cid()
    first = voice.send_voice(amina, amina.id, client_id, "audio/webm", WEBM, 2000)
    again = voice.send_voice(amina, amina.id, client_id, "audio/webm", WEBM, 2000)
    assert first.id == again.id and again.voice_ms == first.voice_ms
    assert _notes() == 1


@pytest.mark.parametrize("mime, data, duration, code", [
    ("audio/webm", MP4, 1000, "voice_not_audio"),        # says WebM, is MP4
    ("audio/mp4", WEBM, 1000, "voice_not_audio"),
    ("audio/ogg", b"<script>alert(1)</script>", 1000, "voice_not_audio"),
    ("audio/webm", b"\x1a\x45", 1000, "voice_not_audio"),  # too short to be anything
    ("text/html", WEBM, 1000, "voice_type"),
    ("audio/wav", b"RIFF0000WAVE", 1000, "voice_type"),
    ("", WEBM, 1000, "voice_type"),
    ("audio/webm", b"", 1000, "voice_empty"),
    ("audio/webm", WEBM, 0, "voice_empty"),
    ("audio/webm", WEBM, 120_001, "voice_too_long"),
    ("audio/webm", WEBM[:4] + b"\x00" * (voice.MAX_BYTES - 3), 1000, "voice_too_big"),
    # The right first bytes, but no length to read: made up, or cut off before any sound.
    ("audio/webm", WEBM[:4] + b"\x00" * 60, 2000, "voice_unreadable"),
    ("audio/webm", WEBM[:150], 2000, "voice_unreadable"),
    ("audio/mp4", MP4[:600], 2000, "voice_unreadable"),
    ("audio/ogg", OGG[:4] + b"\x00" * 60, 2000, "voice_unreadable"),
    # Says 2 s, really lasts 130 s (past two minutes), or 32 s.
    ("audio/webm", webm_moved_by(WEBM, 128_000), 2000, "voice_too_long"),
    ("audio/webm", webm_moved_by(WEBM, 30_000), 2000, "voice_length_mismatch"),
    # Says 30 s, really lasts 2 s; or all but its first second was lost on the way.
    ("audio/webm", WEBM, 30_000, "voice_length_mismatch"),
    ("audio/ogg", OGG, 30_000, "voice_length_mismatch"),
    ("audio/mp4", MP4, 30_000, "voice_length_mismatch"),
    ("audio/webm", webm_moved_by(WEBM, 30_000)[:1000], 32_000, "voice_length_mismatch"),
])
def test_what_is_not_a_recording_we_keep_is_refused(demo_db, mime, data, duration, code):
    amina = actor("amina")
    with pytest.raises(InvalidInput) as refused:
        voice.send_voice(amina, amina.id, cid(), mime, data, duration)
    assert refused.value.code == code
    assert _notes() == 0


def test_the_limits_themselves_are_allowed(demo_db):
    amina = actor("amina")
    # A recording of one MiB that really lasts two minutes and the tolerance, and one ms more.
    longest_ms = voice.MAX_DURATION_MS + voice.LENGTH_TOLERANCE_MS
    shift = longest_ms - audio_length.length_ms("audio/webm", WEBM)
    biggest = webm_padded_to(webm_moved_by(WEBM, shift), voice.MAX_BYTES)
    sent = voice.send_voice(amina, amina.id, cid(), "audio/webm", biggest, voice.MAX_DURATION_MS)
    assert voice.audio_for(actor("julie"), sent.id)[1] == biggest
    assert sent.voice_ms == longest_ms
    with pytest.raises(InvalidInput) as refused:
        voice.send_voice(amina, amina.id, cid(), "audio/webm", webm_moved_by(WEBM, shift + 1),
                         voice.MAX_DURATION_MS)
    assert refused.value.code == "voice_too_long"
    assert _notes() == 1


@pytest.mark.parametrize("login", ["marc", "sophie", "kevin", "luc", "youssef", "claire"])
def test_only_the_members_of_the_conversation_hear_it_or_send_one(demo_db, login):
    amina = actor("amina")
    sent = voice.send_voice(amina, amina.id, cid(), "audio/webm", WEBM, 2000)
    with pytest.raises(AccessDenied):
        voice.audio_for(actor(login), sent.id)
    with pytest.raises(AccessDenied):
        voice.send_voice(actor(login), amina.id, cid(), "audio/webm", WEBM, 2000)
    assert _notes() == 1


def test_a_text_message_or_an_unknown_id_has_no_sound(demo_db):
    amina = actor("amina")
    text = messages.send_message(amina, amina.id, cid(), "Bonjour")
    for message_id in (text.id, 999_999):
        with pytest.raises(AccessDenied):
            voice.audio_for(amina, message_id)


def test_recordings_count_with_messages_against_a_flood(demo_db):
    kevin = actor("kevin")
    for i in range(20):
        messages.send_message(kevin, kevin.id, cid(), f"Message {i}")
    with pytest.raises(Throttled) as refused:
        voice.send_voice(kevin, kevin.id, cid(), "audio/webm", WEBM, 2000)
    assert refused.value.code == "too_many_messages"
    assert _notes() == 0


def test_erasure_takes_every_recording_of_her_conversation(demo_db):
    amina, julie = actor("amina"), actor("julie")
    voice.send_voice(amina, amina.id, cid(), "audio/webm", WEBM, 2000)
    voice.send_voice(julie, amina.id, cid(), "audio/ogg", OGG, 2000)
    kept = voice.send_voice(actor("kevin"), user_id("kevin"), cid(), "audio/webm", WEBM, 2000)
    privacy.erase(actor("sophie"), amina.id, "asked_by_trainee")
    with db.reading() as s:
        assert s.scalars(select(VoiceNote.message_id)).all() == [kept.id]  # Kevin's stays
        assert s.scalar(select(func.count(Message.id)).where(Message.id == kept.id)) == 1


def test_the_push_says_voice_message_and_nothing_more_under_the_message_switch():
    from cisp_pwa.models import Role
    from cisp_pwa.services.infra import push, push_sender

    payload = push_sender.payload_for(push.VOICE_MESSAGE, Role.trainee, "fr")
    assert (payload["title"], payload["url"]) == ("Nouveau message vocal", "/fr/messages/")
    assert push_sender.payload_for(push.VOICE_MESSAGE, Role.coach, "fr")["url"] == "/fr/trainees/"
    assert push.switch_of(push.VOICE_MESSAGE) == push.MESSAGE and push.switch_of(push.VALIDATION) == push.VALIDATION
    assert push.VOICE_MESSAGE not in push.KINDS_BY_ROLE[Role.trainee]  # not a switch of its own


def test_a_replayed_upload_with_the_same_client_id_makes_one_message(demo_db):
    """The outbox sends a recording made offline when the network is back; if the answer was
    lost it sends it again with the same id, even after other messages came."""
    amina, julie = actor("amina"), actor("julie")
    client_id = cid()
    first = voice.send_voice(amina, amina.id, client_id, "audio/mp4", MP4, 2000)
    messages.send_message(julie, amina.id, cid(), "Bien reçu")
    again = voice.send_voice(amina, amina.id, client_id, "audio/mp4", MP4, 2000)
    assert again.id == first.id and again.voice_ms == first.voice_ms
    with db.reading() as s:
        assert s.scalar(select(func.count(Message.id)).where(Message.client_id == client_id)) == 1
    assert _notes() == 1
    # Another person's id that happens to be the same is another message.
    julies = voice.send_voice(julie, amina.id, client_id, "audio/webm", WEBM, 2000)
    assert julies.id != first.id and _notes() == 2


def _listened(viewer, trainee_id: int) -> dict[int, bool]:
    return {m.id: m.listened for m in messages.list_messages(viewer, trainee_id) if m.voice_ms}


def test_the_sender_sees_when_the_other_side_has_started_listening(demo_db):
    amina, julie = actor("amina"), actor("julie")
    hers = voice.send_voice(amina, amina.id, cid(), "audio/webm", WEBM, 2000)
    answer = voice.send_voice(julie, amina.id, cid(), "audio/ogg", OGG, 2000)
    assert _listened(amina, amina.id) == {hers.id: False, answer.id: False}
    # One's own recording played back marks nothing.
    assert voice.mark_listened(amina, hers.id) is False and voice.mark_listened(julie, answer.id) is False
    assert voice.listened_among(amina, amina.id, [hers.id, answer.id]) == set()
    # Her coach listens to hers; she listens to the answer; once each.
    assert voice.mark_listened(julie, hers.id) is True
    assert voice.mark_listened(julie, hers.id) is False
    assert voice.listened_among(amina, amina.id, [hers.id, answer.id]) == {hers.id}
    assert voice.mark_listened(amina, answer.id) is True
    assert _listened(amina, amina.id) == {hers.id: True, answer.id: True}
    assert _listened(julie, amina.id) == {hers.id: True, answer.id: True}


def test_only_a_member_marks_a_recording_listened(demo_db):
    amina = actor("amina")
    hers = voice.send_voice(amina, amina.id, cid(), "audio/webm", WEBM, 2000)
    text = messages.send_message(amina, amina.id, cid(), "Bonjour")
    for login in ("marc", "kevin", "luc", "sophie"):
        with pytest.raises(AccessDenied):
            voice.mark_listened(actor(login), hers.id)
        with pytest.raises(AccessDenied):
            voice.listened_among(actor(login), amina.id, [hers.id])
    for message_id in (text.id, 999_999):
        with pytest.raises(AccessDenied):
            voice.mark_listened(actor("julie"), message_id)
    assert _listened(amina, amina.id) == {hers.id: False}

