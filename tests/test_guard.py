"""The guard every handler runs behind (state/guard.py): arguments checked against the
handler's annotations before it runs, nothing raised, the reason left on the screen."""

from __future__ import annotations

import ast
import asyncio
import inspect
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cisp_pwa import cisp_pwa  # noqa: F401 - the states as the server builds them
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.state import guard
from cisp_pwa.state.admin import AdminHomeState
from cisp_pwa.state.goals import GoalsState
from cisp_pwa.state.session import SessionState, of_role, signed_in


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


# --- signed_in: the one rule for a handler that acts for someone ---------------------------

ADMIN = Actor(1, Role.admin, 1, "Sophie", "fr")
COACH = Actor(2, Role.coach, 1, "Julie", "fr")


class _Desk(_Screen):
    """A screen with a second field for refusals, and whoever its session resolves to."""

    create_error = ""

    def __init__(self, actor, without_terms=False):
        self.actor, self.without_terms = actor, without_terms

    def _actor(self, roles=None):
        return of_role(self.actor, roles)  # the real role check

    def _terms_needed(self, actor):
        return self.without_terms

    def _to_terms(self, actor):
        return "to her terms"

    @classmethod
    def get_fields(cls):
        return {"error": None, "create_error": None}


def _run(coroutine):
    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _three_kinds(calls, role=Role.admin, error=None):
    """The same handler written sync, async and as an async generator, as guard_class wraps them."""
    def sync(self, actor: Actor, title: str):
        calls.append((actor, title))
        if title == "refuse":
            raise InvalidInput("title_empty")
        return "ran"

    async def co(self, actor: Actor, title: str):
        return sync(self, actor, title)

    async def gen(self, actor: Actor, title: str):
        yield sync(self, actor, title)

    return [guard.guarded(signed_in(role, error=error)(fn)) for fn in (sync, co, gen)]


def _call(handler, screen, *args, **kwargs):
    """What the handler returned, or for a generator the list of what it yielded."""
    if inspect.isasyncgenfunction(handler):
        async def collect():
            return [x async for x in handler(screen, *args, **kwargs)]
        return _run(collect())
    if inspect.iscoroutinefunction(handler):
        return _run(handler(screen, *args, **kwargs))
    return handler(screen, *args, **kwargs)


@pytest.mark.parametrize("who, role", [(None, Role.admin), (COACH, Role.admin), (None, None)],
                         ids=["no session", "another role", "no session, any role"])
def test_signed_in_ends_the_session_and_never_runs_the_handler(who, role):
    calls = []
    for handler, over in zip(_three_kinds(calls, role), [SessionState.session_over,
                                                         SessionState.session_over,
                                                         [SessionState.session_over]]):
        screen = _Desk(who)
        assert _call(handler, screen, "t") == over
        assert screen.error == screen.create_error == ""
    assert calls == []


@pytest.mark.parametrize("who, role", [(ADMIN, Role.admin), (COACH, None)], ids=["that role", "any role"])
def test_signed_in_passes_the_actor_after_self(who, role):
    calls = []
    for handler, ran in zip(_three_kinds(calls, role), ["ran", "ran", ["ran"]]):
        assert _call(handler, _Desk(who), title="t") == ran
    assert calls == [(who, "t")] * 3


def test_signed_in_sends_a_person_without_a_yes_to_her_terms_to_them_and_never_runs_the_handler():
    calls = []
    for handler, back in zip(_three_kinds(calls, None), ["to her terms", "to her terms", ["to her terms"]]):
        assert _call(handler, _Desk(COACH, without_terms=True), "t") == back
    assert calls == []


def test_a_refusal_goes_to_the_field_the_handler_names():
    calls = []
    for handler in _three_kinds(calls, error="create_error"):
        screen = _Desk(ADMIN)
        _call(handler, screen, "refuse")
        assert (screen.create_error, screen.error) == ("title_empty", "")
    for handler in _three_kinds(calls):  # none named: the state's own
        screen = _Desk(ADMIN)
        _call(handler, screen, "refuse")
        assert (screen.create_error, screen.error) == ("", "title_empty")
    screen = _Desk(ADMIN)  # the guard's own refusals too
    assert _call(_three_kinds(calls, error="create_error")[0], screen, 5) is None
    assert (screen.create_error, screen.error) == (guard.BAD_REQUEST, "")


def test_the_page_sees_no_actor_argument_and_cannot_send_one():
    calls = []
    for handler in _three_kinds(calls):
        assert list(inspect.signature(handler).parameters) == ["self", "title"]
        screen = _Desk(ADMIN)
        assert _call(handler, screen, title="t", actor=COACH) in (None, [])
        assert screen.error == guard.BAD_REQUEST
    assert calls == []
    # As Reflex sees them: each handler's parameters and type hints, the upload's files.
    for cls, name, handler in _all_handlers():
        assert "actor" not in handler._parameters and "actor" not in handler._get_type_hints(), (cls, name)
    create = AdminHomeState.event_handlers["create"]
    assert list(create._parameters) == ["self", "form"] and create._get_type_hints() == {"form": dict}
    from reflex_base.event import resolve_upload_handler_param
    assert resolve_upload_handler_param(AdminHomeState.event_handlers["import_file"])[0] == "files"


def test_signed_in_wants_the_actor_right_after_self():
    def odd(self, title: str):
        pass

    with pytest.raises(TypeError, match="actor"):
        signed_in(Role.admin)(odd)


def test_a_misspelt_error_field_fails_at_import():
    class Screen:
        notes_error: str = ""

        @classmethod
        def _mixins(cls):
            return ()

        @signed_in(Role.coach, error="note_error")
        def add_note(self, actor: Actor, form: dict):
            pass

    with pytest.raises(TypeError, match="note_error"):
        guard.guard_class(Screen)


def _all_handlers():
    def states(cls):
        yield cls
        for sub in cls.get_substates():
            yield from states(sub)

    return [(cls.__name__, name, h) for cls in states(SessionState) for name, h in cls.event_handlers.items()
            if name != "setvar"]


# Another engineer's screens (sign-in, welcome), and where session_over is defined and used by
# signed_in itself.
_OWN_RULES = {"sign_in.py", "welcome.py", "session.py"}


def test_no_handler_ends_the_session_by_hand():
    """`return SessionState.session_over` after an actor check is what @signed_in does."""
    found = []
    for path in sorted(Path(guard.__file__).parent.glob("*.py")):
        if path.name in _OWN_RULES:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "session_over":
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
