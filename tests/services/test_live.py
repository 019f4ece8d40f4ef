"""The live marker changes with everything an open screen shows, and only for who may see it."""

from __future__ import annotations

import uuid

import pytest

from cisp_pwa.services import assessments, goals, live, messages
from cisp_pwa.services.errors import AccessDenied

from .helpers import actor, skill_ids, user_id


def test_the_marker_moves_with_messages_reads_goals_and_validations(demo_db):
    amina, julie = actor("amina"), actor("julie")
    m0 = live.marker(amina, amina.id)
    messages.send_message(julie, amina.id, str(uuid.uuid4()), "Nouveau")
    m1 = live.marker(amina, amina.id)
    assert m1.last_message_id > m0.last_message_id and m1.unread == m0.unread + 1

    mine = messages.send_message(amina, amina.id, str(uuid.uuid4()), "Vu")
    before_read = live.marker(amina, amina.id)
    messages.mark_read(julie, amina.id)
    assert live.marker(amina, amina.id).others_read_id >= mine.id > before_read.others_read_id

    goal = goals.propose_goal(amina, amina.id, title="Un nouveau but", theme="work")
    m2 = live.marker(julie, amina.id)
    goals.add_progress_note(amina, goal.id, "Une note")
    assert live.marker(julie, amina.id).goals_version != m2.goals_version

    from cisp_pwa.models import Decision, SelfAssessment, Validation
    from cisp_pwa.services import db
    from sqlalchemy import select
    assessments.self_assess(amina, skill_ids("defi-fle-alpha")[4], 3)
    m3 = live.marker(amina, amina.id)
    with db.unit_of_work() as s:
        latest = s.scalars(select(SelfAssessment).order_by(SelfAssessment.id.desc())).first()
        s.add(Validation(self_assessment_id=latest.id, trainer_id=user_id("marc"),
                         decision=Decision.confirmed, level=3))
    assert live.marker(amina, amina.id).last_validation_id > m3.last_validation_id


def test_a_trainer_watches_validations_only(demo_db):
    seen = live.marker(actor("marc"), user_id("amina"))
    assert (seen.last_message_id, seen.unread, seen.goals_version) == (0, 0, "")
    assert seen.last_validation_id > 0


@pytest.mark.parametrize("who", ["kevin", "luc", "claire"])
def test_nobody_else_watches(demo_db, who):
    with pytest.raises(AccessDenied):
        live.marker(actor(who), user_id("amina"))
