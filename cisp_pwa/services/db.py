"""The database engine and the units of work every service runs in.

Two kinds: `unit_of_work()` for an action that writes (on SQLite it takes the write lock up
front, `BEGIN IMMEDIATE`: a read-then-write never fails with "database is locked"; it waits
its turn), and `reading()` for what only reads (many at once, never waits for a writer). After
a write commits, the events it queued go out (services/events.py).
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from cisp_pwa import settings

from . import events

logger = logging.getLogger(__name__)

_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None
# Whether the transaction being opened in this context writes (read by the SQLite begin hook).
_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("cisp_writing", default=True)
_WROTE = "cisp_wrote"
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for the lock before the action fails


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, say when transactions begin: savepoints
    # (used for idempotent sends) then work as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the app read while another request writes (one file, several readers).
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL still keeps every committed transaction when the app is killed; only a
    # power cut can lose the last ones (the file stays consistent). It spares a disk flush per tap.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # hide_parameters: a database error never writes a message or a token into the log.
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)
    if os.environ.get("CISP_SQL_COUNT_FILE"):
        _count_statements(engine, os.environ["CISP_SQL_COUNT_FILE"])
    return engine


def configure(url: str | None = None) -> Engine:
    """Point the services at a database (the settings' one by default)."""
    global _engine, _factory
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url or settings.database_url())
    _factory = sessionmaker(_engine, expire_on_commit=False)
    return _engine


def engine() -> Engine:
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


@contextmanager
def _session(writing: bool) -> Iterator[Session]:
    if _factory is None:
        configure()
    assert _factory is not None
    flag = _writing.set(writing)
    try:
        with _factory() as session, session.begin():
            yield session
    finally:
        _writing.reset(flag)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction that may write: committed when the block ends, rolled back on any
    error; its events are sent after the commit."""
    with _session(writing=True) as session:
        yield session


@contextmanager
def reading() -> Iterator[Session]:
    """One transaction that only reads."""
    with _session(writing=False) as session:
        session.info["read_only"] = True
        yield session


# Session hooks: note writes, send events after commit, forget them after a rollback.

@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _check_write(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the unit of work goes on
        return
    session.flush()
    if session.info.pop(_WROTE, False):
        if session.info.get("read_only"):
            raise RuntimeError("a reading() unit of work wrote: use unit_of_work()")
        if not events.announced(session):
            # A bug: some open screen may now show stale data until its slow resync.
            logger.error("a write told nobody: call events.publish or events.nobody")
            unannounced.append(1)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    events.after_commit(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.nested or previous_transaction.parent is not None:
        return  # a savepoint rolled back (e.g. the same retry at once): the unit of work goes on
    session.info.pop(_WROTE, None)
    events.after_rollback(session)


unannounced: list[int] = []  # one entry per write that told nobody (the event tests read it)


def _count_statements(engine: Engine, path: str) -> None:
    """For scripts/bench_live.py: this process's count of SQL statements, written to
    `<path>.<pid>` about once a second. Only when CISP_SQL_COUNT_FILE is set."""
    import time

    count = [0]

    def write() -> None:
        while True:
            try:
                with open(f"{path}.{os.getpid()}", "w") as f:
                    f.write(f"{count[0]}\n")
            except OSError:
                pass
            time.sleep(1)

    def start() -> None:
        threading.Thread(target=write, name="cisp-sql-count", daemon=True).start()

    def start_in_child() -> None:
        # Server workers are forked after the app (and its engine) is loaded: threads do not
        # survive a fork, so each child starts its own writer, counting from zero.
        count[0] = 0
        start()

    event.listen(engine, "before_cursor_execute", lambda *a, **k: count.__setitem__(0, count[0] + 1))
    os.register_at_fork(after_in_child=start_in_child)
    start()
