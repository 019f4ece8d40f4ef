"""The coach's landing: the trainees they support."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit
from cisp_pwa.components.layout import page_shell
from cisp_pwa.state.coach import CoachHomeState, TraineeRow

PAGE = routes.TRAINEES


def title(locale: str) -> str:
    _ = i18n.gettext_for(locale)
    return _("Mes stagiaires — CISP Parcours")


def _row(trainee: TraineeRow) -> rx.Component:
    return rx.el.li(
        kit.card(
            rx.el.p(trainee.display_name, class_name="font-bold"),
            rx.el.p(trainee.pathway_name, class_name="text-base text-slate-700"),
            rx.el.p(trainee.goals_text, class_name="text-base"),
        )
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = CoachHomeState
    content = rx.el.div(
        kit.heading(_("Mes stagiaires")),
        rx.cond(
            s.trainees.length() > 0,
            rx.el.ul(rx.foreach(s.trainees, _row), id="trainees",
                     class_name="grid gap-3 md:grid-cols-2"),
            rx.el.p(_("Aucun stagiaire ne vous est encore confié.")),
        ),
        class_name="flex flex-col gap-4",
    )
    return page_shell(locale, PAGE, rx.cond(s.loaded, content, kit.loading(_("Chargement…"))))


def on_load(locale: str):
    return CoachHomeState.load(locale)
