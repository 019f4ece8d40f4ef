"""The "install the app" card of the trainee's home (install.jsx)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n

from . import kit, reach


class InstallPrompt(rx.Component):
    library = "$/public" + rx.asset("install.jsx", shared=True)
    tag = "InstallPrompt"

    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]
    listen: rx.Var[dict[str, str]]


def install_prompt(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return InstallPrompt.create(
        labels={
            "title": _("Installer l'application"),
            "text": _("Mettez CISP Parcours sur l'écran de votre téléphone. Elle s'ouvre même sans internet."),
            "iphone": _("Sur iPhone : touchez le bouton Partager, puis « Sur l'écran d'accueil »."),
            "install": _("Installer"),
            "dismiss": _("Non merci"),
        },
        listen=reach.listen_props(locale),
        classes={
            "textRow": "flex items-start justify-between gap-2",
            "card": "rounded-2xl bg-white border-2 border-teal-800 p-4 shadow-sm flex flex-col gap-2",
            "title": "text-xl font-bold",
            "row": "flex flex-wrap gap-2",
            "primary": kit.PRIMARY,
            "secondary": kit.SECONDARY,
        },
    )
