"""The audit trail as hash chains: one per centre, one for the rows of no centre.

Every audit row gets, as it is inserted, an id, its `prev_hash` (the hash of the chain's last
row, or GENESIS) and its `hash`: SHA-256 of a canonical encoding of what the row says (id,
centre, actor, action, target, time in UTC) and `prev_hash`. It happens here, in the mapper's
`before_insert`, so every writer is chained (`audit.record`, `AuditEvent(...)` added anywhere):
nothing to remember. A Core `insert(audit_event)` that bypasses it fails: `hash` is required.

Concurrency: appends to one chain are serialised. On SQLite every writer already is (BEGIN
IMMEDIATE, services/infra/db.py); on PostgreSQL the chain's advisory lock (`pg_advisory_xact_lock`,
held until the transaction ends) is taken before the chain's head is read, so two transactions
never give two rows the same previous row. The row's id is taken under that lock too, so ids grow
along each chain.

The actor and the target are hashed through a seal: `sha256(seal:id)`, with a random seal per
row and per field. Erasure (`forget`) replaces the seal by that value and empties the id: the row's
hash is unchanged, and without the seal nothing leads back to the id.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timezone

from sqlalchemy import Connection, event, func, insert, select, text, union_all, update

from .base import utcnow
from .records import AuditChain, AuditEvent

GENESIS = "0" * 64  # the previous hash of a chain's first row
FORMAT = 1  # the encoding below: changing it would break every chain (a new FORMAT, never an edit)
LOCK_CLASS = 0x61756474  # "audt": the advisory locks of the chains, apart from any other lock

_event = AuditEvent.__table__
_chain = AuditChain.__table__


def new_seal() -> str:
    return secrets.token_hex(16)


def sealed(seal: str | None, value: int | None) -> str | None:
    """What the hash covers for an actor or a target: sha256(seal:id) while the id is there; the
    stored seal once erasure replaced it by that value; None when the row never had one."""
    if value is None:
        return seal
    return hashlib.sha256(f"{seal}:{value}".encode()).hexdigest()


def utc_text(at: datetime) -> str:
    if at.tzinfo is None:  # read back from SQLite by a bare connection: naive UTC
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(*, id: int, centre_id: int | None, actor_id: int | None, actor_seal: str | None, action: str,
             target_type: str, target_id: int | None, target_seal: str | None, created_at: datetime,
             prev_hash: str) -> str:
    content = {
        "v": FORMAT, "id": id, "centre": centre_id, "actor": sealed(actor_seal, actor_id), "action": action,
        "target_type": target_type, "target": sealed(target_seal, target_id), "at": utc_text(created_at),
        "prev": prev_hash,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def hash_of(row) -> str:
    """The hash a stored row (an AuditEvent, or a result row with its columns) should carry."""
    return row_hash(id=row.id, centre_id=row.centre_id, actor_id=row.actor_id, actor_seal=row.actor_seal,
                    action=row.action, target_type=row.target_type, target_id=row.target_id,
                    target_seal=row.target_seal, created_at=row.created_at, prev_hash=row.prev_hash)


def lock(connection: Connection, centre_id: int | None) -> None:
    """Hold this chain until the transaction ends (PostgreSQL; SQLite's writers hold the file)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": LOCK_CLASS, "k": centre_id or 0})


def _of(centre_id: int | None):
    return _chain.c.centre_id.is_(None) if centre_id is None else _chain.c.centre_id == centre_id


def head(connection: Connection, centre_id: int | None):
    return connection.execute(select(_chain.c.id, _chain.c.last_id, _chain.c.last_hash)
                              .where(_of(centre_id))).first()


def _next_id(connection: Connection) -> int:
    if connection.dialect.name == "postgresql":
        return connection.scalar(text("SELECT nextval(pg_get_serial_sequence('audit_event', 'id'))"))
    # SQLite: the one writer. Past every chain's head too: rows given an id earlier in this flush
    # are not inserted yet, and an id deleted from the end of a chain is never given again.
    highest = union_all(select(func.max(_event.c.id).label("m")), select(func.max(_chain.c.last_id).label("m")))
    return (connection.scalar(select(func.max(highest.subquery().c.m))) or 0) + 1


@event.listens_for(AuditEvent, "before_insert")
def _chain_row(_mapper, connection: Connection, row: AuditEvent) -> None:
    if row.id is not None:
        raise ValueError("an audit row's id is given by its chain")
    if row.created_at is None:
        row.created_at = utcnow()
    if row.target_type is None:
        row.target_type = ""
    if row.actor_id is not None and row.actor_seal is None:
        row.actor_seal = new_seal()
    if row.target_id is not None and row.target_seal is None:
        row.target_seal = new_seal()
    lock(connection, row.centre_id)
    last = head(connection, row.centre_id)
    row.id = _next_id(connection)
    row.prev_hash = last.last_hash if last else GENESIS
    row.hash = hash_of(row)
    if last:
        connection.execute(update(_chain).where(_chain.c.id == last.id).values(last_id=row.id, last_hash=row.hash))
    else:
        connection.execute(insert(_chain).values(centre_id=row.centre_id, last_id=row.id, last_hash=row.hash))
