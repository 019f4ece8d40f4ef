"""Backups and restore: one archive holding the database and the keys folder.

`backup(dest)` writes one tar archive (0600, written under a temporary name and renamed when whole;
not compressed again: voice notes are Opus and a pg_dump is compressed already, see
docs/backup-restore.md):

    cisp-backup/manifest.json          format, database kind, alembic revision, created at, app
                                       version, each member's size and SHA-256 (no personal data)
    cisp-backup/keys/...               every file of the keys folder (settings.keys_dir()), its
                                       sub-folders too (badge-keys/centre-<id>/*.pem); never the
                                       SQLite database nor its -wal/-shm/-journal files
    cisp-backup/database.sqlite3       SQLite: a copy made by SQLite's online backup API (one
                                       snapshot while the app keeps writing), journal mode DELETE
 or cisp-backup/database.pgdump        PostgreSQL: `pg_dump --format=custom`, in the same snapshot
                                       as the revision written in the manifest

`restore(archive)` puts it back into an EMPTY database of the same kind and an empty (or
matching) keys folder; it refuses, changing nothing, when the database has any table, when the
archive's kind is not the target's, when a key file differs from the archive's, or when the
archive is damaged. Every refusal is a `Refused` whose message is one plain line for the operator.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url

from cisp_pwa import keys, settings

FORMAT = 1
ROOT = "cisp-backup"
MANIFEST = f"{ROOT}/manifest.json"
KEYS = f"{ROOT}/keys/"
DB_MEMBER = {"sqlite": f"{ROOT}/database.sqlite3", "postgresql": f"{ROOT}/database.pgdump"}
NAME_PREFIX = "cisp-backup-"  # a dated archive's name in a DEST folder; never taken into the keys
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
CHUNK = 1 << 20


class Refused(Exception):
    """An expected problem: the CLI prints the message (one line) and exits with 1."""


@dataclass(frozen=True)
class Done:
    path: Path
    size: int
    seconds: float
    detail: str = ""


# --- the target database ------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    kind: str                 # "sqlite" | "postgresql"
    sqlite_path: Path | None  # SQLite: the file
    libpq_url: str | None     # PostgreSQL: a libpq URL without the password
    password: str | None      # given to the tools in PGPASSWORD, never on a command line

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def where(self) -> str:
        return str(self.sqlite_path) if self.kind == "sqlite" else str(self.libpq_url)


def target(url: str | None = None) -> Target:
    """The database the settings (DATABASE_URL) point at, as the tools need it."""
    u = make_url(url or settings.database_url())
    if u.get_backend_name() == "sqlite":
        if not u.database or u.database == ":memory:":
            raise Refused("DATABASE_URL is an in-memory SQLite database: there is nothing to back up or restore")
        return Target("sqlite", Path(u.database).resolve(), None, None)
    if u.get_backend_name() == "postgresql":
        # postgresql+psycopg://user:pw@host:5432/db?sslmode=... -> postgresql://user@host:5432/db?sslmode=...
        libpq = u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
        return Target("postgresql", None, libpq, u.password)
    raise Refused(f"DATABASE_URL: a {u.get_backend_name()} database cannot be backed up (SQLite or PostgreSQL only)")


def _sqlite_side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SQLITE_SIDE_FILES]


def _sqlite_tables(path: Path) -> dict[str, int]:
    """Every table of a SQLite file and its row count ({} when the file is missing or blank)."""
    if not path.exists() or path.stat().st_size == 0:
        return {}
    conn = sqlite3.connect(path, timeout=30)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    except sqlite3.Error as exc:
        raise Refused(f"refused: {path} is not a SQLite database SQLite can read ({exc}): {_how_to_empty_sqlite(path)}. "
                      "Nothing was changed.") from None
    finally:
        conn.close()


def _pg_connect(t: Target, **kwargs):
    import psycopg

    try:
        return psycopg.connect(t.libpq_url, password=t.password, connect_timeout=10, **kwargs)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Refused(f"cannot reach the PostgreSQL database {t.libpq_url}: {first}") from None


def _pg_tables(t: Target) -> dict[str, int]:
    from psycopg import sql

    with _pg_connect(t, autocommit=True) as conn:
        names = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') "
            "AND table_schema NOT LIKE 'pg_temp%' AND table_schema NOT LIKE 'pg_toast%'").fetchall()
        counts = {}
        for schema, name in names:
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(name))
            counts[name if schema == "public" else f"{schema}.{name}"] = conn.execute(query).fetchone()[0]
        return counts


def _tables(t: Target) -> dict[str, int]:
    return _sqlite_tables(t.sqlite_path) if t.kind == "sqlite" else _pg_tables(t)


def _revision_sqlite(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone():
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def _revision_pg(conn) -> str | None:
    if conn.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(Config(str(settings.PROJECT_DIR / "alembic.ini")))
    return {r.revision for r in script.walk_revisions()}


def _app_version() -> str:
    try:
        return metadata.version("cisp_pwa")
    except metadata.PackageNotFoundError:
        return "unknown"


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        raise Refused(f"{name} not found: install the PostgreSQL client tools (apt-get install postgresql-client)")
    return found


def _run(args: list[str], t: Target, what: str) -> None:
    done = subprocess.run(args, env=t.env(), capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise Refused(f"{what} failed: {lines[-1] if lines else f'exit code {done.returncode}'}")


# --- the keys folder --------------------------------------------------------------------------------

def _key_files(t: Target, skip: set[Path]) -> list[tuple[str, Path]]:
    """(path inside the keys folder, file) of every file of the keys folder, recursively; never
    the database, its side files, an archive of ours or our temporary files."""
    folder = keys.folder()
    if not folder.is_dir():
        return []
    excluded = {p.resolve() for p in skip}
    if t.kind == "sqlite":
        excluded |= {t.sqlite_path, *(p.resolve() for p in _sqlite_side_files(t.sqlite_path))}
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(f".{NAME_PREFIX}"))
        for name in sorted(files):
            path = Path(root) / name
            if (path.resolve() in excluded or name.startswith((NAME_PREFIX, f".{NAME_PREFIX}"))
                    or not path.is_file()):
                continue
            found.append((path.relative_to(folder).as_posix(), path))
    return found


def _keys_in_environment() -> list[str]:
    return [s.env for s in keys.SECRETS if os.environ.get(s.env, "").strip()]


# --- backup -------------------------------------------------------------------------------------

def _destination(dest: Path, now: datetime) -> Path:
    if dest.is_dir():
        return dest / f"{NAME_PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}.tar"
    if not dest.parent.is_dir():
        raise Refused(f"{dest.parent} is not a folder: make it first, or give an existing folder")
    return dest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_sqlite(source: Path, copy: Path) -> str:
    """SQLite's online backup of the live file (one read transaction: a snapshot, while the app
    keeps writing through the WAL); the copy in journal mode DELETE: one self-contained file."""
    if not source.exists():
        raise Refused(f"no database at {source}: nothing to back up")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst)  # pages=-1: every page in one step, i.e. one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise Refused(f"SQLite could not copy {source}: {exc}") from None
    finally:
        dst.close()
        src.close()
    revision = _revision_sqlite(copy)
    if revision is None:
        raise Refused(f"the database {source} has no alembic_version: it was never set up (cli migrate)")
    return revision


def _dump_postgres(t: Target, dump: Path) -> str:
    """pg_dump --format=custom in a snapshot exported by our own transaction: the revision we
    write in the manifest is the one of the dump."""
    import psycopg

    pg_dump = _tool("pg_dump")
    with _pg_connect(t) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        revision = _revision_pg(conn)
        if revision is None:
            raise Refused(f"the database {t.libpq_url} has no alembic_version: it was never set up (cli migrate)")
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password",
              f"--file={dump}", f"--dbname={t.libpq_url}"], t, "pg_dump")
        conn.rollback()
    return revision


def _member(tar: tarfile.TarFile, name: str, size: int, mtime: float, fileobj) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, fileobj)


def backup(dest: Path, url: str | None = None) -> Done:
    """Write one archive of the database and the keys folder to `dest` (a folder: a dated name
    inside it; else that file name). The archive is 0600 and appears only when whole."""
    started = time.monotonic()
    t = target(url)
    now = datetime.now(timezone.utc)
    final = _destination(Path(dest), now)
    stage = Path(tempfile.mkdtemp(prefix=f".{NAME_PREFIX}", dir=final.parent))  # 0700, same disk
    partial = final.with_name(f".{final.name}.partial-{os.getpid()}")
    try:
        db_file = stage / PurePosixPath(DB_MEMBER[t.kind]).name
        revision = _copy_sqlite(t.sqlite_path, db_file) if t.kind == "sqlite" else _dump_postgres(t, db_file)
        key_data = [(name, path.read_bytes()) for name, path in _key_files(t, {final, partial})]
        files = {KEYS + name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in key_data}
        files[DB_MEMBER[t.kind]] = {"size": db_file.stat().st_size, "sha256": _sha256(db_file)}
        manifest = {
            "format": FORMAT,
            "app": "cisp_pwa",
            "app_version": _app_version(),
            "database": t.kind,
            "alembic_revision": revision,
            "created_at": now.isoformat(timespec="seconds"),
            # Keys read from variables are not in the folder, hence not here: keep them apart.
            "keys_in_environment": _keys_in_environment(),
            "files": files,
        }
        body = json.dumps(manifest, indent=2, sort_keys=True).encode()
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)  # whatever the umask
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                mtime = now.timestamp()
                _member(tar, MANIFEST, len(body), mtime, io.BytesIO(body))
                for name, data in key_data:  # keys before the database: restore checks them first
                    _member(tar, KEYS + name, len(data), mtime, io.BytesIO(data))
                with open(db_file, "rb") as f:
                    _member(tar, DB_MEMBER[t.kind], files[DB_MEMBER[t.kind]]["size"], mtime, f)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
        _fsync_folder(final.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    notes = [f"{name} is set in the environment: its key is not in the archive, keep it apart"
             for name in manifest["keys_in_environment"]]
    if not key_data:
        notes.append(f"the keys folder {keys.folder()} holds no file: the archive has the database only")
    return Done(final, final.stat().st_size, time.monotonic() - started, "; ".join(notes))


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- restore ------------------------------------------------------------------------------------

def _how_to_empty_sqlite(path: Path) -> str:
    return f"stop the app, move {path} (and its -wal, -shm files) aside, or point DATABASE_URL at a new file"


def _how_to_empty(t: Target) -> str:
    if t.kind == "sqlite":
        return _how_to_empty_sqlite(t.sqlite_path)
    db = make_url(t.libpq_url)
    where = f"-h {db.host or 'localhost'} -p {db.port or 5432} -U {db.username or 'postgres'}"
    return f"make an empty one: dropdb {where} {db.database} && createdb {where} {db.database}"


def _check_empty(t: Target) -> None:
    tables = _tables(t)
    if not tables:
        return
    full = sorted(name for name, rows in tables.items() if rows)
    what = f"{len(tables)} table(s)" + (f", {len(full)} with rows" if full else "")
    if "alembic_version" in tables:
        what += "; it has alembic_version: migrate or setup already ran on it"
    raise Refused(f"refused: the database {t.where()} is not empty ({what}); restore only goes into an empty "
                  f"database: {_how_to_empty(t)}. Nothing was changed.")


def _safe_key_name(name: str) -> str:
    rel = PurePosixPath(name[len(KEYS):])
    if not name.startswith(KEYS) or rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts):
        raise Refused(f"the archive is damaged or not ours: unexpected member {name!r}. Nothing was changed.")
    return rel.as_posix()


def _read_manifest(tar: tarfile.TarFile) -> dict:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > 1 << 20:
        raise Refused("not a CISP backup: its first member is not cisp-backup/manifest.json. Nothing was changed.")
    try:
        manifest = json.loads(tar.extractfile(first).read())
    except ValueError:
        raise Refused("the archive's manifest is unreadable. Nothing was changed.") from None
    if manifest.get("format") != FORMAT:
        raise Refused(f"archive format {manifest.get('format')!r}: this version of the app reads format {FORMAT} "
                      f"(made by app {manifest.get('app_version')}). Nothing was changed.")
    return manifest


def _check_key_slot(existing: Path, data: bytes) -> None:
    if existing.exists() and (not existing.is_file() or existing.read_bytes() != data):
        raise Refused(f"refused: the keys folder already holds {existing}, different from the archive's: "
                      "move it aside (a first start of this machine may have made it) and run restore "
                      "again. Nothing was changed.")


def _check_writable(folder: Path) -> None:
    """The keys folder, or the nearest folder above it that exists, can take our files."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise Refused(f"refused: cannot write the keys into {folder} ({probe} is not a folder this user may write "
                      "to). Nothing was changed.")


def _restore_keys(key_data: dict[str, bytes]) -> list[Path]:
    folder = keys.folder()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    written = []
    for name, data in key_data.items():
        path = folder / name
        for parent in reversed(path.relative_to(folder).parents[:-1]):
            sub = folder / parent
            sub.mkdir(exist_ok=True)
            os.chmod(sub, 0o700)
        if path.exists():  # the same bytes (checked before): keep it, tighten it
            os.chmod(path, 0o600)
            continue
        tmp = path.with_name(f".{path.name}.restore-{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        written.append(path)
    return written


def _restore_sqlite(t: Target, staged: Path) -> None:
    check = sqlite3.connect(staged)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        raise Refused(f"the archive's database fails SQLite's integrity check ({result}). Nothing was changed.")
    t.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    if not t.sqlite_path.exists():  # personal data: readable by the app's user only
        os.close(os.open(t.sqlite_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src = sqlite3.connect(staged)
    dst = sqlite3.connect(t.sqlite_path, timeout=30)
    try:
        src.backup(dst)  # SQLite writes it under its own lock, as the app would see it
        dst.execute("PRAGMA journal_mode=WAL")  # the app's mode (services/infra/db.py)
    finally:
        dst.close()
        src.close()


def _restore_postgres(t: Target, staged: Path) -> None:
    # One transaction: a failure leaves the database as empty as it was. --no-owner / --no-acl:
    # the objects belong to the user restoring, whatever the roles of the machine that dumped.
    try:
        _run([_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
              "--no-password", f"--dbname={t.libpq_url}", str(staged)], t, "pg_restore")
    except Refused as exc:
        raise Refused(f"{exc} (one transaction, rolled back: the database is still empty)") from None


def _restored_revision(t: Target) -> str | None:
    if t.kind == "sqlite":
        return _revision_sqlite(t.sqlite_path)
    with _pg_connect(t, autocommit=True) as conn:
        return _revision_pg(conn)


def restore(archive: Path, url: str | None = None) -> Done:
    """Restore an archive into the empty database DATABASE_URL names and into the keys folder.
    Every check (kind, revision, empty database, keys, checksums) passes before anything changes."""
    started = time.monotonic()
    archive = Path(archive)
    t = target(url)
    if not archive.is_file():
        raise Refused(f"no archive at {archive}")
    try:
        tar = tarfile.open(archive, mode="r|*")  # a copy someone gzipped reads as well
    except (tarfile.TarError, OSError) as exc:
        raise Refused(f"{archive} is not a readable tar archive ({exc}). Nothing was changed.") from None
    stage = None
    try:
        manifest = _read_manifest(tar)
        kind = manifest.get("database")
        if kind != t.kind:
            raise Refused(f"refused: the archive holds a {kind} database and DATABASE_URL points at {t.kind}; "
                          f"restore a {kind} archive into a {kind} database (to move between them, restore into "
                          f"{kind} first). Nothing was changed.")
        revision = manifest.get("alembic_revision")
        if revision not in _known_revisions():
            raise Refused(f"refused: the archive's database is at revision {revision}, which this version of the app "
                          f"does not know: restore it with the version that made it ({manifest.get('app_version')}). "
                          "Nothing was changed.")
        _check_empty(t)
        _check_writable(keys.folder())
        listed = manifest.get("files") or {}
        if DB_MEMBER[kind] not in listed:
            raise Refused("the archive's manifest names no database. Nothing was changed.")
        key_data: dict[str, bytes] = {}
        stage_parent = t.sqlite_path.parent if t.kind == "sqlite" else archive.parent
        seen = set()
        while (member := tar.next()) is not None:
            if member.name not in listed or member.name in seen or not member.isfile():
                raise Refused(f"the archive is damaged or not ours: unexpected member {member.name!r}. "
                              "Nothing was changed.")
            seen.add(member.name)
            expected = listed[member.name]
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            if member.name == DB_MEMBER[kind]:
                stage_parent.mkdir(parents=True, exist_ok=True)
                stage = Path(tempfile.mkdtemp(prefix=f".{NAME_PREFIX}restore-", dir=stage_parent))
                staged = stage / PurePosixPath(member.name).name
                with open(staged, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            else:
                name = _safe_key_name(member.name)
                data = source.read()
                digest.update(data)
                key_data[name] = data
            if digest.hexdigest() != expected.get("sha256"):
                raise Refused(f"the archive is damaged: {member.name} does not match its checksum. Nothing was changed.")
            if member.name != DB_MEMBER[kind]:
                _check_key_slot(keys.folder() / name, data)
        missing = set(listed) - seen
        if missing:
            raise Refused(f"the archive is incomplete: {', '.join(sorted(missing))} missing. Nothing was changed.")
        if t.kind == "sqlite":
            _restore_sqlite(t, staged)
        else:
            _restore_postgres(t, staged)
        restored = _restored_revision(t)
        if restored != revision:
            raise Refused(f"the restored database is at revision {restored}, not the archive's {revision}")
        written = _restore_keys(key_data)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise Refused(f"the archive is damaged ({exc}). Nothing was changed.") from None
    finally:
        tar.close()
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
    notes = []
    for secret in keys.SECRETS:
        value = os.environ.get(secret.env, "").strip()
        if value and secret.file in key_data:
            notes.append(f"{secret.env} is set: the app reads it, not the restored {secret.file}")
    detail = (f"database ({kind}, revision {revision}) and {len(key_data)} key file(s) "
              f"({len(written)} written) into {keys.folder()}")
    return Done(archive, archive.stat().st_size, time.monotonic() - started, detail + "".join(f"; {n}" for n in notes))


def human_size(size: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"
