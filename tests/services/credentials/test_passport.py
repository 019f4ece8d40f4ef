"""Mon passeport: only what a trainer validated, for the trainee herself, and nobody else; the PDF
she downloads holds it (its drawing: tests/documents/test_passport_pdf.py)."""

from __future__ import annotations

import pytest

from cisp_pwa.services.credentials import passport
from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.people import accounts
from cisp_pwa.services.skills import assessments, validations

from ..helpers import actor, pdf_text, skill_ids

FLE = "defi-fle-alpha"
FIRST_FR = "Se présenter : dire son nom, son pays, sa langue et où on habite."
SECOND_FR = "Prendre un rendez-vous chez le médecin par téléphone."
SECOND_AR = "أخذ موعد عند الطبيب عبر الهاتف."
REASON = "Très bien à l'oral"  # the demo's adjusted validation: the trainer's reason
COMMENT = "Je demande encore de l'aide au guichet."  # the demo's comment on a pending assessment


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
    text = pdf_text(passport.passport_pdf(amina, "fr"))
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
    text = pdf_text(passport.passport_pdf(actor("kevin"), "fr"))
    assert "Kevin Maes" in text and "Amina" not in text and FIRST_FR not in text
    assert "Aucune compétence validée pour le moment." in text


def test_a_new_pathway_comes_first_and_what_was_validated_before_stays(demo_db):
    from sqlalchemy import select

    from cisp_pwa.models import Pathway
    from cisp_pwa.services.infra import db
    from cisp_pwa.services.people import centre_admin

    with db.reading() as s:
        kitchen = s.scalar(select(Pathway.id).where(Pathway.code == "eft-commis-cuisine"))
    amina = actor("amina")
    centre_admin.enrol(actor("sophie"), amina.id, kitchen)  # her FLE enrolment ends
    p = passport.passport_for(amina)
    assert [(pw.name, pw.current) for pw in p.pathways] == [
        ("Commis de cuisine", True), ("Français langue étrangère et alphabétisation", False)]
    assert p.pathways[0].areas == [] and len(p.pathways[1].areas[0].skills) == 2
    text = pdf_text(passport.passport_pdf(amina, "fr"))
    assert "Commis de cuisine" in text and "Se présenter" in text