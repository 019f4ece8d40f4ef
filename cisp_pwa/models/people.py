"""Centres, the people in them, and who supports which trainee."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonIdIndexed, UTCDateTime


class Role(str, enum.Enum):
    trainee = "trainee"
    coach = "coach"
    trainer = "trainer"
    admin = "admin"


class Centre(Base):
    __tablename__ = "centre"

    id: Mapped[Id]
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # The centres of a region share one directory of partner services (each picks its own).
    region: Mapped[str] = mapped_column(String(40), default="")
    # Made by `cli demo` (demo.py): a production start refuses to run while one exists.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[Moment]


class User(Base):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: Mapped[Id]
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    # What the person types to sign in: an e-mail for staff, a short name for trainees.
    login: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[Moment]
    # An access code set up a new phone for an account that had one: the person is told at
    # her next sign-in (whoever made the code cannot quietly become her), then it is cleared.
    new_phone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Erased by the centre (or by retention): nothing identifying is left; the row stays so that
    # anonymised assessments still count in the centre's statistics.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AssignmentRole(str, enum.Enum):
    coach = "coach"
    trainer = "trainer"


class Assignment(Base):
    """A coach or a trainer supporting one trainee."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("trainee_id", "staff_id", name="uq_assignment_pair"),)

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    staff_id: Mapped[PersonIdIndexed]
    role: Mapped[AssignmentRole] = mapped_column(Enum(AssignmentRole, native_enum=False, length=16))
    created_at: Mapped[Moment]
