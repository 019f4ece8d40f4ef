"""Drafts made offline: delivered in their order, each once, only by their author."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from cisp_pwa.models import Message, SelfAssessment
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.home import drafts
from cisp_pwa.services.infra import db

from ..helpers import actor, skill_ids, user_id


def _id() -> str:
    return str(uuid.uuid4())


def _count(model, **where) -> int:
    with db.reading() as s:
        query = select(func.count(model.id))
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return s.scalar(query)


def test_drafts_are_delivered_in_order_and_once(demo_db):
    amina = actor("amina")
    skill = skill_ids("defi-fle-alpha")[3]
    outbox = [
        {"kind": "message", "id": _id(), "owner": amina.id, "body": "Premier, écrit dans le bus"},
        {"kind": "assessment", "id": _id(), "owner": amina.id, "skill": skill, "level": 2, "comment": ""},
        {"kind": "message", "id": _id(), "owner": amina.id, "body": "Deuxième"},
    ]
    before = _count(SelfAssessment, trainee_id=amina.id)
    first = drafts.deliver(amina, outbox)
    assert [(o.id, o.outcome) for o in first] == [(d["id"], drafts.SENT) for d in outbox]
    # The connection came back twice: the same drafts again change nothing.
    again = drafts.deliver(amina, outbox)
    assert [o.outcome for o in again] == [drafts.SENT] * 3
    assert _count(SelfAssessment, trainee_id=amina.id) == before + 1
    bodies = [m.body for m in messages.list_messages(amina, amina.id)]
    assert bodies[-2:] == ["Premier, écrit dans le bus", "Deuxième"]
    assert sum(b == "Premier, écrit dans le bus" for b in bodies) == 1


def test_a_draft_of_someone_else_is_refused(demo_db):
    """A shared phone: Kevin signs in after Amina; her drafts are not sent as his."""
    kevin = actor("kevin")
    outcome, = drafts.deliver(kevin, [{"kind": "message", "id": _id(), "owner": user_id("amina"), "body": "x"}])
    assert (outcome.outcome, outcome.reason) == (drafts.REFUSED, "not_allowed")
    assert _count(Message, sender_id=kevin.id) == 0


def test_refused_drafts_do_not_stop_the_others(demo_db):
    amina = actor("amina")
    other_pathway_skill = skill_ids("eft-commis-cuisine")[0]
    outbox = [
        {"kind": "message", "id": _id(), "owner": amina.id, "body": "   "},
        {"kind": "assessment", "id": _id(), "owner": amina.id, "skill": other_pathway_skill, "level": 2},
        {"kind": "assessment", "id": _id(), "owner": amina.id, "skill": "not a number", "level": 2},
        {"kind": "photo", "id": _id(), "owner": amina.id},
        {"kind": "message", "id": "bad id!", "owner": amina.id, "body": "x"},
        {"kind": "message", "id": _id(), "owner": amina.id, "body": "Celui-ci passe"},
    ]
    outcomes = drafts.deliver(amina, outbox)
    assert [o.outcome for o in outcomes] == [drafts.REFUSED] * 5 + [drafts.SENT]
    assert [o.reason for o in outcomes[:5]] == [
        "message_empty", "not_allowed", "draft_invalid", "draft_invalid", "client_id_invalid"]
    assert messages.list_messages(amina, amina.id)[-1].body == "Celui-ci passe"


def test_a_coach_draft_names_the_trainee(demo_db):
    julie = actor("julie")
    amina_id = user_id("amina")
    sent, refused = drafts.deliver(julie, [
        {"kind": "message", "id": _id(), "owner": julie.id, "trainee": amina_id, "body": "Bien reçu"},
        {"kind": "message", "id": _id(), "owner": julie.id, "trainee": user_id("youssef"), "body": "x"},
    ])
    assert sent.outcome == drafts.SENT
    assert (refused.outcome, refused.reason) == (drafts.REFUSED, "not_allowed")
    # A coach cannot self-assess.
    outcome, = drafts.deliver(julie, [{"kind": "assessment", "id": _id(), "owner": julie.id,
                                       "skill": skill_ids("defi-fle-alpha")[3], "level": 2}])
    assert outcome.outcome == drafts.REFUSED


def test_one_delivery_has_a_bound(demo_db):
    amina = actor("amina")
    skill = skill_ids("defi-fle-alpha")[3]
    outbox = [{"kind": "assessment", "id": _id(), "owner": amina.id, "skill": skill, "level": 1 + i % 4}
              for i in range(drafts.BATCH_MAX + 5)]
    assert len(drafts.deliver(amina, outbox)) == drafts.BATCH_MAX


def test_past_the_message_limit_the_rest_waits_on_the_phone(demo_db):
    amina = actor("amina")
    outbox = [{"kind": "message", "id": _id(), "owner": amina.id, "body": f"n{i}"} for i in range(25)]
    outcomes = drafts.deliver(amina, outbox)
    assert [o.outcome for o in outcomes] == [drafts.SENT] * 20  # the 5 others: not refused, not sent
    assert _count(Message, sender_id=amina.id) == 20 + 1  # and the demo's one


def test_delivery_stops_at_a_voice_message_so_what_follows_keeps_its_place(demo_db):
    """A recording made offline waits in the same outbox; the phone sends it over HTTP, so the
    drafts behind it wait for it (in order: text, voice, text)."""
    amina = actor("amina")
    before, voice_draft, after = (
        {"kind": "message", "id": _id(), "owner": amina.id, "body": "Avant le vocal"},
        {"kind": "voice", "id": _id(), "owner": amina.id, "trainee": amina.id, "ms": 2000},
        {"kind": "message", "id": _id(), "owner": amina.id, "body": "Après le vocal"},
    )
    outcomes = drafts.deliver(amina, [before, voice_draft, after])
    assert [(o.id, o.outcome) for o in outcomes] == [(before["id"], drafts.SENT)]
    assert [m.body for m in messages.list_messages(amina, amina.id)][-1] == "Avant le vocal"
    assert _count(Message, sender_id=amina.id, client_id=after["id"]) == 0


def test_an_over_long_message_from_the_outbox_is_refused_whole_never_cut(demo_db):
    amina = actor("amina")
    long_body = "é" * (messages.BODY_MAX + 140)
    draft = {"kind": "message", "id": _id(), "owner": amina.id, "body": long_body}
    before = _count(Message, sender_id=amina.id)
    [outcome] = drafts.deliver(amina, [draft])
    assert (outcome.outcome, outcome.reason) == (drafts.REFUSED, "message_too_long")
    # Nothing went out, not even its first 2,000 characters.
    assert _count(Message, sender_id=amina.id) == before
    assert not any(m.body and long_body.startswith(m.body) for m in messages.list_messages(amina, amina.id))
