"""Goals: proposed by the trainee until a coach agrees; edit or withdraw while proposed;
progress notes and "reached"; limits refused with nothing changed; access per role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import AuditEvent, Goal
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.follow_up import goals
from cisp_pwa.services.infra import db

from ..helpers import actor, user_id


def _goal_count() -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(Goal.id)))


def test_a_trainee_proposal_waits_for_a_coach(demo_db):
    amina = actor("amina")
    goal = goals.propose_goal(amina, amina.id, title="  Trouver un logement   plus grand ",
                              theme="housing", target_date=date.today() + timedelta(days=90))
    assert (goal.title, goal.status, goal.proposed_by_trainee) == ("Trouver un logement plus grand", "proposed", True)
    assert goal.can_edit and goal.can_withdraw and not goal.can_agree and not goal.can_mark_reached
    as_coach = [g for g in goals.list_goals(actor("julie"), amina.id) if g.id == goal.id][0]
    assert as_coach.can_agree
    agreed = goals.agree_goal(actor("julie"), goal.id)
    assert agreed.status == "in_progress"
    mine = [g for g in goals.list_goals(amina, amina.id) if g.id == goal.id][0]
    assert not mine.can_edit and not mine.can_withdraw and mine.can_mark_reached


def test_a_trainee_cannot_agree_to_their_own_proposal(demo_db):
    amina = actor("amina")
    goal = goals.propose_goal(amina, amina.id, title="Mon but", theme="other")
    with pytest.raises(AccessDenied):
        goals.agree_goal(amina, goal.id)


def test_edit_and_withdraw_only_while_proposed(demo_db):
    amina = actor("amina")
    goal = goals.propose_goal(amina, amina.id, title="Premier titre", theme="work")
    edited = goals.edit_goal(amina, goal.id, title="Titre revu", theme="training", detail="Avec Julie.")
    assert (edited.title, edited.theme, edited.detail) == ("Titre revu", "training", "Avec Julie.")
    goals.withdraw_goal(amina, goal.id)
    assert goal.id not in {g.id for g in goals.list_goals(amina, amina.id)}
    in_progress = next(g for g in goals.list_goals(amina, amina.id) if g.status == "in_progress")
    with pytest.raises(AccessDenied):
        goals.edit_goal(amina, in_progress.id, title="Changé", theme="work")
    with pytest.raises(AccessDenied):
        goals.withdraw_goal(amina, in_progress.id)


def test_progress_note_and_reached_are_seen_by_the_coach(demo_db):
    amina = actor("amina")
    goal = next(g for g in goals.list_goals(amina, amina.id) if g.status == "in_progress")
    goals.add_progress_note(amina, goal.id, "J'ai appelé le cabinet ce matin.")
    goals.mark_reached(amina, goal.id)
    seen = next(g for g in goals.list_goals(actor("julie"), amina.id) if g.id == goal.id)
    assert seen.status == "reached"
    assert [(n.body, n.by_trainee, n.author_name) for n in seen.notes] == [
        ("J'ai appelé le cabinet ce matin.", True, "Amina Benali")]
    with pytest.raises(AccessDenied):  # a reached goal takes no more notes
        goals.add_progress_note(amina, goal.id, "Encore")


@pytest.mark.parametrize("title,code", [("", "title_empty"), ("   ", "title_empty"),
                                        ("x" * (goals.TITLE_MAX + 1), "title_too_long")])
def test_bad_titles_are_refused_and_change_nothing(demo_db, title, code):
    amina = actor("amina")
    before = _goal_count()
    with pytest.raises(InvalidInput) as err:
        goals.propose_goal(amina, amina.id, title=title, theme="work")
    assert err.value.code == code
    assert _goal_count() == before


@pytest.mark.parametrize("fields,code", [
    (dict(theme="astrology"), "theme_unknown"),
    (dict(detail="x" * (goals.DETAIL_MAX + 1)), "detail_too_long"),
    (dict(target_date=date(1990, 1, 1)), "date_out_of_range"),
])
def test_other_bad_fields_are_refused(demo_db, fields, code):
    amina = actor("amina")
    before = _goal_count()
    with pytest.raises(InvalidInput) as err:
        goals.propose_goal(amina, amina.id, **{"title": "Un but", "theme": "work", **fields})
    assert err.value.code == code and _goal_count() == before


def test_a_bad_edit_changes_nothing(demo_db):
    amina = actor("amina")
    goal = goals.propose_goal(amina, amina.id, title="Garder ce titre", theme="work")
    with pytest.raises(InvalidInput):
        goals.edit_goal(amina, goal.id, title="", theme="work")
    assert next(g for g in goals.list_goals(amina, amina.id) if g.id == goal.id).title == "Garder ce titre"


@pytest.mark.parametrize("who", ["kevin", "youssef", "marc", "sophie", "luc"])
def test_nobody_else_reaches_a_trainees_goals(demo_db, who):
    other = actor(who)
    amina_goal = goals.list_goals(actor("amina"), user_id("amina"))[0]
    with pytest.raises(AccessDenied):
        goals.list_goals(other, user_id("amina"))
    with pytest.raises(AccessDenied):
        goals.propose_goal(other, user_id("amina"), title="Intrus", theme="work")
    for call in (goals.agree_goal, goals.mark_reached, goals.withdraw_goal):
        with pytest.raises(AccessDenied):
            call(other, amina_goal.id)
    with pytest.raises(AccessDenied):
        goals.add_progress_note(other, amina_goal.id, "Intrus")
    with pytest.raises(AccessDenied):
        goals.edit_goal(other, amina_goal.id, title="Intrus", theme="work")


def test_unknown_goal_ids_are_refused(demo_db):
    with pytest.raises(AccessDenied):
        goals.mark_reached(actor("amina"), 10**9)


def test_writes_are_audited_without_content(demo_db):
    amina = actor("amina")
    goal = goals.propose_goal(amina, amina.id, title="Secret de santé", theme="health")
    goals.add_progress_note(amina, goal.id, "Détail très privé")
    with db.reading() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.target_id == goal.id)).all()
        assert [e.action for e in events] == ["goal_proposed", "goal_note_added"]
        assert all("privé" not in (e.action + e.target_type) for e in events)


def test_a_coach_drops_a_goal_and_it_stays(demo_db):
    amina = actor("amina")
    goal = next(g for g in goals.list_goals(amina, amina.id) if g.status == "in_progress")
    with pytest.raises(AccessDenied):
        goals.drop_goal(amina, goal.id)
    assert goals.drop_goal(actor("julie"), goal.id).status == "dropped"
    assert next(g for g in goals.list_goals(amina, amina.id) if g.id == goal.id).status == "dropped"
