"""Alembic environment: our own metadata, the URL from the settings (or the caller)."""

from __future__ import annotations

from alembic import context

from cisp_pwa import settings
from cisp_pwa.models import Base
from cisp_pwa.services.infra.db import make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.attributes.get("url") or settings.database_url()
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copy
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
