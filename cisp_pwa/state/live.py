"""Live screens: an open screen waits for the events of its user (services/infra/events.py), then
fetches only what changed and sends that. Nothing polls: an idle screen costs nothing but a
slow safety resync. Each event also checks the session again (a read), so signing out
elsewhere or a deactivated account closes the screen at once."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Callable, ClassVar

import reflex as rx

from cisp_pwa import reflex_internals
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.infra import bus, events
from cisp_pwa.services.people import auth

from .session import SessionState

logger = logging.getLogger(__name__)

# The safety net: even with no event, a screen fetches again this often (with jitter, so that
# screens opened together do not resync together). Events do the real work; the bus also asks
# every screen to resync at once after it lost and regained Redis.
RESYNC_SECONDS = 300
# A dropped connection may come back with the same client token: keep the screen that long.
RECONNECT_GRACE_SECONDS = 30
RETRY_SECONDS = 2  # after a failed update (the database was busy or away)
RESYNC = bus.RESYNC  # what a screen applies at start and on each resync, as if it were an event

# client token -> number of its newest loop, in this process: an older loop sees it and stops.
_newest: dict[str, int] = {}


_connection_unknown_said = False  # the log says it once per process


async def _connected(client_token: str) -> bool:
    """Whether the screen's tab still has a socket open (the app refuses to start on a Reflex
    without the means to tell: reflex_internals.py)."""
    global _connection_unknown_said
    try:
        return await reflex_internals.is_token_connected(client_token)
    except Exception as exc:  # noqa: BLE001 - no way to tell: keep going, the other limits still apply
        if not _connection_unknown_said:
            _connection_unknown_said = True
            logger.warning("cannot tell whether live screens are still connected (%s): they keep going",
                           type(exc).__name__)
        return True


def _watch_handler(cls: type) -> Callable:
    """The background event a live screen's load returns: its live updates (LiveState._watch)."""

    async def watch(self):
        async for event in self._watch():
            yield event

    watch.__qualname__ = f"{cls.__qualname__}.watch"
    return rx.event(background=True)(watch)


class LiveState(SessionState):
    """Base of the screens that update by themselves. A screen names the event kinds it shows
    (`LISTENS`) and says what to fetch for them (`_apply`, default: load the screen again).
    Its load (`session.screen`) starts its `watch`, which each screen class is given here."""

    LISTENS: ClassVar[frozenset[str]] = frozenset()
    unread: int = 0  # messages not read yet, for the trainee's Messages tab

    def __init_subclass__(cls, **kwargs):
        # Reflex runs a background handler on the state class it was defined on (the handler
        # records its class when the class is made): one inherited from a base would run on
        # the base's state, never reach this screen's vars. So each class gets its own, before
        # the guard and Reflex turn it into an event handler (SessionState.__init_subclass__).
        if "watch" not in vars(cls):
            cls.watch = _watch_handler(cls)
        super().__init_subclass__(**kwargs)

    def _load(self, actor: Actor) -> None:
        """Load what this screen shows (each screen defines it)."""

    def _wakes_at(self) -> float:
        """When (epoch seconds) the screen must look again though nothing happened: the help
        screen's services open or close. 0: only events and the safety resync."""
        return 0.0

    def _watched_trainee(self) -> int:
        """For staff screens about one trainee: whose file is open (0: every trainee's)."""
        return 0

    def _concerns(self, event: dict) -> bool:
        if event["kind"] == RESYNC["kind"]:
            return True
        watched = self._watched_trainee()
        # Events about no trainee in particular (a pathway's labels) concern every screen.
        return event["kind"] in self.LISTENS and (not watched or event["trainee"] in (0, watched))

    def _apply(self, actor: Actor, batch: list[dict]) -> None:
        """Bring the screen up to date after these events (runs in a thread, holding the
        state). By default the screen loads again."""
        self._load(actor)

    async def _watch(self):
        """Async generator: the events the loop sends to the browser (the end of a session)."""
        try:
            if await self._watch_loop() == "session_ended":
                yield SessionState.session_over
        except asyncio.CancelledError:  # the page went away: Reflex ends its work
            raise
        except Exception:  # a broken loop must say so; it reads no message content
            logger.exception("live updates stopped for one screen")

    async def _watch_loop(self) -> str:
        client = self.router.session.client_token
        generation = _newest[client] = _newest.get(client, 0) + 1
        # Set by the screen's load, before this runs.
        async with self:
            token, user_id = self._session_hash(), self.user_id
        if not user_id:
            return "stopped"
        subscription = await bus.hub().subscribe(user_id)
        try:
            batch = [RESYNC]  # what changed between the screen's load and the subscription
            disconnected_since = None
            clock = [0.0]  # the screen's _wakes_at, read when it last updated
            while _newest.get(client) == generation:
                if batch is not None or subscription.overflowed:
                    if subscription.overflowed:
                        subscription.overflowed, batch = False, [RESYNC]
                    outcome = await self._refresh(token, generation, client, batch, clock)
                    if outcome == "retry":  # the database failed us: try again shortly
                        await asyncio.sleep(RETRY_SECONDS * random.uniform(0.5, 1.5))
                        batch = [RESYNC]
                        continue
                    if outcome:
                        return outcome
                else:  # nothing for a long while: is anybody still there?
                    if await _connected(client):
                        disconnected_since = None
                    else:
                        loop_time = asyncio.get_running_loop().time()
                        disconnected_since = disconnected_since or loop_time
                        if loop_time - disconnected_since > RECONNECT_GRACE_SECONDS:
                            return "stopped"
                    batch = [RESYNC]
                    continue
                wait = RESYNC_SECONDS * random.uniform(0.8, 1.2)
                if clock[0]:  # a wake-up is a resync: one read when a service opens or closes
                    wait = min(wait, max(1.0, clock[0] - time.time() + 1))
                batch = await subscription.next_batch(wait)
        finally:
            subscription.close()
            if _newest.get(client) == generation:
                _newest.pop(client, None)
        return "replaced"

    async def _refresh(self, token: str, generation: int, client: str, batch: list[dict], clock: list[float]) -> str:
        """Check the session, then apply what concerns this screen. "" to go on waiting."""
        try:
            actor = await asyncio.to_thread(auth.actor_for_token_hash, token)
            if actor is None:  # signed out elsewhere, expired or deactivated: the screen closes
                async with self:
                    signed_out_here = self._session != token  # this phone's sign-out leads the way itself
                return "session_ended" if _newest.get(client) == generation and not signed_out_here else "replaced"
            mine = [e for e in batch if self._concerns(e)]
            if not mine and not self._counts_unread(actor, batch):
                return ""
            async with self:
                if _newest.get(client) != generation:
                    return "replaced"
                await asyncio.to_thread(self._apply_all, actor, mine, batch)
                clock[0] = self._wakes_at()
        except AccessDenied:  # no longer theirs (unassigned): the next load says so
            return "stopped"
        except Exception as exc:  # a database error: keep the screen and resync shortly
            logger.warning("a live screen could not update (%s); it resyncs", type(exc).__name__)
            return "retry"
        return ""

    def _counts_unread(self, actor: Actor, batch: list[dict]) -> bool:
        """Whether these events change the trainee's unread count (the Messages tab)."""
        return actor.role == Role.trainee and any(
            e["kind"] in (events.MESSAGE, events.READ, RESYNC["kind"]) for e in batch)

    def _apply_all(self, actor: Actor, mine: list[dict], batch: list[dict]) -> None:
        before = {name: getattr(self, name) for name in reflex_internals.field_names(self)}
        if mine:
            self._apply(actor, mine)
        if self._counts_unread(actor, batch):
            self.unread = messages.unread_count(actor, actor.id)
        # Send only what really changed: the screen that acted has shown its change already
        # (its handler loaded it), so the event of its own action sends nothing again.
        dirty = reflex_internals.dirty_vars(self)
        for name in list(dirty):
            if name in before and getattr(self, name) == before[name]:
                dirty.discard(name)
