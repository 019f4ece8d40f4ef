"""The audit trail is append-only: the database itself refuses to change or remove a row, except
old rows removed through the retention command's permit (services/audit.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from cisp_pwa.models import AuditEvent
from cisp_pwa.services import audit, db, events

from .helpers import actor


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
