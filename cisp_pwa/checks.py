"""What an operator's `cisp check` says, one line per setting, and what a production start refuses.

Each check returns a `Line`: ok or a problem, in plain words that say what to do. `cisp check`
prints them all and exits 1 on any problem; `cisp serve` (and the app itself, when it starts
with CISP_ENV=production) refuses to run on the ones marked `blocks_start`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from cisp_pwa import keys, settings


@dataclass(frozen=True)
class Line:
    name: str
    ok: bool
    says: str
    blocks_start: bool = False  # a production start refuses to run with this problem

    def __str__(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.says}"


def _redacted(url: str) -> str:
    """A database or Redis address without its password, for a screen or a log."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def head_revision() -> str:
    config = Config(str(settings.PROJECT_DIR / "alembic.ini"))
    return ScriptDirectory.from_config(config).get_current_head() or ""


def database_revision() -> str:
    """The schema revision the database is at ("" for an empty one)."""
    from cisp_pwa.services.infra import db

    with db.engine().connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or ""


def database() -> Line:
    from cisp_pwa.services.infra import db

    url = settings.database_url()
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - said to the operator, whatever the driver raised
        return Line("database", False, f"{_redacted(url)} unreachable ({type(exc).__name__})", blocks_start=True)
    return Line("database", True, _redacted(url))


def schema() -> Line:
    head = head_revision()
    try:
        current = database_revision()
    except Exception as exc:  # noqa: BLE001
        return Line("schema", False, f"unreadable ({type(exc).__name__})", blocks_start=True)
    if current == head:
        return Line("schema", True, f"at {head}")
    if not current:
        return Line("schema", False, "the database is empty: run `cisp migrate`", blocks_start=True)
    return Line("schema", False, f"the database is at {current}, this release needs {head}: "
                                 "back up, then run `cisp migrate` (README, Upgrade)", blocks_start=True)


def demo_absent() -> Line:
    from cisp_pwa.models import Centre
    from cisp_pwa.services.infra import db

    try:
        with db.reading() as s:
            codes = s.scalars(select(Centre.code).where(Centre.is_demo.is_(True))).all()
    except Exception as exc:  # noqa: BLE001 - an empty or old database: the schema line says it
        return Line("demo", False, f"not checked ({type(exc).__name__})", blocks_start=True)
    if codes:
        return Line("demo", False, f"demo centres present ({', '.join(codes)}): their passwords are public; "
                                   "run `cisp demo --remove`", blocks_start=True)
    return Line("demo", True, "no demo centre")


def centre_ids() -> list[int]:
    from cisp_pwa.models import Centre
    from cisp_pwa.services.infra import db

    try:
        with db.reading() as s:
            return list(s.scalars(select(Centre.id)))
    except Exception:  # noqa: BLE001 - an empty database has no centre yet
        return []


def key_lines() -> list[Line]:
    problems = keys.problems(centre_ids())
    if not problems:
        return [Line("keys", True, f"every key in {keys.folder()} or the environment")]
    return [Line("keys", False, p, blocks_start=True) for p in problems]


def origins() -> Line:
    raw = os.environ.get("CISP_ORIGINS", "")
    if not raw:
        return Line("origins", not settings.production(),
                    "CISP_ORIGINS unset (localhost only): set the public https:// address")
    plain = [o for o in raw.split(",") if not o.strip().startswith("https://")]
    if plain and settings.production():
        return Line("origins", False, f"not https: {', '.join(plain)}")
    return Line("origins", True, raw)


def public_url() -> Line:
    url = settings.public_url()
    if settings.production() and not url.startswith("https://"):
        return Line("public URL", False, f"{url} is not https:// (set CISP_PUBLIC_URL): badges carry it for good")
    return Line("public URL", True, url)


def trusted_proxies() -> Line:
    from cisp_pwa import client_address

    problems = client_address.problems()
    if problems:
        return Line("trusted proxies", False, "; ".join(problems), blocks_start=True)
    configured = os.environ.get("CISP_TRUSTED_PROXIES", "").strip()
    if not configured and settings.production():
        return Line("trusted proxies", False, "CISP_TRUSTED_PROXIES unset: behind nginx every user would share "
                                              "its address (set it to the proxy's, e.g. 127.0.0.1)")
    return Line("trusted proxies", True, configured or "none (clients connect directly)")


def redis() -> Line:
    url = settings.redis_url()
    if not url:
        return Line("redis", True, "unset: one worker, states in memory")
    import redis as redis_py

    client = redis_py.Redis.from_url(url, socket_timeout=3)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return Line("redis", False, f"{_redacted(url)} unreachable ({type(exc).__name__})", blocks_start=True)
    finally:
        client.close()
    return Line("redis", True, _redacted(url))


def push_subject() -> Line:
    subject = os.environ.get("CISP_VAPID_SUBJECT", "mailto:admin@localhost")
    if settings.production() and "localhost" in subject:
        return Line("push contact", False, f"{subject}: set CISP_VAPID_SUBJECT to a real mailto: or https: address")
    return Line("push contact", True, subject)


def reflex() -> Line:
    """The Reflex internals the app uses, all there (reflex_internals.py: the one place to mend)."""
    from cisp_pwa import reflex_internals

    if lacking := reflex_internals.missing():
        return Line("reflex", False, reflex_internals.lacks(lacking), blocks_start=True)
    return Line("reflex", True, f"{reflex_internals.version()}, with every internal the app uses")


CHECKS: tuple[Callable[[], Line | list[Line]], ...] = (
    reflex, database, schema, demo_absent, key_lines, origins, public_url, trusted_proxies, redis, push_subject)


def run() -> list[Line]:
    lines: list[Line] = []
    for check in CHECKS:
        result = check()
        lines.extend(result if isinstance(result, list) else [result])
    return lines


def refusals() -> list[Line]:
    """What a production start refuses to run with (the schema, the demo, the keys...)."""
    return [line for line in run() if not line.ok and line.blocks_start]
