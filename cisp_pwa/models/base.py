"""Declarative base and column types shared by every table."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations read the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC (SQLite keeps no zone), always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


# The columns most tables declare alike, written once: `id: Mapped[Id]` maps to the column given
# in the Annotated type (SQLAlchemy copies it for each table).
Id = Annotated[int, mapped_column(primary_key=True)]
Moment = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]  # when the row is written, by default
PersonId = Annotated[int, mapped_column(ForeignKey("app_user.id"))]  # who wrote, sent or decided
PersonIdIndexed = Annotated[int, mapped_column(ForeignKey("app_user.id"), index=True)]  # rows looked up by person
