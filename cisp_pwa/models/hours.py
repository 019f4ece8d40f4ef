"""Hours and attendance: the ledger a centre is paid on and a trainee's allowance is counted from.

A *group* is the trainees of one pathway who train together, with its weekly timetable (half-days
with their hours). Each half-day of a group is a *session*; attendance is written per trainee and
session, append-only: a later correction, a justification or an amendment after the month was
closed is a new row naming the one it replaces. The newest row of a (trainee, day, start) stands.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (Boolean, Date, Enum, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonId, PersonIdIndexed, UTCDateTime

CERTIFICATE_MAX_BYTES = 2 * 1024 * 1024  # a phone photo, shrunk by the phone before sending


class TrainingGroup(Base):
    __tablename__ = "training_group"
    __table_args__ = (UniqueConstraint("centre_id", "code", name="uq_training_group_centre_code"),)

    id: Mapped[Id]
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id"))
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[Moment]


class GroupMember(Base):
    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "trainee_id", name="uq_group_member_pair"),)

    id: Mapped[Id]
    group_id: Mapped[int] = mapped_column(ForeignKey("training_group.id"), index=True)
    trainee_id: Mapped[PersonIdIndexed]


class TimetableSlot(Base):
    """One half-day of the group's week: weekday (0 is Monday), "09:00" to "12:30"."""

    __tablename__ = "timetable_slot"

    id: Mapped[Id]
    group_id: Mapped[int] = mapped_column(ForeignKey("training_group.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[str] = mapped_column(String(5))
    ends: Mapped[str] = mapped_column(String(5))
    # Distance-learning hours are counted apart: an absence from them is never assimilated.
    distance: Mapped[bool] = mapped_column(Boolean, default=False)


class Closure(Base):
    """A day the centre is closed, beside the Belgian public holidays (which are built in)."""

    __tablename__ = "centre_closure"
    __table_args__ = (UniqueConstraint("centre_id", "day", name="uq_centre_closure_day"),)

    id: Mapped[Id]
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(120), default="")


class HoursRates(Base):
    """What a centre pays per hour attended and per day travelled, in cents (decrees change them:
    the admin sets them; none written means the defaults of services/hours)."""

    __tablename__ = "hours_rates"

    id: Mapped[Id]
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), unique=True)
    allowance_cents_per_hour: Mapped[int] = mapped_column(Integer)
    travel_cents_per_day: Mapped[int] = mapped_column(Integer)


class Presence(str, enum.Enum):
    present = "present"
    late = "late"
    absent = "absent"


class AbsenceReason(str, enum.Enum):
    """What she (or the trainer) says, as pictograms."""
    sick = "sick"
    child = "child"
    transport = "transport"
    appointment = "appointment"  # Forem, CPAS
    other = "other"


class Assimilation(str, enum.Enum):
    """Why missed hours count as hours (force majeure); decided by a coach or the admin."""
    illness = "illness"          # with a medical certificate
    family = "family"            # a serious family event
    summons = "summons"          # called by the Forem, the CPAS, a court
    strike = "strike"            # public transport on strike
    other = "other"


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (Index("ix_attendance_trainee_day", "trainee_id", "day"),
                      Index("ix_attendance_group_day", "group_id", "day"))

    id: Mapped[Id]
    trainee_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("training_group.id"))
    day: Mapped[date] = mapped_column(Date)
    # The session, copied from the timetable so that a later timetable change leaves it as it was.
    starts: Mapped[str] = mapped_column(String(5))
    ends: Mapped[str] = mapped_column(String(5))
    distance: Mapped[bool] = mapped_column(Boolean, default=False)
    presence: Mapped[Presence] = mapped_column(Enum(Presence, native_enum=False, length=12))
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[AbsenceReason | None] = mapped_column(Enum(AbsenceReason, native_enum=False, length=16))
    # None: nobody decided yet. Set by a coach or the admin (a new row).
    justified: Mapped[bool | None] = mapped_column(Boolean)
    assimilation: Mapped[Assimilation | None] = mapped_column(Enum(Assimilation, native_enum=False, length=16))
    recorded_by: Mapped[PersonId]
    recorded_at: Mapped[Moment]
    # The row this one corrects, and why (required for a correction); `amendment`: written after
    # the month was closed.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("attendance.id"))
    correction: Mapped[str] = mapped_column(String(200), default="")
    amendment: Mapped[bool] = mapped_column(Boolean, default=False)
    # Made by the tablet, so a row sent twice after the network came back is written once.
    client_id: Mapped[str | None] = mapped_column(String(40), unique=True)


class Certificate(Base):
    """A photo of a certificate (often medical: health data), kept like voice notes: in the
    database, size-capped, type-checked, seen by her coaches and her centre's admin only."""

    __tablename__ = "certificate"

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    mime: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary(CERTIFICATE_MAX_BYTES))
    created_at: Mapped[Moment]


class AbsenceNotice(Base):
    """She says ahead (or on the day) that she will be absent, or late, and why."""

    __tablename__ = "absence_notice"

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    day: Mapped[date] = mapped_column(Date)
    presence: Mapped[Presence] = mapped_column(Enum(Presence, native_enum=False, length=12))  # absent or late
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[AbsenceReason] = mapped_column(Enum(AbsenceReason, native_enum=False, length=16))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    created_at: Mapped[Moment]
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MonthClosing(Base):
    """The admin closed a month: after it, only amendments with a reason."""

    __tablename__ = "month_closing"
    __table_args__ = (UniqueConstraint("centre_id", "month", name="uq_month_closing_month"),)

    id: Mapped[Id]
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-11"
    closed_by: Mapped[PersonId]
    closed_at: Mapped[Moment]
