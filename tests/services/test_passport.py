"""Mon passeport: only what a trainer validated, for the trainee herself; the PDF she downloads."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from cisp_pwa import settings
from cisp_pwa.services import accounts, assessments, passport, validations
from cisp_pwa.services.errors import AccessDenied

from .helpers import actor, skill_ids

FLE = "defi-fle-alpha"
FIRST_FR = "Se présenter : dire son nom, son pays, sa langue et où on habite."
SECOND_FR = "Prendre un rendez-vous chez le médecin par téléphone."
SECOND_AR = "أخذ موعد عند الطبيب عبر الهاتف."
REASON = "Très bien à l'oral"  # the demo's adjusted validation: the trainer's reason
COMMENT = "Je demande encore de l'aide au guichet."  # the demo's comment on a pending assessment


def _text(pdf: bytes) -> str:
    """The PDF's text, its letters back from their shaped forms (a right-to-left line's final
    full stop comes out where it is drawn: compare labels without it)."""
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def test_her_passport_holds_the_validated_skills_only_with_the_trainers_level_and_her_own(demo_db):
    amina = actor("amina")
    p = passport.passport_for(amina)
    assert (p.trainee_name, p.centre_name) == ("Amina Benali", "CISP La Passerelle (Namur)")
    assert [pw.name for pw in p.pathways] == ["Français langue étrangère et alphabétisation"]
    assert p.pathways[0].current
    first, second = skill_ids(FLE)[:2]
    assert [k.id for k in p.skills] == [first, second]  # the two pending assessments are not in it
    confirmed, adjusted = p.skills
    assert (confirmed.label, confirmed.decision, confirmed.trainer_level, confirmed.self_level) == (
        FIRST_FR, "confirmed", 3, 3)
    assert (adjusted.label, adjusted.decision, adjusted.trainer_level, adjusted.self_level) == (
        SECOND_FR, "adjusted", 3, 4)  # two opinions, never merged
    assert {k.trainer_name for k in p.skills} == {"Marc Dubois"}
    assert p.pathways[0].areas[0].label == "Parler et comprendre"
    assert REASON not in repr(p) and COMMENT not in repr(p)


def test_labels_come_in_her_language_and_in_french(demo_db):
    amina = accounts.set_locale(actor("amina"), "ar")
    p = passport.passport_for(amina)
    second = p.skills[1]
    assert (second.label, second.label_fr) == (SECOND_AR, SECOND_FR)
    assert p.pathways[0].name == "اللغة الفرنسية كلغة أجنبية ومحو الأمية"
    assert p.pathways[0].name_fr == "Français langue étrangère et alphabétisation"


def test_the_latest_validation_of_a_skill_counts_and_her_latest_own_level_is_beside_it(demo_db):
    amina, marc = actor("amina"), actor("marc")
    first = skill_ids(FLE)[0]
    assessments.self_assess(amina, first, 4, "Un commentaire à moi")
    newest = validations.queue(marc, trainee_id=amina.id)
    item = next(i for i in newest if i.level == 4 and i.skill_label == FIRST_FR)
    validations.adjust(marc, item.id, 2, "Une raison du formateur")
    skill = passport.passport_for(amina).skills[0]
    assert (skill.decision, skill.trainer_level, skill.self_level) == ("adjusted", 2, 4)
    # A newer self-assessment waiting for an answer: the last validation stays, her level moves.
    assessments.self_assess(amina, first, 3)
    skill = passport.passport_for(amina).skills[0]
    assert (skill.trainer_level, skill.self_level) == (2, 3)
    text = _text(passport.passport_pdf(amina, "fr"))
    assert "Une raison du formateur" not in text and "Un commentaire à moi" not in text


@pytest.mark.parametrize("login", ["julie", "marc", "sophie", "luc"])
def test_nobody_but_the_trainee_gets_a_passport(demo_db, login):
    with pytest.raises(AccessDenied):
        passport.passport_for(actor(login))
    with pytest.raises(AccessDenied):
        passport.passport_pdf(actor(login), "fr")


def test_another_trainee_gets_her_own_passport_never_aminas(demo_db):
    kevin = passport.passport_for(actor("kevin"))
    assert kevin.trainee_name == "Kevin Maes" and kevin.skills == []  # his assessments wait for an answer
    text = _text(passport.passport_pdf(actor("kevin"), "fr"))
    assert "Kevin Maes" in text and "Amina" not in text and FIRST_FR not in text
    assert "Aucune compétence validée pour le moment." in text


def test_the_pdf_in_french_has_the_skills_and_nothing_private(demo_db):
    pdf = passport.passport_pdf(actor("amina"), "fr")
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
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
    text = _text(pdf)
    assert label.rstrip(".") in text and SECOND_FR.split(" par ")[0] in text
    assert REASON not in text


def test_she_chooses_which_validated_skills_go_in(demo_db):
    amina = actor("amina")
    first, second, third = skill_ids(FLE)[:3]
    text = _text(passport.passport_pdf(amina, "ar", [second, third]))  # third: pending, left out
    assert SECOND_AR.rstrip(".") in text and "Se présenter" not in text
    text = _text(passport.passport_pdf(amina, "fr", [first]))
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
    with pytest.raises(passport.FontMissing, match="fonts-dejavu-core"):
        passport.passport_pdf(actor("amina"), "fr")


def test_names_and_labels_are_drawn_as_written_never_as_markup(demo_db):
    from cisp_pwa.models import User
    from cisp_pwa.services import db, events

    with db.unit_of_work() as s:
        s.get(User, actor("marc").id).display_name = r"Marc **Du__bois** -- \x"
        events.nobody(s)
    assert r"Marc **Du__bois** -- \x" in _text(passport.passport_pdf(actor("amina"), "fr"))


def test_a_new_pathway_comes_first_and_what_was_validated_before_stays(demo_db):
    from sqlalchemy import select

    from cisp_pwa.models import Pathway
    from cisp_pwa.services import centre_admin, db

    with db.reading() as s:
        kitchen = s.scalar(select(Pathway.id).where(Pathway.code == "eft-commis-cuisine"))
    amina = actor("amina")
    centre_admin.enrol(actor("sophie"), amina.id, kitchen)  # her FLE enrolment ends
    p = passport.passport_for(amina)
    assert [(pw.name, pw.current) for pw in p.pathways] == [
        ("Commis de cuisine", True), ("Français langue étrangère et alphabétisation", False)]
    assert p.pathways[0].areas == [] and len(p.pathways[1].areas[0].skills) == 2
    text = _text(passport.passport_pdf(amina, "fr"))
    assert "Commis de cuisine" in text and "Se présenter" in text


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_pdf_says_her_own_level_with_the_words_of_her_screen(demo_db, locale):
    """One thing, one word: the PDF names her level as the passport screen does ("Votre avis"),
    never "Auto-évaluation"."""
    from cisp_pwa import value_words

    text = _text(passport.passport_pdf(actor("amina"), locale))
    words = value_words.opinions(locale)
    assert words["mine"] == {"fr": "Votre avis :", "en": value_words.opinions("en")["mine"]}[locale]
    assert text.count(words["mine"]) == 2 and text.count(words["trainer"]) == 2  # her two validated skills
    assert "Auto-évaluation" not in text and "Self-assessment" not in text
