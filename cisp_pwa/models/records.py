"""Audit trail, push subscriptions and consents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonIdIndexed, UTCDateTime, utcnow


# What a person opened about a trainee: her messages, her file, her account (the audit actions).
# The rows say who, whose, what kind and when, never what was read; she sees them in "Qui a vu
# mon dossier" (words.py says them).
OPENED = {"messages": "read_messages", "file": "read_file", "account": "read_account"}


class AuditEvent(Base):
    """Who did what to which record. Never the content of a message or a note.

    Tamper-evident (models/audit_chain.py): each row carries `hash`, over its content and the
    previous row's hash (`prev_hash`) in its centre's chain, given when it is written. The actor
    and the target are hashed through a random seal of their own (`actor_seal`, `target_seal`):
    erasing a person replaces the seal by the value hashed and empties the id, so the hash still
    holds and nothing links the row to her any more."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_chain", "centre_id", "id"),)

    id: Mapped[Id]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_seal: Mapped[str | None] = mapped_column(String(64))
    target_seal: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChain(Base):
    """The head of one centre's audit chain (the centre-less rows have theirs): its last row and
    that row's hash. A row deleted from the end of the chain is seen missing against it."""

    __tablename__ = "audit_chain"

    id: Mapped[Id]
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id"), unique=True)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """Where a chain starts again after the retention command purged its oldest rows: the last
    purged row, its hash, how many went, when. Append-only like the trail (migration 0013)."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[Id]
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id"), index=True)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20), default="retention")
    created_at: Mapped[Moment]


class PushSubscription(Base):
    __tablename__ = "push_subscription"

    id: Mapped[Id]
    user_id: Mapped[PersonIdIndexed]
    endpoint: Mapped[str] = mapped_column(String(1024), unique=True)
    p256dh: Mapped[str] = mapped_column(String(255))
    auth: Mapped[str] = mapped_column(String(255))
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[Moment]


class Consent(Base):
    """A person said yes to a text (the trainee's or the staff's terms) in one of its versions:
    a new version is asked again."""

    __tablename__ = "consent"

    id: Mapped[Id]
    user_id: Mapped[PersonIdIndexed]
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20), default="")
    locale: Mapped[str] = mapped_column(String(8), default="")  # the language it was read in
    granted_at: Mapped[Moment]
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditPurgePermit(Base):
    """The audit trail is append-only: the database refuses UPDATE and DELETE on it (triggers,
    migration 0006). The retention command alone deletes old rows, inside one transaction that
    holds a row here (never committed: other transactions never see it)."""

    __tablename__ = "audit_purge_permit"

    id: Mapped[Id]
