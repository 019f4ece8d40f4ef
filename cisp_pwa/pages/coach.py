"""The coach's landing: the inbox of the trainees they support (unread first, then most
recent), each with the last message's first words, the unread count and their file."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.push_settings import push_card
from cisp_pwa.i18n import N_
from cisp_pwa.models import Role
from cisp_pwa.state.coach import CoachHomeState, TraineeRow

PAGE = routes.TRAINEES
TITLE = N_("Mes stagiaires — CISP Parcours")
LINK = ("inline-flex items-center gap-2 min-h-11 px-3 rounded-xl border-2 border-teal-800 text-teal-900 "
        "font-semibold bg-white")


def _row(locale: str, trainee: TraineeRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        kit.card(
            rx.el.div(
                rx.el.p(trainee.display_name, class_name="font-bold"),
                rx.cond(trainee.unread > 0,
                        rx.el.span(trainee.unread_text,
                                   class_name="rounded-full bg-red-700 text-white px-3 text-base font-bold",
                                   data_unread=trainee.unread)),
                class_name="flex flex-wrap items-center justify-between gap-2",
            ),
            rx.el.p(trainee.pathway_name, class_name="text-base text-slate-700"),
            rx.cond(trainee.absences_flag,
                    rx.el.p(rx.icon("triangle-alert", size=20, aria_hidden="true", class_name="shrink-0"),
                            _("2 absences de suite, pas encore justifiées"),
                            class_name="flex items-center gap-2 rounded-xl border-s-4 border-red-700 bg-red-50 "
                            "text-red-900 px-3 py-1 font-semibold", data_absences_flag="true")),
            rx.cond(trainee.terms_withdrawn,
                    kit.notice(_("A retiré son accord : l'application est en pause pour elle ou lui. "
                                 "Parlez-en ensemble."), tone="info", data_terms_withdrawn="true")),
            rx.el.p(trainee.goals_text, class_name="text-base"),
            rx.cond(trainee.preview != "",
                    rx.el.p("« ", rx.el.span(trainee.preview, dir="auto"), " » · ", trainee.last_at,
                            class_name="text-base text-slate-800 mt-1 break-words")),
            rx.el.div(
                rx.el.a(rx.icon("message-circle", size=20, aria_hidden="true"), _("Messages"),
                        href=f"{routes.path(locale, routes.CONVERSATION)}?trainee=" + trainee.id.to_string(),
                        class_name=LINK, data_link="conversation"),
                rx.el.a(rx.icon("folder-open", size=20, aria_hidden="true"), _("Dossier"),
                        href=f"{routes.path(locale, routes.TRAINEE_FILE)}?trainee=" + trainee.id.to_string(),
                        class_name=LINK, data_link="file"),
                class_name="flex flex-wrap gap-2 mt-2",
            ),
        ),
        data_trainee=trainee.display_name,
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = CoachHomeState
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.heading(_("Mes stagiaires")),
        rx.cond(s.blocked.length() > 0, rx.el.div(
            rx.foreach(s.blocked, lambda b: kit.notice(b.text, tone="error")),
            id="blocked-phones", role="status", class_name="max-w-xl flex flex-col gap-2")),
        rx.cond(
            s.trainees.length() > 0,
            rx.el.ul(rx.foreach(s.trainees, lambda t: _row(locale, t)), id="trainees",
                     class_name="grid gap-3 md:grid-cols-2 xl:grid-cols-3 items-start"),
            rx.el.p(_("Aucun stagiaire ne vous est encore confié.")),
        ),
        rx.el.div(push_card(locale, Role.coach), class_name="max-w-xl"),
    )


def on_load(locale: str):
    return CoachHomeState.load(locale)
