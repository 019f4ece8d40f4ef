"""A coach's conversation with one of the trainees they support, live."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.i18n import N_
from cisp_pwa.components import kit
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.thread import thread
from cisp_pwa.state.conversation import CoachConversationState

PAGE = routes.CONVERSATION
TITLE = N_("Conversation — CISP Parcours")


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = CoachConversationState
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.back_link(_("Mes stagiaires"), routes.path(locale, routes.TRAINEES)),
        rx.cond(
            s.missing,
            kit.notice(_("Cette conversation n'existe pas ou ne vous est pas ouverte."), tone="error"),
            rx.el.div(
                kit.heading(s.trainee_name),
                thread(locale, CoachConversationState, _("Pas encore de message.")),
                class_name="flex flex-col gap-4",
            ),
        ),
    )


def on_load(locale: str):
    return CoachConversationState.load(locale)
