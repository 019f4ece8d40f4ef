"""The authenticator app's first code and its recovery codes while signing in: the same two steps
on the sign-in screen and on the enrolment screen (the same components show them)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.people import second_factor

from .reveal import reveal_codes

CODES = "codes"  # the step that shows the recovery codes, once


class SecondFactorSetupMixin(rx.State, mixin=True):
    """For a SessionState with `error` and `step`, `_client()`, `_expired()` (the waiting session
    ended) and `_signed_in(actor, page_locale)` (into the app, in the account's language)."""

    @rx.event
    def confirm_set_up(self, form: dict):
        """The app's first code: it is on, the session opens; the recovery codes show once."""
        try:
            codes = second_factor.confirm_setup_signing_in(
                self._session_hash(), str(form.get("second-factor-code", "")), self._client())
        except AccessDenied:  # 10 minutes passed
            return self._expired()
        self.error, self.step = "", CODES
        return reveal_codes(codes)

    @rx.event
    def codes_noted(self, locale: str):
        actor = self._actor()
        if actor is None:
            return self._expired()
        return self._signed_in(actor, i18n.normalise(locale))
