"""/<locale>/ : sends each person to their own screen, or to sign-in."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit
from cisp_pwa.components.layout import page_shell
from cisp_pwa.state.session import SessionState

PAGE = routes.HOME
TITLE = "CISP Parcours"  # the product name, in every language


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return page_shell(locale, PAGE, kit.loading(_("Chargement…")), signed_in=False)


def on_load(locale: str):
    return SessionState.open_home(locale)
