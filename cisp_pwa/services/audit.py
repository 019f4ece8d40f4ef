"""The audit trail: who did what to which record. Never the content."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cisp_pwa.models import AuditEvent

from .actor import Actor


def record(s: Session, actor: Actor, action: str, target_type: str = "", target_id: int | None = None) -> None:
    s.add(AuditEvent(actor_id=actor.id, centre_id=actor.centre_id, action=action,
                     target_type=target_type, target_id=target_id))
