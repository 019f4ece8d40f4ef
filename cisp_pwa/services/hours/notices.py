"""She says ahead that she will be absent, or that she is late, and why; a photo of a certificate
may go with it.

The reason is a pictogram's code (malade, enfant, transport, rendez-vous Forem/CPAS, autre),
never free text. A certificate is often medical (health data): kept in the database like a voice
note (size-capped, its type checked from its first bytes), seen by her coaches and her centre's
admin only (`policy.CERTIFICATES`), never by her trainer; every opening is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from cisp_pwa.models import (CERTIFICATE_MAX_BYTES, AbsenceNotice, AbsenceReason, Certificate, Presence, utcnow)

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events, push
from . import timetable

AHEAD_DAYS = 60  # how far ahead she may announce an absence
LATE_CHOICES = (10, 20, 30, 60)
# Photos as phones take them (JPEG, HEIC is converted by the page), PNG screenshots, WebP.
MIMES = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",), "image/webp": (b"RIFF",)}


@dataclass(frozen=True)
class NoticeView:
    id: int
    trainee_id: int
    day: date
    presence: str
    late_minutes: int
    reason: str
    certificate_id: int | None  # None also when the viewer may not see it


def check_certificate(mime: object, data: object) -> str:
    """The type of an image we keep, or InvalidInput saying what is wrong."""
    base = mime.split(";", 1)[0].strip().lower() if isinstance(mime, str) else ""
    if base not in MIMES:
        raise InvalidInput("certificate_type")
    if not isinstance(data, bytes) or not data:
        raise InvalidInput("certificate_empty")
    if len(data) > CERTIFICATE_MAX_BYTES:
        raise InvalidInput("certificate_too_big", maximum=CERTIFICATE_MAX_BYTES // (1024 * 1024))
    if not data.startswith(MIMES[base]) or (base == "image/webp" and data[8:12] != b"WEBP"):
        raise InvalidInput("certificate_not_image")
    return base


def announce(actor: Actor, day: object, presence: object, reason: object, late_minutes: object = 0,
             certificate: tuple[str, bytes] | None = None) -> NoticeView:
    """Her notice for a day (today up to AHEAD_DAYS ahead); a newer one for the same day replaces it."""
    if not isinstance(day, date):
        raise InvalidInput("hours_day_invalid")
    try:
        kind, why = Presence(presence), AbsenceReason(reason)
    except ValueError:
        raise InvalidInput("hours_mark_invalid") from None
    if kind == Presence.present:
        raise InvalidInput("hours_mark_invalid")
    if kind == Presence.late:
        if late_minutes not in LATE_CHOICES or type(late_minutes) is not int:
            raise InvalidInput("hours_late_minutes", maximum=max(LATE_CHOICES))
    else:
        late_minutes = 0
    first = timetable.today()
    if not first <= day <= first + timedelta(days=AHEAD_DAYS) or (kind == Presence.late and day != first):
        raise InvalidInput("hours_day_invalid")
    mime = check_certificate(*certificate) if certificate is not None else None
    with db.unit_of_work() as s:
        me = policy.trainee(s, actor, policy.NOTICES, actor.id, acting=True)
        certificate_id = None
        if certificate is not None:
            kept = Certificate(trainee_id=me.id, mime=mime, size=len(certificate[1]), data=certificate[1])
            s.add(kept)
            s.flush()
            certificate_id = kept.id
            audit.record(s, actor, "certificate_added", "certificate", kept.id)
        for earlier in s.scalars(select(AbsenceNotice).where(AbsenceNotice.trainee_id == me.id,
                                                             AbsenceNotice.day == day,
                                                             AbsenceNotice.withdrawn_at.is_(None))):
            earlier.withdrawn_at = utcnow()
            certificate_id = certificate_id or earlier.certificate_id  # the photo sent before still holds
        notice = AbsenceNotice(trainee_id=me.id, day=day, presence=kind, late_minutes=late_minutes, reason=why,
                               certificate_id=certificate_id, created_at=utcnow())
        s.add(notice)
        s.flush()
        audit.record(s, actor, "absence_announced", "absence_notice", notice.id)
        policy.tell(s, events.HOURS, me.id, actor_id=actor.id, id=notice.id, push=push.ABSENCE)
        return _view(notice, True)


def withdraw(actor: Actor, notice_id: object) -> None:
    """She will come after all."""
    with db.unit_of_work() as s:
        notice = s.get(AbsenceNotice, notice_id) if type(notice_id) is int else None
        if notice is None or notice.trainee_id != actor.id or notice.withdrawn_at is not None:
            raise AccessDenied()
        policy.trainee(s, actor, policy.NOTICES, notice.trainee_id, acting=True)
        notice.withdrawn_at = utcnow()
        audit.record(s, actor, "absence_withdrawn", "absence_notice", notice.id)
        policy.tell(s, events.HOURS, actor.id, actor_id=actor.id, id=notice.id)


def _view(notice: AbsenceNotice, sees_certificate: bool) -> NoticeView:
    return NoticeView(notice.id, notice.trainee_id, notice.day, Presence(notice.presence).value, notice.late_minutes,
                      AbsenceReason(notice.reason).value, notice.certificate_id if sees_certificate else None)


def standing_notices(s, actor: Actor, trainee_ids, first: date, last: date) -> dict[tuple[int, date], NoticeView]:
    """{(trainee, day): her standing notice} among those the actor may see (a certificate only
    where she may see it)."""
    visible = policy.visible_trainees(actor, policy.NOTICES)
    with_certificate = set(s.scalars(policy.visible_trainees(actor, policy.CERTIFICATES)))
    rows = s.scalars(select(AbsenceNotice).where(
        AbsenceNotice.trainee_id.in_(trainee_ids), AbsenceNotice.trainee_id.in_(visible),
        AbsenceNotice.day >= first, AbsenceNotice.day <= last, AbsenceNotice.withdrawn_at.is_(None))
        .order_by(AbsenceNotice.id))
    return {(n.trainee_id, n.day): _view(n, n.trainee_id in with_certificate) for n in rows}


def certificate(actor: Actor, certificate_id: object) -> tuple[str, bytes]:
    """(type, bytes) of a certificate, for her, her coaches and her centre's admin; audited."""
    if type(certificate_id) is not int:
        raise AccessDenied()
    with db.unit_of_work() as s:
        found = s.get(Certificate, certificate_id)
        if found is None:
            raise AccessDenied()
        policy.trainee(s, actor, policy.CERTIFICATES, found.trainee_id)
        if actor.id != found.trainee_id:
            audit.record(s, actor, "read_certificate", "trainee", found.trainee_id)
        events.nobody(s)
        return found.mime, bytes(found.data)
