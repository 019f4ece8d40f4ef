"""The database engine and the units of work every service runs in.

Two kinds: `unit_of_work()` for an action that writes (on SQLite it takes the write lock up
front, `BEGIN IMMEDIATE`: a read-then-write never fails with "database is locked"; it waits
its turn), and `reading()` for what only reads (many at once, never waits for a writer).
Modules above register with `listen()` to act once a unit of work commits or rolls back
(services/infra/events.py sends the events a write queued); this module imports none of them.
"""

from __future__ import annotations

import contextvars
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from cisp_pwa import settings

logger = logging.getLogger(__name__)

_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None
# Whether the transaction being opened in this context writes (read by the SQLite begin hook).
_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("cisp_writing", default=True)
_WROTE = "cisp_wrote"
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for the lock before the action fails


def _private_files(cursor) -> None:
    """The database file (and a -wal or -shm an older version left) readable by this user only.
    SQLite makes the -wal and -shm with the database file's mode: tightened before WAL is set up."""
    for _seq, name, path in cursor.execute("PRAGMA database_list").fetchall():
        if name != "main" or not path:  # ":memory:" has no file
            continue
        for file in (path, path + "-wal", path + "-shm", path + "-journal"):
            try:
                if stat.S_IMODE(os.stat(file).st_mode) & 0o077:
                    os.chmod(file, 0o600)
            except FileNotFoundError:
                pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, say when transactions begin: savepoints
    # (used for idempotent sends) then work as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    _private_files(cursor)
    # Deleted rows are overwritten with zeros, in the file and in the WAL's new pages: what an
    # erasure removes leaves no copy in freed space (scrub_freed() clears the older pages).
    cursor.execute("PRAGMA secure_delete=ON")
    # A new database hands freed pages back to the file system when asked (scrub_freed); an
    # existing one is converted by its first scrub (a VACUUM, once).
    cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the app read while another request writes (one file, several readers).
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL still keeps every committed transaction when the app is killed; only a
    # power cut can lose the last ones (the file stays consistent). It spares a disk flush per tap.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


SCRUB_TRIES = 4
SCRUB_BUSY_MS = 2_000  # how long one try waits for a writer or a reader: an admin is waiting


def scrub_freed(tables: Iterable[str]) -> bool:
    """After an erasure or a retention run committed: no copy of what went stays in the
    database's files. Call it outside any unit of work. `tables`: those the deletes touched.

    SQLite: rows deleted with secure_delete are zeroed already; the freed pages go back to the
    file system (`incremental_vacuum`: the cost follows what was freed, not the database's size,
    so daily retention does not rewrite gigabytes of voice notes, and no write waits long), then
    the WAL, which holds the pages as they were before, is checkpointed and truncated to zero.
    PostgreSQL: VACUUM of those tables (and their TOAST), on an autocommit connection.

    The erasure has succeeded before this runs: a database too busy is retried a few times,
    then one line is logged and False returned (the next scrub does it)."""
    names = sorted(set(tables))
    dialect = engine().dialect.name
    for attempt in range(SCRUB_TRIES):
        try:
            if dialect == "sqlite":
                done = _scrub_sqlite()
            elif dialect == "postgresql":
                done = _vacuum_postgresql(names)
            else:
                return True
        except Exception as exc:  # noqa: BLE001 - "database is locked", a lock timeout...
            done, why = False, type(exc).__name__
        else:
            why = "a reader stayed on the WAL"
        if done:
            return True
        time.sleep(0.2 * (attempt + 1))
    logger.warning("freed space not scrubbed after %d tries (%s): the next erasure or retention run will",
                   SCRUB_TRIES, why)
    return False


def _scrub_sqlite() -> bool:
    raw = engine().raw_connection()  # the driver's connection: no transaction around VACUUM
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SCRUB_BUSY_MS}")
        try:
            if cursor.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
                # A database made before auto_vacuum was set: converted once, by a whole VACUUM.
                cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
                cursor.execute("VACUUM")
            else:
                # Each step frees one page and Python's execute() steps once: executescript()
                # steps it to the end (every free page).
                cursor.executescript("PRAGMA incremental_vacuum;")
            busy, _frames, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return busy == 0
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()
    finally:
        raw.close()


def _vacuum_postgresql(names: list[str]) -> bool:
    if not names:
        return True
    with engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        quote = conn.dialect.identifier_preparer.quote
        conn.exec_driver_sql(f"SET lock_timeout = {SCRUB_BUSY_MS}")
        conn.exec_driver_sql("VACUUM " + ", ".join(quote(n) for n in names))
        conn.exec_driver_sql("RESET lock_timeout")
    return True


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


# Session hooks: note writes, then tell the listeners after a commit or a rollback.

_committed: list[Callable[[Session], None]] = []
_rolled_back: list[Callable[[Session], None]] = []
_announced: list[Callable[[Session], bool]] = []


def listen(*, committed: Callable[[Session], None] | None = None,
           rolled_back: Callable[[Session], None] | None = None,
           announced: Callable[[Session], bool] | None = None) -> None:
    """Register what runs after each commit or rollback of a unit of work, and the check that a
    write said who it changes something for (`announced`; without it writes are not checked)."""
    for hooks, hook in ((_committed, committed), (_rolled_back, rolled_back), (_announced, announced)):
        if hook is not None and hook not in hooks:
            hooks.append(hook)


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
        if _announced and not any(check(session) for check in _announced):
            # A bug: some open screen may now show stale data until its slow resync.
            logger.error("a write told nobody: call events.publish or events.nobody")
            unannounced.append(1)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for hook in _committed:
        hook(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.nested or previous_transaction.parent is not None:
        return  # a savepoint rolled back (e.g. the same retry at once): the unit of work goes on
    session.info.pop(_WROTE, None)
    for hook in _rolled_back:
        hook(session)


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
