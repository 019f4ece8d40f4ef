"""The authenticator app's set-up (QR code, key to type, first code) and the recovery codes.

The app's secret and the recovery codes are secrets: they never enter a state var (the
server keeps its states, see ARCHITECTURE). The handler sends them once, in a script that
writes them into these elements (state/reveal.py); leaving the step unmounts them.
"""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.state import reveal

from . import kit


def code_field(locale: str, *, recovery: bool) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return kit.field(
        _("Code de l'application") if not recovery else _("Code de l'application ou code de secours"),
        "second-factor-code", autocomplete="one-time-code", required=True, dir="ltr",
        input_mode="text" if recovery else "numeric", max_length=16 if recovery else 6,
        aria_describedby="second-factor-error", auto_capitalize="characters", spell_check=False,
    )


def set_up_panel(locale: str, on_submit, error: rx.Component) -> rx.Component:
    """Scan (or type the key), then type the first code the app shows."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        kit.subheading(_("Protégez votre compte avec une application")),
        rx.el.ol(
            rx.el.li(_("Ouvrez une application d'authentification (par exemple FreeOTP, Aegis ou Google Authenticator).")),
            rx.el.li(_("Scannez ce code QR, ou tapez la clé en dessous.")),
            rx.el.li(_("Tapez le code à 6 chiffres que l'application affiche.")),
            class_name="list-decimal ps-6 flex flex-col gap-1",
        ),
        rx.el.img(id=reveal.SECOND_FACTOR_QR_ID, alt=_("Code QR à scanner avec l'application d'authentification"),
                  class_name="w-56 h-56 bg-white self-center"),
        rx.el.p(_("Clé :"), " ", rx.el.code(id=reveal.SECOND_FACTOR_KEY_ID, dir="ltr",
                                            class_name="font-mono text-lg break-all")),
        rx.el.form(
            code_field(locale, recovery=False),
            error,
            rx.el.button(rx.icon("shield-check", size=20, aria_hidden="true"), _("Activer"),
                         type="submit", id="second-factor-submit", class_name=kit.PRIMARY + " w-full"),
            on_submit=on_submit, reset_on_submit=True, class_name="flex flex-col",
        ),
        id="second-factor-set-up", class_name="flex flex-col gap-3",
    )


def codes_panel(locale: str, on_done) -> rx.Component:
    """The recovery codes, shown once."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        kit.subheading(_("Vos codes de secours")),
        rx.el.p(_("Si vous perdez votre téléphone, chaque code vous connecte une seule fois. "
                  "Notez-les sur papier et gardez-les en lieu sûr. Ils ne seront plus affichés.")),
        rx.el.ol(id=reveal.RECOVERY_CODES_ID, dir="ltr",
                 class_name="grid grid-cols-2 gap-x-4 gap-y-1 font-mono text-lg list-none"),
        rx.el.button(rx.icon("check", size=20, aria_hidden="true"), _("Je les ai notés"),
                     on_click=on_done, id="recovery-codes-done", class_name=kit.PRIMARY + " w-full"),
        id="recovery-codes-panel", class_name="flex flex-col gap-3",
    )
