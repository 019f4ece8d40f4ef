"""The operator's commands: `cisp <command>` (or `python -m cisp_pwa.cli <command>`).

A real centre: `migrate`, `keys`, `create-centre`, `create-admin`, `check`, `build`, `serve`,
`backup`, `restore`, `retention`. The first look (`make run`): `setup` migrates, loads the
pathways and the demo. Every set-up step is idempotent: running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import segno
from alembic import command
from alembic.config import Config

from sqlalchemy import select

from cisp_pwa import checks, demo, keys, settings
from cisp_pwa.endpoints import headers
from cisp_pwa.models import Centre
from cisp_pwa.services.credentials import badge_keys
from cisp_pwa.services.errors import InvalidInput, PathwayFileError
from cisp_pwa.services.infra import audit, db, events
from cisp_pwa.services.people import auth, enrolment
from cisp_pwa.services.records import retention
from cisp_pwa.services.skills import pathways

CENTRE_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def migrate(url: str | None = None) -> None:
    config = Config(str(settings.PROJECT_DIR / "alembic.ini"))
    config.attributes["url"] = url or settings.database_url()
    command.upgrade(config, "head")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cisp")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the database tables")
    load = sub.add_parser("load-pathways", help="load pathway files (the shipped ones by default)")
    load.add_argument("files", nargs="*", type=Path)
    demo_cmd = sub.add_parser("demo", help="add the demo centres and accounts (public passwords: never on a "
                                           "real server); --remove deletes them and all their data")
    demo_cmd.add_argument("--remove", action="store_true")
    sub.add_parser("setup", help="the first look (make run): migrate, load the shipped pathways, add the demo")
    centre_cmd = sub.add_parser("create-centre", help="a real centre: its code, name and region (the partner "
                                                  "services it shares)")
    centre_cmd.add_argument("code", help="short, lower case, e.g. cisp-namur-nord")
    centre_cmd.add_argument("name", help='as people say it, e.g. "CISP Namur Nord"')
    centre_cmd.add_argument("--region", default="", help="shares the partner services of its region's centres, "
                                                     "e.g. namur (the admin imports the region's file)")
    admin_cmd = sub.add_parser("create-admin", help="a centre's admin: prints her one-time enrolment link and its "
                                                     "QR code (24 h), where she sets her password and app")
    admin_cmd.add_argument("--centre", required=True, help="the centre's code")
    admin_cmd.add_argument("--login", required=True)
    admin_cmd.add_argument("--name", required=True, help='as on her screens, e.g. "Anne Dupont"')
    admin_cmd.add_argument("--locale", default="fr", help="her language (fr, nl, de, en, ar, fa, tr, ro, uk, es, pt)")
    key_cmd = sub.add_parser("keys", help="make every missing key once (state, share links, push, each centre's "
                                          "badge key); --env prints them as environment lines")
    key_cmd.add_argument("--env", action="store_true")
    sub.add_parser("check", help="settings, keys, origins, proxies, database, Redis, demo: one line each, exit 1 "
                                 "on a problem")
    sub.add_parser("build", help="build the frontend once per release (needs bun; see README) into "
                                 "CISP_FRONTEND_DIR")
    serve_cmd = sub.add_parser("serve", help="the production start: check, then serve the backend for a prebuilt "
                                         "frontend (no build, no demo, no migration)")
    serve_cmd.add_argument("--host", default=os.environ.get("CISP_HOST", "127.0.0.1"))
    serve_cmd.add_argument("--port", type=int, default=int(os.environ.get("CISP_PORT", "3000")))
    keep = sub.add_parser("retention", help="apply the retention rules (run daily); --dry-run says what would go")
    keep.add_argument("--dry-run", action="store_true")
    sub.add_parser("audit-verify", help="walk every audit chain: names the first broken link of each (a row "
                                        "changed, missing or out of place), exit 1; exit 0 when all are intact")
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

    if args.command == "build":
        return build()
    url = settings.database_url()
    db.configure(url)
    if args.command == "check":
        lines = checks.run()
        for line in lines:
            print(line)
        return 0 if all(line.ok for line in lines) else 1
    if args.command == "serve":
        return serve(args.host, args.port)
    if args.command == "keys":
        return make_keys(print_env=args.env)
    if args.command == "create-centre":
        return create_centre(args.code, args.name, args.region)
    if args.command == "create-admin":
        return create_admin(args.centre, args.login, args.name, args.locale)
    if args.command == "demo" and args.remove:
        return remove_demo()
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
    if args.command in ("demo", "setup"):
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
    if args.command == "audit-verify":
        return audit_verify()
    if args.command == "retention":
        report = retention.run(dry_run=args.dry_run)
        verb = "would go" if args.dry_run else "purged"
        print(f"ended sessions {verb}: {report.sessions}; used or expired invitations: {report.invitations}; "
              f"photos of certificates: {report.certificates}; audit rows older than {settings.AUDIT_KEEP.days} days: {report.audit_rows}")
        print(f"trainees {'to anonymise' if args.dry_run else 'anonymised'}: {len(report.anonymised)}"
              + (f" (ids {', '.join(map(str, report.anonymised))})" if report.anonymised else ""))
        for d in report.soon:  # ids and dates only: a log keeps no names
            print(f"  soon: trainee {d.trainee_id} on {d.on.isoformat()}")
    return 0


def audit_verify() -> int:
    verdict = audit.verify()
    for broken in verdict.breaks:  # centre, row id, what is wrong: no names
        print(f"broken: {broken}", file=sys.stderr)
    if verdict.breaks:
        print(f"{len(verdict.breaks)} of {verdict.chains} chains broken ({verdict.rows} rows)", file=sys.stderr)
        return 1
    print(f"all {verdict.chains} chains intact ({verdict.rows} rows)")
    return 0


def remove_demo() -> int:
    codes, ids = demo.remove_demo()
    for centre_id in ids:  # their badges are gone with them: so are the keys that signed them
        shutil.rmtree(keys.badge_folder(centre_id), ignore_errors=True)
    print(f"demo centres removed: {', '.join(codes)}" if codes else "no demo centre")
    return 0


def create_centre(code: str, name: str, region: str) -> int:
    code, name = code.strip().lower(), " ".join(name.split())
    if not CENTRE_CODE.match(code):
        print("the code is 2 to 40 lower-case letters, digits or dashes, e.g. cisp-namur-nord", file=sys.stderr)
        return 1
    if not name or len(name) > 120:
        print("the name is 1 to 120 characters", file=sys.stderr)
        return 1
    region = region.strip().lower()
    if region and not CENTRE_CODE.match(region):
        print("the region is a short code in lower case, e.g. namur", file=sys.stderr)
        return 1
    with db.unit_of_work() as s:
        if s.scalar(select(Centre.id).where(Centre.code == code)) is not None:
            print(f"a centre {code} exists already", file=sys.stderr)
            return 1
        centre = Centre(code=code, name=name, region=region)
        s.add(centre)
        s.flush()
        centre_id = centre.id
        audit.record_operator(s, centre_id, "centre_created", "centre", centre_id)
        events.nobody(s)  # no screen is open on a centre that did not exist
    keys.make_missing([centre_id], badge_keys.rotate)  # its badge key, made once for every machine
    print(f"centre {code} ({centre_id}) created; next: cisp create-admin --centre {code} ...")
    return 0


def create_admin(centre_code: str, login: str, name: str, locale: str) -> int:
    with db.reading() as s:
        centre_id = s.scalar(select(Centre.id).where(Centre.code == centre_code.strip().lower()))
    if centre_id is None:
        print(f"no centre {centre_code!r} (cisp create-centre makes one)", file=sys.stderr)
        return 1
    try:
        link = enrolment.invite_new_admin(centre_id, display_name=name, login=login, locale=locale)
    except InvalidInput as exc:
        print(f"not created: {exc.code}", file=sys.stderr)
        return 1
    # The link signs her in once: shown here, never logged or stored in clear.
    print(f"admin {auth.normalise_login(login)} created in {centre_code}. Hand her this link (one use, until "
          f"{link.expires_at:%Y-%m-%d %H:%M} UTC): she chooses her password and sets up her authenticator app.")
    print(link.url)
    segno.make(link.url, error="m").terminal(compact=True)
    return 0


def make_keys(print_env: bool) -> int:
    made = keys.make_missing(checks.centre_ids(), badge_keys.rotate)
    print(f"made: {', '.join(made)}" if made else f"every key is there ({keys.folder()})", file=sys.stderr)
    if print_env:  # for machines that take secrets from the environment (badge keys stay files)
        for secret in keys.SECRETS:
            print(keys.env_line(secret, keys.read(secret)))
    return 0


def frontend_dir() -> Path:
    return Path(os.environ.get("CISP_FRONTEND_DIR") or settings.PROJECT_DIR / "build" / "frontend")


def web_dir() -> Path:
    """Reflex's working folder (.web, or REFLEX_WEB_WORKDIR): the build lands there first."""
    return Path(os.environ.get("REFLEX_WEB_WORKDIR") or settings.PROJECT_DIR / ".web")


def build() -> int:
    """`reflex export` of the frontend, then moved whole into CISP_FRONTEND_DIR: nginx serves it,
    and `cisp serve` never builds."""
    target = frontend_dir()
    env = {**os.environ, "CISP_BUILD": "1", "REFLEX_TELEMETRY_ENABLED": "false"}
    env.pop("CISP_DEMO", None)  # a release never says "Démo"
    done = subprocess.run([sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
                          cwd=settings.PROJECT_DIR, env=env)
    if done.returncode:
        return done.returncode
    web = web_dir()
    fresh = target.with_name(target.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(web / "build" / "client", fresh / "client")
    # Which pages hold state, so a backend with no build evaluates none of them (Reflex's marker).
    shutil.copytree(web / "backend", fresh / "backend")
    for name, document in (("headers-document.conf", True), ("headers-file.conf", False)):
        (fresh / name).write_text(headers.nginx(document))
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"frontend built in {target / 'client'} (serve it with nginx: deploy/nginx/cisp.conf)")
    return 0


def serve(host: str, port: int) -> int:
    """Refuse what a production start must not run with, then hand over to Reflex's production
    backend (granian), which neither compiles nor builds: the frontend is nginx's."""
    os.environ["CISP_ENV"] = "production"
    refused = checks.refusals()
    for line in refused:
        print(line, file=sys.stderr)
    if refused:
        print("not started: mend the lines above (cisp check says all)", file=sys.stderr)
        return 1
    built = frontend_dir() / "backend"
    if not built.exists():
        print(f"no frontend build in {frontend_dir()}: run `cisp build` first", file=sys.stderr)
        return 1
    web = web_dir()
    shutil.copytree(built, web / "backend", dirs_exist_ok=True)
    os.environ.update(REFLEX_SKIP_COMPILE="1", CISP_BACKEND_ONLY="1", REFLEX_TELEMETRY_ENABLED="false",
                      CISP_PORT=str(port), CISP_CHECKED="1")
    os.environ.setdefault("GRANIAN_WORKERS", os.environ.get("CISP_WORKERS", "2" if settings.redis_url() else "1"))
    reflex = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only",
              "--backend-host", host, "--backend-port", str(port)]
    os.chdir(settings.PROJECT_DIR)
    os.execv(sys.executable, reflex)


def _backup_or_restore(args: argparse.Namespace) -> int:
    from cisp_pwa import backups  # only these two commands need it

    try:
        if args.command == "backup":
            done = backups.backup(args.dest)
            print(f"{done.path}  {backups.human_size(done.size)}  {done.seconds:.1f} s")
        else:
            done = backups.restore(args.archive)
            print(f"restored {done.detail} in {done.seconds:.1f} s; next: cisp migrate")
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
