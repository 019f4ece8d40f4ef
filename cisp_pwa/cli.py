"""Set-up commands: `python -m cisp_pwa.cli setup` migrates, loads the pathways and the demo.

Every step is idempotent: running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from cisp_pwa import settings
from cisp_pwa.services import db, demo, pathways
from cisp_pwa.services.errors import PathwayFileError


def migrate(url: str | None = None) -> None:
    config = Config(str(settings.PROJECT_DIR / "alembic.ini"))
    config.attributes["url"] = url or settings.database_url()
    command.upgrade(config, "head")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cisp_pwa.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the database tables")
    load = sub.add_parser("load-pathways", help="load pathway files (the shipped ones by default)")
    load.add_argument("files", nargs="*", type=Path)
    sub.add_parser("seed-demo", help="add the demo centres and accounts if missing")
    sub.add_parser("setup", help="migrate, load the shipped pathways, add the demo data")
    args = parser.parse_args(argv)

    url = settings.database_url()
    db.configure(url)
    if args.command in ("migrate", "setup"):
        migrate(url)
        print("database: up to date")
    if args.command in ("load-pathways", "setup"):
        files = getattr(args, "files", None) or None
        try:
            report = pathways.load_pathway_files(files)
        except PathwayFileError as exc:
            d = exc.details
            print(f"pathway file {d['file']}: {d['field'] or 'file'}: {d['message']}", file=sys.stderr)
            print("nothing was loaded", file=sys.stderr)
            return 1
        print(f"pathways: {report.created} created, {report.updated} updated, {report.unchanged} unchanged")
    if args.command in ("seed-demo", "setup"):
        created = demo.seed_demo()
        print(f"demo centres: {', '.join(created) if created else 'already there'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
