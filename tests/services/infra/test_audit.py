"""The audit trail is append-only: the database itself refuses to change or remove a row, except
old rows removed through the retention command's permit (services/infra/audit.py), and ids taken out by
erasure under it. Each row is chained in its centre as it is written, whoever writes it, even
several at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from cisp_pwa.models import AuditChain, AuditCheckpoint, AuditEvent, utcnow
from cisp_pwa.models.audit_chain import GENESIS, hash_of
from cisp_pwa.services.infra import audit, db, events

from ..helpers import actor


def _count() -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(AuditEvent.id)))


def _one_row() -> None:
    with db.unit_of_work() as s:
        audit.record(s, actor("sophie"), "account_opened", "user", actor("amina").id)
        events.nobody(s)


@pytest.mark.parametrize("change", [
    lambda s: s.execute(update(AuditEvent).values(action="nothing_happened")),
    lambda s: s.execute(delete(AuditEvent)),
    lambda s: s.execute(text("UPDATE audit_event SET actor_id = NULL")),  # as someone with a SQL prompt
    lambda s: s.execute(text("DELETE FROM audit_event")),
])
def test_the_database_refuses_to_change_or_remove_the_trail(demo_db, change):
    _one_row()
    before = _count()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.unit_of_work() as s:
            change(s)
            events.nobody(s)
    assert _count() == before


def test_old_rows_go_only_with_the_retention_permit(demo_db):
    _one_row()
    with db.unit_of_work() as s:
        with audit.purge_permit(s):
            s.execute(delete(AuditEvent))
        events.nobody(s)
    assert _count() == 0
    _one_row()
    with pytest.raises(DBAPIError, match="append-only"):  # the permit did not outlive its block
        with db.unit_of_work() as s:
            s.execute(delete(AuditEvent))
            events.nobody(s)
    assert _count() == 1


def test_opening_a_trainees_messages_file_or_account_leaves_who_whose_what_when(demo_db):
    julie, amina = actor("julie"), actor("amina")
    for what in ("messages", "file", "account"):
        audit.opened(julie, what, amina.id)
    with db.reading() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.target_type == "trainee",
                                                  AuditEvent.target_id == amina.id).order_by(AuditEvent.id)).all()
    assert [(r.actor_id, r.action) for r in rows] == [
        (julie.id, "read_messages"), (julie.id, "read_file"), (julie.id, "read_account")]
    assert all(r.created_at is not None for r in rows)


# --- the chains (models/audit_chain.py) ------------------------------------------------------

def _chains() -> dict[int | None, list[AuditEvent]]:
    with db.reading() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    chains: dict[int | None, list[AuditEvent]] = {}
    for row in rows:
        chains.setdefault(row.centre_id, []).append(row)
    return chains


def _linear(rows: list[AuditEvent]) -> bool:
    """One line: the first row starts from GENESIS, each next one from the row before, none twice."""
    return [r.prev_hash for r in rows] == [GENESIS] + [r.hash for r in rows[:-1]] and \
        len({r.prev_hash for r in rows}) == len(rows) and all(r.hash == hash_of(r) for r in rows)


def test_every_row_is_chained_in_its_centre_as_it_is_written_whoever_writes_it(demo_db):
    sophie, amina = actor("sophie"), actor("amina")
    with db.unit_of_work() as s:
        audit.record(s, sophie, "account_opened", "user", amina.id)  # through audit.record
        s.add(AuditEvent(actor_id=amina.id, centre_id=amina.centre_id, action="sign_in"))  # or directly
        audit.record_operator(s, sophie.centre_id, "centre_created", "centre", sophie.centre_id)
        s.add(AuditEvent(action="no_centre"))  # a row of no centre: its own chain
        events.nobody(s)
    chains = _chains()
    assert None in chains and len(chains) >= 2
    assert all(_linear(rows) for rows in chains.values())
    with db.reading() as s:
        heads = {c.centre_id: (c.last_id, c.last_hash) for c in s.scalars(select(AuditChain))}
    assert heads == {c: (rows[-1].id, rows[-1].hash) for c, rows in chains.items()}
    mine = chains[sophie.centre_id][-3:]
    assert [r.action for r in mine] == ["account_opened", "sign_in", "centre_created"]
    assert mine[0].actor_seal and mine[0].target_seal and mine[2].actor_seal is None  # the operator is no one
    assert audit.verify().intact


def test_a_row_written_around_the_chain_is_refused(demo_db):
    with pytest.raises(IntegrityError):  # a Core insert skips the chain: it has no hash to give
        with db.unit_of_work() as s:
            s.execute(AuditEvent.__table__.insert().values(action="around", target_type="", created_at=utcnow()))
            events.nobody(s)


def test_concurrent_appends_leave_one_linear_chain_per_centre(demo_db):
    people = [actor(login) for login in ("sophie", "julie", "claire", "amina")]  # two centres
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def append(n: int) -> None:
        try:
            start.wait()
            for i in range(6):
                with db.unit_of_work() as s:
                    who = people[(n + i) % len(people)]
                    audit.record(s, who, "read_file", "trainee", who.id)
                    if i % 3 == 0:
                        s.add(AuditEvent(action="no_centre"))
                    events.nobody(s)
        except BaseException as exc:  # noqa: BLE001 (said below)
            failures.append(exc)

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    chains = _chains()
    assert sum(len(rows) for rows in chains.values()) >= 8 * 6 + 8 * 2
    assert len(chains) == 3 and all(_linear(rows) for rows in chains.values())
    verdict = audit.verify()
    assert verdict.intact and verdict.chains == 3


def test_under_the_permit_an_update_may_only_take_an_id_out(demo_db):
    _one_row()
    with db.reading() as s:
        row_id = s.scalar(select(func.max(AuditEvent.id)))
    for change in ({"action": "nothing_happened"}, {"actor_id": actor("julie").id}, {"hash": GENESIS},
                   {"actor_id": None, "action": "nothing_happened"}):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.unit_of_work() as s:
                with audit.purge_permit(s):
                    s.execute(update(AuditEvent).where(AuditEvent.id == row_id).values(**change))
                events.nobody(s)
    with db.unit_of_work() as s:
        assert audit.forget(s, actor("amina").id, [AuditEvent.target_id == actor("amina").id]) >= 1
        events.nobody(s)
    with db.reading() as s:
        row = s.get(AuditEvent, row_id)
    assert (row.action, row.actor_id, row.target_id) == ("account_opened", actor("sophie").id, None)
    assert audit.verify().intact


@pytest.mark.parametrize("change", [
    lambda s: s.execute(text("UPDATE audit_checkpoint SET rows = 0")),
    lambda s: s.execute(text("DELETE FROM audit_checkpoint")),
])
def test_checkpoints_are_append_only_too(demo_db, change):
    with db.unit_of_work() as s:
        s.add(AuditCheckpoint(centre_id=None, last_id=1, last_hash=GENESIS, rows=1, reason="retention",
                              created_at=utcnow()))
        events.nobody(s)
    with pytest.raises(DBAPIError, match="append-only"):
        with db.unit_of_work() as s:
            change(s)
            events.nobody(s)
