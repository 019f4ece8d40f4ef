"""Open Badges: the credentials issued from a trainee's passport, their revocation slots, and the
share links that show them to an employer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonIdIndexed, UTCDateTime


class CredentialStatus(Base):
    """One bit of a centre's revocation list (Bitstring Status List). Holds nothing about the
    person: it stays when her data is erased, so a credential she handed out still reads as
    revoked."""

    __tablename__ = "credential_status"
    __table_args__ = (UniqueConstraint("centre_id", "status_index", name="uq_credential_status_index"),)

    id: Mapped[Id]
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    status_index: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PassportShare(Base):
    """A link she gave out. The token is never stored: it is an HMAC, under a key kept in the data
    folder, of this row's nonce (so her screen can show the link again); the hash finds the row."""

    __tablename__ = "passport_share"
    # One link at a time, even when two taps race (the service checks first; this is the floor).
    __table_args__ = (Index("uq_passport_share_active", "trainee_id", unique=True,
                            sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")),)

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Moment]
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IssuedCredential(Base):
    """An OpenBadgeCredential signed for one validated skill (skill_id) or a whole pathway
    (skill_id empty), shown through one share."""

    __tablename__ = "issued_credential"

    id: Mapped[Id]
    public_id: Mapped[str] = mapped_column(String(43), unique=True)  # opaque, in the credential's id
    trainee_id: Mapped[PersonIdIndexed]
    share_id: Mapped[int] = mapped_column(ForeignKey("passport_share.id"), index=True)
    status_id: Mapped[int] = mapped_column(ForeignKey("credential_status.id"), unique=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id"))
    validation_id: Mapped[int | None] = mapped_column(ForeignKey("validation.id"))  # the evidence
    jwt: Mapped[str] = mapped_column(Text)  # the signed credential (application/vc+jwt)
    issued_at: Mapped[Moment]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
