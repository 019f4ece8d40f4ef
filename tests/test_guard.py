"""The guard every handler runs behind (state/guard.py): arguments checked against the
handler's annotations before it runs, nothing raised, the reason left on the screen."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from cisp_pwa import cisp_pwa  # noqa: F401 - the states as the server builds them
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.state import guard
from cisp_pwa.state.goals import GoalsState
from cisp_pwa.state.session import SessionState


class _Screen:
    """Stands for a state instance: what the guard touches is `error` and the fields list."""

    error = ""

    @classmethod
    def get_fields(cls):
        return {"error": None}


def _handler(calls):
    def save(self, goal_id: int, title: str, form: dict, done: bool):
        calls.append((goal_id, title, form, done))
        return "ran"
    return guard.guarded(save)


@pytest.mark.parametrize("args, code", [
    ({"goal_id": "1", "title": "t", "form": {}, "done": True}, guard.BAD_REQUEST),
    ({"goal_id": 10**300, "title": "t", "form": {}, "done": True}, guard.BAD_REQUEST),
    ({"goal_id": -1, "title": "t", "form": {}, "done": True}, guard.BAD_REQUEST),
    ({"goal_id": True, "title": "t", "form": {}, "done": True}, guard.BAD_REQUEST),
    ({"goal_id": 1, "title": "a\x00b", "form": {}, "done": True}, guard.BAD_TEXT),
    ({"goal_id": 1, "title": "a\ud800", "form": {}, "done": True}, guard.BAD_TEXT),
    ({"goal_id": 1, "title": "a\x1b[2J", "form": {}, "done": True}, guard.BAD_TEXT),
    ({"goal_id": 1, "title": "x" * (guard.TEXT_MAX + 1), "form": {}, "done": True}, guard.BAD_TEXT),
    ({"goal_id": 1, "title": "t", "form": ["a"], "done": True}, guard.BAD_REQUEST),
    ({"goal_id": 1, "title": "t", "form": {"note": {"deep": "x"}}, "done": True}, guard.BAD_REQUEST),
    ({"goal_id": 1, "title": "t", "form": {"note": "a\x00"}, "done": True}, guard.BAD_TEXT),
    ({"goal_id": 1, "title": "t", "form": {}, "done": "yes"}, guard.BAD_REQUEST),
    ({"goal_id": 1, "title": "t", "form": {}}, guard.BAD_REQUEST),  # one missing
    ({"goal_id": 1, "title": "t", "form": {}, "done": True, "extra": 1}, guard.BAD_REQUEST),
])
def test_a_bad_argument_is_refused_before_the_handler_runs(args, code, caplog):
    calls, screen = [], _Screen()
    with caplog.at_level(logging.WARNING):
        assert _handler(calls)(screen, **args) is None
    assert calls == [] and screen.error == code
    assert "refused an event" in caplog.text
    assert "a\x00" not in caplog.text and "x" * 100 not in caplog.text  # the value is never logged


def test_text_a_person_writes_goes_through():
    calls, screen = [], _Screen()
    text = "Bonjour,\n\tà jeudi ! مرحبا 👋"
    assert _handler(calls)(screen, 1, text, {"note": text, "level": 3, "ok": None}, False) == "ran"
    assert calls == [(1, text, {"note": text, "level": 3, "ok": None}, False)] and screen.error == ""


@pytest.mark.parametrize("exc, code", [
    (InvalidInput("title_empty"), "title_empty"), (AccessDenied(), "not_allowed"), (KeyError("x"), guard.FAILED),
])
def test_what_the_handler_raises_becomes_the_reason_on_the_screen(exc, code, caplog):
    def act(self):
        raise exc

    screen = _Screen()
    assert guard.guarded(act)(screen) is None
    assert screen.error == code


def test_async_and_generator_handlers_are_guarded_too():
    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _async_and_generator_handlers()).result()


async def _async_and_generator_handlers():
    async def load(self, locale: str):
        return locale

    async def steps(self, n: int):
        yield n
        raise RuntimeError("boom")

    screen = _Screen()
    assert await guard.guarded(load)(screen, "fr") == "fr"
    assert await guard.guarded(load)(screen, 5) is None and screen.error == guard.BAD_REQUEST
    assert [x async for x in guard.guarded(steps)(screen, 2)] == [2] and screen.error == guard.FAILED


def test_every_handler_of_every_screen_is_guarded():
    def states(cls):
        yield cls
        for sub in cls.get_substates():
            yield from states(sub)

    handlers = [(cls.__name__, name, h.fn) for cls in states(SessionState)
                for name, h in cls.event_handlers.items() if name != "setvar"]
    assert len(handlers) > 60
    assert [(c, n) for c, n, fn in handlers if not getattr(fn, "__cisp_guarded__", False)] == []
    assert GoalsState.event_handlers["save"].fn.__wrapped__.__name__ == "save"


def test_a_handler_with_an_annotation_the_guard_does_not_know_fails_at_import():
    def odd(self, when: complex):
        pass

    with pytest.raises(TypeError, match="guard.CHECKS"):
        guard.guarded(odd)
