"""The coach's landing: the trainees they support."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.state.coach import CoachHomeState, TraineeRow

PAGE = routes.TRAINEES


def title(locale: str) -> str:
    _ = i18n.gettext_for(locale)
    return _("Mes stagiaires — CISP Parcours")


def _row(locale: str, trainee: TraineeRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        kit.card(
            rx.el.p(trainee.display_name, class_name="font-bold"),
            rx.el.p(trainee.pathway_name, class_name="text-base text-slate-700"),
            rx.el.p(trainee.goals_text, class_name="text-base"),
            rx.el.a(
                rx.icon("message-circle", size=20, aria_hidden="true"),
                _("Messages"),
                rx.cond(trainee.unread_text != "",
                        rx.el.span("(", trainee.unread_text, ")", class_name="font-bold text-red-800")),
                href=f"{routes.path(locale, routes.CONVERSATION)}?trainee=" + trainee.id.to_string(),
                class_name="inline-flex flex-wrap items-center gap-2 min-h-11 mt-2 underline "
                "underline-offset-4 text-teal-900 font-semibold",
            ),
        )
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = CoachHomeState
    return signed_in_screen(
        locale, PAGE, s.loaded,
        kit.heading(_("Mes stagiaires")),
        rx.cond(
            s.trainees.length() > 0,
            rx.el.ul(rx.foreach(s.trainees, lambda t: _row(locale, t)), id="trainees",
                     class_name="grid gap-3 md:grid-cols-2"),
            rx.el.p(_("Aucun stagiaire ne vous est encore confié.")),
        ),
    )


def on_load(locale: str):
    return CoachHomeState.load(locale)
