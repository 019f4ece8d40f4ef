"""A page's load (`session.screen`): the guard's refusals come before anything is loaded, for
every screen whose load it makes; who acts is learnt one way (`_actor`); what sign-out forgets
is derived (`private_states`)."""

from __future__ import annotations

import pytest

from cisp_pwa import routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.people import auth, consent
from cisp_pwa.state.live import LiveState
from cisp_pwa.state.session import SCREEN, SessionState, of_role, private_states, screen
from tests.services.helpers import actor, signed_in, user_id

from .helpers import OPENINGS, open_screen, redirect_path, run, states

LOGINS = ("amina", "julie", "marc", "sophie")  # one of each role in the demo


def page_screens() -> list[type[SessionState]]:
    """The states whose load `screen` made."""
    return [cls for cls in states() if "load" in cls.event_handlers
            and hasattr(cls.event_handlers["load"].fn, SCREEN)]


def test_every_page_screen_has_an_opening():
    found = {cls.__name__ for cls in page_screens()}
    assert {"TraineeHomeState", "SecurityState", "AdminHomeState"} <= found  # the derivation works
    assert sorted(found ^ set(OPENINGS)) == []


def _shown_nothing(screen: SessionState) -> bool:
    return not getattr(screen, "loaded", False) and screen.user_id == 0 and screen.display_name == ""


@pytest.mark.parametrize("cls", page_screens(), ids=lambda cls: cls.__name__)
def test_the_guard_refuses_before_the_load_runs(demo_db, cls):
    roles, page = getattr(cls.event_handlers["load"].fn, SCREEN)
    login, query = OPENINGS[cls.__name__]
    query = query.format(amina=user_id("amina"))
    page = page or routes.LANDING[roles]

    # Nobody signed in (signed out elsewhere, expired): to sign-in, back to this page after.
    token = signed_in(login).token
    auth.sign_out(auth.token_hash(token))
    shown, then = run(open_screen(cls, token, query))
    assert redirect_path(then) == f"{routes.path('fr', routes.SIGN_IN)}?next={routes.path('fr', page)}"
    assert _shown_nothing(shown)
    assert shown.token == ""  # the phone's session is forgotten

    # Another role: to that person's own landing screen.
    other = next(who for who in LOGINS if of_role(actor(who), roles) is None)
    shown, then = run(open_screen(cls, signed_in(other).token, query))
    assert redirect_path(then) == routes.path("fr", routes.LANDING[actor(other).role])
    assert _shown_nothing(shown)

    # No standing yes to her terms: to them first, then back here.
    consent.withdraw(actor(login))
    shown, then = run(open_screen(cls, signed_in(login).token, query))
    assert redirect_path(then) == f"{routes.path('fr', routes.CONSENT)}?next={routes.path('fr', page)}"
    assert _shown_nothing(shown)


def test_a_load_is_written_with_the_actor_and_called_with_the_locale():
    def load(self, actor: Actor):
        pass

    made = screen(Role.admin)(load)
    assert list(made.__signature__.parameters) == ["self", "locale"] and made.__annotations__ == {"locale": str}
    assert getattr(made, SCREEN) == (Role.admin, None)
    with pytest.raises(TypeError, match="load"):
        screen(Role.admin)(lambda self, locale: None)


@pytest.mark.parametrize("roles, allowed", [
    (None, {"amina", "julie", "marc", "sophie"}),
    (Role.coach, {"julie"}),
    (frozenset({Role.coach, Role.admin}), {"julie", "sophie"}),
])
def test_of_role_keeps_the_actor_of_these_roles(demo_db, roles, allowed):
    assert {who for who in LOGINS if of_role(actor(who), roles) is not None} == allowed
    assert of_role(None, roles) is None


def test_sign_out_forgets_every_state_but_those_that_hold_nothing_personal():
    forgotten = set(private_states())
    assert LiveState in forgotten and all(issubclass(cls, SessionState) for cls in forgotten)
    kept = {cls.__name__ for cls in states() if cls not in forgotten}
    assert kept == {"SignInState", "WelcomeState", "EnrolState", "ConsentState"}
    assert all(not cls.HOLDS_PERSONAL for cls in states() if cls not in forgotten)
