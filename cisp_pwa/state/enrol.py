"""Enrolment: a staff member opens her one-time link, chooses her password, and an admin then sets
up her authenticator app (the same steps and components as at sign-in) before her home opens."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import InvalidInput, Throttled
from cisp_pwa.services.people import enrolment, second_factor

from .reveal import reveal_setup
from .second_factor_setup import CODES, SecondFactorSetupMixin
from .session import SessionState

# The steps of this screen.
CHECK, REFUSED, PASSWORD, SET_UP, EXPIRED = "check", "refused", "password", "set_up", "expired"
# The page's address without the used code (it never goes back into the history).
_DROP_CODE = "window.history.replaceState(window.history.state, '', window.location.pathname)"


def _refusal(exc: Throttled | enrolment.EnrolmentRefused) -> str:
    """Why the link opens nothing: too many tries, or the link's own reason."""
    return "too_many" if isinstance(exc, Throttled) else exc.code


class EnrolState(SecondFactorSetupMixin, SessionState):
    HOLDS_PERSONAL: ClassVar[bool] = False  # before the account's password: a step and a message id
    step: str = CHECK
    # Why the link opens nothing: enrolment_missing | enrolment_unknown | enrolment_used |
    # enrolment_expired | too_many.
    refused: str = ""
    # Why the form was refused: password_mismatch | password_too_short | password_too_long, and the
    # second factor's (second_factor_wrong, too_many).
    error: str = ""
    busy: bool = False
    was_reset: bool = False  # her centre's administration reset her access: said plainly
    for_admin: bool = False  # an authenticator app comes next

    def _code(self) -> str:
        """The link's code, read from the page's address at each event (never kept in the state)."""
        code = self.router.url.query_parameters.get("code", "")
        return code if isinstance(code, str) else ""

    @rx.event
    async def open(self, locale: str):
        self.error, self.refused, self.busy, self.step = "", "", False, CHECK
        self.was_reset, self.for_admin = False, False
        code = self._code()
        if not code:
            self.step, self.refused = REFUSED, "enrolment_missing"
            return
        try:
            view = await asyncio.to_thread(enrolment.peek, code, self._client(), self.router.session.client_token)
        except (Throttled, enrolment.EnrolmentRefused) as exc:
            self.step, self.refused = REFUSED, _refusal(exc)
            return
        self.display_name, self.was_reset = view.display_name, view.reset
        self.for_admin, self.step = view.role == Role.admin.value, PASSWORD

    @rx.event
    async def set_password(self, form: dict):
        password, again = str(form.get("password", "")), str(form.get("password_again", ""))
        page_locale = i18n.normalise(str(form.get("locale", "")))
        if password != again:
            self.error = "password_mismatch"
            return
        if problem := enrolment.password_problem(password):
            self.error = problem
            return
        self.busy, self.error = True, ""
        yield
        try:
            # argon2 is slow on purpose: off the event loop.
            signed = await asyncio.to_thread(enrolment.set_password, self._code(), password, self._client(),
                                             self.router.session.client_token)
        except (Throttled, enrolment.EnrolmentRefused) as exc:
            self.step, self.refused = REFUSED, _refusal(exc)
            return
        except InvalidInput as exc:
            self.error = exc.code
            return
        finally:
            self.busy = False
        await self._clear_private()  # whoever used this browser before: nothing of theirs stays
        self._set_session(signed.token)
        yield rx.call_script(_DROP_CODE)
        if signed.second_factor == second_factor.SET_UP:
            self.step = SET_UP
            yield reveal_setup(second_factor.start_setup_signing_in(self._session_hash()))
            return
        yield self._signed_in(signed.actor, page_locale)

    def _signed_in(self, actor: Actor, page_locale: str):
        """Her home screen (her terms first, the first time), in her language."""
        target = routes.path(actor.locale, routes.LANDING[actor.role])
        if actor.locale != page_locale:  # another language: the page loads whole, <html dir> right
            return rx.call_script(f"window.location.replace({target!r})")
        return rx.redirect(target, replace=True)

    def _expired(self) -> None:
        """10 minutes passed: her password stays, she signs in to go on."""
        self._set_session("")
        self.step = EXPIRED
