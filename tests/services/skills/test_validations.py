"""Trainers: the queue of their trainees only, confirm, adjust with a reason, bulk confirm."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cisp_pwa.models import SelfAssessment, Validation
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.infra import db
from cisp_pwa.services.skills import assessments, validations

from ..helpers import actor, skill_ids, user_id


def test_queue_is_oldest_first_with_history_and_filters(demo_db):
    marc = actor("marc")
    items = validations.queue(marc)
    assert all(i.skill_label and i.area_label for i in items)
    assert [i.trainee_name for i in validations.queue(actor("ines"))] == ["Youssef El Amrani"]
    assert len(items) == 4 and [i.created_at for i in items] == sorted(i.created_at for i in items)
    assert {i.trainee_name for i in validations.queue(marc, trainee_id=user_id("kevin"))} == {"Kevin Maes"}
    fle = next(i.pathway_id for i in items if i.trainee_name == "Amina Benali")
    assert {i.trainee_name for i in validations.queue(marc, pathway_id=fle)} == {"Amina Benali"}
    # A re-assessment shows the earlier answers for that skill.
    assessments.self_assess(actor("amina"), skill_ids("defi-fle-alpha")[1], 4, "Encore")
    again = next(i for i in validations.queue(marc) if i.comment == "Encore")
    assert [(e.level, e.decision, e.trainer_level) for e in again.earlier] == [(4, "adjusted", 3)]


def test_confirm_keeps_the_trainees_level_and_leaves_the_queue(demo_db):
    marc = actor("marc")
    item = validations.queue(marc)[0]
    validations.confirm(marc, item.id)
    assert item.id not in {i.id for i in validations.queue(marc)}
    with db.reading() as s:
        v = s.scalar(select(Validation).where(Validation.self_assessment_id == item.id))
        assert (v.decision.value, v.level) == ("confirmed", item.level)
    with pytest.raises(InvalidInput):  # answered once only
        validations.confirm(marc, item.id)


def test_adjust_needs_a_reason_and_another_level(demo_db):
    marc = actor("marc")
    item = validations.queue(marc)[0]
    other = 1 if item.level != 1 else 2
    for level, reason, code in [(other, "  ", "reason_required"), (item.level, "Pareil", "same_level"),
                                (9, "Raison", "level_unknown"),
                                (other, "x" * (validations.REASON_MAX + 1), "reason_too_long")]:
        with pytest.raises(InvalidInput) as err:
            validations.adjust(marc, item.id, level, reason)
        assert err.value.code == code
    validations.adjust(marc, item.id, other, "On s'exerce encore ensemble.")
    with db.reading() as s:
        own = s.get(SelfAssessment, item.id)
        assert own.level == item.level  # the trainee's own view is never overwritten


def test_bulk_confirm_is_all_or_nothing(demo_db):
    marc, ines = actor("marc"), actor("ines")
    mine = [i.id for i in validations.queue(marc)]
    youssef = validations.queue(ines)[0].id
    with pytest.raises(AccessDenied):
        validations.bulk_confirm(marc, mine + [youssef])
    assert len(validations.queue(marc)) == len(mine)
    assert validations.bulk_confirm(marc, mine) == len(mine)
    assert validations.queue(marc) == []


@pytest.mark.parametrize("who", ["ines", "julie", "sophie", "amina"])
def test_nobody_else_answers(demo_db, who):
    item = validations.queue(actor("marc"))[0]
    with pytest.raises(AccessDenied):
        validations.confirm(actor(who), item.id)
    with pytest.raises(AccessDenied):
        validations.adjust(actor(who), item.id, 1, "Raison")


def test_filters_list_the_trainers_own_trainees_and_pathways(demo_db):
    pathways, trainees = validations.trainer_filters(actor("marc"))
    assert [t[1] for t in trainees] == ["Amina Benali", "Kevin Maes"]
    assert len(pathways) == 2
