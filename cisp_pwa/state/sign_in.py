"""The sign-in form."""

from __future__ import annotations

import asyncio

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.services import auth
from cisp_pwa.services.errors import SignInRefused, SignInThrottled

from .session import SessionState, landing_after_sign_in


class SignInState(SessionState):
    # A message id, translated by the page: "", "missing", "refused", "throttled".
    error: str = ""
    busy: bool = False

    @rx.event
    def open(self, locale: str):
        self.error = ""
        self.busy = False
        if self._current_actor() is not None:
            return SessionState.open_home(locale)

    @rx.event
    async def sign_in(self, form: dict):
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
            client = self.router.session.client_ip or self.router.session.client_token
            signed = await asyncio.to_thread(auth.sign_in, login, password, client)
        except SignInThrottled:
            self.error = "throttled"
            return
        except SignInRefused:
            self.error = "refused"
            return
        finally:
            self.busy = False
        self._set_session(signed.token)
        self.display_name = signed.actor.display_name
        if signed.new_phone_at is not None:
            self.new_phone_on = i18n.format_datetime(signed.new_phone_at, signed.actor.locale)
        target = landing_after_sign_in(signed.actor, self.router.url.query_parameters.get("next", ""))
        if signed.actor.locale != page_locale:
            # Another language: load the page whole so <html lang dir> is right from the first paint.
            yield rx.call_script(f"window.location.replace({target!r})")
        else:
            yield rx.redirect(target, replace=True)
