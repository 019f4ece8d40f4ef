"""Her absence notices and the photo of her certificate (health data): who sees what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import AbsenceNotice, AuditEvent, Certificate, TrainingGroup
from cisp_pwa.models.hours import CERTIFICATE_MAX_BYTES
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import notices, sheets
from cisp_pwa.services.infra import db
from tests.photos import JPEG_PHOTO, PNG_PHOTO

from ..helpers import actor, user_id

FRIDAY = date(2026, 11, 20)


def _group() -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def _count(model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(model.id)))


def test_she_says_she_will_be_absent_with_a_photo_and_her_trainer_sees_it_on_his_sheet(demo_db, hours_clock):
    notice = notices.announce(actor("amina"), FRIDAY, "absent", "sick", certificate=("image/jpeg", JPEG_PHOTO))
    assert (notice.presence, notice.reason, notice.certificate_id is not None) == ("absent", "sick", True)
    hours_clock.forward(days=1)
    line = next(x for x in sheets.sheet(actor("marc")).lines if x.trainee_id == user_id("amina"))
    # Her trainer sees that she said so and why; not the photo.
    assert (line.notice.reason, line.notice.certificate_id) == ("sick", None)
    with pytest.raises(AccessDenied):
        notices.certificate(actor("marc"), notice.certificate_id)
    # Her coach and her centre's admin may open it; each opening is audited.
    for who in ("julie", "sophie", "amina"):
        assert notices.certificate(actor(who), notice.certificate_id) == ("image/jpeg", JPEG_PHOTO)
    with db.reading() as s:
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "read_certificate")) == 2


@pytest.mark.parametrize("who", ["kevin", "luc", "claire", "youssef", "ines"])
def test_nobody_else_opens_her_certificate(demo_db, hours_clock, who):
    notice = notices.announce(actor("amina"), FRIDAY, "absent", "sick", certificate=("image/png", PNG_PHOTO))
    with pytest.raises(AccessDenied):
        notices.certificate(actor(who), notice.certificate_id)
    with pytest.raises(AccessDenied):
        notices.certificate(actor(who), "1")


def test_her_month_lists_what_she_announced_and_a_new_notice_replaces_the_old(demo_db, hours_clock):
    notices.announce(actor("amina"), FRIDAY, "absent", "child", certificate=("image/png", PNG_PHOTO))
    notices.announce(actor("amina"), FRIDAY, "absent", "sick")
    shown = sheets.my_month(actor("amina")).notices
    assert [(n.day, n.reason) for n in shown] == [(FRIDAY, "sick")]
    assert shown[0].certificate_id is not None  # the photo sent before still holds
    notices.withdraw(actor("amina"), shown[0].id)
    assert sheets.my_month(actor("amina")).notices == []
    with pytest.raises(AccessDenied):
        notices.withdraw(actor("amina"), shown[0].id)


def test_late_is_for_today_only_with_the_minutes_she_taps(demo_db, hours_clock):
    assert notices.announce(actor("amina"), date(2026, 11, 19), "late", "transport", 20).late_minutes == 20
    with pytest.raises(InvalidInput):
        notices.announce(actor("amina"), FRIDAY, "late", "transport", 20)
    with pytest.raises(InvalidInput):
        notices.announce(actor("amina"), date(2026, 11, 19), "late", "transport", 17)


@pytest.mark.parametrize("day, presence, reason", [
    (date(2026, 11, 18), "absent", "sick"),     # yesterday
    (date(2027, 1, 30), "absent", "sick"),      # over 60 days ahead
    ("2026-11-20", "absent", "sick"), (FRIDAY, "present", "sick"), (FRIDAY, "absent", "bored"),
    (FRIDAY, ["absent"], "sick"),
])
def test_what_cannot_be_announced(demo_db, hours_clock, day, presence, reason):
    with pytest.raises(InvalidInput):
        notices.announce(actor("amina"), day, presence, reason)
    assert _count(AbsenceNotice) == 0


@pytest.mark.parametrize("mime, data, code", [
    ("image/gif", PNG_PHOTO, "certificate_type"),
    ("application/pdf", b"%PDF-1.4", "certificate_type"),
    ("image/png", b"", "certificate_empty"),
    ("image/png", JPEG_PHOTO, "certificate_not_image"),
    ("image/jpeg", b"<script>alert(1)</script>", "certificate_not_image"),
    ("image/webp", b"RIFF\x00\x00\x00\x00WAVE", "certificate_not_image"),
    ("image/png", b"\x89PNG\r\n\x1a\n" + b"0" * CERTIFICATE_MAX_BYTES, "certificate_too_big"),
    (None, PNG_PHOTO, "certificate_type"),
    ("image/png", "not bytes", "certificate_empty"),
])
def test_only_a_photo_within_the_limit_is_kept(demo_db, hours_clock, mime, data, code):
    with pytest.raises(InvalidInput) as refused:
        notices.announce(actor("amina"), FRIDAY, "absent", "sick", certificate=(mime, data))
    assert refused.value.code == code
    assert _count(Certificate) == 0 and _count(AbsenceNotice) == 0


@pytest.mark.parametrize("who", ["julie", "marc", "sophie"])
def test_staff_announce_nothing_in_her_name(demo_db, hours_clock, who):
    """A notice is always the announcer's own: staff have none to give."""
    with pytest.raises(AccessDenied):
        notices.announce(actor(who), FRIDAY, "absent", "sick")
    assert _count(AbsenceNotice) == 0


def test_another_trainee_cannot_withdraw_her_notice(demo_db, hours_clock):
    notice = notices.announce(actor("amina"), FRIDAY, "absent", "sick")
    for who in ("kevin", "julie", "youssef"):
        with pytest.raises(AccessDenied):
            notices.withdraw(actor(who), notice.id)
    assert [n.id for n in sheets.my_month(actor("amina")).notices] == [notice.id]
