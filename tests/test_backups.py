"""Backups restored in a drill, not just written: a centre's database and keys folder are backed
up with `cli backup`, dropped, restored with `cli restore` into an empty database and an empty keys
folder, and a trainee finds everything again: her sign-in, her messages, her voice note, her share
link and its badges (checked with jwcrypto against the restored keys). On SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import tarfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from jwcrypto import jwk, jws
from sqlalchemy import func, select

from cisp_pwa import checks, cli, demo, settings
from cisp_pwa.cli import migrate
from cisp_pwa.models import AuditEvent, Base, Message
from cisp_pwa.services.conversations import messages, voice
from cisp_pwa.services.credentials import badge_keys, badges
from cisp_pwa.services.infra import db, throttle
from cisp_pwa.services.people import auth
from cisp_pwa.services.skills import pathways
from tests.conftest import PG_ADMIN_URL, unavailable
from tests.recordings import WEBM
from tests.services.helpers import actor, skill_ids

FLE = "defi-fle-alpha"


def cid() -> str:
    return str(uuid.uuid4())


class Site:
    """One centre's install: a database at a fixed address (DATABASE_URL) and its keys folder.
    On SQLite the database lives in the keys folder, as by default (the data folder)."""

    def __init__(self, kind: str, root: Path):
        self.kind, self.root = kind, root
        self.keys = root / "data"
        self.backups = root / "backups"
        self.backups.mkdir()
        if kind == "sqlite":
            self.url = f"sqlite:///{self.keys / 'cisp.db'}"
            self.name = None
        else:
            self.name = f"cisp_test_bk_{uuid.uuid4().hex[:10]}"
            self.url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.name}"

    def _admin(self, statement: str) -> None:
        import psycopg

        admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        try:
            conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as exc:
            unavailable(f"PostgreSQL is not reachable at {admin}: {exc}")
        with conn:
            conn.execute(statement)

    def make_empty(self) -> None:
        """An empty database and an empty keys folder (as a new machine has them)."""
        self.keys.mkdir(mode=0o700)
        if self.kind == "postgresql":
            self._admin(f'CREATE DATABASE "{self.name}"')
        db.configure(self.url)

    def seed(self) -> None:
        self.make_empty()
        migrate(self.url)
        pathways.load_pathway_files()
        demo.seed_demo()

    def drop(self) -> None:
        """Everything gone: the database and the keys folder (the database file with it on SQLite)."""
        db.engine().dispose()
        if self.kind == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.keys, ignore_errors=True)
        badge_keys._cache.clear()  # what the app read before: from now on, only the restored files

    def archive(self) -> Path:
        (found,) = self.backups.glob("cisp-backup-*.tar")
        return found


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path, monkeypatch):
    previous = db.engine().url.render_as_string(hide_password=False) if db._engine is not None else None
    s = Site(request.param, tmp_path)
    monkeypatch.setenv("DATABASE_URL", s.url)
    monkeypatch.setenv("CISP_KEYS_DIR", str(s.keys))
    monkeypatch.setenv("CISP_PUBLIC_URL", "https://parcours.example.be")
    for variable in ("CISP_STATE_KEY", "CISP_SHARE_KEY", "CISP_VAPID_KEY", "CISP_ENV"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(settings, "DATA_DIR", s.keys)
    yield s
    s.drop()
    if previous:
        db.configure(previous)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _key_files(site: Site) -> dict[str, bytes]:
    return {name: data for name, data in _files(site.keys).items() if not name.startswith("cisp.db")}


def _counts() -> dict[str, int]:
    with db.reading() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def _verified(token: str, restored: dict[str, jwk.JWK]) -> dict:
    """jwcrypto's verification, with the key the header names, read from the restored PEM files."""
    signed = jws.JWS()
    signed.deserialize(token)
    assert signed.jose_header["alg"] == "Ed25519"
    signed.verify(restored[signed.jose_header["kid"].rsplit("#", 1)[1]], alg="Ed25519")
    return json.loads(signed.payload)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_restore_drill_she_finds_her_messages_voice_note_and_badges_again(site, capsys):
    site.seed()
    amina, julie = actor("amina"), actor("julie")
    for i in range(6):
        sender = amina if i % 2 == 0 else julie
        messages.send_message(sender, amina.id, cid(), f"Message {i} : bonjour, ça va ? ✓")
    note = voice.send_voice(amina, amina.id, cid(), "audio/webm;codecs=opus", WEBM, 2000)
    shared = badges.share(amina, skill_ids(FLE)[:2])
    token = shared.url.rsplit("/", 1)[1]
    tokens = [badges.badge_file(amina, b.id)[1] for b in shared.badges]
    seen = [(m.id, m.body, m.from_trainee, m.created_at, m.voice_ms)
            for m in messages.list_messages(amina, amina.id, limit=500)]
    keys_before = _key_files(site)
    assert "share.key" in keys_before and any(n.startswith("badge-keys/centre-") for n in keys_before)
    counts = _counts()

    assert cli.main(["backup", str(site.backups)]) == 0
    line = capsys.readouterr().out.strip()
    archive = site.archive()
    assert line.startswith(f"{archive}  ") and line.endswith(" s")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "cisp-backup/manifest.json"
    assert not any("cisp.db" in n for n in names)  # the keys folder is the data folder: never the database

    site.drop()
    assert not site.keys.exists()
    site.make_empty()
    assert cli.main(["restore", str(archive)]) == 0
    assert capsys.readouterr().out.startswith("restored database")
    db.configure(site.url)

    assert _counts() == counts
    assert _key_files(site) == keys_before
    assert stat.S_IMODE(site.keys.stat().st_mode) == 0o700
    for path in site.keys.rglob("*"):
        if not path.name.startswith("cisp.db"):
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    signed = auth.sign_in("amina", "parcours-amina")
    assert auth.actor_for_token(signed.token).id == amina.id
    again = [(m.id, m.body, m.from_trainee, m.created_at, m.voice_ms)
             for m in messages.list_messages(actor("amina"), amina.id, limit=500)]
    assert again == seen and [m[1] for m in again[-7:-1]] == [f"Message {i} : bonjour, ça va ? ✓" for i in range(6)]
    assert voice.audio_for(actor("amina"), note.id) == ("audio/webm", WEBM)
    assert voice.audio_for(actor("julie"), note.id) == ("audio/webm", WEBM)
    # Her share link still opens, every badge in it checks out and none is revoked.
    page = badges.public_share(token, "fr")
    assert isinstance(page, badges.PublicShare) and page.trainee_name == "Amina Benali"
    assert len(page.skills) == len(tokens) and all(k.signature_ok and not k.revoked for k in page.skills)
    assert badges.my_share(actor("amina")).url == shared.url  # the same share key made the same link
    restored = {}
    for pem in (site.keys / "badge-keys" / f"centre-{amina.centre_id}").glob("*.pem"):
        key = jwk.JWK.from_pem(pem.read_bytes())
        restored[key.thumbprint()] = key
    for token_ in tokens:
        document = _verified(token_, restored)
        assert document["credentialSubject"]["identifier"][0]["identityHash"] == "Amina Benali"
    now = [badges.badge_file(actor("amina"), b.id)[1] for b in badges.my_share(actor("amina")).badges]
    assert now == tokens  # the same signed credentials, served as before
    # Then the usual upgrade works on it.
    assert cli.main(["migrate"]) == 0


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(site, capsys):
    site.seed()
    messages.send_message(actor("amina"), actor("amina").id, cid(), "Avant la sauvegarde")
    assert cli.main(["backup", str(site.backups)]) == 0
    archive = site.archive()
    messages.send_message(actor("julie"), actor("amina").id, cid(), "Après la sauvegarde")
    counts, files = _counts(), _files(site.keys)
    capsys.readouterr()

    assert cli.main(["restore", str(archive)]) == 1
    err = _one_line(capsys.readouterr().err)
    assert "not empty" in err and "alembic_version" in err and "Nothing was changed" in err
    assert ("move" in err) if site.kind == "sqlite" else ("createdb" in err)
    assert _counts() == counts
    assert _files(site.keys) == files

    # A database the app only migrated (no row but alembic_version) is refused as well.
    site.drop()
    site.make_empty()
    migrate(site.url)
    assert cli.main(["restore", str(archive)]) == 1
    assert "alembic_version" in _one_line(capsys.readouterr().err)


def test_restore_refuses_a_different_key_file_and_the_other_kind_of_archive(site, capsys):
    site.seed()
    badges.share(actor("amina"), skill_ids(FLE)[:1])  # makes the share key and the centre's key
    assert cli.main(["backup", str(site.backups)]) == 0
    archive = site.archive()
    site.drop()
    site.make_empty()
    (site.keys / "share.key").write_bytes(os.urandom(32))  # a first start of the new machine made one
    capsys.readouterr()
    assert cli.main(["restore", str(archive)]) == 1
    err = _one_line(capsys.readouterr().err)
    assert str(site.keys / "share.key") in err and "different" in err
    assert [n for n in _files(site.keys) if not n.startswith("cisp.db")] == ["share.key"]
    with db.reading() as s:  # the database is as empty as it was
        assert s.bind.dialect.has_table(s.connection(), "alembic_version") is False

    other = "postgresql" if site.kind == "sqlite" else "sqlite"
    fake = site.backups / "other-kind.tar.gz"
    body = json.dumps({"format": 1, "database": other, "alembic_revision": "0011", "files": {}}).encode()
    with tarfile.open(fake, "w:gz") as tar:
        info = tarfile.TarInfo("cisp-backup/manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    assert cli.main(["restore", str(fake)]) == 1
    err = _one_line(capsys.readouterr().err)
    assert f"holds a {other} database" in err and f"points at {site.kind}" in err


def test_the_archive_is_0600_under_umask_022_and_appears_whole(site, capsys):
    site.make_empty()
    migrate(site.url)
    old = os.umask(0o022)
    try:
        assert cli.main(["backup", str(site.backups / "nightly.tar")]) == 0
    finally:
        os.umask(old)
    archive = site.backups / "nightly.tar"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(p.name for p in site.backups.iterdir()) == ["nightly.tar"]  # no temporary left
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("cisp-backup/manifest.json"))
        member = tar.getmember(f"cisp-backup/database.{'sqlite3' if site.kind == 'sqlite' else 'pgdump'}")
        data = tar.extractfile(member).read()
    assert manifest["database"] == site.kind and manifest["alembic_revision"] == checks.head_revision()
    assert manifest["files"][member.name]["sha256"] == hashlib.sha256(data).hexdigest()
    assert set(manifest) == {"format", "app", "app_version", "database", "alembic_revision", "created_at",
                             "keys_in_environment", "files"}
    # A folder that is not there: one line, no archive, no traceback.
    capsys.readouterr()
    assert cli.main(["backup", str(site.root / "nowhere" / "x.tar")]) == 1
    assert "not a folder" in _one_line(capsys.readouterr().err)


def test_a_backup_taken_while_messages_keep_coming_restores_consistent(site, monkeypatch, capsys):
    site.seed()
    monkeypatch.setattr(throttle, "hit", lambda *args: True)  # a flood on purpose
    amina, julie = actor("amina"), actor("julie")
    with db.reading() as s:
        audited_before = s.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "message_sent"))
        messages_before = s.scalar(select(func.count()).select_from(Message))
    stop, sent, failed = threading.Event(), [], []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            try:
                messages.send_message(amina if n % 2 == 0 else julie, amina.id, cid(), f"flot {n}")
                sent.append(f"flot {n}")
            except Exception as exc:  # noqa: BLE001 - reported below
                failed.append(repr(exc))
                return
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(sent) < 20 and time.monotonic() < deadline and not failed:
            time.sleep(0.01)
        assert cli.main(["backup", str(site.backups)]) == 0
        during = len(sent)
        deadline = time.monotonic() + 30
        while len(sent) < during + 10 and time.monotonic() < deadline and not failed:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert not failed and len(sent) >= during + 10

    site.drop()
    site.make_empty()
    assert cli.main(["restore", str(site.archive())]) == 0
    db.configure(site.url)
    if site.kind == "sqlite":
        with sqlite3.connect(site.keys / "cisp.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with db.reading() as s:
        bodies = list(s.scalars(select(Message.body).where(Message.body.like("flot %")).order_by(Message.id)))
        audited = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "message_sent"))
        total = s.scalar(select(func.count()).select_from(Message))
    # A snapshot: the messages sent before it, in order, each with its audit row; nothing half-written.
    assert 20 <= len(bodies) <= len(sent) and bodies == sent[:len(bodies)]
    assert audited - audited_before == len(bodies) == total - messages_before
    seen = messages.list_messages(actor("amina"), amina.id, limit=len(bodies))
    assert [m.body for m in seen] == bodies


def test_a_truncated_archive_is_refused_and_nothing_is_changed_a_gzipped_one_restores(site, capsys):
    site.make_empty()
    migrate(site.url)
    assert cli.main(["backup", str(site.backups / "whole.tar")]) == 0
    site.drop()
    site.make_empty()
    data = (site.backups / "whole.tar").read_bytes()
    cut = site.backups / "cut.tar"
    cut.write_bytes(data[: len(data) // 2])
    capsys.readouterr()
    assert cli.main(["restore", str(cut)]) == 1
    assert "damaged" in _one_line(capsys.readouterr().err)
    assert _files(site.keys) == {} if site.kind == "postgresql" else set(_files(site.keys)) <= {"cisp.db"}
    with db.reading() as s:
        assert s.bind.dialect.has_table(s.connection(), "alembic_version") is False
    # The whole archive, gzipped afterwards (a copy kept elsewhere), restores as it is.
    gzipped = site.backups / "whole.tar.gz"
    gzipped.write_bytes(gzip.compress(data))
    assert cli.main(["restore", str(gzipped)]) == 0
    with db.reading() as s:
        assert s.bind.dialect.has_table(s.connection(), "alembic_version") is True
