"""The schema: migrations match the models on each database; personal data is declared."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cisp_pwa.models import PERSONAL_DATA, Base
from cisp_pwa.services.infra import db


def test_every_table_declares_whether_it_holds_personal_data():
    assert set(PERSONAL_DATA) == set(Base.metadata.tables)
    for table, column in PERSONAL_DATA.items():
        assert column is None or column in Base.metadata.tables[table].c


def test_migrations_create_exactly_the_models(empty_db):
    with db.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
