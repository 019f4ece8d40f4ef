"""The socket's entrance: a raw event is checked here before Reflex's event namespace reads it.

Our handlers' arguments are checked by the guard (state/guard.py). The rest of an event is not:
its router data (the page's path and query) and the payload of Reflex's own handlers (hydrate,
`update_vars_internal`: LocalStorage vars such as the session token). Reflex sends these back
to the tab as JSON text with characters as they are (`format.json_dumps`, ensure_ascii=False),
so a lone UTF-16 surrogate there (JSON can carry "\\ud800") makes a reply that is not UTF-8:
the ASGI server refuses the websocket frame and engine.io's writer closes the socket without
a word, and the tab stalls. Such an event is dropped here, with one log line; in our handlers'
payload the guard refuses it and the screen says why ("text_unreadable").

An event that is not an object is dropped too: Reflex would raise with its text in the log.
"""

from __future__ import annotations

import logging
from typing import Any

from cisp_pwa.state.session import SessionState

logger = logging.getLogger("cisp_pwa.socket")

# Events of our states: every handler is guarded, so their payload is the guard's.
_GUARDED = SessionState.get_full_name() + "."


def _sendable(value: Any) -> bool:
    """No text in `value` (keys included, any depth) that UTF-8 cannot carry."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return False
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def refusal(data: Any) -> str | None:
    """Why this raw socket event is dropped (never its content), or None to let it in."""
    if not isinstance(data, dict):
        return "not an object"
    name = data.get("name")
    guarded = isinstance(name, str) and name.startswith(_GUARDED)
    if not _sendable({k: v for k, v in data.items() if not (guarded and k == "payload")}):
        return "lone surrogate outside a guarded handler's arguments"
    return None


def install(app: Any) -> None:
    """Check every event at the app's event namespace (the boot event of a connect included)."""
    namespace = app.event_namespace
    if namespace is None or getattr(namespace.on_event, "cisp_checked", False):
        return
    on_event = namespace.on_event

    async def checked(sid: str, data: Any) -> None:
        if (why := refusal(data)) is not None:
            logger.warning("refused a socket event at the entrance (%s)", why)
            return
        await on_event(sid, data)

    checked.cisp_checked = True
    namespace.on_event = checked
