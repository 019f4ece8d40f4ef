"""Messages: the trainee's conversation with their support team, live."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit
from cisp_pwa.components.reach import instruction
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.thread import composer, thread
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.state.conversation import TraineeMessagesState

PAGE = routes.MESSAGES
TITLE = N_("Mes messages — CISP Parcours")


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return signed_in_screen(
        locale, PAGE, TraineeMessagesState.loaded,
        thread(locale, TraineeMessagesState, _("Pas encore de message. Écrivez le premier !"), with_composer=False),
        bottom_nav=trainee_nav(locale, PAGE),
        offline_snapshot=TraineeMessagesState.offline_copy,
        offline_heading=_("Mes messages"),
        footer=composer(locale, TraineeMessagesState),
        lead=(kit.heading(_("Mes messages")),
              instruction(_("Votre équipe d'accompagnement lit vos messages. Ils restent entre vous."), locale)),
    )


def on_load(locale: str):
    return TraineeMessagesState.load(locale)
