"""Erased data leaves the disk (db.scrub_freed), and the data folder is this user's only.

The attack: a trainee wrote to her coach, her coach noted something about her, proposed a referral
with a reason, she sent a voice note; her admin erased her. Then whoever reads the data folder's
files (a backup of the folder, another account on the machine) must find none of it: not in the
database file, not in its WAL, not in the WAL's index, not in a journal."""

from __future__ import annotations

import os
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest
from sqlalchemy import make_url, select, text

from cisp_pwa import keys, settings
from cisp_pwa.cli import migrate
from cisp_pwa.models import CoachNote, Message, Referral, VoiceNote
from cisp_pwa.services.conversations import messages, voice
from cisp_pwa.services.credentials import badge_keys
from cisp_pwa.services.follow_up import coach_notes
from cisp_pwa.services.help import partners, referrals
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import consent
from cisp_pwa.services.records import privacy
from tests.recordings import WEBM

from ..helpers import actor

MESSAGE = "Je dois 4.870 euros au CPAS de Jambes et je bois le soir, ne le dis à personne"
NOTE = "Hospitalisée en psychiatrie à Beau-Vallon en mars, suivi addiction chez Sésame"
REASON = "Médiation de dettes: huissier Dufrasne pour 4.870 euros, saisie sur salaire"
PARTNER_NOTE = "Madame Benali a un dossier de surendettement ouvert à Namur"
RECORDING = WEBM[len(WEBM) // 2:len(WEBM) // 2 + 64]  # a slice of the sound, not its header
NEEDLES = {"message": MESSAGE.encode(), "note": NOTE.encode(), "referral reason": REASON.encode(),
           "partner note": PARTNER_NOTE.encode(), "recording": RECORDING}
# The tables the scenario writes in; VACUUM must have left none of their dead rows.
TOUCHED = ("message", "voice_note", "coach_note", "referral", "referral_consent", "conversation")


def _her_file_is_full() -> int:
    """Amina's data, as the attacker's walk-through made it: a message, a voice note, a coach's
    note, a referral with its reason, her yes and the coach's next steps (each one a new copy of
    the row's page in the WAL)."""
    amina, julie = actor("amina"), actor("julie")
    messages.send_message(amina, amina.id, str(uuid.uuid4()), MESSAGE)
    voice.send_voice(amina, amina.id, str(uuid.uuid4()), "audio/webm", WEBM, 2000)
    coach_notes.add_note(julie, amina.id, NOTE)
    service = next(v.id for v in partners.directory(amina) if v.category == "debts")
    proposed = referrals.propose(julie, amina.id, service, REASON, PARTNER_NOTE)
    referrals.answer(amina, proposed.id, True, consent.VERSIONS[consent.REFERRAL])
    referrals.advance(julie, proposed.id, "contacted")
    messages.send_message(julie, amina.id, str(uuid.uuid4()), "Bien reçu, on en parle jeudi.")
    return amina.id


def _found(folder: Path) -> dict[str, list[str]]:
    """Which needles each file of the folder holds (every file: database, -wal, -shm, -journal)."""
    found: dict[str, list[str]] = {}
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            data = file.read_bytes()
            for what, needle in NEEDLES.items():
                if needle in data:
                    found.setdefault(what, []).append(f"{file.name} ×{data.count(needle)}")
    return found


def _her_rows(trainee_id: int) -> int:
    with db.reading() as s:
        return sum(len(s.scalars(q).all()) for q in (
            select(Message.id).where(Message.sender_id == trainee_id),
            select(VoiceNote.id).where(VoiceNote.sender_id == trainee_id),
            select(CoachNote.id).where(CoachNote.trainee_id == trainee_id),
            select(Referral.id).where(Referral.trainee_id == trainee_id)))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # its files; PostgreSQL: the next test
def test_after_erasure_no_byte_of_her_data_is_left_in_the_sqlite_files(demo_db):
    folder = Path(make_url(demo_db).database).parent
    trainee_id = _her_file_is_full()
    # The search can fail: before the erasure every needle is there (the WAL holds them).
    assert set(_found(folder)) == set(NEEDLES)

    privacy.erase(actor("sophie"), trainee_id, "asked_by_trainee")

    assert _her_rows(trainee_id) == 0
    assert _found(folder) == {}
    # The WAL, which held the pages as they were, is empty; the freed pages went back to the disk.
    wal = Path(str(make_url(demo_db).database) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with db.engine().connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA auto_vacuum").scalar() == 2  # incremental


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite: the test above
def test_after_erasure_postgresql_vacuumed_the_tables_it_touched(demo_db):
    trainee_id = _her_file_is_full()
    privacy.erase(actor("sophie"), trainee_id, "asked_by_trainee")
    assert _her_rows(trainee_id) == 0
    with db.engine().connect() as conn:
        conn.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
        stats = {name: (last, dead) for name, last, dead in conn.execute(text(
            "SELECT relname, last_vacuum, n_dead_tup FROM pg_stat_user_tables WHERE relname = ANY(:names)"),
            {"names": list(TOUCHED)})}
    assert set(stats) == set(TOUCHED)
    assert all(last is not None and dead == 0 for last, dead in stats.values()), stats


def test_a_database_made_before_is_converted_by_its_first_scrub(tmp_path):
    # An older cisp.db: no auto_vacuum, and a deleted row's text still in the file (Debian builds
    # SQLite with secure delete on by default; other builds do not: off here, as they have it).
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(f"PRAGMA secure_delete=OFF; PRAGMA journal_mode=WAL; CREATE TABLE t (body TEXT); "
                      f"INSERT INTO t VALUES ('{NOTE}'); INSERT INTO t VALUES ('{'x' * 9000}'); "
                      "PRAGMA wal_checkpoint(TRUNCATE); DELETE FROM t WHERE body LIKE 'x%'; "
                      f"DELETE FROM t WHERE body = '{NOTE}';")
    old.close()
    assert NOTE.encode() in path.read_bytes()
    try:
        db.configure(f"sqlite:///{path}")
        assert db.scrub_freed(["t"])
        with db.engine().connect() as conn:
            assert conn.exec_driver_sql("PRAGMA auto_vacuum").scalar() == 2
        assert all(NOTE.encode() not in f.read_bytes() for f in tmp_path.iterdir() if f.is_file())
        assert db.scrub_freed(["t"])  # then the cheap way
    finally:
        db.engine().dispose()


def test_a_busy_database_does_not_fail_the_erasure_and_says_so_once(tmp_path, caplog, monkeypatch):
    path = tmp_path / "busy.db"
    db.configure(f"sqlite:///{path}")
    try:
        with db.engine().connect() as conn:
            conn.exec_driver_sql("CREATE TABLE t (body TEXT)")
            conn.commit()
        monkeypatch.setattr(db, "SCRUB_BUSY_MS", 50)
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock all along
        writer.execute("INSERT INTO t VALUES ('x')")
        with caplog.at_level("WARNING", logger=db.__name__):
            assert db.scrub_freed(["t"]) is False
        writer.rollback()
        writer.close()
        lines = [r.getMessage() for r in caplog.records if r.name == db.__name__]
        assert len(lines) == 1 and "not scrubbed" in lines[0]
        assert db.scrub_freed(["t"])  # once free, it goes through
    finally:
        db.engine().dispose()


@pytest.fixture
def loose_umask():
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_the_database_and_the_keys_are_this_users_only(tmp_path, monkeypatch, loose_umask):
    data = tmp_path / "data"
    monkeypatch.setattr(settings, "DATA_DIR", data)
    monkeypatch.delenv("CISP_KEYS_DIR", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("CISP_ENV", raising=False)
    for secret in keys.SECRETS:
        monkeypatch.delenv(secret.env, raising=False)
    url = settings.database_url()
    try:
        migrate(url)
        db.configure(url)
        with db.engine().connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM app_user").scalar()
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            files = {name: _mode(data / name) for name in ("cisp.db", "cisp.db-wal", "cisp.db-shm")}
        assert _mode(data) == 0o700
        assert files == {"cisp.db": 0o600, "cisp.db-wal": 0o600, "cisp.db-shm": 0o600}
        keys.read(keys.SHARE)
        badge_keys.rotate(1)
        key_folder = keys.badge_folder(1)
        assert _mode(data / keys.SHARE.file) == 0o600
        assert (_mode(data / keys.BADGE_KEYS), _mode(key_folder)) == (0o700, 0o700)
        assert {_mode(f) for f in key_folder.iterdir()} == {0o600}
    finally:
        db.engine().dispose()


def test_what_an_older_version_left_open_is_tightened(tmp_path, monkeypatch, loose_umask):
    data = tmp_path / "data"
    monkeypatch.setattr(settings, "DATA_DIR", data)
    monkeypatch.delenv("CISP_KEYS_DIR", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data.mkdir(mode=0o755)
    old = sqlite3.connect(data / "cisp.db")  # 0644 under this umask, -wal and -shm too
    old.execute("PRAGMA journal_mode=WAL")
    old.execute("CREATE TABLE t (x)")
    os.chmod(data / "cisp.db", 0o644)
    (data / keys.BADGE_KEYS / "centre-1").mkdir(parents=True, mode=0o755)
    os.chmod(data / keys.BADGE_KEYS, 0o755)
    try:
        db.configure(settings.database_url())
        with db.engine().connect() as conn:
            conn.exec_driver_sql("SELECT 1").scalar()
        badge_keys.rotate(1)
        assert _mode(data) == 0o700
        assert {_mode(f) for f in data.glob("cisp.db*")} == {0o600}
        assert (_mode(data / keys.BADGE_KEYS), _mode(data / keys.BADGE_KEYS / "centre-1")) == (0o700, 0o700)
    finally:
        old.close()
        db.engine().dispose()
