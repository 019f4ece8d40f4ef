"""Showing a one-time invitation (QR code and short code), for admins and coaches alike."""

from __future__ import annotations

import reflex as rx
import segno

from cisp_pwa import i18n, routes
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.people import invitations


class InvitationMixin(rx.State, mixin=True):
    invite_code: str = ""
    invite_qr: str = ""
    invite_url: str = ""
    invite_until: str = ""
    invite_for: str = ""

    def _make_invitation(self, actor: Actor, trainee_id: int) -> None:
        """Create it and keep what the screen shows; the code is shown here once, never stored."""
        try:
            made = invitations.create_invitation(actor, trainee_id)
        except (AccessDenied, InvalidInput):
            self.invite_code = ""
            return
        origin = self.router.url.origin or ""
        self.invite_url = f"{origin}{routes.path(actor.locale, routes.WELCOME)}?code={made.code}"
        self.invite_qr = segno.make(self.invite_url, error="m").svg_data_uri(scale=6, border=2)
        self.invite_code, self.invite_for = made.code, made.trainee_name
        self.invite_until = i18n.format_datetime(made.expires_at, actor.locale, "short")
