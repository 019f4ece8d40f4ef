"""Retention as code, with a frozen clock: what goes when, dry run first (services/records/retention.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from cisp_pwa import settings
from cisp_pwa.models import AuditEvent, AuthSession, Enrolment, Invitation, User, utcnow
from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.infra import audit, db, events
from cisp_pwa.services.people import auth, invitations
from cisp_pwa.services.records import retention

from ..helpers import actor, user_id
from tests.recordings import WEBM


def _count(model, *where) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(model.id)).where(*where)) or 0


def _age(model, column: str, days: int, *where) -> None:
    with db.unit_of_work() as s:
        s.execute(update(model).where(*where).values({column: utcnow() - timedelta(days=days)}))
        events.nobody(s)


def _end_pathway(login: str, ended: date) -> None:
    with db.unit_of_work() as s:
        s.execute(update(Enrolment).where(Enrolment.trainee_id == user_id(login)).values(ended_on=ended))
        events.nobody(s)


def test_ended_sessions_and_used_codes_go_after_the_purge_delay_and_a_dry_run_changes_nothing(demo_db):
    old, recent = auth.sign_in("julie", "parcours-julie"), auth.sign_in("julie", "parcours-julie")
    _age(AuthSession, "expires_at", settings.PURGE_AFTER.days + 1, AuthSession.token_hash == auth.token_hash(old.token))
    code = invitations.create_invitation(actor("sophie"), user_id("fatou")).code
    _age(Invitation, "expires_at", settings.PURGE_AFTER.days + 1)
    sessions, codes = _count(AuthSession), _count(Invitation)

    dry = retention.run(dry_run=True)
    assert (dry.sessions, dry.invitations) == (1, 1)
    assert (_count(AuthSession), _count(Invitation)) == (sessions, codes)  # nothing changed

    done = retention.run()
    assert (done.sessions, done.invitations) == (1, 1)
    assert _count(AuthSession) == sessions - 1 and _count(Invitation) == codes - 1
    assert auth.actor_for_token(recent.token) is not None  # the one in use stays
    assert code and retention.run().sessions == 0  # idempotent


def test_audit_rows_go_only_after_they_are_kept_long_enough(demo_db):
    with db.unit_of_work() as s:
        audit.record(s, actor("julie"), "read_messages", "trainee", user_id("amina"))
        events.nobody(s)
    total = _count(AuditEvent)
    with db.unit_of_work() as s:  # a row from six years ago (written back then)
        s.add(AuditEvent(actor_id=user_id("julie"), action="read_file", target_type="trainee",
                         target_id=user_id("amina"), created_at=utcnow() - settings.AUDIT_KEEP - timedelta(days=1)))
        events.nobody(s)
    assert retention.run(dry_run=True).audit_rows == 1
    assert retention.run().audit_rows == 1
    assert _count(AuditEvent) == total


def test_a_trainee_is_anonymised_months_after_her_pathway_ended_and_her_admin_sees_it_coming(demo_db):
    today, months = utcnow().date(), settings.RETENTION_MONTHS
    kevin, amina = user_id("kevin"), user_id("amina")  # (her login goes with the rest)
    _end_pathway("kevin", retention.months_after(today - timedelta(days=1), -months))  # due yesterday
    _end_pathway("amina", retention.months_after(today + timedelta(days=10), -months))  # in ten days
    assert [(d.trainee_id, d.on) for d in retention.due(actor("sophie"))] == [
        (kevin, today - timedelta(days=1)), (amina, today + timedelta(days=10))]
    with pytest.raises(AccessDenied):
        retention.due(actor("julie"))

    dry = retention.run(dry_run=True)
    assert dry.anonymised == [kevin] and [d.trainee_id for d in dry.soon] == [amina]
    with db.reading() as s:
        assert s.get(User, kevin).anonymised_at is None
    assert retention.run().anonymised == [kevin]
    with db.reading() as s:
        erased = s.get(User, kevin)
        assert erased.anonymised_at is not None and "Kevin" not in erased.display_name
        assert s.scalar(select(func.count(Enrolment.id)).where(Enrolment.trainee_id == kevin)) == 0
        assert s.get(User, amina).anonymised_at is None
    assert kevin not in [d.trainee_id for d in retention.due(actor("sophie"))]
    assert retention.run().anonymised == []  # once


def test_her_voice_messages_go_with_her_when_she_is_anonymised(demo_db):
    from cisp_pwa.models import VoiceNote
    from cisp_pwa.services.conversations import voice

    kevin = actor("kevin")
    voice.send_voice(kevin, kevin.id, "kevin-voice-0001", "audio/webm", WEBM, 2000)
    voice.send_voice(actor("julie"), kevin.id, "julie-voice-0001", "audio/webm", WEBM, 2000)
    kept = voice.send_voice(actor("amina"), user_id("amina"), "amina-voice-0001", "audio/webm", WEBM, 2000)
    _end_pathway("kevin", retention.months_after(utcnow().date() - timedelta(days=1), -settings.RETENTION_MONTHS))
    assert retention.run().anonymised == [kevin.id]
    with db.reading() as s:
        assert s.scalars(select(VoiceNote.message_id)).all() == [kept.id]  # hers and her coach's went


def test_the_photo_of_a_certificate_goes_after_its_keep_and_the_notice_stays(demo_db, hours_clock):
    from datetime import date as day_

    from cisp_pwa.models import AbsenceNotice, Certificate
    from cisp_pwa.services.hours import notices
    from tests.photos import PNG_PHOTO

    notice = notices.announce(actor("amina"), day_(2026, 11, 20), "absent", "sick", certificate=("image/png", PNG_PHOTO))
    sent = utcnow()
    assert retention.run(now=sent + settings.CERTIFICATE_KEEP - timedelta(days=1)).certificates == 0
    assert retention.run(now=sent + settings.CERTIFICATE_KEEP + timedelta(days=1), dry_run=True).certificates == 1
    with db.reading() as s:
        assert s.scalar(select(func.count(Certificate.id))) == 1  # a dry run changes nothing
    assert retention.run(now=sent + settings.CERTIFICATE_KEEP + timedelta(days=1)).certificates == 1
    with db.reading() as s:
        assert s.scalar(select(func.count(Certificate.id))) == 0
        kept = s.get(AbsenceNotice, notice.id)
        assert (kept.reason.value, kept.certificate_id) == ("sick", None)
