"""Shared fixtures: a real database (SQLite file and the PostgreSQL server), demo data."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from cisp_pwa import demo
from cisp_pwa.cli import migrate
from cisp_pwa.models import Base
from cisp_pwa.services.infra import audit, db, events, push_sender, throttle
from cisp_pwa.services.people import auth
from cisp_pwa.services.skills import pathways

push_sender.wire()  # as the app does at start: the pushes actions queue are sent

ON_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get("CISP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


# `make test` runs the tests that serve no app beside the browser tests, spread over two processes
# a module at a time (pytest-xdist, `-n 2 --dist loadscope`): a module's tests run one after another
# in one process, so its module-scoped servers (the production test's nginx and app) start once and
# no two modules share a Redis database (test_bus uses 9, the production test 7, the live-workers
# test, in the browser run, 8).


def unavailable(reason: str) -> None:
    """On CI a missing service is a failure, never a skip."""
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: this test may not skip)")
    pytest.skip(reason)


def _postgres_database() -> tuple[str, callable]:
    import psycopg

    name = f"cisp_test_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL is not reachable at {admin}: {exc}")
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        db.engine().dispose()
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", drop


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """A migrated, empty database of each kind, for the whole session."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}", lambda: None
    else:
        url, drop = _postgres_database()
    migrate(url)
    db.configure(url)
    yield url
    drop()


def _empty_all_tables() -> None:
    with db.unit_of_work() as s:
        if s.bind.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            s.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            with audit.purge_permit(s):  # the audit trail refuses deletes without it
                for table in reversed(Base.metadata.sorted_tables):
                    if table.name != "audit_purge_permit":
                        s.execute(table.delete())
        events.nobody(s)  # a fresh database: no screen is open


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no sign-in, code or message counted, and no session seen in use
    (session ids start again in each database: one seen in another would look recent)."""
    throttle.reset()
    auth.forget_usage()
    yield


@pytest.fixture
def empty_db(database_url):
    db.configure(database_url)
    _empty_all_tables()
    return database_url


@pytest.fixture
def demo_db(empty_db):
    """The shipped pathways and both demo centres."""
    pathways.load_pathway_files()
    demo.seed_demo()
    return empty_db


class _Clock:
    """The limits' clock (services/infra/throttle.py), moved forward by a test instead of waiting."""

    def __init__(self) -> None:
        import time

        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    moving = _Clock()
    monkeypatch.setattr(throttle, "clock", moving)
    return moving


class _HoursClock:
    """The hours' clock (services/hours/timetable.now), set and moved by a test."""

    def __init__(self, at) -> None:
        self.at = at

    def __call__(self):
        return self.at

    def forward(self, **delta) -> None:
        from datetime import timedelta
        self.at += timedelta(**delta)


@pytest.fixture
def hours_clock(monkeypatch):
    """Thursday 19 November 2026, 10:00 in Namur: the demo group has a morning (9:00-12:30) and
    an afternoon (13:30-16:00) on Thursdays; Wednesday 11 November was a public holiday."""
    from datetime import datetime

    from cisp_pwa.services.hours import timetable

    at = _HoursClock(datetime(2026, 11, 19, 10, 0, tzinfo=timetable.BRUSSELS))
    monkeypatch.setattr(timetable, "now", at)
    return at
