"""`cisp audit-verify`: every audit chain walked; a row changed or removed behind the app's back is
named (centre, row, what is wrong); retention's purge and erasure leave chains that verify."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from cisp_pwa import cli, settings
from cisp_pwa.models import AuditCheckpoint, AuditEvent, Centre, User, utcnow
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.infra import audit, db, events
from cisp_pwa.services.people import auth
from cisp_pwa.services.records import privacy, retention

from .services.helpers import actor, signed_in, user_id


@pytest.fixture
def day(demo_db, monkeypatch):
    """A normal day at the demo centres: sign-ins, messages, files opened, an export."""
    monkeypatch.setenv("DATABASE_URL", demo_db)
    amina = auth.sign_in("amina", "parcours-amina").actor
    julie = auth.sign_in("julie", "parcours-julie").actor
    signed_in("sophie")  # an admin, second factor and all
    messages.send_message(amina, amina.id, "client-0001", "Bonjour")
    messages.send_message(julie, amina.id, "client-0002", "Bonjour Amina")
    for what in ("messages", "file", "account"):
        audit.opened(julie, what, amina.id)
    privacy.export_for(amina)
    youssef = auth.sign_in("youssef", "parcours-youssef").actor  # the other centre
    luc = auth.sign_in("luc", "parcours-luc").actor
    messages.send_message(luc, youssef.id, "client-0003", "Bonjour Youssef")
    yield demo_db
    db.configure(demo_db)


def _verify(capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["audit-verify"])
    out, err = capsys.readouterr()
    return code, out, err


def _rows(centre_id: int, *where) -> list[int]:
    with db.reading() as s:
        return list(s.scalars(select(AuditEvent.id).where(AuditEvent.centre_id == centre_id, *where)
                              .order_by(AuditEvent.id)))


def _centre(login: str) -> tuple[int, str]:
    with db.reading() as s:
        return s.execute(select(Centre.id, Centre.code).join(User, User.centre_id == Centre.id)
                         .where(User.login == login)).one()


@contextmanager
def _triggers_dropped():
    """As someone holding the database with a SQL prompt: the triggers dropped, then put back."""
    with db.unit_of_work() as s:
        if s.bind.dialect.name == "postgresql":
            ddl = s.scalars(text("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'audit_event_append_only'")).all()
            s.execute(text("DROP TRIGGER audit_event_append_only ON audit_event"))
        else:
            found = s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                   "AND tbl_name = 'audit_event'")).all()
            ddl = [sql for _, sql in found]
            for name, _ in found:
                s.execute(text(f"DROP TRIGGER {name}"))
        events.nobody(s)
    assert ddl
    try:
        yield
    finally:
        with db.unit_of_work() as s:
            # SQLite parses CREATE TRIGGER against the schema this pooled connection last read: a
            # read first brings it up to date (else "already exists" for the dropped trigger).
            s.execute(text("SELECT count(*) FROM audit_event"))
            for statement in ddl:
                s.execute(text(statement))
            events.nobody(s)


def _raw(sql: str, **params) -> None:
    with db.unit_of_work() as s:
        s.execute(text(sql), params)
        events.nobody(s)


def test_a_normal_day_verifies(day, capsys):
    code, out, err = _verify(capsys)
    with db.reading() as s:
        rows = s.scalar(select(func.count(AuditEvent.id)))
        chains = len(set(s.scalars(select(AuditEvent.centre_id))))
    assert rows > 10 and chains >= 2
    assert (code, err) == (0, "")
    assert out.strip() == f"all {chains} chains intact ({rows} rows)"


@pytest.mark.parametrize("change", [
    "UPDATE audit_event SET action = 'nothing_happened' WHERE id = :row",
    "UPDATE audit_event SET actor_id = (SELECT id FROM app_user WHERE login = 'marc') WHERE id = :row",
    "UPDATE audit_event SET actor_id = NULL WHERE id = :row",
    "UPDATE audit_event SET created_at = created_at - INTERVAL '1 day' WHERE id = :row",
])
def test_a_row_changed_with_the_triggers_dropped_is_named(day, capsys, change):
    centre_id, code_name = _centre("amina")
    rows = _rows(centre_id, AuditEvent.actor_id.is_not(None))
    row = rows[len(rows) // 2]
    if "INTERVAL" in change and db.engine().dialect.name == "sqlite":
        change = "UPDATE audit_event SET created_at = datetime(created_at, '-1 day') WHERE id = :row"
    with _triggers_dropped():
        _raw(change, row=row)
    with pytest.raises(Exception, match="append-only"):  # the triggers are back
        _raw("UPDATE audit_event SET action = 'x' WHERE id = :row", row=row)
    code, out, err = _verify(capsys)
    assert code == 1 and out == ""
    assert f"broken: centre {centre_id} ({code_name}): row {row}: content changed" in err
    assert "1 of " in err  # the other chains are intact


def test_a_row_deleted_with_a_forged_permit_is_named(day, capsys):
    centre_id, code_name = _centre("amina")
    rows = _rows(centre_id)
    gone, after = rows[len(rows) // 2], rows[len(rows) // 2 + 1]
    with db.unit_of_work() as s:  # the attacker's trick: a permit row, then DELETE
        s.execute(text("INSERT INTO audit_purge_permit (id) VALUES (999)"))
        s.execute(text("DELETE FROM audit_event WHERE id = :row"), {"row": gone})
        s.execute(text("DELETE FROM audit_purge_permit"))
        events.nobody(s)
    code, _, err = _verify(capsys)
    assert code == 1
    assert f"centre {centre_id} ({code_name}): row {after}: row missing before it (after row {rows[len(rows) // 2 - 1]})" in err


def test_the_last_row_deleted_is_named_against_the_chains_head(day, capsys):
    centre_id, code_name = _centre("amina")
    last = _rows(centre_id)[-1]
    with db.unit_of_work() as s:
        s.execute(text("INSERT INTO audit_purge_permit (id) VALUES (999)"))
        s.execute(text("DELETE FROM audit_event WHERE id = :row"), {"row": last})
        s.execute(text("DELETE FROM audit_purge_permit"))
        events.nobody(s)
    code, _, err = _verify(capsys)
    assert code == 1 and f"centre {centre_id} ({code_name}): row {last}: row missing at the end of the chain" in err
    # The next row, written by the app, still shows the hole.
    audit.opened(actor("julie"), "file", user_id("amina"))
    code, _, err = _verify(capsys)
    assert code == 1 and f"centre {centre_id} ({code_name}): row " in err and "row missing before it" in err


def test_a_row_moved_to_another_place_in_the_chain_is_named(day, capsys):
    """Previous hash wrong: a row's previous hash (and its own, recomputed) names another row."""
    from cisp_pwa.models.audit_chain import hash_of

    centre_id, code_name = _centre("amina")
    rows = _rows(centre_id)
    target = rows[-1]
    with db.reading() as s:
        row = s.get(AuditEvent, target)
        elsewhere = s.get(AuditEvent, rows[1]).hash
    row.prev_hash = elsewhere
    forged = hash_of(row)
    with _triggers_dropped():
        _raw("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :row", p=elsewhere, h=forged, row=target)
        _raw("UPDATE audit_chain SET last_hash = :h WHERE centre_id = :c", h=forged, c=centre_id)
    code, _, err = _verify(capsys)
    assert code == 1 and f"centre {centre_id} ({code_name}): row {target}: previous hash wrong (it names row {rows[1]}" in err


def test_rows_purged_by_retention_still_verify_and_a_deletion_after_is_named(day, capsys):
    centre_id, code_name = _centre("amina")
    long_ago = utcnow() - settings.AUDIT_KEEP - timedelta(days=10)
    with db.unit_of_work() as s:  # a centre opened years ago: its first rows are old
        centre = Centre(code="cisp-ancien", name="CISP Ancien")
        s.add(centre)
        s.flush()
        old_centre = centre.id
        for i in range(3):
            s.add(AuditEvent(centre_id=old_centre, action="sign_in", created_at=long_ago + timedelta(hours=i)))
        events.nobody(s)
    with db.unit_of_work() as s:
        s.add(AuditEvent(centre_id=old_centre, action="read_file"))
        # Written late with an old time (a clock put right): it waits for the newer row before it.
        s.add(AuditEvent(centre_id=old_centre, action="late", created_at=long_ago))
        s.add(AuditEvent(centre_id=old_centre, action="read_file"))
        events.nobody(s)
    kept = _rows(old_centre)[3:]
    assert retention.run(dry_run=True).audit_rows == 3
    assert retention.run().audit_rows == 3
    assert _rows(old_centre) == kept
    with db.reading() as s:
        checkpoint = s.scalars(select(AuditCheckpoint).where(AuditCheckpoint.centre_id == old_centre)).one()
        assert (checkpoint.rows, checkpoint.reason) == (3, "retention") and checkpoint.last_id < kept[0]
    code, out, _ = _verify(capsys)
    assert code == 0 and "chains intact" in out
    assert retention.run().audit_rows == 0  # nothing more: the late row waits behind a newer one
    with db.unit_of_work() as s:  # the first row left, deleted another way
        s.execute(text("INSERT INTO audit_purge_permit (id) VALUES (999)"))
        s.execute(text("DELETE FROM audit_event WHERE id = :row"), {"row": kept[0]})
        s.execute(text("DELETE FROM audit_purge_permit"))
        events.nobody(s)
    code, _, err = _verify(capsys)
    assert code == 1
    assert f"centre {old_centre} (cisp-ancien): row {kept[1]}: row missing before it (after row {checkpoint.last_id})" in err


def test_after_erasure_no_row_carries_her_id_and_the_chains_verify(day, capsys):
    amina = user_id("amina")
    with db.reading() as s:
        before = s.scalar(select(func.count(AuditEvent.id)))
        hers = s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.actor_id == amina))
    assert hers >= 3
    privacy.erase(actor("sophie"), amina, "asked_by_trainee")
    with db.reading() as s:
        assert s.scalar(select(func.count(AuditEvent.id))) == before + 1  # what was done stays, and the erasure
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.actor_id == amina)) == 0
        assert s.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.target_type.in_(("trainee", "user")), AuditEvent.target_id == amina)) == 0
        # What she did is still there, when she did it, by no one the trail can name.
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "message_sent",
                                                                AuditEvent.actor_id.is_(None))) >= 1
    code, out, err = _verify(capsys)
    assert (code, err) == (0, "") and "chains intact" in out


def test_the_migration_chains_the_rows_written_before_it(tmp_path, database_url, capsys, monkeypatch):
    """Rows of an install made before the chain: chained in id order per centre by migration
    0013, then verified; the triggers still refuse; back down and up again."""
    from alembic import command
    from alembic.config import Config

    from .conftest import _postgres_database

    # A database of its own, of the kind of this run's.
    url, drop = (f"sqlite:///{tmp_path / 'before.db'}", lambda: None) if database_url.startswith("sqlite") \
        else _postgres_database()
    config = Config(str(settings.PROJECT_DIR / "alembic.ini"))
    config.attributes["url"] = url
    try:
        command.upgrade(config, "0011")
        engine = db.make_engine(url)
        with engine.begin() as c:
            for code in ("un", "deux"):
                c.execute(text("INSERT INTO centre (code, name, region, is_demo, created_at) "
                               "VALUES (:c, :c, '', false, :t)"), {"c": code, "t": utcnow().replace(tzinfo=None)})
            centres = list(c.scalars(text("SELECT id FROM centre ORDER BY id")))
            for i in range(9):
                c.execute(text("INSERT INTO audit_event (actor_id, centre_id, action, target_type, target_id, created_at) "
                               "VALUES (NULL, :centre, :a, 'centre', :t, :at)"),
                          {"centre": [centres[0], centres[1], None][i % 3], "a": f"action_{i}", "t": i,
                           "at": utcnow().replace(tzinfo=None)})
        engine.dispose()
        command.upgrade(config, "head")
        monkeypatch.setenv("DATABASE_URL", url)
        code, out, err = _verify(capsys)
        assert (code, out.strip(), err) == (0, "all 3 chains intact (9 rows)", "")
        with pytest.raises(Exception, match="append-only"):
            _raw("UPDATE audit_event SET action = 'x'")
        with pytest.raises(Exception, match="append-only"):
            _raw("DELETE FROM audit_event")
        db.engine().dispose()
        command.downgrade(config, "0011")
        command.upgrade(config, "head")
        code, out, _ = _verify(capsys)
        assert (code, out.strip()) == (0, "all 3 chains intact (9 rows)")
    finally:
        drop()
        db.configure(database_url)
