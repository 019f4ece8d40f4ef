"""The conversation between a trainee and their coaches, its messages and read markers.

A voice message IS a message: a `Message` row with an empty body (ordering, read markers,
client ids and unread counts are the same as for text) and one `VoiceNote` row holding the
recording. A message with a voice note is never shown as text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonId, UTCDateTime, utcnow


class Conversation(Base):
    __tablename__ = "conversation"

    id: Mapped[Id]
    trainee_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), unique=True)
    created_at: Mapped[Moment]


class Message(Base):
    __tablename__ = "message"
    # The id made by the client makes a retried send land once.
    __table_args__ = (UniqueConstraint("sender_id", "client_id", name="uq_message_client_id"),)

    id: Mapped[Id]
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), index=True)
    sender_id: Mapped[PersonId]
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Moment]


class ReadMarker(Base):
    __tablename__ = "read_marker"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    last_read_message_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


VOICE_MAX_BYTES = 1024 * 1024  # 1 MiB: two minutes of Opus at 32 kbit/s fit with room to spare


class VoiceNote(Base):
    """The recording of a voice message, kept in the database (one MiB at most): it goes with
    its message, in the same transaction, and erasure and export reach it like any other row."""

    __tablename__ = "voice_note"

    id: Mapped[Id]
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), unique=True)
    # Who spoke (the message's sender): the column naming the person (models.PERSONAL_DATA).
    sender_id: Mapped[PersonId]
    mime: Mapped[str] = mapped_column(String(32))
    duration_ms: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary(VOICE_MAX_BYTES))
    created_at: Mapped[Moment]
    # When the other side first started to listen (the sender sees "Écouté", as "Lu" for text).
    listened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)
