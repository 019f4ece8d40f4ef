"""Personal goals, built with the trainee, and their progress notes."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonId, PersonIdIndexed, UTCDateTime, utcnow


class GoalTheme(str, enum.Enum):
    work = "work"
    training = "training"
    housing = "housing"
    health = "health"
    mobility = "mobility"
    money = "money"
    language = "language"
    digital = "digital"
    paperwork = "paperwork"
    other = "other"


class GoalStatus(str, enum.Enum):
    proposed = "proposed"
    in_progress = "in_progress"
    reached = "reached"
    dropped = "dropped"


class Goal(Base):
    __tablename__ = "goal"

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    theme: Mapped[GoalTheme] = mapped_column(Enum(GoalTheme, native_enum=False, length=16))
    title: Mapped[str] = mapped_column(String(120))
    detail: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GoalStatus] = mapped_column(Enum(GoalStatus, native_enum=False, length=16))
    target_date: Mapped[date | None] = mapped_column(Date)
    proposed_by_id: Mapped[PersonId]
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[Moment]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class GoalProgressNote(Base):
    __tablename__ = "goal_progress_note"

    id: Mapped[Id]
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    author_id: Mapped[PersonId]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Moment]
