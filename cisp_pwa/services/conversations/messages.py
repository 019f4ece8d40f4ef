"""The conversation between a trainee and their support team (the coaches assigned to them).

Sending is idempotent: each message carries an id made by the client, so a double tap or a
retry after a dropped connection lands once. Messages are sensitive personal data: never logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cisp_pwa.models import (
    Conversation, Message, ReadMarker, Role, User, VoiceNote, utcnow,
)

from .. import free_text, policy
from ..actor import Actor
from ..errors import InvalidInput, Throttled
from ..infra import audit, db, events, push, throttle

BODY_MAX = 2000
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True)
class MessageView:
    id: int
    client_id: str
    sender_name: str
    mine: bool
    from_trainee: bool
    body: str
    created_at: datetime
    read: bool  # for one's own messages: the other side has read it
    voice_ms: int = 0  # a voice message (services/conversations/voice.py): its length; 0 for text
    listened: bool = False  # a voice message: the other side has started to listen to it


def _conversation(s: Session, trainee_id: int, create: bool) -> Conversation | None:
    conversation = s.scalar(select(Conversation).where(Conversation.trainee_id == trainee_id))
    if conversation is None and create:
        try:
            with s.begin_nested():  # two first messages at once: one conversation
                conversation = Conversation(trainee_id=trainee_id)
                s.add(conversation)
        except IntegrityError:
            conversation = s.scalar(select(Conversation).where(Conversation.trainee_id == trainee_id))
    return conversation


def _read_up_to(s: Session, conversation_id: int) -> dict[int, int]:
    return dict(s.execute(select(ReadMarker.user_id, ReadMarker.last_read_message_id)
                          .where(ReadMarker.conversation_id == conversation_id)).all())


def _views(s: Session, actor: Actor, trainee_id: int, conversation: Conversation,
           messages: list[Message]) -> list[MessageView]:
    markers = _read_up_to(s, conversation.id)
    coaches = policy.audience(s, policy.MESSAGES, trainee_id) - {trainee_id}
    trainee_read = markers.get(trainee_id, 0)
    coaches_read = max((markers.get(c, 0) for c in coaches), default=0)
    names = dict(s.execute(select(User.id, User.display_name)
                           .where(User.id.in_({m.sender_id for m in messages}))).all())
    voices = {message_id: (duration_ms, listened_at is not None) for message_id, duration_ms, listened_at in s.execute(
        select(VoiceNote.message_id, VoiceNote.duration_ms, VoiceNote.listened_at)
        .where(VoiceNote.message_id.in_([m.id for m in messages if not m.body])))}
    views = []
    for m in messages:
        from_trainee = m.sender_id == trainee_id
        read = (coaches_read if from_trainee else trainee_read) >= m.id
        voice_ms, listened = voices.get(m.id, (0, False))
        views.append(MessageView(m.id, m.client_id, names.get(m.sender_id, ""), m.sender_id == actor.id,
                                 from_trainee, m.body, m.created_at, read, voice_ms, listened))
    return views


PAGE = 30  # a conversation opens on its latest this many messages; older ones come on demand


def list_messages(actor: Actor, trainee_id: int, limit: int = PAGE, after_id: int = 0,
                  before_id: int = 0) -> list[MessageView]:
    """The latest `limit` messages (after `after_id`, before `before_id` when given), oldest first."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.MESSAGES, trainee_id)
        conversation = _conversation(s, trainee_id, create=False)
        if conversation is None:
            return []
        query = select(Message).where(Message.conversation_id == conversation.id, Message.id > after_id)
        if before_id:
            query = query.where(Message.id < before_id)
        latest = s.scalars(query.order_by(Message.id.desc()).limit(limit)).all()
        return _views(s, actor, trainee_id, conversation, list(reversed(latest)))


def read_up_to(actor: Actor, trainee_id: int) -> int:
    """The newest message the other side has read: the actor's own messages up to it show "Lu"."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.MESSAGES, trainee_id)
        conversation = _conversation(s, trainee_id, create=False)
        if conversation is None:
            return 0
        markers = _read_up_to(s, conversation.id)
        if actor.role == Role.trainee:
            coaches = policy.audience(s, policy.MESSAGES, trainee_id) - {trainee_id}
            return max((markers.get(c, 0) for c in coaches), default=0)
        return markers.get(trainee_id, 0)


def trainee_name(actor: Actor, trainee_id: int) -> str:
    """Whose conversation this is, for its heading."""
    with db.reading() as s:
        return policy.trainee(s, actor, policy.MESSAGES, trainee_id).display_name


def clean_body(body: str) -> str:
    return free_text.checked(body, BODY_MAX, empty="message_empty", too_long="message_too_long")


def send_message(actor: Actor, trainee_id: int, client_id: str, body: str) -> MessageView:
    """Send once: the same client id from the same sender returns the message already sent."""
    return _send(actor, trainee_id, client_id, clean_body(body), push.MESSAGE)


def _send(actor: Actor, trainee_id: int, client_id: str, body: str, push_kind: str,
          attach: Callable[[Session, Message], None] | None = None, voice_ms: int = 0) -> MessageView:
    """A message, text or voice (services/conversations/voice.py): the same client id from the same sender
    returns the message already sent. `attach` adds what goes with a new message (its
    recording) in the same transaction."""
    if not CLIENT_ID.match(client_id or ""):
        raise InvalidInput("client_id_invalid")
    with db.reading() as s:
        retry = s.scalar(select(Message.id).where(Message.sender_id == actor.id, Message.client_id == client_id))
    # Counted before the write transaction: a Redis round trip never holds the database's lock.
    if retry is None and not throttle.hit("message", actor.id):
        # A flood: nothing beyond the limit is kept (a retry of a kept message still works).
        raise Throttled("too_many_messages", retry_after=throttle.retry_after("message", actor.id))
    with db.unit_of_work() as s:
        policy.trainee(s, actor, policy.MESSAGES, trainee_id)
        conversation = _conversation(s, trainee_id, create=True)
        existing = s.scalar(select(Message).where(Message.sender_id == actor.id, Message.client_id == client_id))
        if existing is None:
            try:
                with s.begin_nested():
                    existing = Message(conversation_id=conversation.id, sender_id=actor.id,
                                       client_id=client_id, body=body, created_at=utcnow())
                    s.add(existing)
                    if attach is not None:
                        s.flush()
                        attach(s, existing)
            except IntegrityError:  # the same retry, arrived at the same moment
                existing = s.scalar(select(Message).where(Message.sender_id == actor.id,
                                                          Message.client_id == client_id))
            else:
                _mark(s, actor.id, conversation.id, existing.id)  # one has read what one wrote
                audit.record(s, actor, "message_sent", "conversation", conversation.id)
                # Every screen of the conversation (the sender's other ones too); a push to
                # the other side: a coach's message to the trainee, the trainee's to her coaches.
                policy.tell(s, events.MESSAGE, trainee_id, actor_id=actor.id, id=existing.id, push=push_kind)
        if existing.conversation_id != conversation.id:
            raise InvalidInput("client_id_reused")
        if not events.announced(s):  # a retry of a message already kept: nothing new to tell
            events.nobody(s)
        if attach is not None and voice_ms:  # a retry: the recording kept the first time
            kept = s.scalar(select(VoiceNote.duration_ms).where(VoiceNote.message_id == existing.id))
            voice_ms = kept or 0
        # The sender's own message, as the sender sees it (no more queries: a tap stays quick).
        return MessageView(existing.id, existing.client_id, actor.display_name, True, actor.id == trainee_id,
                           existing.body, existing.created_at, False, voice_ms)


def _mark(s: Session, user_id: int, conversation_id: int, message_id: int) -> None:
    """Move the read marker forward, never back; one statement, so two at once (two phones)
    cannot both create it."""
    insert = pg_insert if s.bind.dialect.name == "postgresql" else sqlite_insert
    statement = insert(ReadMarker).values(conversation_id=conversation_id, user_id=user_id,
                                          last_read_message_id=message_id)
    newer = statement.excluded.last_read_message_id
    s.execute(statement.on_conflict_do_update(
        index_elements=[ReadMarker.conversation_id, ReadMarker.user_id],
        set_={"last_read_message_id": case((newer > ReadMarker.last_read_message_id, newer),
                                           else_=ReadMarker.last_read_message_id)},
    ))


def mark_read(actor: Actor, trainee_id: int) -> bool:
    """Opening the conversation marks everything in it read by the actor. Takes the write lock
    only when there is something new to mark; True when it marked."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.MESSAGES, trainee_id)
        conversation = _conversation(s, trainee_id, create=False)
        if conversation is None:
            return False
        last = s.scalar(select(func.max(Message.id)).where(Message.conversation_id == conversation.id))
        marker = s.get(ReadMarker, (conversation.id, actor.id))
        if not last or (marker is not None and marker.last_read_message_id >= last):
            return False
    with db.unit_of_work() as s:
        _mark(s, actor.id, conversation.id, last)
        # The other side's "Lu", and the actor's unread counts on their other screens.
        policy.tell(s, events.READ, trainee_id, actor_id=actor.id, id=last)
    return True


def unread_count(actor: Actor, trainee_id: int) -> int:
    """Messages from others the actor has not read yet."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.MESSAGES, trainee_id)
        return unread_in(s, actor.id, trainee_id)


def unread_in(s: Session, user_id: int, trainee_id: int) -> int:
    """Within a unit of work whose caller checked access already."""
    conversation = _conversation(s, trainee_id, create=False)
    if conversation is None:
        return 0
    marker = s.get(ReadMarker, (conversation.id, user_id))
    return s.scalar(select(func.count(Message.id)).where(
        Message.conversation_id == conversation.id,
        Message.sender_id != user_id,
        Message.id > (marker.last_read_message_id if marker else 0),
    )) or 0


@dataclass(frozen=True)
class InboxItem:
    trainee_id: int
    trainee_name: str
    preview: str           # the first words of the last message
    last_at: datetime | None
    last_from_trainee: bool
    unread: int
    last_voice: bool = False  # the last message is a voice message (its preview is empty)


PREVIEW_CHARS = 60


def coach_inbox(actor: Actor) -> list[InboxItem]:
    """The conversations of the trainees a coach supports: unread first, then most recent."""
    policy.require_role(actor, Role.coach)
    with db.reading() as s:
        trainees = s.execute(
            select(User.id, User.display_name)
            .where(User.id.in_(policy.visible_trainees(actor, policy.MESSAGES)))
        ).all()
        items = []
        for trainee_id, name in trainees:
            conversation = _conversation(s, trainee_id, create=False)
            last = s.scalar(select(Message).where(Message.conversation_id == conversation.id)
                            .order_by(Message.id.desc()).limit(1)) if conversation else None
            preview = ""
            if last is not None:
                words = " ".join(last.body.split())
                preview = words if len(words) <= PREVIEW_CHARS else words[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"
            items.append(InboxItem(trainee_id, name, preview, last.created_at if last else None,
                                   last is not None and last.sender_id == trainee_id,
                                   unread_in(s, actor.id, trainee_id), last is not None and not last.body))
        never = datetime.min.replace(tzinfo=timezone.utc)
        items.sort(key=lambda i: (i.unread == 0, -(i.last_at or never).timestamp(), i.trainee_name))
        return items
