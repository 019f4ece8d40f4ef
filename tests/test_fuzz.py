"""Forged socket events with any payload, against the real app (backend process, SQLite):
thousands of random events across every handler of every screen, sent by a stranger and by
each role, must raise nothing and write none of what they carried into the log (guard.py)."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio

from cisp_pwa import cisp_pwa, socket_entrance  # noqa: F401 - builds the states as the server does
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import auth
from cisp_pwa.state.session import SessionState
from cisp_pwa.state.trainer import TrainerHomeState
from scripts.reflex_client import NAMESPACE, UPDATE_VARS, Phone, PhoneError
from tests.app_process import BUILD, SESSION, app_env, backends, setup_database
from tests.services.helpers import signed_in

pytestmark = pytest.mark.browser  # a real app process

PORT = int(os.environ.get("CISP_TEST_FUZZ_PORT", "3171"))
EVENTS_PER_PHONE = 500  # × 5 phones
CHUNK = 25
MARK = "FUZZ"  # in every string sent: none may reach the log
# Who sends, and the screen each keeps open.
PHONES = [("", "/fr/sign-in/"), ("amina", "/fr/messages/"), ("julie", "/fr/trainees/"),
          ("marc", "/fr/validations/"), ("sophie", "/fr/centre/")]


# Sets a var to what it is sent (digits) for anyone: its answer marks the end of the queue.
PROBE = f"{TrainerHomeState.get_full_name()}.filter_trainee"


def _states(cls=SessionState):
    yield cls
    for sub in cls.get_substates():
        yield from _states(sub)


# Every handler of every screen, derived from the states: (event name, its parameters).
HANDLERS = [
    (f"{cls.get_full_name()}.{name}",
     [p for p in list(inspect.signature(getattr(handler.fn, "__wrapped__", handler.fn)).parameters)[1:]])
    for cls in _states() for name, handler in sorted(cls.event_handlers.items())
]
FORM_KEYS = ["login", "password", "locale", "code", "pin", "pin_again", "title", "theme", "target_date",
             "detail", "note", "comment", "reason", "level", "display_name", "role", "body", "text", "key"]


def _text(rng: random.Random, n: int) -> str:
    return rng.choice([
        f"{MARK}{n}", f"{MARK}{n}\x00", f"{MARK}{n}\x1b[31m", f"{MARK}{n}" * 20_000,
        f"{MARK}{n}\ud800", f"\udfff{MARK}{n}",  # lone surrogates: the guard's (socket_entrance.py)
        f"<script>{MARK}{n}</script>", f"{MARK}{n}' OR 1=1 --", f"{MARK}{n}\n\t", "", " ",
        f"../../{MARK}{n}", f"{MARK}{n}" + "é" * 3000,
    ])


def _value(rng: random.Random, n: int, depth: int = 0):
    kind = rng.randrange(12 if depth < 3 else 8)
    if kind < 3:
        return _text(rng, n)
    return [
        lambda: rng.choice([0, 1, -1, 7, 10**300, -(2**63), 2**53 + 1]),
        lambda: rng.choice([0.5, 1e308, -0.0]),
        lambda: rng.choice([True, False]),
        lambda: None,
        lambda: [],
        lambda: [_value(rng, n, depth + 1) for _ in range(rng.randrange(4))],
        lambda: {rng.choice(FORM_KEYS): _value(rng, n, depth + 1) for _ in range(rng.randrange(6))},
        lambda: [{rng.choice(FORM_KEYS): _text(rng, n)} for _ in range(rng.randrange(3))],
        lambda: _nested(n, 200),
    ][kind - 3]()


def _nested(n: int, depth: int):
    value: object = f"{MARK}{n}"
    for _ in range(depth):
        value = {"a": value}
    return value


def _payload(rng: random.Random, n: int, params: list[str]) -> dict:
    names = [p for p in params if rng.random() < 0.85]
    if rng.random() < 0.2:
        names.append(rng.choice(FORM_KEYS + [f"{MARK}{n}"]))
    return {name: _value(rng, n) for name in names}


async def _open(phone: Phone, path: str) -> None:
    try:
        await phone.open(path)
    except PhoneError:
        pass  # signed out by a forged sign-out: the page sends to sign-in, the socket stays


async def _fuzz(base: str, login: str, path: str, seed: int) -> tuple[int, int]:
    """Send this phone's share of forged events; returns (events known handled, stalls)."""
    token = signed_in(login).token if login else ""  # the admin with her second factor
    rng = random.Random(seed)
    handled = stalls = 0
    phone = Phone(base, token, build_info=BUILD, label=login or "stranger")
    try:
        await _open(phone, path)
        for chunk in range(EVENTS_PER_PHONE // CHUNK):
            for n in range(CHUNK):
                name, params = rng.choice(HANDLERS)
                if phone.connected:  # a socket the server closed (a frame too big) stays closed
                    await phone.send_event(name, _payload(rng, seed * 10_000 + chunk * CHUNK + n, params))
            # A tab's events are handled in order: once this last one is answered, all were.
            probe = str(rng.randrange(10**11, 10**12))
            if phone.connected:
                await phone.send_event(PROBE, {"value": probe})
                try:
                    await phone.wait_for(lambda r: probe in json.dumps(r.delta), timeout=20, after=0)
                    handled += CHUNK
                    continue
                except asyncio.TimeoutError:
                    stalls += 1  # this tab's socket answers no more: the server is not stuck (below)
            await phone.close()
            phone = Phone(base, token, build_info=BUILD, label=login or "stranger")
            await _open(phone, path)
    finally:
        await phone.close()
    return handled, stalls


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz-data")
    env = app_env(CISP_DATA_DIR=str(data))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    setup_database(env)
    work = tmp_path_factory.mktemp("fuzz")
    with backends(env, (PORT,), work) as urls:
        db.configure(f"sqlite:///{data / 'cisp.db'}")
        yield urls[0], work / str(PORT) / "app.log"


def test_thousands_of_forged_events_raise_nothing_and_leave_nothing_in_the_log(app):
    base, log = app
    assert len({name for name, _ in HANDLERS}) >= 60  # every screen's handlers are in the draw

    async def run() -> list[tuple[int, int]]:
        return await asyncio.gather(*[_fuzz(base, login, path, seed)
                                      for seed, (login, path) in enumerate(PHONES, start=1)])

    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        outcomes = pool.submit(asyncio.run, run()).result()
    handled, stalls = sum(h for h, _ in outcomes), sum(s for _, s in outcomes)
    assert handled >= 2000 and stalls == 0, outcomes

    text = log.read_text(errors="replace")
    assert "refused an event" in text  # the guard saw them (so the checks below can fail)
    assert MARK not in text
    assert "Traceback" not in text
    assert "a handler failed" not in text
    # The app still answers a person as before.
    amina = auth.sign_in("amina", "parcours-amina")
    assert auth.actor_for_token_hash(auth.token_hash(amina.token)).id == amina.actor.id


# Forged events with a lone surrogate where no handler looks (socket_entrance.py), and in a
# handler's argument (the guard's): each followed, on the same socket, by the probe.
_LONE = f"{MARK}\ud800"
_HERE = {"pathname": "/fr/trainees/", "asPath": "/fr/trainees/"}
LONE_SURROGATES = {
    "argument": {"name": PROBE, "payload": {"value": _LONE}, "router_data": _HERE},
    "path": {"name": PROBE, "payload": {"value": "1"}, "router_data": {"pathname": "/fr/" + _LONE,
                                                                        "asPath": "/fr/" + _LONE}},
    "query": {"name": PROBE, "payload": {"value": "1"}, "router_data": {**_HERE, "query": {"q": _LONE}}},
    "stored var": {"name": UPDATE_VARS, "payload": {"vars": {f"{SESSION}.token_rx_state_": _LONE}},
                   "router_data": _HERE},
    "event name": {"name": PROBE + "\udfff", "payload": {"value": "1"}, "router_data": _HERE},
    "not an object": [_LONE],
}


def test_a_lone_surrogate_anywhere_in_an_event_is_refused_and_the_tab_answers_on(app):
    base, log = app

    async def one(token: str, event: object) -> str:
        phone = Phone(base, token, build_info=BUILD, label="julie")
        try:
            await phone.open("/fr/trainees/")
            mark, probe = len(phone.received), "424242424242"
            await phone._sio.emit("event", event, namespace=NAMESPACE)
            await phone.send_event(PROBE, {"value": probe})
            await phone.wait_for(lambda r: probe in json.dumps(r.delta), timeout=15, after=mark)
        except (asyncio.TimeoutError, PhoneError, socketio.exceptions.SocketIOError):
            return "no answer" if phone.connected else "socket closed"
        finally:
            await phone.close()
        errors = [v for r in phone.received[mark:] for v in r.values("error")]
        return "answered" + (f", {errors[0]}" if errors else "")

    async def run() -> dict[str, str]:
        token = auth.sign_in("julie", "parcours-julie").token
        return {case: await one(token, event) for case, event in LONE_SURROGATES.items()}

    with ThreadPoolExecutor(1) as pool:
        outcomes = pool.submit(asyncio.run, run()).result()
    assert outcomes == {case: "answered" for case in LONE_SURROGATES} | {"argument": "answered, text_unreadable"}
    text = log.read_text(errors="replace")
    assert "refused a socket event at the entrance" in text
    assert MARK not in text and "Traceback" not in text and "a handler failed" not in text


# Envelopes the page never sends (socket_entrance.py): junk in every field Reflex's on_event
# reads before any handler. Each used to raise inside Reflex (a traceback, a lost task).
def _junk(rng: random.Random, n: int):
    return rng.choice([
        lambda: rng.choice([0, -1, 10**300, 1e308, True, None]),
        lambda: [f"{MARK}{n}", 1, None],
        lambda: f"{MARK}{n}" * rng.choice([1, 30_000]),
        lambda: {"a": [f"{MARK}{n}", {"b": None}]},
        lambda: _nested(n, 50),
        lambda: [[[]]],
        lambda: {"pathname": 1, "query": f"{MARK}{n}"},
    ])()


def _malformed(rng: random.Random, n: int) -> dict:
    event: dict = {"name": PROBE, "payload": {"value": "1"}, "router_data": dict(_HERE)}
    where = rng.choice(["name", "payload", "router_data", "pathname", "asPath", "query", "query value",
                        "query key", "event_actions", "handler", "extra field", "extra router field"])
    if where in ("name", "payload", "router_data", "event_actions", "handler"):
        event[where] = _junk(rng, n)
        if where == "handler" and event[where] is None:
            event[where] = 0  # null is a handler the page may send
    elif where in ("pathname", "asPath", "query"):
        event["router_data"][where] = _junk(rng, n)
    elif where == "query value":
        event["router_data"]["query"] = {"q": _junk(rng, n)}
    elif where == "query key":
        event["router_data"]["query"] = {f"{MARK}{n}" * 1_000: "1"}
    elif where == "extra field":
        event[f"{MARK}{n}"] = _junk(rng, n)
    else:
        event["router_data"]["headers"] = {"origin": f"{MARK}{n}"}
    return event


MALFORMED_EVENTS = 400


def test_malformed_envelopes_are_refused_at_the_entrance_and_raise_nothing(app):
    base, log = app
    rng = random.Random(77)
    events = [_malformed(rng, n) for n in range(MALFORMED_EVENTS)]

    async def run() -> list[str]:
        token = auth.sign_in("julie", "parcours-julie").token
        outcomes = []
        phone = Phone(base, token, build_info=BUILD, label="julie")
        try:
            await phone.open("/fr/trainees/")
            for start in range(0, len(events), 50):
                for event in events[start:start + 50]:
                    await phone._sio.emit("event", event, namespace=NAMESPACE)
                mark, probe = len(phone.received), str(rng.randrange(10**11, 10**12))
                await phone.send_event(PROBE, {"value": probe})
                try:
                    await phone.wait_for(lambda r: probe in json.dumps(r.delta), timeout=20, after=mark)
                    outcomes.append("answered")
                except asyncio.TimeoutError:
                    outcomes.append("no answer")
        finally:
            await phone.close()
        return outcomes

    before = len(log.read_text(errors="replace"))
    with ThreadPoolExecutor(1) as pool:
        outcomes = pool.submit(asyncio.run, run()).result()
    assert outcomes == ["answered"] * (MALFORMED_EVENTS // 50)
    text = log.read_text(errors="replace")[before:]
    assert "Traceback" not in text and "Error" not in text
    assert MARK not in text
    # Junk that is an object where the page sends one (a payload, event actions) goes on to the
    # guard; every other one is refused at the entrance, one line each.
    refused = sum(socket_entrance.refusal(event) is not None for event in events)
    assert refused > MALFORMED_EVENTS * 3 // 4
    assert text.count("refused a socket event at the entrance") == refused
