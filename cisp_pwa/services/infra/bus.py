"""The bus that carries events to the open screens of each user.

In one process (the default, `make run`): an in-memory hub. With `REDIS_URL` (several workers):
every event goes through Redis pub/sub, one channel per user, and each process relays what it
hears to the screens it holds. Each process subscribes once per user with a screen open there,
however many screens that user has, so Redis carries work in proportion to people online.

Publishing is called from any thread, after a transaction committed; screens wait on an
asyncio queue in the server's event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterable

from cisp_pwa import settings

logger = logging.getLogger(__name__)

# Pub/sub ignores Redis's database numbers: the number is in the channel's name, so two apps
# on one Redis (production and a test run, two centres' servers) never hear each other.
CHANNEL = "cisp:{db}:user:{user_id}"
# What screens receive when the bus may have lost events (state/live.py fetches everything).
RESYNC = {"kind": "resync", "actor": 0, "trainee": 0, "id": 0}
QUEUE_MAX = 256  # a screen that falls this far behind resyncs instead (see Subscription.overflowed)


class Subscription:
    """One open screen's inbox of events for one user."""

    def __init__(self, hub: "Hub", user_id: int, loop: asyncio.AbstractEventLoop) -> None:
        self.hub, self.user_id, self.loop = hub, user_id, loop
        self.queue: asyncio.Queue[dict] = asyncio.Queue(QUEUE_MAX)
        self.overflowed = False

    def _put(self, event: dict) -> None:  # in the loop's thread
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True  # the screen reloads whole on its next wake

    async def next_batch(self, timeout: float) -> list[dict] | None:
        """Wait for events; return every one already queued (a burst is applied once), or None
        when nothing came within `timeout` seconds."""
        try:
            first = await asyncio.wait_for(self.queue.get(), timeout)
        except asyncio.TimeoutError:
            return None
        batch = [first]
        while not self.queue.empty():
            batch.append(self.queue.get_nowait())
        return batch

    def close(self) -> None:
        self.hub.unsubscribe(self)


class Hub:
    """The screens this process holds, by user; deliveries from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[int, set[Subscription]] = {}
        self.relay: RedisRelay | None = None

    async def subscribe(self, user_id: int) -> Subscription:
        """Start receiving the user's events. Subscribe before loading what the screen shows:
        a change committed in between then arrives as an event, never falls in a gap."""
        sub = Subscription(self, user_id, asyncio.get_running_loop())
        with self._lock:
            first = user_id not in self._subs
            self._subs.setdefault(user_id, set()).add(sub)
        if first and self.relay is not None:
            await self.relay.listen(user_id)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.user_id)
            if subs is None or sub not in subs:
                return
            subs.discard(sub)
            last = not subs
            if last:
                del self._subs[sub.user_id]
        if last and self.relay is not None:
            self.relay.forget(sub.user_id)

    def deliver(self, user_id: int, event: dict) -> None:
        with self._lock:
            subs = list(self._subs.get(user_id, ()))
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub._put, event)
            except RuntimeError:  # that loop is closed: the screen is gone
                self.unsubscribe(sub)

    def deliver_everyone(self, event: dict) -> None:
        """To every screen this process holds (after the bus lost events: they resync)."""
        with self._lock:
            users = list(self._subs)
        for user_id in users:
            self.deliver(user_id, event)

    def subscribers(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subs.values())

    def publish(self, user_ids: Iterable[int], event: dict) -> None:
        """Send one event to each user's open screens, in every process."""
        ids = sorted(set(user_ids))
        if self.relay is not None:
            self.relay.publish(ids, event)
        else:
            for user_id in ids:
                self.deliver(user_id, event)


class RedisRelay:
    """Redis pub/sub between processes: publish with the blocking client (any thread), listen
    with the asyncio client in the server's loop (one reader task per process)."""

    def __init__(self, hub: Hub, url: str) -> None:
        import redis

        self.hub, self.url = hub, url
        self._sync = redis.Redis.from_url(url)
        self._db = self._sync.connection_pool.connection_kwargs.get("db", 0)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._wanted: set[int] = set()
        self._listening: asyncio.Event | None = None  # set while subscribed to a channel
        # One (un)subscribe at a time: redis-py's pubsub opens its connection on the first
        # subscribe, and two first subscribes at once (many screens opening together) open two,
        # while the reader hears only one: most events were lost.
        self._changing: asyncio.Lock | None = None

    def channel(self, user_id: int) -> str:
        return CHANNEL.format(db=self._db, user_id=user_id)

    def publish(self, user_ids: list[int], event: dict) -> None:
        data = json.dumps(event, separators=(",", ":"))
        try:
            with self._sync.pipeline(transaction=False) as pipe:
                for user_id in user_ids:
                    pipe.publish(self.channel(user_id), data)
                pipe.execute()
        except Exception as exc:  # noqa: BLE001 - the data is saved; screens resync later
            logger.error("event not published: %s", type(exc).__name__)

    async def listen(self, user_id: int) -> None:
        """In the loop's thread, when this process gets the user's first screen."""
        self._wanted.add(user_id)
        self._ensure_reader()
        await self._change("subscribe", user_id)

    def forget(self, user_id: int) -> None:
        self._wanted.discard(user_id)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(lambda: self._loop.create_task(self._change("unsubscribe", user_id)))

    def _ensure_reader(self) -> None:
        if self._reader is not None and not self._reader.done():
            return
        import redis.asyncio as aioredis

        self._loop = asyncio.get_running_loop()
        self._pubsub = aioredis.Redis.from_url(self.url).pubsub(ignore_subscribe_messages=True)
        self._listening = asyncio.Event()
        self._changing = asyncio.Lock()
        self._reader = self._loop.create_task(self._read())

    async def _change(self, how: str, user_id: int) -> None:
        try:
            async with self._changing:
                if how == "subscribe" and user_id in self._wanted:
                    await self._pubsub.subscribe(self.channel(user_id))
                    self._listening.set()
                elif how == "unsubscribe" and user_id not in self._wanted:
                    await self._pubsub.unsubscribe(self.channel(user_id))
        except Exception as exc:  # noqa: BLE001 - the screen's slow resync covers it
            logger.error("redis %s failed: %s", how, type(exc).__name__)

    async def _read(self) -> None:
        while True:
            try:
                if not self._pubsub.subscribed:  # nothing to read until a screen subscribes
                    self._listening.clear()
                    await self._listening.wait()
                    continue
                message = await self._pubsub.get_message(timeout=None)
                if message is None or message.get("type") != "message":
                    continue
                user_id = int(message["channel"].rsplit(b":", 1)[-1])
                self.hub.deliver(user_id, json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect and go on; screens resync
                logger.error("redis listener: %s", type(exc).__name__)
                await asyncio.sleep(1)
                try:  # subscribe again to what this process still needs
                    async with self._changing:
                        for user_id in list(self._wanted):
                            await self._pubsub.subscribe(self.channel(user_id))
                except Exception:  # noqa: BLE001 - still away: the next turn tries again
                    continue
                # Events published meanwhile are lost: every screen here fetches again.
                self.hub.deliver_everyone(RESYNC)


_hub: Hub | None = None
_hub_lock = threading.Lock()


def hub() -> Hub:
    """This process's hub, with a Redis relay when REDIS_URL is set."""
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub()
            url = settings.redis_url()
            if url:
                _hub.relay = RedisRelay(_hub, url)
        return _hub


def reset() -> None:
    """Forget the hub (tests switch between in-process and Redis)."""
    global _hub
    with _hub_lock:
        _hub = None
