"""Several app processes behind one address (PostgreSQL + Redis): a message sent through one
process reaches a screen held by another, once, through Redis pub/sub (services/bus.py).

Two backend processes of the real app (`reflex run --env prod --backend-only`) share one
PostgreSQL database and one Redis; phones speak Reflex's socket protocol to them
(scripts/reflex_client.py), as the page does."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cisp_pwa import settings
from cisp_pwa.services import auth, db
from scripts.reflex_client import BuildInfo, Phone, full_name
from tests.conftest import _postgres_database, unavailable

REDIS_URL = os.environ.get("CISP_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
PORTS = (int(os.environ.get("CISP_TEST_WORKER_PORT", "3151")), int(os.environ.get("CISP_TEST_WORKER_PORT", "3151")) + 1)
SESSION = full_name(("cisp_pwa.state.session", "SessionState"))
CONVERSATION = full_name(("cisp_pwa.state.session", "SessionState"), ("cisp_pwa.state.live", "LiveState"),
                         ("cisp_pwa.state.conversation", "ConversationState"))
# The page sends the session token kept in localStorage under this state key.
BUILD = BuildInfo(local_storage={"cisp_session": [SESSION + ".token_rx_state_"]})


def _ping(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as response:
            return response.status == 200
    except Exception:
        return False


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """Two app processes on one PostgreSQL database and one Redis."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.RedisError as exc:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    url, drop = _postgres_database()
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "GRANIAN_WORKERS": "1",
           "CISP_BACKEND_ONLY": "1"}
    env["PATH"] = os.pathsep.join([str(settings.PROJECT_DIR / ".tools" / "node_modules" / ".bin"),
                                   str(Path(sys.executable).parent), env.get("PATH", "")])
    subprocess.run([sys.executable, "-m", "cisp_pwa.cli", "setup"], env=env, check=True,
                   cwd=settings.PROJECT_DIR, capture_output=True)
    servers, logs = [], []
    for port in PORTS:
        work = tmp_path_factory.mktemp(f"worker-{port}")
        logs.append(work / "app.log")
        with logs[-1].open("wb") as log:
            # Their own build and state folders: the browser tests' server keeps its own.
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only", "--backend-port", str(port)],
                cwd=settings.PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**env, "CISP_PORT": str(port), "REFLEX_WEB_WORKDIR": str(work / "web"),
                     "REFLEX_STATES_WORKDIR": str(work / "states")},
            ))
    try:
        deadline = time.monotonic() + 300
        while not all(_ping(p) for p in PORTS):
            if any(s.poll() is not None for s in servers) or time.monotonic() > deadline:
                pytest.fail("the app processes did not start:\n" +
                            "\n".join(log.read_text(errors="replace")[-3000:] for log in logs))
            time.sleep(1)
        db.configure(url.replace("postgresql://", "postgresql+psycopg://"))
        yield [f"http://127.0.0.1:{p}" for p in PORTS]
    finally:
        for server in servers:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(server.pid, signal.SIGKILL)
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
    finally:
        await trainee.close()
        await coach.close()


@pytest.mark.browser
def test_a_message_sent_through_one_process_reaches_a_screen_on_the_other(workers):
    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _exchange(*workers)).result()
