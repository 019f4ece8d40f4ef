"""A phone without a browser: speaks Reflex 0.10.1's socket protocol the way the compiled page
does (`.web/utils/state.js` and `.web/utils/context.jsx`), for benchmarks and multi-worker tests.

What the page does, and this client with it:
- one Socket.IO connection, websocket transport, Socket.IO path `/_event` and namespace
  `/_event`; the client token (a UUID the tab keeps in sessionStorage) goes in the query string
  (`?token=<uuid>`), the Reflex version as websocket subprotocol, the page's origin as `Origin`;
- the hydrate event rides in the CONNECT packet's auth: `{"event": {"name":
  "<root>.hydrate_and_load", "payload": {"vars": {<state key>: <localStorage value>},
  "hashes": [...]}, "router_data": {"pathname", "asPath", "query"?}}, "state_schema": ...}`.
  `vars` carries the LocalStorage vars (the session token `cisp_session`), keyed by the var's
  full state key; `hashes` (first connect only) tells the server which compiled defaults the page
  holds, so it only sends what differs. The server runs the route's on_load itself (hydrate_and_load
  enqueues on_load_internal, which ends by setting `is_hydrated`);
- every later event: `emit("event", {"name": "<state full name>.<handler>", "payload": {arg:
  value}, "router_data": {...}})`;
- the server answers with `event` messages `{"delta": {<state full name>: {<var>_rx_state_:
  value}}, "events": [frontend events such as _redirect, _call_script]}`;
- a client-side navigation sends `update_vars_internal` (the LocalStorage vars) then
  `on_load_internal`, with the new location as router data.

The schema hash, the per-state hashes and the LocalStorage keys are read from the served bundle
(`assets/context-*.js`), as the page has them.
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import engineio.json
import socketio
import socketio.packet

ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
UPDATE_VARS = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
IS_HYDRATED = "is_hydrated_rx_state_"
VAR_SUFFIX = "_rx_state_"
NAMESPACE = "/_event"
REFLEX_VERSION = "0.10.1"


def _snake(text: str) -> str:
    # reflex_base.utils.format.to_snake_case
    s1 = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", text)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s1).lower().replace("-", "_")


def state_name(module: str, cls: str) -> str:
    """One state's name as Reflex makes it: `cisp_pwa.state.session`, `SessionState` ->
    `cisp_pwa___state___session____session_state`."""
    return _snake(f"{module.replace('.', '___')}___{cls}")


def full_name(*states: tuple[str, str]) -> str:
    """A state's full name: the root, then each (module, class) from the root's child down."""
    return ".".join([ROOT_STATE, *(state_name(m, c) for m, c in states)])


@dataclass
class BuildInfo:
    """What the compiled page knows about the state tree."""

    state_schema: str | None = None
    hashes: list[str] | None = None
    # LocalStorage name -> the state keys (state full name + "." + var) kept under it.
    local_storage: dict[str, list[str]] = field(default_factory=dict)


_build_info: dict[str, BuildInfo] = {}


def _get(url: str, timeout: float = 20.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local server)
        return response.read().decode("utf-8", "replace")


def read_build_info(base_url: str, path: str = "/") -> BuildInfo:
    """The page's state schema, initial-state hashes and LocalStorage keys, from the bundle the
    server serves. Cached per server. An empty BuildInfo when they cannot be found (the client
    then hydrates as a reconnect does: full state, no schema check)."""
    base_url = base_url.rstrip("/")
    if base_url in _build_info:
        return _build_info[base_url]
    info = BuildInfo()
    try:
        html = _get(base_url + path)
        match = re.search(r"/?assets/context-[A-Za-z0-9_-]+\.js", html)
        if match:
            js = _get(base_url + "/" + match.group(0).lstrip("/"))
            if m := re.search(r"stateSchema\s*=\s*[`\"']([0-9a-f]+)[`\"']", js):
                info.state_schema = m.group(1)
            if m := re.search(r"initialStateHashes\s*=\s*\[([^\]]*)\]", js):
                info.hashes = re.findall(r"[`\"']([0-9a-f]+)[`\"']", m.group(1))
            if m := re.search(r"local_storage\s*:\s*\{(.*?)\}\s*\}\s*,\s*session_storage", js, re.S):
                for key, name in re.findall(r"\"([^\"]+)\"\s*:\s*\{\s*name\s*:\s*[`\"']([^`\"']*)[`\"']",
                                            m.group(1)):
                    info.local_storage.setdefault(name or key, []).append(key)
    except OSError:
        pass
    _build_info[base_url] = info
    return info


@dataclass
class Received:
    """One `event` message from the server."""

    index: int
    t: float  # time.monotonic() when it arrived (CLOCK_MONOTONIC: comparable across processes)
    delta: dict[str, dict[str, Any]]
    events: list[dict]

    def values(self, var: str) -> list[Any]:
        """The values of a var (name without the suffix) in this delta, whatever its state."""
        key = var + VAR_SUFFIX
        return [d[key] for d in self.delta.values() if isinstance(d, dict) and key in d]


class _PagePacket(socketio.packet.Packet):
    """Packets encoded as the page's JSON.stringify does: a lone surrogate goes as a \\u escape.
    (Reflex's server, once imported in this process, puts its own JSON on the shared Packet
    class: characters as they are, and a lone surrogate cannot go out as UTF-8; the socket's
    writer then stops sending, without a word.)"""

    json = engineio.json


class PhoneError(RuntimeError):
    pass


def _router_data(path: str) -> dict:
    parsed = urllib.parse.urlsplit(path)
    data = {"pathname": parsed.path, "asPath": path}
    query = dict(urllib.parse.parse_qsl(parsed.query))
    if query:
        data["query"] = query
    return data


class Phone:
    """One browser tab on one page of a Reflex app.

    `Phone(base_url, session_token)`; `await open(path)`; `await send_event(name, payload)`;
    `await wait_for(predicate, timeout)`; `received` (every delta, with its time); `state` (the
    merged view of the vars received); `await close()`.
    """

    def __init__(self, base_url: str, session_token: str = "", *, storage_name: str = "cisp_session",
                 build_info: BuildInfo | None = None, label: str = "", local_address: str = "",
                 headers: dict[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session_token = session_token
        self.storage_name = storage_name
        self.label = label
        self.client_token = str(uuid.uuid4())
        self.path = "/"
        self.received: list[Received] = []
        self.state: dict[str, dict[str, Any]] = {}
        self.frontend_events: list[dict] = []
        self.errors: list[str] = []
        self.build_info = build_info
        self._sio: socketio.AsyncClient | None = None
        # Another phone on the network: its own source address (127.0.0.x on loopback), and the
        # headers a client may add (a forged X-Forwarded-For, for the proxy tests).
        self.local_address = local_address
        self.headers = headers or {}
        self._http = None
        self._waiters: list[tuple[Callable[[Received], bool], asyncio.Future, int]] = []
        self.connected = False

    # -- what the page sends -------------------------------------------------------------------

    def _storage_vars(self) -> dict[str, str]:
        """The LocalStorage vars the page would send: the stored session token, if any."""
        if not self.session_token:
            return {}
        keys = (self.build_info.local_storage.get(self.storage_name) if self.build_info else None) or []
        return {key: self.session_token for key in keys}

    def _event(self, name: str, payload: dict | None = None) -> dict:
        event: dict[str, Any] = {"name": name}
        if payload:
            event["payload"] = payload
        event["router_data"] = _router_data(self.path)
        return event

    async def open(self, path: str, timeout: float = 60.0) -> Received:
        """Open the page at `path`: connect, hydrate (with the session token) and run its on_load;
        returns once the page is hydrated (on_load done)."""
        if self.build_info is None:
            self.build_info = await asyncio.to_thread(read_build_info, self.base_url, path)
        if self.session_token and not self._storage_vars():
            raise PhoneError(f"the page keeps no LocalStorage var named {self.storage_name!r}")
        self.path = path
        payload: dict[str, Any] = {}
        if vars_ := self._storage_vars():
            payload["vars"] = vars_
        if self.build_info.hashes:
            payload["hashes"] = self.build_info.hashes
        auth: dict[str, Any] = {"event": self._event(HYDRATE, payload)}
        if self.build_info.state_schema:
            auth["state_schema"] = self.build_info.state_schema
        mark = len(self.received)
        options: dict[str, Any] = {}
        if self.local_address:
            import ssl

            import aiohttp

            # The certificates trusted now (SSL_CERT_FILE is read here, not when aiohttp was imported).
            self._http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(
                local_addr=(self.local_address, 0), ssl=ssl.create_default_context()))
            options["http_session"] = self._http
        sio = self._sio = socketio.AsyncClient(reconnection=False, serializer=_PagePacket, **options)
        sio.on("event", self._on_event, namespace=NAMESPACE)
        sio.on("new_token", self._on_new_token, namespace=NAMESPACE)
        sio.on("state_mismatch", self._on_mismatch, namespace=NAMESPACE)
        sio.on("disconnect", self._on_disconnect, namespace=NAMESPACE)
        query = urllib.parse.urlencode({"token": self.client_token})
        await asyncio.wait_for(sio.connect(
            f"{self.base_url}?{query}", socketio_path="/_event", namespaces=[NAMESPACE],
            transports=["websocket"], auth=auth, wait_timeout=timeout,
            headers={"Origin": self.base_url, "Sec-WebSocket-Protocol": REFLEX_VERSION, **self.headers},
        ), timeout)
        self.connected = True
        return await self._wait_hydrated(mark, timeout)

    async def navigate(self, path: str, timeout: float = 60.0) -> Received:
        """A client-side navigation (a link tapped): the new page's on_load runs."""
        self.path = path
        mark = len(self.received)
        self.state.setdefault(ROOT_STATE, {})[IS_HYDRATED] = False
        if vars_ := self._storage_vars():
            await self._emit(self._event(UPDATE_VARS, {"vars": vars_}))
        await self._emit(self._event(ON_LOAD))
        return await self._wait_hydrated(mark, timeout)

    async def send_event(self, name: str, payload: dict | None = None) -> float:
        """Send one event (`<state full name>.<handler>`, arguments by name); returns the
        time.monotonic() of the emit."""
        event = self._event(name, payload)
        t = time.monotonic()
        await self._emit(event)
        return t

    async def _emit(self, event: dict) -> None:
        if self._sio is None or not self.connected:
            raise PhoneError("not connected")
        await self._sio.emit("event", event, namespace=NAMESPACE)

    # -- what the page receives ----------------------------------------------------------------

    async def _on_event(self, update: Any) -> None:
        now = time.monotonic()
        if not isinstance(update, dict):
            return
        delta = update.get("delta") or {}
        events = update.get("events") or []
        received = Received(len(self.received), now, delta, events)
        self.received.append(received)
        for name, values in delta.items():
            if isinstance(values, dict):
                self.state.setdefault(name, {}).update(values)
        self.frontend_events.extend(events)
        for waiter in list(self._waiters):
            predicate, future, after = waiter
            if received.index >= after and not future.done():
                try:
                    if predicate(received):
                        future.set_result(received)
                except Exception as exc:  # a broken predicate must not break the socket
                    future.set_exception(exc)

    async def _on_new_token(self, token: str) -> None:
        self.client_token = token

    async def _on_mismatch(self, info: Any) -> None:
        self.errors.append(f"state schema mismatch: {info}")

    async def _on_disconnect(self, *args: Any) -> None:
        self.connected = False

    async def wait_for(self, predicate: Callable[[Received], bool], timeout: float,
                       after: int | None = None) -> Received:
        """The first delta (received at index >= `after`, default: from now on) for which
        `predicate(received)` is true; TimeoutError after `timeout` seconds."""
        after = len(self.received) if after is None else after
        for received in self.received[after:]:
            if predicate(received):
                return received
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        waiter = (predicate, future, after)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiters.remove(waiter)

    async def _wait_hydrated(self, after: int, timeout: float) -> Received:
        def done(r: Received) -> bool:
            for e in r.events:
                if e.get("name") == "_redirect":
                    raise PhoneError(f"{self.label or 'phone'}: redirected to {e.get('payload', {}).get('path')}")
            return r.delta.get(ROOT_STATE, {}).get(IS_HYDRATED) is True
        return await self.wait_for(done, timeout, after)

    def get(self, var: str, state: str | None = None, default: Any = None) -> Any:
        """A var of the merged view (name without the suffix); with `state`, of that state only,
        else of the first state that has it."""
        key = var + VAR_SUFFIX
        if state is not None:
            return self.state.get(state, {}).get(key, default)
        for values in self.state.values():
            if key in values:
                return values[key]
        return default

    async def close(self) -> None:
        if self._sio is not None:
            try:
                await asyncio.wait_for(self._sio.disconnect(), 10)
            except Exception:
                pass
        if self._http is not None:
            await self._http.close()
        self.connected = False
        for _, future, _ in self._waiters:
            if not future.done():
                future.cancel()


__all__ = ["BuildInfo", "Phone", "PhoneError", "Received", "full_name", "read_build_info", "state_name"]
