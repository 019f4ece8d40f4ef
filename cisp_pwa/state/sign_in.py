"""The sign-in form, and the second factor that staff accounts add to it."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.services.errors import AccessDenied, DeviceUnknown, SignInRefused, SignInThrottled
from cisp_pwa.services.people import auth, second_factor

from . import device_secret
from .reveal import reveal_setup
from .second_factor_setup import CODES, SecondFactorSetupMixin
from .session import SessionState, landing_after_sign_in

# The steps of this screen after the password (services/people/second_factor.py), then the codes.
PASSWORD, CODE, SET_UP = "", second_factor.CODE, second_factor.SET_UP


class SignInState(SecondFactorSetupMixin, SessionState):
    HOLDS_PERSONAL: ClassVar[bool] = False  # before sign-in: a step and a message id
    # A message id, translated by the page: "", "missing", "refused", "device_unknown" (a PIN on
    # a phone that is not hers yet), "throttled", "throttled_short" (a minute at most), and the second factor's
    # ("second_factor_wrong", "too_many", "expired").
    error: str = ""
    busy: bool = False
    step: str = PASSWORD

    @rx.event
    def open(self, locale: str):
        self.error, self.busy, self.step = "", False, PASSWORD
        if self._actor() is not None:
            return SessionState.open_home(locale)

    def _signed_in(self, actor, page_locale: str):
        """Into the app: the screen asked for, in the account's language."""
        self.display_name, self.step = actor.display_name, PASSWORD
        target = landing_after_sign_in(actor, self.router.url.query_parameters.get("next", ""))
        if actor.locale != page_locale:
            # Another language: load the page whole so <html lang dir> is right from the first paint.
            return rx.call_script(f"window.location.replace({target!r})")
        return rx.redirect(target, replace=True)

    @rx.event
    async def sign_in(self, form: dict, device: str = ""):
        """`device`: what this phone keeps for the login typed (state/device_secret.py)."""
        login = str(form.get("login", ""))
        password = str(form.get("password", ""))
        page_locale = i18n.normalise(str(form.get("locale", "")))
        if not login.strip() or not password:
            self.error = "missing"
            return
        self.busy = True
        self.error = ""
        yield
        try:
            # argon2 is slow on purpose: keep it off the event loop.
            signed = await asyncio.to_thread(auth.sign_in, login, password, self._client(), None, device)
        except SignInThrottled as exc:
            # Growing delays: most waits are seconds, not minutes.
            self.error = "throttled_short" if exc.details.get("retry_after", 0) <= 60 else "throttled"
            return
        except DeviceUnknown:
            self.error = "device_unknown"
            return
        except SignInRefused:
            self.error = "refused"
            return
        finally:
            self.busy = False
        self._set_session(signed.token)  # until the second factor is given, it signs nobody in
        if signed.device_secret:  # this browser is hers from now on (kept on it, never in state)
            yield device_secret.keep(signed.login, signed.device_secret)
        if signed.second_factor == SET_UP:
            self.step = SET_UP
            yield reveal_setup(second_factor.start_setup_signing_in(self._session_hash()))
            return
        if signed.second_factor == CODE:
            self.step = CODE
            return
        if signed.new_phone_at is not None:
            self.new_phone_on = i18n.format_datetime(signed.new_phone_at, signed.actor.locale)
        yield self._signed_in(signed.actor, page_locale)

    def _expired(self) -> None:
        """The waiting session ended (10 minutes, or signed out): start again from the password."""
        self._set_session("")
        self.step, self.error = PASSWORD, "expired"

    @rx.event
    def verify(self, form: dict):
        """The app's code, or a recovery code: the session opens."""
        try:
            actor = second_factor.verify_signing_in(self._session_hash(), str(form.get("second-factor-code", "")),
                                                    self._client())
        except AccessDenied:
            return self._expired()
        self.error = ""
        return self._signed_in(actor, i18n.normalise(str(form.get("locale", ""))))

    @rx.event
    def start_again(self):
        auth.sign_out(self._session_hash())
        self._set_session("")
        self.step, self.error = PASSWORD, ""
