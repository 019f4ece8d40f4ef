"""The terms of one's role, read one idea at a time, then yes (or no, and whom to ask)."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from cisp_pwa import routes
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.people import consent

from .session import SessionState, landing_after_sign_in, signed_in

REFUSED = -1  # the step that says what "no" means


class ConsentState(SessionState):
    HOLDS_PERSONAL: ClassVar[bool] = False  # which terms and the step reached, nothing of hers
    loaded: bool = False
    kind: str = ""  # consent.TRAINEE or consent.STAFF: which terms this person reads
    step: int = 0
    error: str = ""

    @rx.event
    async def load(self, locale: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.path(locale, routes.SIGN_IN))
        if not consent.needed(actor):
            return rx.redirect(self._next(actor), replace=True)
        self.kind, self.step, self.error, self.loaded = consent.kind_for(actor.role), 0, "", True
        self.display_name, self.user_id = actor.display_name, actor.id

    def _next(self, actor: Actor) -> str:
        return landing_after_sign_in(actor, self.router.url.query_parameters.get("next", ""))

    @rx.event
    def go_to(self, step: int):
        self.step, self.error = step, ""

    @rx.event
    def say_no(self):
        self.step = REFUSED

    @rx.event
    @signed_in(before_terms=True)
    def accept(self, actor: Actor, version: str, locale: str):
        consent.accept(actor, version, locale)
        return rx.redirect(self._next(actor), replace=True)
