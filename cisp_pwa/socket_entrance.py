"""The socket's entrance: a raw event is checked here before Reflex's event namespace reads it.

Our handlers' arguments are checked by the guard (state/guard.py). The rest of an event is not:
its router data (the page's path and query) and the payload of Reflex's own handlers (hydrate,
`update_vars_internal`: LocalStorage vars such as the session token). Reflex sends these back
to the tab as JSON text with characters as they are (`format.json_dumps`, ensure_ascii=False),
so a lone UTF-16 surrogate there (JSON can carry "\\ud800") makes a reply that is not UTF-8:
the ASGI server refuses the websocket frame and engine.io's writer closes the socket without
a word, and the tab stalls. Such an event is dropped here, with one log line; in our handlers'
payload the guard refuses it and the screen says why ("text_unreadable").

The envelope itself is checked as the page sends it (reflex_base's state.js `ReflexEvent` and
`withRouterData`): `name` a short string, `payload` absent or an object, `router_data` absent or
an object of `pathname` and `asPath` (short strings) and `query` (an object of short strings, or
lists of them); `event_actions` absent or an object, `handler` absent, null or a string; nothing
else. Reflex's `on_event` reads these without checking them (`router_data.update`, the query's
`.items()`, the router on the path): a number or a string there raised inside it, one traceback
and a lost task per event. An event that is not an object is dropped too: Reflex would raise
with its text in the log. A refusal is one log line naming the rule, never the content.
"""

from __future__ import annotations

import logging
from typing import Any

from cisp_pwa import reflex_internals
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


NAME_MAX = 300          # a state's full name and a handler's: far below this
PATH_MAX = 2_048        # pathname, asPath: the app's paths with a query and a hash
QUERY_ITEMS_MAX = 32
QUERY_TEXT_MAX = 2_048  # a query parameter's name or value
_FIELDS = frozenset({"name", "payload", "router_data", "event_actions", "handler"})
_ROUTER_FIELDS = frozenset({"pathname", "asPath", "query"})


def _short(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _envelope_refusal(data: dict) -> str | None:
    """Why the envelope is not one the page sends, or None."""
    if not _FIELDS.issuperset(data):
        return "unknown field"
    if not _short(data.get("name"), NAME_MAX) or not data["name"]:
        return "name not a short string"
    if not isinstance(data.get("payload", {}), dict):
        return "payload not an object"
    if not isinstance(data.get("event_actions", {}), dict):
        return "event_actions not an object"
    if not (data.get("handler") is None or _short(data["handler"], NAME_MAX)):
        return "handler not a short string"
    router = data.get("router_data", {})
    if not isinstance(router, dict):
        return "router_data not an object"
    if not _ROUTER_FIELDS.issuperset(router):
        return "unknown router_data field"
    for key in ("pathname", "asPath"):
        if key in router and not _short(router[key], PATH_MAX):
            return f"router_data {key} not a short string"
    query = router.get("query", {})
    if not isinstance(query, dict):
        return "router_data query not an object"
    if len(query) > QUERY_ITEMS_MAX:
        return "router_data query too long"
    for key, value in query.items():
        values = value if isinstance(value, list) else [value]
        if not _short(key, QUERY_TEXT_MAX) or len(values) > QUERY_ITEMS_MAX or not all(
                _short(v, QUERY_TEXT_MAX) for v in values):
            return "router_data query not short strings"
    return None


def refusal(data: Any) -> str | None:
    """Why this raw socket event is dropped (never its content), or None to let it in."""
    if not isinstance(data, dict):
        return "not an object"
    if (why := _envelope_refusal(data)) is not None:
        return why
    name = data.get("name")
    guarded = isinstance(name, str) and name.startswith(_GUARDED)
    if not _sendable({k: v for k, v in data.items() if not (guarded and k == "payload")}):
        return "lone surrogate outside a guarded handler's arguments"
    return None


def _checking(on_event):
    async def checked(sid: str, data: Any) -> None:
        if (why := refusal(data)) is not None:
            logger.warning("refused a socket event at the entrance (%s)", why)
            return
        await on_event(sid, data)

    return checked


def install(app: Any) -> None:
    """Check every event at the app's event namespace (the boot event of a connect included)."""
    reflex_internals.wrap_on_event(app, _checking)
