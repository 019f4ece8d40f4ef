"""Messages: idempotent send, order, read markers, limits, and the access matrix."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import Message
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.errors import AccessDenied, InvalidInput, Throttled
from cisp_pwa.services.infra import db

from ..helpers import actor, user_id


def cid() -> str:
    return str(uuid.uuid4())


def _count() -> int:
    from cisp_pwa.services.infra import db
    with db.reading() as s:
        return s.scalar(select(func.count(Message.id)))


def test_the_same_client_id_lands_once(demo_db):
    amina = actor("amina")
    client_id = cid()
    first = messages.send_message(amina, amina.id, client_id, "Bonjour Julie")
    again = messages.send_message(amina, amina.id, client_id, "Bonjour Julie")
    assert first.id == again.id
    assert [m.body for m in messages.list_messages(amina, amina.id)].count("Bonjour Julie") == 1


def test_order_and_who_wrote_what(demo_db):
    amina, julie = actor("amina"), actor("julie")
    messages.send_message(amina, amina.id, cid(), "Un")
    messages.send_message(julie, amina.id, cid(), "Deux")
    messages.send_message(amina, amina.id, cid(), "Trois")
    seen = messages.list_messages(amina, amina.id)
    assert [m.body for m in seen][-3:] == ["Un", "Deux", "Trois"]
    assert [m.mine for m in seen][-3:] == [True, False, True]
    assert [m.id for m in seen] == sorted(m.id for m in seen)
    assert [m.mine for m in messages.list_messages(julie, amina.id)][-3:] == [False, True, False]


def test_reading_marks_and_unread_counts(demo_db):
    amina, julie = actor("amina"), actor("julie")
    messages.mark_read(julie, amina.id)
    sent = messages.send_message(julie, amina.id, cid(), "Tu viens jeudi ?")
    assert messages.unread_count(amina, amina.id) >= 1
    assert not next(m for m in messages.list_messages(julie, amina.id) if m.id == sent.id).read
    messages.mark_read(amina, amina.id)
    assert messages.unread_count(amina, amina.id) == 0
    assert next(m for m in messages.list_messages(julie, amina.id) if m.id == sent.id).read  # "lu"
    reply = messages.send_message(amina, amina.id, cid(), "Oui !")
    assert messages.unread_count(julie, amina.id) == 1
    assert messages.unread_count(amina, amina.id) == 0  # one's own message is not unread
    assert not next(m for m in messages.list_messages(amina, amina.id) if m.id == reply.id).read


@pytest.mark.parametrize("body,code", [("", "message_empty"), ("  \n ", "message_empty"),
                                       ("x" * (messages.BODY_MAX + 1), "message_too_long")])
def test_empty_and_long_messages_are_refused(demo_db, body, code):
    before = _count()
    with pytest.raises(InvalidInput) as err:
        messages.send_message(actor("amina"), user_id("amina"), cid(), body)
    assert err.value.code == code and _count() == before


@pytest.mark.parametrize("client_id", ["", "short", "has space in it", "x" * 65, "<script>1234"])
def test_bad_client_ids_are_refused(demo_db, client_id):
    with pytest.raises(InvalidInput):
        messages.send_message(actor("amina"), user_id("amina"), client_id, "Bonjour")


def test_text_is_kept_as_written(demo_db):
    body = "مرحبا Julie 👋 <b>pas du HTML</b> & 2 × 3"
    amina = actor("amina")
    messages.send_message(amina, amina.id, cid(), body)
    assert messages.list_messages(amina, amina.id)[-1].body == body


def test_a_client_id_reused_for_another_conversation_is_refused(demo_db):
    julie = actor("julie")
    client_id = cid()
    messages.send_message(julie, user_id("amina"), client_id, "Pour Amina")
    with pytest.raises(InvalidInput):
        messages.send_message(julie, user_id("kevin"), client_id, "Pour Kevin")


@pytest.mark.parametrize("who,whose", [("kevin", "amina"), ("youssef", "amina"), ("marc", "amina"),
                                       ("sophie", "amina"), ("luc", "amina"), ("julie", "fatou")])
def test_nobody_else_reads_or_writes_a_conversation(demo_db, who, whose):
    other = actor(who)
    for call in (messages.list_messages, messages.mark_read, messages.unread_count):
        with pytest.raises(AccessDenied):
            call(other, user_id(whose))
    with pytest.raises(AccessDenied):
        messages.send_message(other, user_id(whose), cid(), "Intrus")


def test_the_coach_inbox_is_unread_first_then_recent(demo_db):
    julie = actor("julie")
    kevin = actor("kevin")
    messages.mark_read(julie, user_id("amina"))
    messages.send_message(kevin, kevin.id, cid(), "Bonjour, je suis malade aujourd'hui et je ne viendrai pas au chantier")
    inbox = messages.coach_inbox(julie)
    assert [i.trainee_name for i in inbox] == ["Kevin Maes", "Amina Benali"]
    assert inbox[0].unread == 1 and inbox[0].preview.endswith("…") and len(inbox[0].preview) <= 61
    messages.mark_read(julie, kevin.id)
    messages.send_message(actor("amina"), user_id("amina"), cid(), "Plus récent")
    messages.mark_read(julie, user_id("amina"))
    assert [i.trainee_name for i in messages.coach_inbox(julie)] == ["Amina Benali", "Kevin Maes"]
    with pytest.raises(AccessDenied):
        messages.coach_inbox(actor("marc"))


def test_a_flood_of_messages_is_stopped_and_nothing_beyond_the_limit_is_kept(demo_db):
    kevin = actor("kevin")
    sent = [messages.send_message(kevin, kevin.id, cid(), f"Message {i}") for i in range(20)]
    with pytest.raises(Throttled) as refused:
        messages.send_message(kevin, kevin.id, cid(), "Un de trop")
    assert refused.value.code == "too_many_messages" and 0 < refused.value.details["retry_after"] <= 60
    with db.reading() as s:
        assert s.scalar(select(func.count(Message.id)).where(Message.sender_id == kevin.id)) == 20
    # A retry of a message already kept (the network dropped the answer) still gets its answer.
    assert messages.send_message(kevin, kevin.id, sent[-1].client_id, "Message 19").id == sent[-1].id
    # Someone else is not slowed by Kevin's flood.
    assert messages.send_message(actor("julie"), kevin.id, cid(), "Tout va bien ?").id
