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


def test_the_page_s_own_envelopes_go_in():
    for event in [
        {"name": OURS},
        {"name": OURS, "payload": {}, "router_data": {}},
        {"name": OURS, "payload": {"value": "1"}, "router_data": {**HERE, "query": {"q": "x", "ids": ["1", "2"]}}},
        {"name": OURS, "payload": {"value": "1"}, "router_data": HERE, "event_actions": {"preventDefault": True},
         "handler": None},
    ]:
        assert socket_entrance.refusal(event) is None, event


HUGE = "SECRET" * 100_000
MALFORMED = {
    "name missing": {"payload": {}, "router_data": HERE},
    "name a number": {"name": 7, "router_data": HERE},
    "name a list": {"name": [OURS], "router_data": HERE},
    "name empty": {"name": "", "router_data": HERE},
    "name huge": {"name": OURS + HUGE, "router_data": HERE},
    "payload a string": {"name": OURS, "payload": "SECRET", "router_data": HERE},
    "payload a list": {"name": OURS, "payload": ["SECRET"], "router_data": HERE},
    "payload a number": {"name": OURS, "payload": 1e308},
    "payload null": {"name": OURS, "payload": None},
    "router_data a string": {"name": OURS, "router_data": "/fr/SECRET"},
    "router_data a list": {"name": OURS, "router_data": [HERE]},
    "router_data null": {"name": OURS, "router_data": None},
    "pathname a number": {"name": OURS, "router_data": {"pathname": 404, "asPath": "/"}},
    "pathname a list": {"name": OURS, "router_data": {"pathname": ["/fr/"], "asPath": "/"}},
    "pathname huge": {"name": OURS, "router_data": {"pathname": "/" + HUGE, "asPath": "/"}},
    "asPath an object": {"name": OURS, "router_data": {"pathname": "/", "asPath": {"SECRET": 1}}},
    "query a string": {"name": OURS, "router_data": {**HERE, "query": "q=SECRET"}},
    "query a list": {"name": OURS, "router_data": {**HERE, "query": [["q", "SECRET"]]}},
    "query a number": {"name": OURS, "router_data": {**HERE, "query": 12}},
    "query value a number": {"name": OURS, "router_data": {**HERE, "query": {"q": 1}}},
    "query value nested": {"name": OURS, "router_data": {**HERE, "query": {"q": {"a": {"b": "SECRET"}}}}},
    "query value huge": {"name": OURS, "router_data": {**HERE, "query": {"q": HUGE}}},
    "query too many": {"name": OURS, "router_data": {**HERE, "query": {f"k{i}": "v" for i in range(1000)}}},
    "router_data headers": {"name": OURS, "router_data": {**HERE, "headers": {"origin": "SECRET"}}},
    "router_data token": {"name": OURS, "router_data": {**HERE, "token": "SECRET"}},
    "event_actions a string": {"name": OURS, "event_actions": "SECRET"},
    "handler a number": {"name": OURS, "handler": 3},
    "unknown field": {"name": OURS, "SECRET": HUGE},
}


def test_a_malformed_envelope_is_refused_with_its_rule_never_its_content():
    for case, event in MALFORMED.items():
        why = socket_entrance.refusal(event)
        assert why and "SECRET" not in why and len(why) < 60, case


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
