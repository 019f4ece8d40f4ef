"""The audit trail: who did what to which record. Never the content."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from cisp_pwa.models import AuditEvent, AuditPurgePermit

from . import db, events
from .actor import Actor


def record(s: Session, actor: Actor, action: str, target_type: str = "", target_id: int | None = None) -> None:
    s.add(AuditEvent(actor_id=actor.id, centre_id=actor.centre_id, action=action,
                     target_type=target_type, target_id=target_id))


def record_operator(s: Session, centre_id: int, action: str, target_type: str = "", target_id: int | None = None) -> None:
    """An action of the server's operator (a `cisp` command), who is no account: actor_id is empty."""
    s.add(AuditEvent(actor_id=None, centre_id=centre_id, action=action, target_type=target_type, target_id=target_id))


# What a person opened about a trainee: her messages, her file, her account. The rows say who,
# whose, what kind and when, never what was read; she sees them in "Qui a vu mon dossier".
OPENED = {"messages": "read_messages", "file": "read_file", "account": "read_account"}


def opened(actor: Actor, what: str, trainee_id: int) -> None:
    """Record that `actor` opened `what` of this trainee (called when a screen opens, not on
    each live refresh)."""
    with db.unit_of_work() as s:
        record(s, actor, OPENED[what], "trainee", trainee_id)
        events.nobody(s)


@contextmanager
def purge_permit(s: Session) -> Iterator[None]:
    """Within this block of one transaction, the database lets old audit rows be deleted (its
    triggers refuse any UPDATE, and any DELETE without this permit: migration 0006). The permit
    row is gone before the commit: no other transaction ever sees it."""
    permit = AuditPurgePermit()
    s.add(permit)
    s.flush()
    try:
        yield
    finally:
        s.delete(permit)
        s.flush()
