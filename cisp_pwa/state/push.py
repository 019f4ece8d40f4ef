"""The "Notifications" card: one on/off per kind, for the signed-in person.

Turning a kind on comes from the browser (push_settings.jsx) with this phone's endpoint and
keys, after the person allowed notifications; turning it off needs nothing from the browser.
"""

from __future__ import annotations

import reflex as rx

from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.infra import push

from .session import SessionState, signed_in

# What the card says when it did not work; the browser reports "unsupported" and "denied" itself.
PROBLEMS = ("unsupported", "denied", "failed")


class PushSettingsState(SessionState):
    on: list[str] = []
    public_key: str = ""
    problem: str = ""
    # Bumped on every answer, so the switch stops waiting even when nothing changed.
    revision: int = 0

    def _show(self, settings: push.PushSettings) -> None:
        self.on = list(settings.enabled)
        self.public_key = settings.public_key
        self.revision += 1

    def _call(self, call, *args) -> None:
        # The card's own words for a refusal (`problem`); the switch stops waiting either way.
        try:
            self._show(call(*args))
            self.problem = ""
        except InvalidInput as exc:
            # A push service we do not know is, for the person, a phone that cannot do it.
            self.problem = "unsupported" if exc.code == "push_endpoint_invalid" else "failed"
            self.revision += 1
        except AccessDenied:
            self.problem = "failed"
            self.revision += 1

    @rx.event
    def load(self):
        actor = self._actor(push.KINDS_BY_ROLE)  # the roles with a Notifications card
        if actor is not None:
            self.problem = ""
            self._show(push.settings_for(actor))

    # Any role signed in: the card is shown to trainees and coaches only, and for the other
    # roles push.settings_for refuses (AccessDenied, the guard's: nothing changes).
    @rx.event
    @signed_in()
    def enable(self, actor: Actor, kind: str, endpoint: str, p256dh: str, auth: str):
        current = push.settings_for(actor).enabled
        self._call(push.subscribe, actor, endpoint, p256dh, auth, [*current, kind])

    @rx.event
    @signed_in()
    def disable(self, actor: Actor, kind: str):
        current = push.settings_for(actor).enabled
        self._call(push.set_kinds, actor, [k for k in current if k != kind])

    @rx.event
    def report(self, problem: str):
        """What the browser found: no push here, or notifications blocked."""
        self.problem = problem if problem in PROBLEMS else "failed"
        self.revision += 1
