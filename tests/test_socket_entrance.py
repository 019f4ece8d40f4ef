"""The socket's entrance (socket_entrance.py): an event carrying text UTF-8 cannot hold outside
our handlers' arguments, or that is not an object, is dropped before Reflex reads it; our
handlers' arguments are left to the guard. Against the real app: tests/test_fuzz.py."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import logging

from cisp_pwa import cisp_pwa, socket_entrance
from cisp_pwa.state.trainer import TrainerHomeState
from scripts.reflex_client import UPDATE_VARS
from tests.app_process import SESSION

LONE = "SECRET\ud800"
HERE = {"pathname": "/fr/trainees/", "asPath": "/fr/trainees/"}
OURS = f"{TrainerHomeState.get_full_name()}.filter_trainee"


def test_an_ordinary_event_goes_in():
    assert socket_entrance.refusal({"name": OURS, "payload": {"value": "é 🙂"}, "router_data": HERE}) is None


def test_our_handlers_arguments_are_left_to_the_guard():
    # The guard refuses it and the screen says why (text_unreadable): tests/test_guard.py.
    assert socket_entrance.refusal({"name": OURS, "payload": {"value": LONE}, "router_data": HERE}) is None


def test_a_lone_surrogate_anywhere_else_is_refused():
    for event in [
        {"name": OURS, "payload": {"value": "1"}, "router_data": {"pathname": "/fr/" + LONE, "asPath": "/"}},
        {"name": OURS, "payload": {"value": "1"}, "router_data": {**HERE, "query": {"q": [LONE]}}},
        {"name": OURS, "payload": {"value": "1"}, "router_data": {**HERE, LONE: "x"}},
        {"name": UPDATE_VARS, "payload": {"vars": {SESSION + ".token_rx_state_": LONE}}, "router_data": HERE},
        {"name": OURS + "\udfff", "payload": {"value": "1"}, "router_data": HERE},
        {"name": OURS, "payload": {"value": "1"}, "router_data": HERE, LONE: 1},
    ]:
        why = socket_entrance.refusal(event)
        assert why and "SECRET" not in why, event


def test_an_event_that_is_not_an_object_is_refused():
    for data in ["SECRET", ["SECRET"], None, 7]:
        assert socket_entrance.refusal(data) == "not an object"


def test_deep_nesting_is_walked_without_recursion():
    value: object = LONE
    for _ in range(20_000):
        value = {"a": [value]}
    assert socket_entrance.refusal({"name": UPDATE_VARS, "payload": value})


class _Namespace:
    def __init__(self) -> None:
        self.seen: list = []

    async def on_event(self, sid, data):
        self.seen.append(data)


class _App:
    def __init__(self) -> None:
        self.event_namespace = _Namespace()


def test_install_checks_every_event_once_and_logs_no_content(caplog):
    app, good = _App(), {"name": OURS, "payload": {"value": "1"}, "router_data": HERE}
    socket_entrance.install(app)
    socket_entrance.install(app)  # once only
    bad = {"name": UPDATE_VARS, "payload": {"vars": {"k": LONE}}}
    with caplog.at_level(logging.WARNING, logger="cisp_pwa.socket"):
        for data in (good, bad, "SECRET", good):
            # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
            with ThreadPoolExecutor(1) as pool:
                pool.submit(asyncio.run, app.event_namespace.on_event("sid", data)).result()
    assert app.event_namespace.seen == [good, good]
    assert [r.name for r in caplog.records] == ["cisp_pwa.socket", "cisp_pwa.socket"]
    assert "SECRET" not in caplog.text


def test_the_app_checks_at_its_event_namespace():
    assert getattr(cisp_pwa.app.event_namespace.on_event, "cisp_checked", False)
