"""The hours' files over HTTP (endpoints/hours_exports.py): the session from the Authorization
header; the month's files for the admin of the group's centre only, her certificate for her, her
coach and her admin; never cached."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from cisp_pwa import endpoints
from cisp_pwa.endpoints import hours_exports
from cisp_pwa.models import TrainingGroup
from cisp_pwa.services.infra import db

from ..services.helpers import signed_in, user_id


@pytest.fixture
def client(demo_db, hours_clock):
    return TestClient(hours_exports.api())


def _token(login: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + signed_in(login).token}  # an admin gives her second factor


def _group_id(code: str = "fle-alpha-1") -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == code))


def _private(response) -> None:
    assert response.headers["cache-control"] == "private, no-store"
    assert "Authorization" in response.headers["vary"]


def test_the_admin_downloads_her_groups_month_as_csv_and_xlsx(client):
    headers = _token("sophie")
    csv = client.get(hours_exports.month_path(_group_id(), "2026-11", "csv"), headers=headers)
    assert csv.status_code == 200 and csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.headers["content-disposition"] == 'attachment; filename="heures-fle-alpha-1-2026-11.csv"'
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("Mois;Groupe;Stagiaire;Heures sur place;")
    _private(csv)
    xlsx = client.get(hours_exports.month_path(_group_id(), "2026-11", "xlsx"), headers=headers)
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")  # a zip, as every XLSX
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _private(xlsx)


@pytest.mark.parametrize("login", ["marc", "julie", "amina", "claire"])
def test_nobody_else_gets_a_groups_month(client, login):
    """Her trainer, her coach, a trainee, the other centre's admin: 403, as for an id that is no group."""
    refused = client.get(hours_exports.month_path(_group_id(), "2026-11", "csv"), headers=_token(login))
    assert (refused.status_code, refused.json()) == (403, {"error": "access_denied"})
    _private(refused)


def test_without_a_session_or_with_a_wrong_address(client):
    path = hours_exports.month_path(_group_id(), "2026-11", "csv")
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
    headers = _token("sophie")
    assert client.get(hours_exports.month_path(999999, "2026-11", "csv"), headers=headers).status_code == 403
    wrong_month = client.get(hours_exports.month_path(_group_id(), "2026-13", "csv"), headers=headers)
    assert (wrong_month.status_code, wrong_month.json()) == (400, {"error": "hours_month_invalid"})
    assert client.get(hours_exports.month_path(_group_id(), "2026-11", "html"), headers=headers).status_code == 400
    assert client.post(path, headers=headers).status_code == 405


@pytest.mark.parametrize("login, status", [("sophie", 200), ("julie", 200), ("amina", 200), ("marc", 403),
                                           ("kevin", 403), ("claire", 403), ("luc", 403)])
def test_her_certificate_is_hers_her_coachs_and_her_admins(client, login, status):
    answer = client.get(hours_exports.attestation_path(user_id("amina"), "2026-11"), headers=_token(login))
    assert answer.status_code == status
    _private(answer)
    if status == 200:
        assert answer.headers["content-type"] == "application/pdf" and answer.content.startswith(b"%PDF")
        assert answer.headers["content-disposition"] == 'attachment; filename="attestation-amina-benali-2026-11.pdf"'


def test_the_whole_pathway_certificate_and_a_month_to_come(client):
    headers = _token("julie")
    whole = client.get(hours_exports.attestation_path(user_id("amina"), "pathway"), headers=headers)
    assert whole.status_code == 200 and whole.content.startswith(b"%PDF")
    assert client.get(hours_exports.attestation_path(user_id("amina"), "2027-01"), headers=headers).status_code == 400


def test_the_app_answers_them_in_front_of_reflex():
    assert any(getattr(t, "routes", None) and any(getattr(r, "path", "").startswith("/exports") for r in t.routes)
               for t in endpoints.transformers()[:-1] if hasattr(t, "routes"))
