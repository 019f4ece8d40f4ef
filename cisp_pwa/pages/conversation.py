"""A coach's conversation with one of the trainees they support, live."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components.layout import trainee_screen
from cisp_pwa.components.thread import thread
from cisp_pwa.i18n import N_
from cisp_pwa.state.conversation import CoachConversationState

PAGE = routes.CONVERSATION
TITLE = N_("Conversation — CISP Parcours")


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return trainee_screen(
        locale, PAGE, CoachConversationState, _("Cette conversation n'existe pas ou ne vous est pas ouverte."),
        thread(locale, CoachConversationState, _("Pas encore de message.")),
    )


def on_load(locale: str):
    return CoachConversationState.load(locale)
