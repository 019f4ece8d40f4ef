"""Her absence with a certificate's photo over HTTP (endpoints/certificates.py): the session from the
Authorization header, the service's answers as status codes, who may open the photo, nothing
cached. The clock is hours_clock's: Thursday 19 November 2026."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from cisp_pwa.endpoints import certificates
from cisp_pwa.models import CERTIFICATE_MAX_BYTES, AbsenceNotice, AuditEvent, Certificate
from cisp_pwa.services.hours import sheets
from cisp_pwa.services.infra import db

from ..photos import JPEG_PHOTO, PNG_PHOTO
from ..services.helpers import actor, signed_in, user_id

NO_STORE = "private, no-store"


@pytest.fixture
def client(demo_db, hours_clock):
    return TestClient(certificates.api())


def _token(login: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + signed_in(login).token}


def _announce(client, login="amina", data=JPEG_PHOTO, mime="image/jpeg", day="2026-11-20", presence="absent",
              reason="sick", late="0", headers=None):
    return client.post(f"/certificate?day={day}&presence={presence}&reason={reason}&late={late}", content=data,
                       headers={**(_token(login) if login else {}), "Content-Type": mime, **(headers or {})})


def _count(model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(model.id)))


def test_she_announces_with_a_photo_and_her_coach_and_admin_open_it(client):
    sent = _announce(client)
    assert sent.status_code == 200 and sent.headers["cache-control"] == NO_STORE
    notice_id, certificate_id = sent.json()["id"], sent.json()["certificate"]
    with db.reading() as s:
        notice = s.get(AbsenceNotice, notice_id)
        assert (notice.trainee_id, notice.day, notice.reason.value, notice.certificate_id) == (
            user_id("amina"), date(2026, 11, 20), "sick", certificate_id)
    # Her coach sees it on her file, with the photo to open.
    mine = sheets.my_month(actor("julie"), "2026-11", user_id("amina"))
    assert [(n.id, n.certificate_id) for n in mine.notices] == [(notice_id, certificate_id)]
    for login in ("amina", "julie", "sophie"):
        opened = client.get(f"/certificate/{certificate_id}", headers=_token(login))
        assert opened.status_code == 200 and opened.content == JPEG_PHOTO, login
        assert opened.headers["content-type"] == "image/jpeg"
        assert opened.headers["cache-control"] == NO_STORE
    with db.reading() as s:  # each opening by someone else is in her file's trail, not hers
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "read_certificate")) == 2


def test_only_she_her_coaches_and_her_centre_admin_open_it(client):
    certificate_id = _announce(client, data=PNG_PHOTO, mime="image/png").json()["certificate"]
    # Her trainer (health data: never), another trainee of her group, the other centre's people.
    for login in ("marc", "kevin", "luc", "ines", "claire", "youssef"):
        refused = client.get(f"/certificate/{certificate_id}", headers=_token(login))
        assert (refused.status_code, refused.json()) == (403, {"error": "access_denied"}), login
        assert refused.headers["cache-control"] == NO_STORE
    assert client.get(f"/certificate/{certificate_id}").status_code == 401
    assert client.get(f"/certificate/{certificate_id}", headers={"Authorization": "Bearer nope"}).status_code == 401
    # Forged ids: one that does not exist, a notice's id that is no certificate, not a number.
    assert client.get(f"/certificate/{certificate_id + 1000}", headers=_token("julie")).status_code == 403
    assert client.get("/certificate/abc", headers=_token("julie")).status_code == 404
    assert client.get("/certificate/-1", headers=_token("julie")).status_code == 404


def test_refusals_carry_the_reason_and_keep_nothing(client):
    cases = [
        (dict(data=b"<html>not a photo</html>"), 400, "certificate_not_image"),
        (dict(mime="application/pdf"), 400, "certificate_type"),
        (dict(mime="image/png"), 400, "certificate_not_image"),      # a JPEG said to be a PNG
        (dict(data=b""), 400, "certificate_empty"),
        (dict(day="2026-11-18"), 400, "hours_day_invalid"),          # yesterday
        (dict(day="2027-01-19"), 400, "hours_day_invalid"),          # beyond 60 days
        (dict(day="20-11-2026"), 400, "hours_day_invalid"),
        (dict(day=""), 400, "hours_day_invalid"),
        (dict(reason="bored"), 400, "hours_mark_invalid"),
        (dict(presence="present"), 400, "hours_mark_invalid"),
        (dict(presence="late", late="15"), 400, "hours_late_minutes"),
        (dict(presence="late", late="20", day="2026-11-20"), 400, "hours_day_invalid"),  # late: today only
        (dict(late="x"), 400, "hours_late_minutes"),
        (dict(login="julie"), 403, "access_denied"),                  # a coach has no notice to give
        (dict(login="marc"), 403, "access_denied"),
    ]
    for kwargs, status, code in cases:
        answer = _announce(client, **kwargs)
        assert (answer.status_code, answer.json()) == (status, {"error": code}), kwargs
        assert answer.headers["cache-control"] == NO_STORE
    assert _announce(client, login=None).status_code == 401
    assert _count(Certificate) == _count(AbsenceNotice) == 0


def test_a_photo_over_two_mebibytes_is_refused_unread(client):
    big = JPEG_PHOTO + b"\x00" * CERTIFICATE_MAX_BYTES
    answer = _announce(client, data=big)
    assert (answer.status_code, answer.json()) == (413, {"error": "certificate_too_big"})

    def chunks():  # no Content-Length: counted as it comes
        yield JPEG_PHOTO
        for _ in range(3):
            yield b"\x00" * (1024 * 1024)

    streamed = client.post("/certificate?day=2026-11-20&presence=absent&reason=sick&late=0", content=chunks(),
                           headers={**_token("amina"), "Content-Type": "image/jpeg"})
    assert (streamed.status_code, streamed.json()) == (413, {"error": "certificate_too_big"})
    exactly = _announce(client, data=JPEG_PHOTO + b"\x00" * (CERTIFICATE_MAX_BYTES - len(JPEG_PHOTO)))
    assert exactly.status_code == 200
    assert _count(Certificate) == 1


def test_she_is_late_today_with_a_photo(client):
    answer = _announce(client, presence="late", late="30", day="2026-11-19", reason="transport")
    assert answer.status_code == 200
    mine = sheets.my_month(actor("amina"))
    assert [(n.presence, n.late_minutes, n.reason) for n in mine.notices] == [("late", 30, "transport")]
