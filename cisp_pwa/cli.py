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
from cisp_pwa.models import Centre
from cisp_pwa.services import badge_keys, db, demo, pathways, retention
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
    keep = sub.add_parser("retention", help="apply the retention rules (run daily); --dry-run says what would go")
    keep.add_argument("--dry-run", action="store_true")
    rotate = sub.add_parser("rotate-badge-key", help="a new signing key for a centre's badges (old ones stay "
                                                     "for verification)")
    rotate.add_argument("centre_id", type=int)
    save = sub.add_parser("backup", help="write one archive (.tar, 0600) of the database and the keys folder to DEST "
                                         "(a folder: a dated name inside it)")
    save.add_argument("dest", type=Path)
    back = sub.add_parser("restore", help="restore an archive into an EMPTY database and the keys folder")
    back.add_argument("archive", type=Path)
    args = parser.parse_args(argv)

    if args.command in ("backup", "restore"):
        return _backup_or_restore(args)

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
    if args.command == "rotate-badge-key":
        with db.reading() as s:
            if s.get(Centre, args.centre_id) is None:
                print(f"no centre {args.centre_id}", file=sys.stderr)
                return 1
        key = badge_keys.rotate(args.centre_id)
        print(f"centre {args.centre_id}: new signing key {key.kid} in {badge_keys.folder(args.centre_id)}; "
              f"{len(badge_keys.all_keys(args.centre_id))} key(s) in its issuer profile")
    if args.command == "retention":
        report = retention.run(dry_run=args.dry_run)
        verb = "would go" if args.dry_run else "purged"
        print(f"ended sessions {verb}: {report.sessions}; used or expired invitations: {report.invitations}; "
              f"audit rows older than {settings.AUDIT_KEEP.days} days: {report.audit_rows}")
        print(f"trainees {'to anonymise' if args.dry_run else 'anonymised'}: {len(report.anonymised)}"
              + (f" (ids {', '.join(map(str, report.anonymised))})" if report.anonymised else ""))
        for d in report.soon:  # ids and dates only: a log keeps no names
            print(f"  soon: trainee {d.trainee_id} on {d.on.isoformat()}")
    return 0


def _backup_or_restore(args: argparse.Namespace) -> int:
    from cisp_pwa import backups  # only these two commands need it

    try:
        if args.command == "backup":
            done = backups.backup(args.dest)
            print(f"{done.path}  {backups.human_size(done.size)}  {done.seconds:.1f} s")
        else:
            done = backups.restore(args.archive)
            print(f"restored {done.detail} in {done.seconds:.1f} s; next: python -m cisp_pwa.cli migrate")
    except backups.Refused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:  # a folder we may not write to, a full disk: one line, no traceback
        print(f"{args.command} failed: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    if args.command == "backup" and done.detail:
        print(f"note: {done.detail}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
