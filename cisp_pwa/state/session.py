"""Who is signed in on this device.

The browser keeps a random token (localStorage); every event resolves it again against the
server-side session, so a websocket reconnect (which may mint a new client token) keeps the
person signed in, and a revoked session or a deactivated account stops at once.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Collection
from typing import Callable, ClassVar

import reflex as rx
from reflex.event import EventSpec

from cisp_pwa import client_address, i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.people import accounts, auth, consent

from . import sealing
from .guard import GUARDED, ERROR_FIELD, close_setvar, guard_class, guarded

# Forget the personal data kept on the phone (components/offline.jsx); true: drafts too.
FORGET = "window.cispForget && window.cispForget(%s)"
# In stored states, in place of the token: "the phone holds the token whose hash is `_session`".
# A page that opens (hydrate) puts back what the phone holds, so it never reaches the phone.
_KEPT = "(kept as its hash)"
_SAFE_NEXT = re.compile(r"^/[a-z]{2}/([a-z-]+)/$")
SCREEN = "__cisp_screen__"  # set on a load made by `screen`: who may open it, and its page


# Who may open a screen or run a handler: one role, several, or None (anyone signed in).
Roles = Role | Collection[Role] | None


def of_role(actor: Actor | None, roles: Roles) -> Actor | None:
    """`actor` when it has one of `roles`, else None."""
    if actor is None or roles is None:
        return actor
    return actor if actor.role == roles or (not isinstance(roles, Role) and actor.role in roles) else None


class SessionState(rx.State):
    # The session token: kept on the phone, sent by it when a page opens. The server keeps only
    # its hash between events (`_session`): the state storage never holds a token that signs in.
    token: str = rx.LocalStorage("", name="cisp_session")
    _session: str = ""
    display_name: str = ""
    user_id: int = 0  # whose copies and drafts this phone keeps (components/offline.jsx)
    role: str = ""  # the signed-in person's role: the staff's menu (components/layout.py)
    new_phone_on: str = ""  # when a new phone was set up for this account: said once after sign-in
    # What a screen holds is personal (what it shows, a form half filled): forgotten at sign-out
    # (`private_states`). The screens that come before (sign-in, a link, the terms) say False.
    HOLDS_PERSONAL: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs):
        guard_class(cls)  # every handler of every screen: checked arguments, nothing raised
        super().__init_subclass__(**kwargs)
        close_setvar(cls)

    def __getstate__(self):
        fields = dict(super().__getstate__())
        if fields.get("token") and fields["token"] != _KEPT:  # stored (Redis): the hash, never the token
            fields["_session"], fields["token"] = auth.token_hash(fields["token"]), _KEPT
        return sealing.seal(fields)  # and what the screen shows, unreadable there (sealing.py)

    def __setstate__(self, stored: dict):
        super().__setstate__(sealing.unseal(stored))

    def _session_hash(self) -> str:
        if self.token == _KEPT:  # read back from the state storage
            return self._session
        # Sent by the phone when a page opens (none: this phone signed out, perhaps offline),
        # or given by a sign-in.
        hashed = auth.token_hash(self.token) if self.token else ""
        if hashed != self._session:  # written only when it changes: a write marks the state dirty
            self._session = hashed
        return hashed

    def _set_session(self, token: str) -> None:
        self.token, self._session = token, auth.token_hash(token) if token else ""

    def _client(self) -> str:
        """Who knocks, for the limits on guesses: the address behind a trusted proxy
        (client_address.py), else this screen's own token."""
        return client_address.for_router(self.router) or self.router.session.client_token

    def _actor(self, roles: Roles = None) -> Actor | None:
        """Who this phone's session signs in, checked again for this event; None when nobody is,
        or someone not of `roles` (see `of_role`). The one way the screens learn who acts."""
        return of_role(auth.actor_for_token_hash(self._session_hash()), roles)

    def _terms_needed(self, actor: Actor) -> bool:
        """No standing yes to the current text of her terms (never said, withdrawn, newer text)."""
        return consent.needed(actor)

    def _to_terms(self, actor: Actor) -> EventSpec:
        """To her terms, then back to this screen."""
        page = self.router.url.path or routes.path(actor.locale, routes.LANDING[actor.role])
        return rx.redirect(f"{routes.path(actor.locale, routes.CONSENT)}?next={page}")

    async def _clear_private(self) -> None:
        """Forget everything personal this client's state holds."""
        for state_cls in private_states():
            (await self.get_state(state_cls)).reset()
        self.display_name, self.user_id, self.new_phone_on, self.role = "", 0, "", ""

    async def _guard(self, locale: str, roles: Roles, page: str | None = None) -> Actor | EventSpec:
        """The actor, when signed in with one of these roles; else where to send the browser.
        `page`, where sign-in leads back, is needed with several roles (else: the role's landing)."""
        actor = self._actor()
        page = page or routes.LANDING[roles]
        if actor is None:
            await self._clear_private()
            self._set_session("")
            return rx.redirect(f"{routes.path(locale, routes.SIGN_IN)}?next={routes.path(locale, page)}")
        if of_role(actor, roles) is None:
            return rx.redirect(routes.path(actor.locale, routes.LANDING[actor.role]))
        if actor.locale != locale and locale in i18n.LOCALES:
            # The person switched language on this screen: keep it on the account.
            actor = accounts.set_locale(actor, locale)
        if self._terms_needed(actor):  # her terms first (again when their text changed), then here
            return rx.redirect(f"{routes.path(actor.locale, routes.CONSENT)}?next={routes.path(actor.locale, page)}")
        self.display_name, self.user_id, self.role = actor.display_name, actor.id, Role(actor.role).value
        return actor

    @rx.event
    @guarded
    async def open_home(self, locale: str):
        """/<locale>/ : signed in -> own landing screen, else sign-in."""
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.path(locale, routes.SIGN_IN), replace=True)
        return rx.redirect(routes.path(actor.locale, routes.LANDING[actor.role]), replace=True)

    @rx.event
    @guarded
    def dismiss_new_phone(self):
        self.new_phone_on = ""

    @rx.event
    @guarded
    async def session_over(self):
        """The session ended elsewhere (signed out, expired, account deactivated): forget
        everything and load the start page whole, which opens sign-in in the kept language."""
        await self._clear_private()
        self._set_session("")
        # The copies of screens go; drafts wait for the same person (offline.jsx).
        return rx.call_script(f"{FORGET % 'false'}; window.location.replace('/')")

    @rx.event
    @guarded
    async def sign_out(self, locale: str):
        auth.sign_out(self._session_hash())
        self._set_session("")
        await self._clear_private()
        # Nothing personal stays on the phone; a new history entry: "back" then lands on the
        # protected screen, whose guard answers.
        return [rx.call_script(FORGET % "true"), rx.redirect(routes.path(locale, routes.SIGN_IN))]


close_setvar(SessionState)


@functools.cache  # the states are classes: found once, not at every sign-out
def private_states() -> tuple[type[SessionState], ...]:
    """The states that hold personal data, reset at sign-out: every state below SessionState
    but those that say they hold none (`HOLDS_PERSONAL`). Each module of this package is
    imported first: a state that only a component imports is found too."""
    package = sys.modules[__package__]
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{__package__}.{info.name}")
    found, todo = [], [SessionState]
    while todo:
        for sub in todo.pop().get_substates():
            todo.append(sub)
            if sub.HOLDS_PERSONAL:
                found.append(sub)
    return tuple(sorted(found, key=lambda cls: cls.get_full_name()))


def signed_in(role: Role | None = None, error: str | None = None,
              before_terms: bool = False) -> Callable[[Callable], Callable]:
    """The one rule for a handler that acts for someone:

        @rx.event
        @signed_in(Role.admin, error="create_error")
        def create(self, actor: Actor, form: dict): ...

    The session is checked again for this event; with nobody signed in with `role` (None: any
    role), the handler does not run and the screen ends the session (`session_over`), else it
    gets the actor after `self`. Its visible signature has no `actor`: the guard checks, and
    Reflex builds events from, the arguments the page sends only, and an `actor` sent by a
    page is refused. A service's refusal goes to `error` (default: the state's ERROR_VAR),
    through the guard (guard.py), which wraps this at class creation.

    Like the page guard, it refuses a person who has no standing yes to the current text of her
    terms (never said, withdrawn, or a newer text): the handler does not run and the screen goes to
    her terms. Only the terms' own handlers say `before_terms=True`."""

    def decorate(fn: Callable) -> Callable:
        if getattr(fn, GUARDED, False):
            raise TypeError(f"{fn.__qualname__}: put @signed_in below the guard, not above it")
        signature = inspect.signature(fn)
        params = list(signature.parameters.values())
        if len(params) < 2 or params[1].name != "actor":
            raise TypeError(f"{fn.__qualname__}: @signed_in passes `actor` right after self")

        def actor_of(state: SessionState) -> Actor | EventSpec | None:
            actor = state._actor(role)
            if actor is not None and not before_terms and state._terms_needed(actor):
                return state._to_terms(actor)
            return actor

        if inspect.isasyncgenfunction(fn):
            @functools.wraps(fn)
            async def wrapper(self, *args, **kwargs):
                if (actor := actor_of(self)) is None:
                    yield SessionState.session_over
                    return
                if not isinstance(actor, Actor):  # her terms first
                    yield actor
                    return
                async for item in fn(self, actor, *args, **kwargs):
                    yield item
        elif inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def wrapper(self, *args, **kwargs):
                if (actor := actor_of(self)) is None:
                    return SessionState.session_over
                if not isinstance(actor, Actor):  # her terms first
                    return actor
                return await fn(self, actor, *args, **kwargs)
        else:
            @functools.wraps(fn)
            def wrapper(self, *args, **kwargs):
                if (actor := actor_of(self)) is None:
                    return SessionState.session_over
                if not isinstance(actor, Actor):  # her terms first
                    return actor
                return fn(self, actor, *args, **kwargs)

        # What inspect.signature and typing.get_type_hints (the guard's, Reflex's) read.
        wrapper.__signature__ = signature.replace(parameters=[params[0], *params[2:]])
        wrapper.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "actor"}
        if error:
            setattr(wrapper, ERROR_FIELD, error)
        return wrapper

    return decorate


def screen(roles: Roles, page: str | None = None) -> Callable[[Callable], Callable]:
    """The one rule for a page's load:

        @rx.event
        @screen(Role.coach, routes.TRAINEE_FILE)
        def load(self, actor: Actor): ...

    The page's guard runs first (`SessionState._guard`): with nobody signed in, the screen forgets
    what it held and goes to sign-in (back to `page` after); another role goes to its own landing
    screen; a person without a standing yes to her terms goes to them. Only then does the load run,
    with the actor; the page calls it as `load(locale)`. A live screen (live.py) then starts its
    updates, unless the load returned what comes next instead (`[]`: nothing, the screen found
    nothing to show)."""

    def decorate(fn: Callable) -> Callable:
        params = list(inspect.signature(fn).parameters)
        if params != ["self", "actor"] or inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn.__qualname__}: a screen's load is `def load(self, actor: Actor)`")

        @functools.wraps(fn)
        async def load(self, locale: str):
            actor = await self._guard(locale, roles, page)
            if not isinstance(actor, Actor):
                return actor  # to sign-in, to her own screen or to her terms
            then = fn(self, actor)
            watch = getattr(type(self), "watch", None)  # a live screen's updates (live.py)
            return watch if then is None and watch is not None else then

        # What inspect.signature and typing.get_type_hints (the guard's, Reflex's) read.
        load.__signature__ = inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                                                inspect.Parameter("locale", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                                  annotation=str)])
        load.__annotations__ = {"locale": str}
        setattr(load, SCREEN, (roles, page))
        return load

    return decorate


def landing_after_sign_in(actor: Actor, next_path: str) -> str:
    """Back to the protected screen asked for (in the account's language), else the landing."""
    match = _SAFE_NEXT.match(next_path or "")
    if match and match.group(1) in routes.SCREENS_OF[actor.role]:
        return routes.path(actor.locale, match.group(1))
    return routes.path(actor.locale, routes.LANDING[actor.role])
