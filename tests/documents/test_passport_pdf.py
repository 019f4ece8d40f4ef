"""Her passport as a PDF (documents/passport_pdf.py), made by the service from the demo's data:
her language beside French, only what was validated, as written, on two pages at most."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cisp_pwa import settings, words
from cisp_pwa.documents import passport_pdf
from cisp_pwa.services.credentials import passport
from cisp_pwa.services.skills import assessments, validations

from ..services.helpers import actor, pdf_text, skill_ids

FLE = "defi-fle-alpha"
SECOND_FR = "Prendre un rendez-vous chez le médecin par téléphone."
SECOND_AR = "أخذ موعد عند الطبيب عبر الهاتف."
REASON = "Très bien à l'oral"  # the demo's adjusted validation: the trainer's reason
COMMENT = "Je demande encore de l'aide au guichet."  # the demo's comment on a pending assessment


def test_the_pdf_in_french_has_the_skills_and_nothing_private(demo_db):
    pdf = passport.passport_pdf(actor("amina"), "fr")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in ("Amina Benali", "CISP La Passerelle (Namur)", "Français langue étrangère et",
                     "Parler et comprendre", "Se présenter", "Prendre un rendez-vous chez le médecin",
                     "Sans aide", "Je peux l'expliquer", "Marc Dubois"):
        assert expected in text
    for private in (REASON, COMMENT, "rendez-vous chez le médecin\nPrendre seule", "Trouver un stage",
                    "comment s'est passée la semaine"):
        assert private not in text
    assert not any("\u0600" <= c <= "\u06ff" for c in text)  # French only


@pytest.mark.parametrize("locale, label", [("ar", SECOND_AR), ("fa", "گرفتن وقت داکتر با تلفن، به زبان فرانسوی.")])
def test_the_pdf_in_arabic_or_dari_has_her_language_beside_french(demo_db, locale, label):
    pdf = passport.passport_pdf(actor("amina"), locale)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert label.rstrip(".") in text and SECOND_FR.split(" par ")[0] in text
    assert REASON not in text


def test_she_chooses_which_validated_skills_go_in(demo_db):
    amina = actor("amina")
    first, second, third = skill_ids(FLE)[:3]
    text = pdf_text(passport.passport_pdf(amina, "ar", [second, third]))  # third: pending, left out
    assert SECOND_AR.rstrip(".") in text and "Se présenter" not in text
    text = pdf_text(passport.passport_pdf(amina, "fr", [first]))
    assert "Se présenter" in text and "Prendre un rendez-vous" not in text


def test_a_whole_pathway_validated_fits_on_two_pages(demo_db):
    amina, marc = actor("amina"), actor("marc")
    for skill_id in skill_ids(FLE):
        assessments.self_assess(amina, skill_id, 2)
    validations.bulk_confirm(marc, [i.id for i in validations.queue(marc, trainee_id=amina.id)])
    assert len(passport.passport_for(amina).skills) == len(skill_ids(FLE))
    for locale in ("fr", "ar", "uk"):
        assert len(PdfReader(io.BytesIO(passport.passport_pdf(amina, locale))).pages) <= 2


def test_a_missing_font_says_what_to_install(demo_db, monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "PDF_FONT", tmp_path / "none.ttf")
    with pytest.raises(passport_pdf.FontMissing, match="fonts-dejavu-core"):
        passport.passport_pdf(actor("amina"), "fr")


def test_names_and_labels_are_drawn_as_written_never_as_markup(demo_db):
    from cisp_pwa.models import User
    from cisp_pwa.services.infra import db, events

    with db.unit_of_work() as s:
        s.get(User, actor("marc").id).display_name = r"Marc **Du__bois** -- \x"
        events.nobody(s)
    assert r"Marc **Du__bois** -- \x" in pdf_text(passport.passport_pdf(actor("amina"), "fr"))


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_pdf_says_her_own_level_with_the_words_of_her_screen(demo_db, locale):
    """One thing, one word: the PDF names her level as the passport screen does ("Votre avis"),
    never "Auto-évaluation"."""
    text = pdf_text(passport.passport_pdf(actor("amina"), locale))
    said = words.opinions(locale)
    assert said["mine"] == {"fr": "Votre avis :", "en": words.opinions("en")["mine"]}[locale]
    assert text.count(said["mine"]) == 2 and text.count(said["trainer"]) == 2  # her two validated skills
    assert "Auto-évaluation" not in text and "Self-assessment" not in text
