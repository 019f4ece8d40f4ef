"""Her data as a page to read (documents/my_data.py), from rows as the export gives them: stored
values in her words, what anyone wrote escaped, her language and its direction. The export that
gathers the rows, for her alone: tests/services/records/test_privacy.py."""

from __future__ import annotations

from datetime import datetime, timezone

from cisp_pwa import i18n
from cisp_pwa.documents import my_data
from cisp_pwa.services.records.privacy import Viewing

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)
JULIE = {"7": {"display_name": "Julie Renard", "role": "coach"}}


def _page(locale: str, tables: dict[str, list[dict]], seen: list[Viewing] | None = None) -> str:
    her = my_data.Her("Zorabelle Quint", "zorabelle", locale, datetime(2025, 1, 6, 9, 30, tzinfo=timezone.utc),
                      "CISP La Passerelle (Namur)")
    names = my_data.Names(pathways={}, skills={3: "Se présenter"}, services={})
    return my_data.build(her, tables, JULIE, names, seen or [], NOW)


def test_what_anyone_wrote_is_escaped():
    page = _page("fr", {
        "message": [{"id": 1, "created_at": "2025-03-01T09:00:00+00:00", "sender_id": 7,
                     "body": "<img src=x onerror=alert(1)>"}],
        "goal": [{"id": 2, "title": "<script>alert(1)</script>", "status": "proposed", "detail": "",
                  "target_date": None}],
    })
    assert "<img" not in page and "&lt;img src=x" in page
    assert "<script" not in page.lower() and "&lt;script&gt;" in page


def test_stored_values_are_said_in_her_words():
    page = _page("fr", {
        "goal": [{"id": 2, "title": "Trouver un logement", "status": "in_progress", "detail": "",
                  "target_date": "2025-06-30"}],
        "self_assessment": [{"id": 5, "skill_id": 3, "level": 4, "comment": "", "created_at": "2025-02-03T08:00:00"}],
        "validation": [{"self_assessment_id": 5, "trainer_id": 7, "decision": "adjusted", "level": 3, "reason": ""}],
        "assignment": [{"staff_id": 7, "role": "coach"}],
    }, [Viewing("Julie Renard", "coach", "read_messages", NOW)])
    for said in ("Trouver un logement</strong> · En cours", "Pour le 30 juin 2025",
                 "Se présenter</strong> · Je peux l&#x27;expliquer", "Réponse de Julie Renard : Ajusté, Sans aide",
                 "Julie Renard · Accompagnateur ou accompagnatrice", "(Accompagnateur ou accompagnatrice) · vos messages"):
        assert said in page, said


def test_the_page_is_in_her_language_and_right_to_left_in_arabic():
    page = _page("ar", {})
    assert page.startswith("<!doctype html>") and 'lang="ar"' in page and 'dir="rtl"' in page
    heading = i18n.gettext_for("ar")("Mes données")
    assert heading != "Mes données" and f"<h1>{heading}</h1>" in page and "Mes données" not in page
    french = _page("fr", {})
    assert 'lang="fr"' in french and 'dir="ltr"' in french and "Mes données" in french
