"""What coaches keep around a trainee: private notes, the partner services directory (shared by
the centres of a region, each choosing the ones it works with) and referrals to those services."""

from __future__ import annotations

from datetime import datetime

import enum

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonId, PersonIdIndexed, UTCDateTime


class CoachNote(Base):
    """Private to the trainee's coaches: never shown to the trainee or to trainers."""

    __tablename__ = "coach_note"

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    author_id: Mapped[PersonId]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Moment]


class PartnerService(Base):
    """A service of the help directory (housing, health, debt mediation, FOREM, CPAS...), shared
    by the centres of its region. Codes (category, languages, what to bring, access, cost) are
    worded by the catalogs; the description is data, one text per locale (like pathway labels)."""

    __tablename__ = "partner_service"
    __table_args__ = (UniqueConstraint("region", "code", name="uq_partner_service_region_code"),)

    id: Mapped[Id]
    region: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(160))
    category: Mapped[str] = mapped_column(String(24))
    description: Mapped[dict] = mapped_column(JSON, default=dict)  # locale -> text
    address: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(160), default="")
    url: Mapped[str] = mapped_column(String(255), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")  # "mo-fr 09:00-12:00,13:00-16:00; sa 09:00-12:00"
    languages: Mapped[list] = mapped_column(JSON, default=list)  # locale codes spoken there
    bring: Mapped[list] = mapped_column(JSON, default=list)      # codes of documents to bring
    access: Mapped[list] = mapped_column(JSON, default=list)     # codes: wheelchair, walk_in...
    cost: Mapped[str] = mapped_column(String(16), default="free")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[Moment]


class CentrePartner(Base):
    """A centre works with this service: its trainees and coaches see it."""

    __tablename__ = "centre_partner"
    __table_args__ = (UniqueConstraint("centre_id", "service_id", name="uq_centre_partner_pair"),)

    id: Mapped[Id]
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("partner_service.id"), index=True)


class ReferralStatus(str, enum.Enum):
    proposed = "proposed"
    accepted = "accepted"
    refused = "refused"
    contacted = "contacted"
    appointment = "appointment"
    done = "done"
    abandoned = "abandoned"
    withdrawn = "withdrawn"  # she took her consent back


class Referral(Base):
    """A coach proposes to send the trainee to a partner service; nothing moves without her yes."""

    __tablename__ = "referral"

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    coach_id: Mapped[PersonId]
    service_id: Mapped[int] = mapped_column(ForeignKey("partner_service.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)              # why, written for her
    partner_note: Mapped[str] = mapped_column(Text, default="")  # shared with the partner: "" = nothing
    status: Mapped[ReferralStatus] = mapped_column(Enum(ReferralStatus, native_enum=False, length=16))
    appointment_on: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str] = mapped_column(String(24), default="")  # a code, for "abandoned"
    created_at: Mapped[Moment]
    updated_at: Mapped[Moment]


class ReferralConsent(Base):
    """Her answer to a referral: yes, no, or yes taken back, with the very text she saw, its
    version and language."""

    __tablename__ = "referral_consent"

    id: Mapped[Id]
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    trainee_id: Mapped[PersonIdIndexed]
    decision: Mapped[str] = mapped_column(String(16))  # accepted | refused | withdrawn
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[Moment]
