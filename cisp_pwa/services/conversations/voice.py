"""Voice messages (issue 17): for trainees who speak better than they write.

A voice message is a message (messages.py) with an empty body and a recording (`VoiceNote`):
the same access (the trainee and her coaches), the same client ids (a retry lands once), the
same throttle, the same live event; the push says "Nouveau message vocal", nothing more.
A recording is checked before it is kept: an allowed type whose first bytes are that type's,
one MiB and two minutes at most, its real length read from its bytes (audio_length.py) near the
one the phone gives; that real length is the one kept. It is heard only by the members of its
conversation.
Listened marks work like read marks: once the other side has started to listen (the trainee for
a coach's recording, any of her coaches for hers), the sender sees "Écouté".
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cisp_pwa.models import VOICE_MAX_BYTES, Conversation, Message, VoiceNote, utcnow

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audio_length, audit, db, events, push
from . import messages
from .messages import MessageView

MAX_BYTES = VOICE_MAX_BYTES
MAX_DURATION_MS = 120_000  # two minutes
# How far the real length may pass the limit, and differ from the phone's clock (which starts a
# moment before the recorder does, and stops on its own at the limit).
LENGTH_TOLERANCE_MS = 2_000
# Recording formats browsers make (MediaRecorder): Chrome and Firefox WebM/Opus (Firefox may
# say Ogg), Safari MP4/AAC. The parameters a browser adds (";codecs=opus") are dropped.
MIMES = ("audio/webm", "audio/mp4", "audio/ogg")


def _magic_matches(mime: str, data: bytes) -> bool:
    if mime == "audio/webm":
        return data[:4] == b"\x1a\x45\xdf\xa3"  # EBML: WebM / Matroska
    if mime == "audio/mp4":
        return data[4:8] == b"ftyp"
    if mime == "audio/ogg":
        return data[:4] == b"OggS"
    return False


def clean_mime(mime: str) -> str:
    """`audio/webm;codecs=opus` -> `audio/webm`; refused when not a type we keep."""
    base = (mime or "").split(";", 1)[0].strip().lower()
    if base not in MIMES:
        raise InvalidInput("voice_type")
    return base


def check_recording(mime: str, data: bytes, duration_ms: int) -> tuple[str, int]:
    """(type without parameters, real length in ms) of a recording, or InvalidInput saying what
    is wrong: a forged upload that lies about its length is refused here."""
    base = clean_mime(mime)
    if not data:
        raise InvalidInput("voice_empty")
    if len(data) > MAX_BYTES:
        raise InvalidInput("voice_too_big", maximum=MAX_BYTES)
    if not _magic_matches(base, data):
        raise InvalidInput("voice_not_audio")
    if type(duration_ms) is not int or duration_ms <= 0:
        raise InvalidInput("voice_empty")
    if duration_ms > MAX_DURATION_MS:
        raise InvalidInput("voice_too_long", maximum=MAX_DURATION_MS // 1000)
    real_ms = audio_length.length_ms(base, data)
    if real_ms is None:
        raise InvalidInput("voice_unreadable")
    if real_ms > MAX_DURATION_MS + LENGTH_TOLERANCE_MS:
        raise InvalidInput("voice_too_long", maximum=MAX_DURATION_MS // 1000)
    # A long recording may have lost a little more (a phone busy elsewhere): a quarter of it.
    if abs(real_ms - duration_ms) > max(LENGTH_TOLERANCE_MS, duration_ms // 4):
        raise InvalidInput("voice_length_mismatch")
    return base, real_ms


def send_voice(actor: Actor, trainee_id: int, client_id: str, mime: str, data: bytes,
               duration_ms: int) -> MessageView:
    """Send a recording once into the trainee's conversation (same rules as a text message)."""
    base, real_ms = check_recording(mime, data, duration_ms)

    def attach(s: Session, message: Message) -> None:
        s.add(VoiceNote(message_id=message.id, sender_id=actor.id, mime=base, duration_ms=real_ms,
                        size=len(data), data=data, created_at=utcnow()))

    return messages._send(actor, trainee_id, client_id, "", push.VOICE_MESSAGE, attach=attach,
                          voice_ms=real_ms)


def _voice_row(s: Session, message_id: int, *columns):
    """The columns asked of a voice message and of its conversation; no such voice message: AccessDenied."""
    row = s.execute(
        select(*columns)
        .join(Message, Message.id == VoiceNote.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(VoiceNote.message_id == message_id)
    ).first()
    if row is None:
        raise AccessDenied()
    return row


def audio_for(actor: Actor, message_id: int) -> tuple[str, bytes]:
    """(mime, bytes) of a voice message, for the members of its conversation only (the trainee
    and her coaches); anyone else, and an id that is not a voice message: AccessDenied."""
    with db.reading() as s:
        mime, data, trainee_id = _voice_row(s, message_id, VoiceNote.mime, VoiceNote.data, Conversation.trainee_id)
        policy.trainee(s, actor, policy.VOICE, trainee_id)
        return mime, bytes(data)


def mark_listened(actor: Actor, message_id: int) -> bool:
    """The actor started to listen to a voice message (its recording was fetched to play it):
    when the actor is on the other side of its sender, the sender's screens show "Écouté".
    Marked once; True when this call marked it. Non-members: AccessDenied."""
    with db.reading() as s:
        sender_id, listened_at, conversation_id, trainee_id = _voice_row(
            s, message_id, VoiceNote.sender_id, VoiceNote.listened_at, Conversation.id, Conversation.trainee_id)
        policy.trainee(s, actor, policy.VOICE, trainee_id)
        # The other side: her coaches for the trainee's recording, the trainee for a coach's
        # (a second coach hearing the first one's answer is not who it was said to).
        if listened_at is not None or (actor.id == trainee_id) == (sender_id == trainee_id):
            return False
    with db.unit_of_work() as s:
        marked = s.execute(update(VoiceNote).where(VoiceNote.message_id == message_id,
                                                   VoiceNote.listened_at.is_(None))
                           .values(listened_at=utcnow())).rowcount
        if not marked:  # another phone of the same side marked it a moment ago
            events.nobody(s)
            return False
        audit.record(s, actor, "voice_listened", "conversation", conversation_id)
        policy.tell(s, events.LISTENED, trainee_id, actor_id=actor.id, id=message_id)
    return True


def listened_among(actor: Actor, trainee_id: int, message_ids: list[int]) -> set[int]:
    """Which of these voice messages of the trainee's conversation the other side has listened to."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.VOICE, trainee_id)
        return set(s.scalars(
            select(VoiceNote.message_id)
            .join(Message, Message.id == VoiceNote.message_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.trainee_id == trainee_id, VoiceNote.message_id.in_(message_ids[:500]),
                   VoiceNote.listened_at.is_not(None))))
