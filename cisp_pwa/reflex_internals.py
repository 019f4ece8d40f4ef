"""Every use of what Reflex does not promise to keep, in one place, checked when the app starts.

A few things the app needs are not Reflex's documented API: a private attribute, a name its
compiler writes into the page's JavaScript, a hook its page script calls. A Reflex upgrade that
renames one breaks nothing loudly: a live screen would never learn that its tab has gone, a
forged `setvar` would set any field again, the offline banner would never show. So each one is
listed here, with what it is for and where Reflex has it, and reached only through the small
functions below. `missing()` checks every one against the installed Reflex; the app refuses to
start on a Reflex that lacks any (cisp_pwa.py on import, `cisp check`, `cisp serve`).

When upgrading Reflex: `cisp check` names what is missing; this module is the one place to mend.
Documented API (`rx.*`, `rx.vars.VarData`, `rx.ImportVar`, `rx.plugins.Plugin`, our .jsx files
as `"$/public" + rx.asset(..., shared=True)`) is not listed.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable, Iterable
from importlib import metadata, util
from pathlib import Path
from typing import Any

import reflex as rx

# Reflex's own modules are imported where they are used: a Reflex without one lacks what it held,
# and says so in missing(), instead of failing this module's import.

# Our .jsx files (components/) import these from the JavaScript Reflex writes into `.web`.
JSX_FOLDER = Path(__file__).parent / "components"


def reflex_text(path: str) -> str:
    """A file of the installed reflex_base, which ships Reflex's JavaScript (.templates/web) and the
    Python templates its compiler renders the generated modules from (compiler/templates.py); ""
    when there is none."""
    spec = util.find_spec("reflex_base")
    if spec is None or not spec.origin:
        return ""
    try:
        return (Path(spec.origin).parent / path).read_text(encoding="utf-8")
    except OSError:
        return ""


STATE_JS = ".templates/web/utils/state.js"
TEMPLATES = "compiler/templates.py"


@dataclasses.dataclass(frozen=True)
class Internal:
    name: str                    # as Reflex has it, e.g. "BaseState.dirty_vars"
    purpose: str                 # what the app uses it for
    present: Callable[[], bool]  # whether the installed Reflex has it

    def line(self) -> str:
        return f"reflex: {self.name} ({self.purpose})"


# --- The running app --------------------------------------------------------------------------

_app: Any = None


def keep_app(app: rx.App) -> None:
    """The app this process serves (cisp_pwa.py), for what needs it outside a request."""
    global _app
    _app = app


# --- The Python side --------------------------------------------------------------------------

# reflex/app.py `App.event_namespace`: the socket namespace through which every event comes in.
def event_namespace(app: Any) -> Any:
    return app.event_namespace


def _has_event_namespace() -> bool:
    return isinstance(inspect.getattr_static(rx.App, "event_namespace", None), property)


# reflex/app.py `EventNamespace.__init__` sets `self._token_manager` (reflex/utils/token_manager.py
# `TokenManager.is_token_connected`): which tabs have a socket open, on any worker.
async def is_token_connected(client_token: str) -> bool:
    """Whether the tab with this client token still has a socket open. Raises when the app is not
    kept yet (keep_app) or Reflex could not tell."""
    if _app is None:
        raise RuntimeError("no app kept")
    return await event_namespace(_app)._token_manager.is_token_connected(client_token)


def _has_token_manager() -> bool:
    from reflex.app import EventNamespace
    from reflex.utils.token_manager import TokenManager

    check = getattr(TokenManager, "is_token_connected", None)
    return "_token_manager" in EventNamespace.__init__.__code__.co_names and inspect.iscoroutinefunction(check)


# reflex/app.py `EventNamespace.on_event(sid, data)`: receives every raw socket event. We put a
# checking handler on the app's namespace object; python-socketio's `AsyncNamespace.trigger_event`
# finds `on_<event>` with getattr on that object, so ours is the one called.
CHECKED = "cisp_checked"  # marks our handler, so that it is put in place once


def wrap_on_event(app: Any, wrap: Callable[[Callable], Callable]) -> None:
    """Put `wrap(on_event)` in place of the app's namespace's `on_event`, once."""
    namespace = event_namespace(app)
    if namespace is None or getattr(namespace.on_event, CHECKED, False):
        return
    checked = wrap(namespace.on_event)
    setattr(checked, CHECKED, True)
    namespace.on_event = checked


def _has_on_event() -> bool:
    import socketio
    from reflex.app import EventNamespace

    on_event = getattr(EventNamespace, "on_event", None)
    return (inspect.iscoroutinefunction(on_event)
            and list(inspect.signature(on_event).parameters) == ["self", "sid", "data"]
            and "getattr" in socketio.AsyncNamespace.trigger_event.__code__.co_names)


# reflex/state.py `BaseState.dirty_vars` (a slot): the names of the fields sent with the state's
# next update. A live screen leaves out those that did not really change (state/live.py).
def dirty_vars(state: rx.State) -> set[str]:
    return state.dirty_vars


def _has_dirty_vars() -> bool:
    from reflex.state import BaseState

    return "dirty_vars" in getattr(BaseState, "__slots__", ())


# reflex/state.py `BaseState.base_vars`: a state class's fields by name (state/live.py compares
# them before and after an update).
def field_names(state: rx.State) -> Iterable[str]:
    return state.base_vars


def _has_base_vars() -> bool:
    return isinstance(getattr(rx.State, "base_vars", None), dict)


# reflex/state.py `BaseState._create_setvar`: every state has a handler `setvar` (attribute and
# `event_handlers["setvar"]`) that sets any field from the page. The guard (state/guard.py) puts
# a refusing one in its place, made a handler with `BaseState._create_event_handler(fn)`.
def replace_setvar(cls: type[rx.State], fn: Callable) -> None:
    cls.setvar = cls.event_handlers["setvar"] = cls._create_event_handler(fn)


def _has_setvar() -> bool:
    handler = getattr(rx.State, "event_handlers", {}).get("setvar")
    return handler is not None and inspect.getattr_static(rx.State, "setvar", None) is handler


def _has_create_event_handler() -> bool:
    make = getattr(rx.State, "_create_event_handler", None)
    return callable(make) and "fn" in inspect.signature(make).parameters


# reflex/state.py `BaseState._mixins()`: the mixin classes of a state, whose handlers the guard
# wraps too (state/guard.py).
def mixins(cls: type[rx.State]) -> tuple[type, ...]:
    return cls._mixins()


def _has_mixins() -> bool:
    return callable(getattr(rx.State, "_mixins", None))


# reflex_base/vars/base.py `Var(_js_expr, _var_data=...)`: a JavaScript expression that needs
# imports (<html lang dir> and the manifest from the route, cisp_pwa.py).
def js_expression(code: str, imports: dict[str, list[str]]) -> rx.Var:
    from reflex.vars import VarData

    data = VarData(imports={module: [rx.ImportVar(tag=name) for name in names] for module, names in imports.items()})
    return rx.Var(code, _var_data=data)


def _has_var_data() -> bool:
    return "_var_data" in {f.name for f in dataclasses.fields(rx.Var)}


# reflex/app.py `App.app_wraps`, key (5, "Overlay"): Reflex's connection toast and pulse, in
# English for everyone and below the contrast rules. The screens say it themselves, in the
# person's language (components/offline.jsx).
OVERLAY = (5, "Overlay")


def drop_connection_overlay(app: rx.App) -> None:
    app.app_wraps[OVERLAY] = lambda stateful: None


def _has_overlay() -> bool:
    wraps = next((f for f in dataclasses.fields(rx.App) if f.name == "app_wraps"), None)
    return wraps is not None and OVERLAY in wraps.default_factory()


# --- The JavaScript side ----------------------------------------------------------------------

_EXPORT_LIST = re.compile(r"export\s*\{+([^}]*)\}")
_EXPORT_DECLARED = re.compile(
    r"export\s+(?:default\s+)?(?:async\s+)?(?:const|let|var|function\*?|class)\s+([A-Za-z_$][\w$]*)")


def exports(text: str) -> set[str]:
    """The names a JavaScript module exports (in a Python template too, braces doubled)."""
    names = set(_EXPORT_DECLARED.findall(text))
    for listed in _EXPORT_LIST.findall(text):
        names.update(item.split(" as ")[-1].strip() for item in listed.split(",") if item.strip())
    return names


# reflex_base/compiler/templates.py `context_template`: the module `$/utils/context` exports
# `EventLoopContext`, whose value is [addEvents, connectErrors]: offline.jsx reads the second to
# know that the app's server cannot be reached.
def _has_event_loop_context() -> bool:
    text = reflex_text(TEMPLATES)
    return "EventLoopContext" in exports(text) and bool(
        re.search(r"EventLoopContext\.Provider,\s*\{+\s*value:\s*\[\s*\w+\s*,\s*connectErrors\s*\]", text))


# reflex_base/.templates/web/utils/state.js `getBackendURL`: the backend's address for a path,
# as the page's socket uses it (offline.jsx: voice messages' requests).
def _has_get_backend_url() -> bool:
    return "getBackendURL" in exports(reflex_text(STATE_JS))


# reflex/utils/build.py `set_env_json` writes `$/env.json` with one address per
# reflex_base/constants/event.py `Endpoint`: offline.jsx takes `UPLOAD`'s (voice messages).
def _has_env_json_upload() -> bool:
    from reflex_base import constants

    return constants.Dirs.ENV_JSON == "env.json" and "UPLOAD" in constants.Endpoint.__members__


# reflex_base/.templates/web/utils/state.js calls `window.__reflex_otel.onSocketConnect()` on every
# socket connect: offline.jsx loads the screen again after a reconnection.
def _has_socket_connect_hook() -> bool:
    return bool(re.search(r"__reflex_otel\??\.onSocketConnect\??\.\(", reflex_text(STATE_JS)))


EVENT_NAMESPACE = Internal("App.event_namespace", "the socket namespace where every event comes in",
                           _has_event_namespace)
TOKEN_MANAGER = Internal("App.event_namespace._token_manager.is_token_connected",
                         "used to know whether a screen is still connected", _has_token_manager)
ON_EVENT = Internal("EventNamespace.on_event(sid, data)", "socket events are checked before Reflex reads them",
                    _has_on_event)
DIRTY_VARS = Internal("BaseState.dirty_vars", "a live screen sends only what changed", _has_dirty_vars)
BASE_VARS = Internal("BaseState.base_vars", "a live screen compares its fields before and after an update",
                     _has_base_vars)
SETVAR = Internal("BaseState.setvar (event_handlers['setvar'])", "the guard refuses setvar from the page",
                  _has_setvar)
CREATE_EVENT_HANDLER = Internal("BaseState._create_event_handler(fn)", "the guard's refusing setvar is a handler",
                                _has_create_event_handler)
MIXINS = Internal("BaseState._mixins()", "the guard checks the handlers of mixins too", _has_mixins)
VAR_DATA = Internal("Var(_var_data=...)", "the page's language and direction from the route", _has_var_data)
CONNECTION_OVERLAY = Internal(f"App.app_wraps[{OVERLAY!r}]",
                              "Reflex's English connection toast is replaced by the screens' own", _has_overlay)
EVENT_LOOP_CONTEXT = Internal("EventLoopContext from $/utils/context, value [addEvents, connectErrors]",
                              "the offline banner knows the server cannot be reached", _has_event_loop_context)
GET_BACKEND_URL = Internal("getBackendURL from $/utils/state", "voice messages reach the backend",
                           _has_get_backend_url)
ENV_JSON_UPLOAD = Internal("UPLOAD in $/env.json", "voice messages reach the backend's upload address",
                           _has_env_json_upload)
SOCKET_CONNECT_HOOK = Internal("window.__reflex_otel.onSocketConnect", "a screen loads again after a reconnection",
                               _has_socket_connect_hook)

# Every one above, in their order.
INTERNALS: tuple[Internal, ...] = tuple(value for value in dict(globals()).values() if isinstance(value, Internal))

# What the .jsx files take from Reflex's JavaScript: (module, exported name; "default" for a
# default import) and the globals they use, each with the internal that checks it. The tests
# derive the same lists from the .jsx files, so a new import cannot go unchecked.
JS_IMPORTS: dict[tuple[str, str], Internal] = {
    ("$/utils/context", "EventLoopContext"): EVENT_LOOP_CONTEXT,
    ("$/utils/state", "getBackendURL"): GET_BACKEND_URL,
    ("$/env.json", "default"): ENV_JSON_UPLOAD,
}
JS_GLOBALS: dict[str, Internal] = {"__reflex_otel": SOCKET_CONNECT_HOOK}


def _present(internal: Internal) -> bool:
    try:
        return bool(internal.present())
    except Exception:  # noqa: BLE001 - a Reflex shaped otherwise lacks it all the same
        return False


def missing() -> list[str]:
    """What the installed Reflex lacks, one line each, in words: empty when all is there."""
    return [internal.line() for internal in INTERNALS if not _present(internal)]


def version() -> str:
    return metadata.version("reflex")


def lacks(lacking: list[str]) -> str:
    """What an operator reads when this Reflex lacks some (`cisp check`, a refused start)."""
    return (f"Reflex {version()} lacks what the app needs: {'; '.join(lacking)}. Install the Reflex of "
            "requirements/runtime.txt, or mend cisp_pwa/reflex_internals.py (README, Upgrade)")


def refusal() -> str:
    """Why the app does not start on this Reflex ("" when it does)."""
    lacking = missing()
    return "not started: " + lacks(lacking) if lacking else ""
