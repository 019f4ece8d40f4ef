"""Retention as code: what is kept how long, applied by `python -m cisp_pwa.cli retention`
(run daily; README). Ended sessions and used or expired invitations go after PURGE_AFTER; the
photos of certificates (health data) after CERTIFICATE_KEEP, the notice they came with staying; audit
rows after AUDIT_KEEP (the only way they can go: the database refuses otherwise), each chain's
oldest first, leaving a checkpoint where it starts again (services/infra/audit.py); a trainee is
anonymised RETENTION_MONTHS after her last pathway ended, and her centre's admin sees it coming
RETENTION_NOTICE before (`due`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from cisp_pwa import settings
from cisp_pwa.models import (AbsenceNotice, AuditEvent, AuthSession, Certificate, Enrolment, Invitation, Role, User,
                             utcnow)

from .. import policy
from ..actor import Actor
from ..infra import audit, db, events


@dataclass(frozen=True)
class Due:
    trainee_id: int
    display_name: str
    on: date  # the day she is anonymised


@dataclass
class Report:
    sessions: int = 0
    invitations: int = 0
    certificates: int = 0
    audit_rows: int = 0
    anonymised: list[int] = field(default_factory=list)
    soon: list[Due] = field(default_factory=list)


def months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):  # the 31st of a shorter month: its last day
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _ends(s: Session, centre_id: int | None = None) -> list[Due]:
    """Every trainee not anonymised whose pathways have all ended: when she will be."""
    query = (select(User.id, User.display_name, func.max(Enrolment.ended_on))
             .join(Enrolment, Enrolment.trainee_id == User.id)
             .where(User.role == Role.trainee, User.anonymised_at.is_(None))
             .group_by(User.id, User.display_name)
             # every enrolment has an end (COUNT of a column skips the empty ones)
             .having(func.count(Enrolment.id) == func.count(Enrolment.ended_on)))
    if centre_id is not None:
        query = query.where(User.centre_id == centre_id)
    return [Due(uid, name, months_after(ended, settings.RETENTION_MONTHS)) for uid, name, ended in s.execute(query)]


def due(actor: Actor, today: date | None = None) -> list[Due]:
    """For the centre's admin: who will be anonymised within RETENTION_NOTICE, soonest first."""
    policy.require_role(actor, Role.admin)
    today = today or utcnow().date()
    with db.reading() as s:
        ends = _ends(s, actor.centre_id)
    return sorted((d for d in ends if d.on <= today + settings.RETENTION_NOTICE), key=lambda d: d.on)


def run(now: datetime | None = None, dry_run: bool = False) -> Report:
    """Apply every rule once (idempotent). With `dry_run`, count what would go and change nothing."""
    from . import privacy  # erasure lives with the rest of a person's data rights

    now = now or utcnow()
    report = Report()
    before = now - settings.PURGE_AFTER
    sessions = or_(AuthSession.expires_at < before, AuthSession.revoked_at < before)
    invitations = or_(Invitation.expires_at < before, Invitation.used_at < before)
    audit_before = now - settings.AUDIT_KEEP
    with db.unit_of_work() as s:
        count = lambda model, where: s.scalar(select(func.count(model.id)).where(where)) or 0  # noqa: E731
        report.sessions, report.invitations = count(AuthSession, sessions), count(Invitation, invitations)
        old_photos = Certificate.created_at < now - settings.CERTIFICATE_KEEP
        report.certificates = count(Certificate, old_photos)
        # Each chain loses its oldest rows, and a checkpoint says where it starts again.
        report.audit_rows = sum(chain.rows for chain in audit.purgeable(s, audit_before))
        ends = _ends(s)
        if not dry_run:
            s.execute(delete(AuthSession).where(sessions))
            s.execute(delete(Invitation).where(invitations))
            s.execute(update(AbsenceNotice).where(AbsenceNotice.certificate_id.in_(
                select(Certificate.id).where(old_photos))).values(certificate_id=None))
            s.execute(delete(Certificate).where(old_photos))
            audit.purge_older_than(s, audit_before)
        events.nobody(s)  # nothing anyone has open: ended sessions, used codes, old rows
    today = now.date()
    report.anonymised = [d.trainee_id for d in ends if d.on <= today]
    report.soon = sorted((d for d in ends if today < d.on <= today + settings.RETENTION_NOTICE), key=lambda d: d.on)
    if not dry_run:
        for trainee_id in report.anonymised:
            privacy.anonymise_for_retention(trainee_id, now)
        # Committed: no copy of what went stays in the database's files (db.scrub_freed).
        touched = {AuthSession.__tablename__, Invitation.__tablename__, AuditEvent.__tablename__,
                   Certificate.__tablename__, AbsenceNotice.__tablename__}
        db.scrub_freed(touched | (privacy.ERASED_TABLES if report.anonymised else set()))
    return report
