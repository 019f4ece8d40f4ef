"""The trainer's landing: self-assessments waiting for an answer, oldest first."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.state.trainer import PendingRow, TrainerHomeState

PAGE = routes.VALIDATIONS


def title(locale: str) -> str:
    _ = i18n.gettext_for(locale)
    return _("À valider — CISP Parcours")


def _row(locale: str, item: PendingRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        kit.card(
            rx.el.p(item.trainee_name, class_name="font-bold"),
            rx.el.p(item.pathway_name, " · ", item.area_label, class_name="text-base text-slate-700"),
            rx.el.p(item.skill_label, class_name="mt-1"),
            rx.el.p(
                _("Son avis :"), " ",
                rx.el.strong(labels.word_for(item.level, labels.levels(locale))),
                class_name="mt-1",
            ),
            rx.cond(item.comment != "", rx.el.p(item.comment, class_name="italic text-base", dir="auto")),
            rx.el.p(item.created_at, class_name="text-base text-slate-700"),
        )
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TrainerHomeState
    return signed_in_screen(
        locale, PAGE, s.loaded,
        kit.heading(_("Auto-évaluations à valider")),
        rx.cond(
            s.pending.length() > 0,
            rx.el.ul(rx.foreach(s.pending, lambda p: _row(locale, p)), id="pending",
                     class_name="grid gap-3 md:grid-cols-2"),
            rx.el.p(_("Rien à valider pour le moment.")),
        ),
    )


def on_load(locale: str):
    return TrainerHomeState.load(locale)
