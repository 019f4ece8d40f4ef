"""Self-assessment: states per skill, history kept, own pathway only, trainer's answer apart."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import Decision, SelfAssessment, Validation
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.infra import db
from cisp_pwa.services.skills import assessments

from ..helpers import actor, skill_ids, user_id


def _states(who: str, trainee: str) -> dict[int, assessments.SkillView]:
    overview = assessments.skills_overview(actor(who), user_id(trainee))
    return {k.id: k for area in overview.areas for k in area.skills}


def test_overview_shows_each_state(demo_db):
    fle = skill_ids("defi-fle-alpha")
    states = _states("amina", "amina")
    assert states[fle[0]].state == "validated" and states[fle[0]].trainer_level == 3
    adjusted = states[fle[1]]
    assert (adjusted.state, adjusted.self_level, adjusted.trainer_level) == ("adjusted", 4, 3)
    assert adjusted.reason  # the reason is shown next to the trainee's own level
    assert states[fle[2]].state == "pending" and states[fle[2]].self_level == 2
    assert states[fle[3]].state == "to_assess" and states[fle[3]].self_level is None


def test_self_assessing_adds_a_row_and_keeps_history(demo_db):
    amina = actor("amina")
    skill = skill_ids("defi-fle-alpha")[1]  # the adjusted one
    view = assessments.self_assess(amina, skill, 4, "Je l'ai expliqué à un nouveau.")
    assert (view.state, view.self_level) == ("pending", 4)
    history = assessments.skill_history(amina, amina.id, skill)
    assert [h.level for h in history] == [4, 4]
    assert history[0].decision is None
    assert (history[1].decision, history[1].trainer_level, history[1].trainer_name) == ("adjusted", 3, "Marc Dubois")
    with db.reading() as s:  # the trainer's record is untouched
        assert s.scalar(select(func.count(Validation.id)).where(Validation.decision == Decision.adjusted)) == 1


@pytest.mark.parametrize("level", [0, 5, -1])
def test_unknown_levels_are_refused(demo_db, level):
    with pytest.raises(InvalidInput):
        assessments.self_assess(actor("amina"), skill_ids("defi-fle-alpha")[3], level)


def test_a_long_comment_is_refused_and_changes_nothing(demo_db):
    with db.reading() as s:
        before = s.scalar(select(func.count(SelfAssessment.id)))
    with pytest.raises(InvalidInput):
        assessments.self_assess(actor("amina"), skill_ids("defi-fle-alpha")[3], 2,
                                "x" * (assessments.COMMENT_MAX + 1))
    with db.reading() as s:
        assert s.scalar(select(func.count(SelfAssessment.id))) == before


def test_only_skills_of_ones_own_pathway(demo_db):
    with pytest.raises(AccessDenied):  # kevin's pathway, not amina's
        assessments.self_assess(actor("amina"), skill_ids("eft-espaces-verts")[0], 3)
    with pytest.raises(AccessDenied):
        assessments.self_assess(actor("amina"), 10**9, 3)


@pytest.mark.parametrize("who", ["julie", "marc", "sophie"])
def test_staff_do_not_self_assess_for_a_trainee(demo_db, who):
    with pytest.raises(AccessDenied):
        assessments.self_assess(actor(who), skill_ids("defi-fle-alpha")[3], 3)


# Her coach and her trainer; not her centre's admin, whose screens show no one's skills and who
# is told of none (services/policy.py: SKILLS).
@pytest.mark.parametrize("who,allowed", [("julie", True), ("marc", True), ("sophie", False),
                                         ("kevin", False), ("luc", False), ("ines", False)])
def test_who_sees_a_trainees_skills(demo_db, who, allowed):
    skill = skill_ids("defi-fle-alpha")[1]
    if allowed:
        assert assessments.skills_overview(actor(who), user_id("amina")).areas
        assert assessments.skill_history(actor(who), user_id("amina"), skill)
    else:
        with pytest.raises(AccessDenied):
            assessments.skills_overview(actor(who), user_id("amina"))
        with pytest.raises(AccessDenied):
            assessments.skill_history(actor(who), user_id("amina"), skill)


def test_no_pathway_no_skills(demo_db):
    from cisp_pwa.models import Enrolment
    with db.unit_of_work() as s:
        for e in s.scalars(select(Enrolment).where(Enrolment.trainee_id == user_id("fatou"))):
            s.delete(e)
    assert assessments.skills_overview(actor("fatou"), user_id("fatou")) is None


def test_an_offline_assessment_sent_twice_is_kept_once(demo_db):
    amina = actor("amina")
    skill = skill_ids("defi-fle-alpha")[3]
    before = len(assessments.skill_history(amina, amina.id, skill))
    first = assessments.self_assess(amina, skill, 2, client_id="9b2f6c1e-0000-4000-8000-000000000001")
    again = assessments.self_assess(amina, skill, 2, client_id="9b2f6c1e-0000-4000-8000-000000000001")
    assert first == again
    assert len(assessments.skill_history(amina, amina.id, skill)) == before + 1
    # The same id for another skill is a mistake, not a second assessment.
    with pytest.raises(InvalidInput):
        assessments.self_assess(amina, skill_ids("defi-fle-alpha")[2], 2,
                                client_id="9b2f6c1e-0000-4000-8000-000000000001")
