"""The shared referentials: pathway -> skill area -> skill, and who is enrolled in which."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Moment, PersonIdIndexed, UTCDateTime


class PathwayKind(str, enum.Enum):
    EFT = "EFT"
    DEFI = "DEFI"


class Pathway(Base):
    __tablename__ = "pathway"

    id: Mapped[Id]
    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[PathwayKind] = mapped_column(Enum(PathwayKind, native_enum=False, length=8))
    # Translated content is data: one JSON map {locale: text} per field.
    name: Mapped[dict] = mapped_column(JSON)
    description: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[Moment]


class SkillArea(Base):
    __tablename__ = "skill_area"
    __table_args__ = (UniqueConstraint("pathway_id", "code", name="uq_skill_area_code"),)

    id: Mapped[Id]
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[dict] = mapped_column(JSON)


class Skill(Base):
    __tablename__ = "skill"
    __table_args__ = (UniqueConstraint("area_id", "code", name="uq_skill_code"),)

    id: Mapped[Id]
    area_id: Mapped[int] = mapped_column(ForeignKey("skill_area.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[dict] = mapped_column(JSON)
    # Where the pathway file aligns it: an ESCO concept URI, and the SFMQ profile and its UAA codes
    # ({"profile": ..., "uaa": [...]}); empty when the file says nothing.
    esco: Mapped[str] = mapped_column(String(200), default="")
    sfmq: Mapped[dict] = mapped_column(JSON, default=dict)
    # A retired skill is hidden from new assessments; the old ones keep pointing at it.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Enrolment(Base):
    __tablename__ = "enrolment"

    id: Mapped[Id]
    trainee_id: Mapped[PersonIdIndexed]
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[Moment]
