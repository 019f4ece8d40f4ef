"""Self-assessments (the trainee's own view, never overwritten) and trainers' validations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonId, PersonIdIndexed


class Level(int, enum.Enum):
    not_yet = 1      # "Pas encore"
    with_help = 2    # "Avec de l'aide"
    on_my_own = 3    # "Sans aide"
    can_explain = 4  # "Je peux l'expliquer"


class SelfAssessment(Base):
    __tablename__ = "self_assessment"
    # The phone makes the id of a self-assessment done offline: sent again, it is kept once.
    __table_args__ = (UniqueConstraint("trainee_id", "client_id", name="uq_self_assessment_client_id"),)

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[Moment]


class Decision(str, enum.Enum):
    confirmed = "confirmed"
    adjusted = "adjusted"


class Validation(Base):
    """A trainer's decision on one self-assessment: a second, separate record."""

    __tablename__ = "validation"

    id: Mapped[Id]
    self_assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id"), unique=True)
    trainer_id: Mapped[PersonId]
    decision: Mapped[Decision] = mapped_column(Enum(Decision, native_enum=False, length=16))
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[Moment]
