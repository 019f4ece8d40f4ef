"""A staff member's own account security: the authenticator app and the recovery codes."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.people import second_factor

from .reveal import reveal_codes, reveal_setup
from .session import SessionState, screen, signed_in

# What the screen shows under the status: nothing, the set-up, a code to confirm a change
# ("new_codes", "turn_off"), or the new recovery codes.
IDLE, SET_UP, NEW_CODES, TURN_OFF, CODES = "", "set_up", "new_codes", "turn_off", "codes"


class SecurityState(SessionState):
    loaded: bool = False
    on: bool = False
    required: bool = False
    codes_left: int = 0
    step: str = IDLE
    error: str = ""
    notice: str = ""  # "on", "off", "": what just changed
    alert_text: str = ""  # wrong codes piled up on this account lately: said in her language

    def _show(self, actor: Actor) -> None:
        status = second_factor.status(actor)
        self.on, self.required, self.codes_left = status.on, status.required, status.recovery_codes_left
        alert = second_factor.last_alert(actor)
        _ = i18n.gettext_for(actor.locale)
        self.alert_text = _("Le %(date)s, 10 codes faux ont été tapés après votre mot de passe. Si ce n'était pas "
                            "vous, quelqu'un connaît votre mot de passe : prévenez la coordination du centre.") % {
            "date": i18n.format_datetime(alert, actor.locale)} if alert else ""
        self.loaded = True

    @rx.event
    @screen(second_factor.ROLES_ALLOWED, routes.SECURITY)  # any staff role
    def load(self, actor: Actor):
        self.step, self.error, self.notice = IDLE, "", ""
        self._show(actor)

    @rx.event
    @signed_in()  # a staff role: the service says who may (second_factor.ROLES_ALLOWED)
    def start(self, actor: Actor):
        setup = second_factor.start_setup(actor)
        self.step, self.error, self.notice = SET_UP, "", ""
        return reveal_setup(setup)

    @rx.event
    @signed_in()  # a staff role: the service says who may (second_factor.ROLES_ALLOWED)
    def confirm_set_up(self, actor: Actor, form: dict):
        codes = second_factor.confirm_setup(actor, str(form.get("second-factor-code", "")), self._client())
        self.step, self.error, self.notice = CODES, "", "on"
        self._show(actor)
        return reveal_codes(codes)

    @rx.event
    def ask_code(self, step: str):
        """New recovery codes or turning the app off: the app's code first."""
        if step in (NEW_CODES, TURN_OFF):
            self.step, self.error, self.notice = step, "", ""

    @rx.event
    @signed_in()  # a staff role: the service says who may (second_factor.ROLES_ALLOWED)
    def confirm_with_code(self, actor: Actor, form: dict):
        code = str(form.get("second-factor-code", ""))
        if self.step == NEW_CODES:
            codes = second_factor.new_recovery_codes(actor, code, self._client())
            self.step, self.error = CODES, ""
            self._show(actor)
            return reveal_codes(codes)
        if self.step == TURN_OFF:
            second_factor.turn_off(actor, code, self._client())
            self.step, self.error, self.notice = IDLE, "", "off"
            self._show(actor)

    @rx.event
    def cancel(self):
        self.step, self.error = IDLE, ""
