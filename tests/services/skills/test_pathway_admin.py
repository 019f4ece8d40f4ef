"""Pathway referentials managed by admins: import (line and field on error), export, labels,
retire a skill without losing its assessments."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from sqlalchemy import func, select

from cisp_pwa.models import Pathway, SelfAssessment
from cisp_pwa.services.errors import AccessDenied, InvalidInput, PathwayFileError
from cisp_pwa.services.infra import db
from cisp_pwa.services.skills import assessments, pathway_admin, pathways

from ..helpers import actor, skill_ids, user_id


def _pathway_id(code: str) -> int:
    with db.reading() as s:
        return s.scalar(select(Pathway.id).where(Pathway.code == code))


def test_export_then_import_round_trips(demo_db):
    sophie = actor("sophie")
    name, text = pathway_admin.export_pathway(sophie, _pathway_id("defi-numerique"))
    assert name == "defi-numerique.yaml"
    data = yaml.safe_load(text)
    data["code"] = "defi-numerique-bis"
    report = pathway_admin.import_pathway(sophie, yaml.safe_dump(data, allow_unicode=True), "bis.yaml")
    assert report.created == 1
    assert pathways.parse_pathway_text(text, name).skill_count == len(skill_ids("defi-numerique"))


def test_a_bad_import_names_line_and_field_and_changes_nothing(demo_db):
    _, text = pathway_admin.export_pathway(actor("sophie"), _pathway_id("defi-numerique"))
    data = yaml.safe_load(text)
    data["code"] = "new-one"
    del data["areas"][1]["skills"][2]["label"]["ar"]
    broken = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with db.reading() as s:
        before = s.scalar(select(func.count(Pathway.id)))
    with pytest.raises(PathwayFileError) as err:
        pathway_admin.import_pathway(actor("sophie"), broken, "new-one.yaml")
    assert err.value.details["field"] == "areas[1].skills[2].label"
    line = err.value.details["line"]
    assert "label:" in broken.splitlines()[line - 1]
    with db.reading() as s:
        assert s.scalar(select(func.count(Pathway.id))) == before


def test_a_number_too_long_to_read_is_refused_with_its_line_and_field(demo_db):
    # Python reads at most 4,300 digits: the YAML loader's ValueError was uncaught ("failed").
    _, text = pathway_admin.export_pathway(actor("sophie"), _pathway_id("defi-numerique"))
    data = yaml.safe_load(text)
    data["code"] = "new-one"
    data["areas"][1]["skills"][2]["code"] = "TOO_LONG_HERE"
    broken = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace("TOO_LONG_HERE", "7" * 5000)
    with pytest.raises(PathwayFileError) as err:
        pathway_admin.import_pathway(actor("sophie"), broken, "new-one.yaml")
    details = err.value.details
    assert (details["field"], details["area"], details["skill"], details["problem"]) == \
        ("areas[1].skills[2].code", 2, 3, "number_too_long")
    assert "code: 777" in broken.splitlines()[details["line"] - 1]
    with db.reading() as s:
        assert s.scalar(select(func.count(Pathway.id)).where(Pathway.code == "new-one")) == 0


def test_labels_are_edited_per_language(demo_db):
    skill = skill_ids("defi-fle-alpha")[0]
    pathway_admin.set_label(actor("sophie"), "skill", skill, "en", "Introduce yourself.")
    english = assessments.skills_overview(dataclasses.replace(actor("amina"), locale="en"), user_id("amina"))
    assert english.areas[0].skills[0].label == "Introduce yourself."
    with pytest.raises(InvalidInput):
        pathway_admin.set_label(actor("sophie"), "skill", skill, "en", "  ")
    with pytest.raises(InvalidInput):
        pathway_admin.set_label(actor("sophie"), "skill", skill, "xx", "Texte")


def test_retiring_a_skill_keeps_its_assessments(demo_db):
    skill = skill_ids("defi-fle-alpha")[0]  # amina has a validated assessment on it
    pathway_admin.set_retired(actor("sophie"), skill, True)
    overview = assessments.skills_overview(actor("amina"), user_id("amina"))
    assert skill not in {k.id for a in overview.areas for k in a.skills}
    assert assessments.skill_history(actor("amina"), user_id("amina"), skill)
    with db.reading() as s:
        assert s.scalar(select(func.count(SelfAssessment.id)).where(SelfAssessment.skill_id == skill)) == 1
    with pytest.raises(AccessDenied):  # no new assessment of a retired skill
        assessments.self_assess(actor("amina"), skill, 3)
    pathway_admin.set_retired(actor("sophie"), skill, False)
    assert assessments.self_assess(actor("amina"), skill, 3)


@pytest.mark.parametrize("who", ["julie", "marc", "amina"])
def test_only_admins(demo_db, who):
    with pytest.raises(AccessDenied):
        pathway_admin.export_pathway(actor(who), _pathway_id("defi-numerique"))
    with pytest.raises(AccessDenied):
        pathway_admin.set_retired(actor(who), skill_ids("defi-numerique")[0], True)
