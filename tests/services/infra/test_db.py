"""Units of work: writers take the lock up front (no "database is locked" under load), readers
never write, and a database error never carries a value into the log."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from cisp_pwa.models import User
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.follow_up import goals
from cisp_pwa.services.infra import db, events
from cisp_pwa.services.people import auth

from ..helpers import actor, user_id


def test_many_writers_at_once_all_succeed(demo_db):
    """Read-then-write actions from many threads at once (messages, read marks, goals, session
    checks): on SQLite each waits its turn; nobody gets "database is locked"."""
    julie, amina = actor("julie"), actor("amina")
    token = auth.sign_in("amina", "parcours-amina").token
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(4):  # 16 messages each: under the flood limit
                who = julie if (n + i) % 2 else amina
                messages.send_message(who, amina.id, str(uuid.uuid4()), f"{n}-{i}")
                messages.mark_read(julie if who is amina else amina, amina.id)
                goals.propose_goal(amina, amina.id, title=f"But {n}-{i}", theme="work")
                assert auth.actor_for_token(token) is not None
        except BaseException as exc:  # noqa: BLE001 - collected and reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(messages.list_messages(amina, amina.id, limit=1000)) == 2 + 8 * 4


def test_a_database_error_never_shows_its_values(demo_db):
    secret = "Ma dette au CPAS est de 4 000 euros"
    with pytest.raises(IntegrityError) as error:
        with db.unit_of_work() as s:
            s.add(User(centre_id=actor("amina").centre_id, role="trainee", login="amina", display_name=secret))
            events.nobody(s)
    # (PostgreSQL's own DETAIL names the duplicate key; what the app logs of an error is its type.)
    assert secret not in str(error.value) and "hidden" in str(error.value)


def test_reading_never_writes(demo_db):
    with pytest.raises(RuntimeError):
        with db.reading() as s:
            s.get(User, user_id("amina")).display_name = "Changed"
    assert actor("amina").display_name == "Amina Benali"
