"""Screens without a browser: a state tree as Reflex builds it for one client, a page's load run
as the page runs it."""

from __future__ import annotations

import asyncio
import contextvars
import importlib
import pkgutil
from concurrent.futures import ThreadPoolExecutor

import reflex as rx
from reflex.istate.data import RouterData

import cisp_pwa.state as state_package
from cisp_pwa import cisp_pwa  # noqa: F401 - the states as the server builds them
from cisp_pwa.state.session import SessionState

for _info in pkgutil.iter_modules(state_package.__path__):  # every screen, also those only a component imports
    importlib.import_module(f"{state_package.__name__}.{_info.name}")

# Who opens each screen in the demo data, and the page's query string ({amina}: her id). Amina
# (trainee at La Passerelle) is supported by julie (coach) and marc (trainer); sophie is the
# centre's admin.
OPENINGS: dict[str, tuple[str, str]] = {
    "TraineeHomeState": ("amina", ""),
    "GoalsState": ("amina", ""),
    "SkillsState": ("amina", ""),
    "PassportState": ("amina", ""),
    "HelpState": ("amina", ""),
    "MyDataState": ("amina", ""),
    "TraineeMessagesState": ("amina", ""),
    "CoachHomeState": ("julie", ""),
    "CoachConversationState": ("julie", "trainee={amina}"),
    "TraineeFileState": ("julie", "trainee={amina}"),
    "TrainerHomeState": ("marc", ""),
    "PartnersAdminState": ("sophie", ""),
    "AdminHomeState": ("sophie", ""),
    "PathwayEditorState": ("sophie", "id=1"),
    "SecurityState": ("julie", ""),
    "AttendanceState": ("sophie", ""),  # the admin: every group of her centre (a new one too)
    "MyHoursState": ("amina", ""),
    "HoursAdminState": ("sophie", ""),
}


def states(below: type = SessionState) -> list[type]:
    """Every state class below this one, at any depth."""
    found, todo = [], [below]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return sorted(found, key=lambda cls: cls.__name__)


def run(coroutine):
    """Run a coroutine to its end. In a thread of its own: the browser tests' Playwright keeps an
    event loop in this one. Reflex finds its states through a context variable: the thread gets
    this one's."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(contextvars.copy_context().run, asyncio.run, coroutine).result()


async def open_screen(cls: type[SessionState], token: str, query: str = "") -> tuple[SessionState, object]:
    """The screen in a state tree of its own, with this session token on the phone, as the page's
    load leaves it; and what the load returned (what the browser does next)."""
    root = rx.State(_reflex_internal_init=True)
    screen = root.get_substate(cls.get_full_name().split("."))
    screen._set_session(token)
    path = "/fr/screen/"
    screen.router = RouterData.from_router_data({
        "token": "a-client-token", "pathname": path, "asPath": f"{path}?{query}" if query else path,
        "headers": {"origin": "http://localhost"}})
    then = await cls.event_handlers["load"].fn(screen, "fr")
    return screen, then


def redirect_path(then: object) -> str:
    """Where a load's `rx.redirect` sends the browser ("" when it is no redirect)."""
    args = {str(k): v for k, v in getattr(then, "args", ())}
    return getattr(args.get("path"), "_var_value", "")
