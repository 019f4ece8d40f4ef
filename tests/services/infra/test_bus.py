"""The bus: an event published for a user reaches each of that user's open screens, once,
in one process and through Redis (services/infra/bus.py)."""

from __future__ import annotations

import asyncio
import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from cisp_pwa import settings
from cisp_pwa.services.infra import bus
from tests.conftest import unavailable

REDIS_URL = os.environ.get("CISP_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
BASE = 7_000_000  # user ids no other test publishes to


async def _many_screens_open_at_once(screens: int, events: int) -> tuple[list, dict]:
    hub = bus.hub()
    # Opened together, as when a group of trainees opens the app at once.
    subs = await asyncio.gather(*[hub.subscribe(BASE + i) for i in range(screens)])
    received: dict[int, list[int]] = {}

    async def read(sub):
        while (batch := await sub.next_batch(2)) is not None:
            received.setdefault(sub.user_id, []).extend(e["id"] for e in batch)

    readers = [asyncio.create_task(read(sub)) for sub in subs]
    sent = []
    for n in range(events):
        user_id = BASE + random.randrange(screens)
        await asyncio.to_thread(hub.publish, [user_id], {"kind": "message", "actor": 0, "trainee": user_id, "id": n})
        sent.append((user_id, n))
    await asyncio.gather(*readers)
    for sub in subs:
        sub.close()
    return sent, received


@pytest.mark.parametrize("redis", [False, True], ids=["in-process", "redis"])
def test_every_event_reaches_its_screen_once_when_many_screens_open_at_once(monkeypatch, redis):
    if redis:
        import redis as redis_py

        try:
            redis_py.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        except redis_py.RedisError as exc:
            unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    monkeypatch.setattr(settings, "redis_url", lambda: REDIS_URL if redis else None)
    bus.reset()
    try:
        # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
        with ThreadPoolExecutor(1) as pool:
            sent, received = pool.submit(asyncio.run, _many_screens_open_at_once(200, 100)).result()
    finally:
        bus.reset()
    assert [(u, n) for u, n in sent if received.get(u, []).count(n) != 1] == []
    assert sum(len(ids) for ids in received.values()) == len(sent)


async def _heard_from_another_database(user_id: int) -> list[dict]:
    """A screen of this app (its REDIS_URL's database) while an app on another database of the
    same Redis publishes for the same user id."""
    hub = bus.hub()
    sub = await hub.subscribe(user_id)
    other = bus.RedisRelay(bus.Hub(), REDIS_URL.rsplit("/", 1)[0] + "/8")
    await asyncio.to_thread(other.publish, [user_id], {"kind": "message", "actor": 0, "trainee": user_id, "id": 1})
    await asyncio.to_thread(hub.publish, [user_id], {"kind": "message", "actor": 0, "trainee": user_id, "id": 2})
    heard = []
    while (batch := await sub.next_batch(1)) is not None:
        heard.extend(batch)
    sub.close()
    return heard


def test_two_apps_on_one_redis_never_hear_each_other(monkeypatch):
    import redis as redis_py

    try:
        redis_py.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis_py.RedisError as exc:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    monkeypatch.setattr(settings, "redis_url", lambda: REDIS_URL)
    bus.reset()
    try:
        with ThreadPoolExecutor(1) as pool:
            heard = pool.submit(asyncio.run, _heard_from_another_database(BASE + 999)).result()
    finally:
        bus.reset()
    assert [e["id"] for e in heard] == [2]
