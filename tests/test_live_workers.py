"""Several app processes behind one address (PostgreSQL + Redis): a message sent through one
process reaches a screen held by another, once, through Redis pub/sub (services/infra/bus.py).

Two backend processes of the real app (`reflex run --env prod --backend-only`) share one
PostgreSQL database and one Redis; phones speak Reflex's socket protocol to them
(scripts/reflex_client.py), as the page does."""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from cisp_pwa.services.infra import db
from cisp_pwa.services.people import auth
from scripts.reflex_client import Phone, full_name
from tests.app_process import BUILD, app_env, backends, setup_database
from tests.conftest import _postgres_database, unavailable

# Its own Redis database: test_bus (database 9) runs at the same time in `make test`.
REDIS_URL = os.environ.get("CISP_TEST_WORKERS_REDIS_URL", "redis://127.0.0.1:6379/8")
PORTS = (int(os.environ.get("CISP_TEST_WORKER_PORT", "3151")), int(os.environ.get("CISP_TEST_WORKER_PORT", "3151")) + 1)
CONVERSATION = full_name(("cisp_pwa.state.session", "SessionState"), ("cisp_pwa.state.live", "LiveState"),
                         ("cisp_pwa.state.conversation", "ConversationState"))


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """Two app processes on one PostgreSQL database and one Redis."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.RedisError as exc:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    url, drop = _postgres_database()
    env = app_env(DATABASE_URL=url, REDIS_URL=REDIS_URL)
    setup_database(env)
    try:
        with backends(env, PORTS, tmp_path_factory.mktemp("workers")) as urls:
            db.configure(url.replace("postgresql://", "postgresql+psycopg://"))
            yield urls
    finally:
        drop()


def _has(client_id: str):
    return lambda received: any(m.get("client_id") == client_id for rows in received.values("messages") for m in rows)


async def _exchange(first: str, second: str) -> None:
    amina = auth.sign_in("amina", "parcours-amina")
    julie = auth.sign_in("julie", "parcours-julie")
    trainee = Phone(second, amina.token, build_info=BUILD, label="amina")
    coach = Phone(first, julie.token, build_info=BUILD, label="julie")
    try:
        await trainee.open("/fr/messages/")
        await coach.open(f"/fr/conversation/?trainee={amina.actor.id}")

        # The coach writes through the first process: the trainee's screen on the second shows it.
        client_id = str(uuid.uuid4())
        await coach.send_event(CONVERSATION + ".send", {"client_id": client_id, "body": "Bonjour, à jeudi ?"})
        await trainee.wait_for(_has(client_id), timeout=10)
        # Her screen marked it read: the coach's screen, on the first process, shows "Lu".
        sent_id = next(m["id"] for m in coach.get("messages") if m["client_id"] == client_id)
        await coach.wait_for(lambda r: any(v >= sent_id for v in r.values("read_up_to")), timeout=10, after=0)
        # And back: the trainee answers through the second process.
        answer = str(uuid.uuid4())
        await trainee.send_event(CONVERSATION + ".send", {"client_id": answer, "body": "Oui, à jeudi."})
        await coach.wait_for(_has(answer), timeout=10)
        await asyncio.sleep(1)  # late duplicates would arrive by now

        for phone, sent in ((trainee, client_id), (coach, answer)):
            shown = [m["client_id"] for m in phone.get("messages")]
            assert shown.count(sent) == 1 and shown.count(client_id) == 1  # each once, on both screens
        assert trainee.errors == coach.errors == []
        # What Redis keeps of these screens holds no token that would sign anyone in.
        import redis

        stored = redis.Redis.from_url(REDIS_URL)
        # (Values as stored, not DUMP: DUMP compresses, so a missing string would prove nothing.)
        read = {b"string": lambda k: [stored.get(k) or b""], b"list": lambda k: stored.lrange(k, 0, -1)}
        dump = b"".join(b"".join(read[stored.type(key)](key)) for key in stored.scan_iter())
        assert b"cisp_pwa" in dump  # the screens' states are there (their schema names them)...
        for secret in (amina.token, julie.token, "Bonjour, à jeudi ?", "Oui, à jeudi.", client_id, "Amina"):
            assert secret.encode() not in dump, secret  # ...sealed: no token, no message, no name
    finally:
        await trainee.close()
        await coach.close()


@pytest.mark.browser
def test_a_message_sent_through_one_process_reaches_a_screen_on_the_other(workers):
    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _exchange(*workers)).result()
