"""Live screens: while a screen is open, one cheap read a second; when it changes, the screen's
own state reloads. A reply from the coach shows within about a second, without reload."""

from __future__ import annotations

import asyncio
import logging
import time


from cisp_pwa.models import Role
from cisp_pwa.services import auth, live
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied

from .session import SessionState

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# A loop stops by itself after this long; any new screen starts a fresh one.
MAX_SECONDS = 30 * 60
# A dropped connection may come back with the same client token: wait that long for it.
RECONNECT_GRACE_SECONDS = 30

# client token -> number of its newest loop, in this process: an older loop sees it and stops.
_newest: dict[str, int] = {}


async def _connected(client_token: str) -> bool:
    try:
        from reflex_base.registry import RegistrationContext

        manager = RegistrationContext.get().app.event_namespace._token_manager
        return await manager.is_token_connected(client_token)
    except Exception:  # no way to tell: keep going, the other limits still apply
        return True


class LiveState(SessionState):
    """Base of the screens that update by themselves. Subclasses say what to reload, and each
    declares its own background `watch` calling `_watch()`: Reflex runs a background handler on
    the state class that defines it, so a shared one would never reach the subclass."""

    unread: int = 0  # messages not read yet, for the Messages tab

    def _load(self, actor: Actor) -> None:
        """Load what this screen shows (each screen defines it)."""

    async def _on_change(self, actor: Actor, trainee_id: int) -> None:
        """What changed reloads the screen. Runs inside `async with self`."""
        self._load(actor)

    async def _watch(self):
        """Async generator: the events the loop sends to the browser (the end of a session)."""
        try:
            if await self._watch_loop() == "session_ended":
                yield SessionState.session_over
        except Exception:  # a broken loop must say so; it reads no message content
            logger.exception("live updates stopped for one screen")

    async def _watch_loop(self) -> str:
        client = self.router.session.client_token
        generation = _newest[client] = _newest.get(client, 0) + 1
        started = last_seen_connected = time.monotonic()
        previous = None
        # Read outside `async with self` (no lock): a stale value is fine, a new screen restarts.
        token = self.token
        while _newest.get(client) == generation and time.monotonic() - started < MAX_SECONDS:
            # Every round checks the session again: sign-out or deactivation stops the loop.
            actor = await asyncio.to_thread(auth.actor_for_token, token)
            if actor is None:  # signed out elsewhere, expired or deactivated: the screen closes
                return "session_ended" if _newest.get(client) == generation else "replaced"
            trainee_id = actor.id if actor.role == Role.trainee else self._watched_trainee()
            try:
                current = await asyncio.to_thread(self._read_marker, actor, trainee_id)
            except AccessDenied:
                break
            if current != previous:
                async with self:
                    if _newest.get(client) != generation:
                        break
                    if actor.role == Role.trainee:
                        self.unread = current.unread
                    if previous is not None:
                        await self._on_change(actor, trainee_id)
                previous = current
            if await _connected(client):
                last_seen_connected = time.monotonic()
            elif time.monotonic() - last_seen_connected > RECONNECT_GRACE_SECONDS:
                break
            await asyncio.sleep(POLL_SECONDS)
        if _newest.get(client) == generation:
            _newest.pop(client, None)
        return "stopped"

    def _watched_trainee(self) -> int:
        """For staff screens: the trainee whose file is open (0: none)."""
        return 0

    def _read_marker(self, actor: Actor, trainee_id: int):
        """What this screen compares each second (runs in a thread)."""
        return live.marker(actor, trainee_id) if trainee_id else None
