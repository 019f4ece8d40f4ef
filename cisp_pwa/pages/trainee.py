"""Mon parcours: the pathway, how far along, the next thing to do, the goals in progress."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.reach import instruction, read_aloud
from cisp_pwa.components.badges import status_badge
from cisp_pwa.components.install import install_prompt
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.push_settings import push_card
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.models import Role
from cisp_pwa.state.trainee import GoalRow, TraineeHomeState

PAGE = routes.MY_PATHWAY
TITLE = N_("Mon parcours — CISP Parcours")


def _goal(locale: str, goal: GoalRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    themes = words.goal_themes(locale)
    return rx.el.li(
        kit.card(
            rx.el.div(
                rx.match(
                    goal.theme,
                    *[(key, rx.icon(icon, size=28, aria_hidden="true", class_name="text-teal-800 shrink-0"))
                      for key, (_word, icon) in themes.items()],
                    rx.icon("circle-dot", size=28, aria_hidden="true"),
                ),
                rx.el.div(
                    rx.el.p(goal.title, class_name="font-semibold", dir="auto"),
                    read_aloud(goal.title, locale),
                    rx.el.div(
                        rx.el.span(labels.word_for(goal.theme, {k: w for k, (w, _i) in themes.items()}),
                                   class_name="text-base text-slate-700"),
                        status_badge(goal.status, locale),
                        class_name="flex flex-wrap items-center gap-2",
                    ),
                    rx.cond(
                        goal.target_date != "",
                        rx.el.p(_("Pour le"), " ", goal.target_date, class_name="text-base text-slate-700"),
                    ),
                ),
                class_name="flex items-start gap-3",
            ),
        ),
    )


def _next_step(locale: str, page: str, icon: str, text: rx.Var) -> rx.Component:
    return rx.el.a(
        rx.icon(icon, size=22, aria_hidden="true", class_name="text-teal-800 shrink-0"),
        text,
        href=routes.path(locale, page),
        class_name="flex items-center gap-2 min-h-11 underline underline-offset-4 text-teal-900",
    )


def _screen_card(locale: str, page: str, icon: str, word: str, id_: str) -> rx.Component:
    """A screen of hers (Mon passeport, Trouver de l'aide): pictogram and word (a link of at
    least 56 px), and its speaker beside it (never inside the link: one control within another
    is lost to screen readers)."""
    return rx.el.div(
        rx.el.a(
            rx.icon(icon, size=28, aria_hidden="true", class_name="text-teal-800 shrink-0"),
            rx.el.span(word, class_name="font-semibold text-lg"),
            rx.icon("chevron-right", size=22, aria_hidden="true", class_name="ms-auto rtl:rotate-180"),
            href=routes.path(locale, page), id=id_,
            class_name="flex flex-1 items-center gap-3 min-h-14 ps-4 text-teal-900 underline-offset-4 hover:underline",
        ),
        read_aloud(word, locale),
        class_name="flex items-center gap-1 pe-2 rounded-2xl bg-white border border-slate-200 shadow-sm",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeHomeState
    return signed_in_screen(
        locale, PAGE, s.loaded,
        rx.el.p(_("Bonjour"), " ", s.display_name, class_name="text-lg", id="greeting"),
        kit.heading(_("Mon parcours")),
        rx.cond(
            s.pathway_name != "",
            kit.card(
                rx.el.p(s.pathway_name, class_name="text-xl font-bold", id="pathway-name"),
                rx.el.p(labels.word_for(s.pathway_kind, words.pathway_kinds(locale)),
                        class_name="text-base text-slate-700"),
                rx.el.div(
                    rx.el.div(class_name="h-full bg-teal-700 rounded-full",
                              style={"width": s.progress_percent.to_string() + "%"}),
                    class_name="h-4 w-full bg-slate-200 rounded-full overflow-hidden mt-3",
                    role="progressbar",
                    aria_valuemin=0,
                    aria_valuemax=s.skills_total,
                    aria_valuenow=s.skills_validated,
                    aria_label=_("Compétences validées"),
                ),
                rx.el.p(s.progress_text, class_name="mt-1"),
            ),
            kit.notice(_("Vous n'avez pas encore de parcours. La personne qui vous accompagne va vous inscrire.")),
        ),
        rx.cond(
            (s.to_assess_text != "") | (s.unread_text != "") | (s.answer_text != ""),
            kit.card(
                rx.el.p(_("À faire maintenant"), class_name="font-bold"),
                rx.cond(s.unread_text != "", _next_step(locale, routes.MESSAGES, "message-circle", s.unread_text)),
                rx.cond(s.answer_text != "", _next_step(locale, routes.HELP, "life-buoy", s.answer_text)),
                rx.cond(s.to_assess_text != "", _next_step(locale, routes.SKILLS, "list-checks", s.to_assess_text)),
                id="next-steps",
            ),
        ),
        _screen_card(locale, routes.PASSPORT, "award", _("Mon passeport"), "passport-link"),  # after what to do now
        _screen_card(locale, routes.HELP, "life-buoy", _("Trouver de l'aide"), "help-link"),
        _screen_card(locale, routes.MY_HOURS, "clock", _("Mes heures"), "my-hours-link"),
        install_prompt(locale),
        kit.subheading(_("Mes objectifs")),
        rx.cond(
            s.goals.length() > 0,
            rx.el.ul(rx.foreach(s.goals, lambda g: _goal(locale, g)), class_name="flex flex-col gap-3",
                     id="goals"),
            instruction(_("Pas encore d'objectif. Vous pouvez en proposer un. La personne qui vous accompagne peut vous aider."), locale,
                        "text-lg"),
        ),
        push_card(locale, Role.trainee),
        rx.el.a(
            rx.icon("folder-lock", size=28, aria_hidden="true", class_name="text-teal-800 shrink-0"),
            rx.el.span(_("Mes données"), class_name="font-semibold"),
            rx.icon("chevron-right", size=22, aria_hidden="true", class_name="ms-auto rtl:rotate-180"),
            href=routes.path(locale, routes.MY_DATA), id="my-data-link",
            class_name="flex items-center gap-3 min-h-14 p-4 rounded-2xl bg-white border border-slate-200 "
            "shadow-sm text-teal-900 underline-offset-4 hover:underline",
        ),
        bottom_nav=trainee_nav(locale, PAGE),
        offline_snapshot=s.offline_copy,
        offline_heading=_("Mon parcours"),
    )


def on_load(locale: str):
    return TraineeHomeState.load(locale)
