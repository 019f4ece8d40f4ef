"""The audit trail: who did what to which record. Never the content.

Tamper-evident: every row is chained as it is written (models/audit_chain.py); `verify` walks
each chain (`cisp audit-verify`). The retention command purges the oldest rows of a chain and
records where it starts again (`purge_older_than`, a checkpoint); erasure takes a person's ids
out of the rows that named her without breaking any hash (`forget`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from cisp_pwa.models import AuditChain, AuditCheckpoint, AuditEvent, AuditPurgePermit, Centre, utcnow
from cisp_pwa.models.audit_chain import GENESIS, hash_of, lock, sealed
from cisp_pwa.models.records import OPENED

from ..actor import Actor
from . import db, events


def record(s: Session, actor: Actor, action: str, target_type: str = "", target_id: int | None = None) -> None:
    s.add(AuditEvent(actor_id=actor.id, centre_id=actor.centre_id, action=action,
                     target_type=target_type, target_id=target_id))


def record_operator(s: Session, centre_id: int, action: str, target_type: str = "", target_id: int | None = None) -> None:
    """An action of the server's operator (a `cisp` command), who is no account: actor_id is empty."""
    s.add(AuditEvent(actor_id=None, centre_id=centre_id, action=action, target_type=target_type, target_id=target_id))



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
    row is gone before the commit: no other transaction ever sees it. When the block fails, the
    transaction is rolled back with the permit (removing it first would hide the error: PostgreSQL
    refuses any statement in a failed transaction)."""
    permit = AuditPurgePermit()
    s.add(permit)
    s.flush()
    yield
    s.delete(permit)
    s.flush()


# --- the chains ------------------------------------------------------------------------------

def _in_chain(centre_id: int | None):
    return AuditEvent.centre_id.is_(None) if centre_id is None else AuditEvent.centre_id == centre_id


@dataclass(frozen=True)
class Purged:
    centre_id: int | None
    rows: int
    last_id: int
    last_hash: str


def purgeable(s: Session, before: datetime) -> list[Purged]:
    """Per chain, its oldest rows written before `before`: the start of the chain up to its first
    newer row (a row older than a newer one waits for it, so a chain only loses its beginning)."""
    old = AuditEvent.created_at < before
    found = []
    for centre_id in s.scalars(select(AuditEvent.centre_id).where(old).distinct()).all():
        first_kept = s.scalar(select(func.min(AuditEvent.id)).where(_in_chain(centre_id), ~old))
        gone = _in_chain(centre_id) if first_kept is None else and_(_in_chain(centre_id), AuditEvent.id < first_kept)
        rows, last_id = s.execute(select(func.count(AuditEvent.id), func.max(AuditEvent.id)).where(gone)).one()
        if rows:
            found.append(Purged(centre_id, rows, last_id, s.scalar(select(AuditEvent.hash).where(AuditEvent.id == last_id))))
    return found


def purge_older_than(s: Session, before: datetime) -> int:
    """The retention command's purge: each chain's oldest rows go (`purgeable`), and a checkpoint
    says where the chain starts again (its last purged row and that row's hash), so `verify`
    accepts the chain from there. Returns how many rows went."""
    total = 0
    for chain in purgeable(s, before):
        lock(s.connection(), chain.centre_id)
        s.add(AuditCheckpoint(centre_id=chain.centre_id, last_id=chain.last_id, last_hash=chain.last_hash,
                              rows=chain.rows, reason="retention", created_at=utcnow()))
        with purge_permit(s):
            s.execute(AuditEvent.__table__.delete().where(_in_chain(chain.centre_id),
                                                          AuditEvent.id <= chain.last_id))
        total += chain.rows
    return total


def forget(s: Session, person_id: int, targets: list) -> int:
    """Erasure: the rows where this person acted, and those whose target is her or one of her
    records (`targets`: conditions on AuditEvent), keep what was done, when and by whom else, but
    no id of hers: the id is emptied and its seal replaced by sha256(seal:id), the very value the
    row's hash covers, so every chain still verifies and nothing leads back to her. Under the
    permit (the database refuses any other update). Returns how many rows changed."""
    event = AuditEvent.__table__
    actors = s.execute(select(event.c.id, event.c.actor_seal, event.c.actor_id)
                       .where(event.c.actor_id == person_id)).all()
    aimed = s.execute(select(event.c.id, event.c.target_seal, event.c.target_id)
                      .where(event.c.target_id.is_not(None), or_(*targets))).all() if targets else []
    with purge_permit(s):
        if actors:
            s.execute(event.update().where(event.c.id == bindparam("rid"))
                      .values(actor_id=None, actor_seal=bindparam("seal")),
                      [{"rid": i, "seal": sealed(seal, who)} for i, seal, who in actors])
        if aimed:
            s.execute(event.update().where(event.c.id == bindparam("rid"))
                      .values(target_id=None, target_seal=bindparam("seal")),
                      [{"rid": i, "seal": sealed(seal, what)} for i, seal, what in aimed])
    return len({i for i, _, _ in actors} | {i for i, _, _ in aimed})


@dataclass(frozen=True)
class Break:
    centre_id: int | None
    centre_code: str
    row_id: int | None
    what: str

    def __str__(self) -> str:
        chain = f"centre {self.centre_id} ({self.centre_code})" if self.centre_id is not None else "no centre"
        return f"{chain}: row {self.row_id}: {self.what}" if self.row_id is not None else f"{chain}: {self.what}"


@dataclass
class Verdict:
    chains: int = 0
    rows: int = 0
    breaks: list[Break] = field(default_factory=list)  # the first broken link of each broken chain

    @property
    def intact(self) -> bool:
        return not self.breaks


_COLUMNS = [AuditEvent.id, AuditEvent.centre_id, AuditEvent.actor_id, AuditEvent.actor_seal, AuditEvent.action,
            AuditEvent.target_type, AuditEvent.target_id, AuditEvent.target_seal, AuditEvent.created_at,
            AuditEvent.prev_hash, AuditEvent.hash]


def verify() -> Verdict:
    """Walk every chain from its start (GENESIS, or its latest checkpoint) to its head: each row's
    hash must be that of its content, and its previous hash that of the row before. Says the first
    broken link of each chain: content changed, a row missing, a previous hash wrong."""
    verdict = Verdict()
    with _snapshot() as s:
        codes = dict(s.execute(select(Centre.id, Centre.code)).all())
        heads = {c: (i, h) for c, i, h in s.execute(select(AuditChain.centre_id, AuditChain.last_id,
                                                           AuditChain.last_hash))}
        anchors: dict[int | None, tuple[int, str]] = {}
        for c, i, h in s.execute(select(AuditCheckpoint.centre_id, AuditCheckpoint.last_id, AuditCheckpoint.last_hash)
                                 .order_by(AuditCheckpoint.id)):
            anchors[c] = (i, h)  # the latest checkpoint of a chain is where it starts now
        centres = set(heads) | set(s.scalars(select(AuditEvent.centre_id).distinct()))
        for centre_id in sorted(centres, key=lambda c: (c is not None, c or 0)):
            verdict.chains += 1
            problem = _walk(s, centre_id, heads.get(centre_id), anchors.get(centre_id, (0, GENESIS)), verdict)
            if problem:
                verdict.breaks.append(Break(centre_id, codes.get(centre_id, "") if centre_id else "", *problem))
    return verdict


def _walk(s: Session, centre_id: int | None, head: tuple[int, str] | None, anchor: tuple[int, str],
          verdict: Verdict) -> tuple[int | None, str] | None:
    previous_id, previous_hash = anchor
    broken = None
    rows = s.execute(select(*_COLUMNS).where(_in_chain(centre_id)).order_by(AuditEvent.id)
                     .execution_options(yield_per=2000))
    for row in rows:
        verdict.rows += 1
        if broken:
            continue
        if row.hash != hash_of(row):
            broken = (row.id, "content changed (its hash is not that of what it says)")
        elif row.prev_hash != previous_hash:
            named = s.scalar(select(AuditEvent.id).where(AuditEvent.hash == row.prev_hash).limit(1))
            if named is not None or row.prev_hash == GENESIS:
                broken = (row.id, f"previous hash wrong (it names {'row ' + str(named) if named else 'no row'}, "
                                  f"the row before is {previous_id or 'none'})")
            else:
                after = f"after row {previous_id}" if previous_id else "at the start of the chain"
                broken = (row.id, f"row missing before it ({after})")
        previous_id, previous_hash = row.id, row.hash
    if broken:
        return broken
    if head is None:
        return (previous_id or None, "the chain has no head") if previous_id != anchor[0] else None
    if head[1] != previous_hash:
        return (head[0], f"row missing at the end of the chain (its head is row {head[0]}, "
                         f"the last row is {previous_id or 'none'})")
    return None


@contextmanager
def _snapshot() -> Iterator[Session]:
    """One consistent view of every chain while rows are being added (PostgreSQL: REPEATABLE READ)."""
    engine = db.engine()
    if engine.dialect.name != "postgresql":  # SQLite: a reading transaction is one snapshot (WAL)
        with db.reading() as s:
            yield s
        return
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with Session(bind=connection) as s, connection.begin():
            yield s
