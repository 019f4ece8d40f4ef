"""Welcome: the phone that opens an invitation is signed in, then the trainee chooses a PIN."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import reflex as rx

from cisp_pwa import client_address, i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.errors import AccessDenied, InvalidInput, Throttled
from cisp_pwa.services.people import invitations

from . import device_secret
from .session import SessionState

class WelcomeState(SessionState):
    HOLDS_PERSONAL: ClassVar[bool] = False  # before her PIN: a step and a message id
    step: str = "code"  # code | pin | done
    error: str = ""
    busy: bool = False
    locale: str = "fr"

    @rx.event
    async def open(self, locale: str):
        self.locale, self.error, self.busy = i18n.normalise(locale), "", False
        code = self.router.url.query_parameters.get("code", "")
        actor = self._actor()
        if code:
            async for event in self._redeem(code):
                yield event
        elif actor is not None and actor.role == Role.trainee:
            self.step = "pin"
        else:
            self.step = "code"

    @rx.event
    async def submit_code(self, form: dict):
        async for event in self._redeem(str(form.get("code", ""))):
            yield event

    async def _redeem(self, code: str):
        signed_in = self._actor()
        self.busy = True
        yield
        try:
            signed = await asyncio.to_thread(invitations.redeem, code, client_address.for_router(self.router),
                                             self.router.session.client_token, signed_in=signed_in)
        except Throttled:
            self.error, self.step, self.busy = "too_many", "code", False
            return
        except invitations.InvitationRefused as exc:
            self.error, self.step, self.busy = exc.code, "code", False
            return
        self.busy = False
        self._set_session(signed.token)
        self.display_name = signed.actor.display_name
        self.error, self.step = "", "pin"
        # Her PIN will sign in on this phone only: it keeps its secret for her account.
        if signed.actor.locale != self.locale:
            yield device_secret.keep(signed.login, signed.device_secret, then=(
                f"window.location.replace({routes.path(signed.actor.locale, routes.WELCOME)!r})"))
        else:
            yield device_secret.keep(signed.login, signed.device_secret)
            # Drop the code from the address bar: it has been used.
            yield rx.redirect(routes.path(self.locale, routes.WELCOME), replace=True)

    @rx.event
    async def submit_pin(self, form: dict):
        actor = self._actor()
        if actor is None:
            self.step = "code"
            return
        pin, again = str(form.get("pin", "")), str(form.get("pin_again", ""))
        if pin != again:
            self.error = "pin_mismatch"
            return
        try:
            await asyncio.to_thread(invitations.set_pin, actor, pin)
        except InvalidInput as exc:
            self.error = exc.code  # pin_invalid | pin_too_easy
            return
        except AccessDenied:
            self.error = "not_allowed"
            return
        self.error, self.step = "", "done"
