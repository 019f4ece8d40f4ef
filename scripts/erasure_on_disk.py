"""What an erasure leaves in PostgreSQL's files: a byte search of the cluster's data directory.

Makes a database of its own on the local server, fills a trainee's file as the attacker's
walk-through did (tests/services/infra/test_data_at_rest.py), erases her (privacy.erase: VACUUM of the
touched tables after commit), forces a CHECKPOINT (so the files hold what shared buffers held),
then reads every file of the database's folder (heaps, TOAST, indexes, free space and visibility
maps) and every WAL segment in pg_wal, and prints where each distinctive string still is.

Needs to run as a user who can read the data directory (root or postgres) and a superuser
connection (CISP_TEST_PG_URL, by default postgres@127.0.0.1). Drops its database at the end.
    .venv/bin/python -m scripts.erasure_on_disk
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg

from cisp_pwa import demo
from cisp_pwa.cli import migrate
from cisp_pwa.services.infra import db
from cisp_pwa.services.records import privacy
from cisp_pwa.services.skills import pathways

ADMIN = os.environ.get("CISP_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres").replace(
    "postgresql+psycopg://", "postgresql://")


def search(where: dict[str, list[Path]], needles: dict[str, bytes]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for label, files in where.items():
        for file in files:
            try:
                data = file.read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                continue
            for what, needle in needles.items():
                if n := data.count(needle):
                    found.setdefault(what, {})
                    key = f"{label}:{file.name}" if label != "table" else file.name
                    found[what][key] = found[what].get(key, 0) + n
    return found


def main() -> None:
    from tests.services.infra import test_data_at_rest as scenario  # the same data as the test
    from tests.services.helpers import actor

    name = f"cisp_disk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        data_dir = Path(conn.execute("SHOW data_directory").fetchone()[0])
    url = ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    try:
        migrate(url)
        db.configure(url)
        pathways.load_pathway_files()
        demo.seed_demo()
        trainee_id = scenario._her_file_is_full()
        # Others write after her: her rows sit in the middle of the tables, as on a real server
        # (rows at a table's end go with the truncation VACUUM does of empty last pages).
        from cisp_pwa.services.conversations import messages
        from cisp_pwa.services.follow_up import coach_notes
        from cisp_pwa.services.infra import throttle
        julie, kevin = actor("julie"), actor("kevin")
        for n in range(40):
            throttle.reset()
            messages.send_message(julie, kevin.id, str(uuid.uuid4()), f"Message {n} pour Kevin")
            coach_notes.add_note(julie, kevin.id, f"Note {n} sur Kevin")
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            wal_start = conn.execute("SELECT pg_walfile_name(pg_current_wal_lsn())").fetchone()[0]
            oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
            files = {}
            for table in scenario.TOUCHED:
                rows = conn.execute(
                    "SELECT pg_relation_filepath(c.oid), pg_relation_filepath(NULLIF(c.reltoastrelid, 0)) "
                    "FROM pg_class c WHERE relname = %s", (table,)).fetchone()
                files[table] = [p for p in rows if p]
            print("relation files:", files)

        def look(moment: str) -> None:
            with psycopg.connect(ADMIN, autocommit=True) as conn:
                conn.execute("CHECKPOINT")
            where = {
                "table": [data_dir / p for paths in files.values() for p in paths],
                "database folder": sorted((data_dir / "base" / str(oid)).iterdir()),
                "pg_wal": sorted(p for p in (data_dir / "pg_wal").iterdir() if p.is_file()),
            }
            print(f"\n{moment} (after CHECKPOINT); WAL segments: {len(where['pg_wal'])}, first of this run: {wal_start}")
            found = search(where, scenario.NEEDLES)
            for what in scenario.NEEDLES:
                print(f"  {what:16} {found.get(what, 'nowhere')}")

        look("before the erasure")
        privacy.erase(actor("sophie"), trainee_id, "asked_by_trainee")
        look("after the erasure and its VACUUM")
    finally:
        db.engine().dispose()
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
