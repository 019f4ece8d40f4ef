"""Objectifs: goals grouped by theme, each with its pictogram; propose, edit, withdraw,
progress notes, "reached"."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.badges import status_badge
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.reach import instruction, read_aloud
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.services.follow_up.goals import DETAIL_MAX, NOTE_MAX, TITLE_MAX
from cisp_pwa.state.goals import GoalCard, GoalGroup, GoalsState, NoteRow

PAGE = routes.GOALS
TITLE = N_("Mes objectifs — CISP Parcours")


def _theme_icon(theme: rx.Var, locale: str, size: int = 28) -> rx.Component:
    return rx.match(
        theme,
        *[(key, rx.icon(icon, size=size, aria_hidden="true", class_name="text-teal-800 shrink-0"))
          for key, (_w, icon) in words.goal_themes(locale).items()],
        rx.icon("circle-dot", size=size, aria_hidden="true"),
    )


def _theme_choice(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.fieldset(
        rx.el.legend(_("Thème"), class_name="text-lg font-semibold mb-2"),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(type="radio", name="theme", value=key, id=f"theme-{key}",
                                default_checked=GoalsState.form_theme == key, class_name="peer sr-only"),
                    rx.el.span(
                        rx.icon(icon, size=24, aria_hidden="true"),
                        word,
                        class_name="flex items-center gap-2 min-h-12 px-3 rounded-xl border-2 border-slate-300 "
                        "bg-white peer-checked:border-teal-800 peer-checked:bg-teal-50 peer-checked:font-bold "
                        "peer-focus-visible:outline peer-focus-visible:outline-4 peer-focus-visible:outline-amber-500",
                    ),
                    html_for=f"theme-{key}",
                )
                for key, (word, icon) in words.goal_themes(locale).items()
            ],
            class_name="grid grid-cols-2 gap-2",
        ),
        class_name="mb-4",
    )


def _goal_form(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = GoalsState
    return kit.card(
        rx.el.h2(rx.cond(s.editing_id > 0, _("Modifier l'objectif"), _("Proposer un objectif")),
                 class_name="text-xl font-bold mb-3"),
        rx.el.form(
            rx.el.div(
                rx.el.label(_("Mon objectif"), html_for="goal-title", class_name="block text-lg font-semibold mb-1"),
                rx.el.input(id="goal-title", name="title", default_value=s.form_title, max_length=TITLE_MAX,
                            placeholder=_("Par exemple : trouver un stage"), class_name=kit.FIELD,
                            aria_describedby="goal-form-error"),
                class_name="mb-4",
            ),
            _theme_choice(locale),
            rx.el.div(
                rx.el.label(_("Pour quand ? (si vous voulez)"), html_for="goal-date",
                            class_name="block text-lg font-semibold mb-1"),
                rx.el.input(id="goal-date", name="target_date", type="date", default_value=s.form_date,
                            class_name=kit.FIELD),
                class_name="mb-4",
            ),
            rx.el.div(
                rx.el.label(_("Détails (si vous voulez)"), html_for="goal-detail",
                            class_name="block text-lg font-semibold mb-1"),
                rx.el.textarea(id="goal-detail", name="detail", default_value=s.form_detail,
                               max_length=DETAIL_MAX, rows=3, class_name=kit.FIELD + " py-2"),
                class_name="mb-4",
            ),
            labels.error_notice(s.error, labels.goal_errors(locale), locale, id="goal-form-error"),
            kit.form_buttons(locale, rx.cond(s.editing_id > 0, _("Enregistrer"), _("Proposer")), "goal-submit",
                             GoalsState.close_form, space="mt-2"),
            on_submit=GoalsState.save,
            key=s.form_version,
            id="goal-form",
        ),
    )


def _note(note: NoteRow) -> rx.Component:
    return kit.note_item(note, "border-teal-700")


def _goal(locale: str, goal: GoalCard) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = GoalsState
    return rx.el.li(
        kit.card(
            rx.el.div(rx.el.p(goal.title, dir="auto", class_name="text-lg font-bold"), read_aloud(goal.title, locale),
                      class_name="flex items-start justify-between gap-2"),
            rx.el.div(
                status_badge(goal.status, locale),
                rx.cond(goal.target_date != "",
                        rx.el.span(_("Pour le"), " ", goal.target_date, class_name="text-base text-slate-700")),
                class_name="flex flex-wrap items-center gap-2 mt-1",
            ),
            rx.cond(goal.detail != "", rx.el.p(goal.detail, dir="auto", class_name="mt-2 whitespace-pre-wrap")),
            rx.cond(goal.partners != "", rx.el.a(
                rx.icon("life-buoy", size=20, aria_hidden="true", class_name="shrink-0"), _("Orientation :"), " ",
                rx.el.span(goal.partners, dir="auto"), href=routes.path(locale, routes.HELP),
                class_name="flex flex-wrap items-center gap-1 min-h-11 mt-1 underline underline-offset-4 text-teal-900")),
            rx.cond(goal.notes.length() > 0,
                    rx.el.ul(rx.foreach(goal.notes, _note), class_name="flex flex-col gap-2 mt-3")),
            rx.cond(
                s.note_goal_id == goal.id,
                rx.el.form(
                    rx.el.label(_("Où en êtes-vous ?"), html_for="note-body", class_name="block font-semibold mb-1"),
                    rx.el.textarea(id="note-body", name="note", max_length=NOTE_MAX, rows=2,
                                   class_name=kit.FIELD + " py-2", aria_describedby="note-error"),
                    labels.error_notice(s.note_error, labels.goal_errors(locale), locale, id="note-error"),
                    kit.form_buttons(locale, _("Ajouter"), "note-submit", GoalsState.close_note, space="mt-2"),
                    on_submit=GoalsState.add_note,
                    class_name="mt-3",
                ),
            ),
            rx.cond(
                s.confirm_withdraw_id == goal.id,
                rx.el.div(
                    rx.el.p(_("Retirer cette proposition ?"), class_name="font-semibold"),
                    rx.el.div(
                        rx.el.button(_("Oui, retirer"), on_click=GoalsState.withdraw(goal.id),
                                     class_name=kit.PRIMARY, id="withdraw-confirm"),
                        rx.el.button(_("Non"), on_click=GoalsState.cancel_withdraw, class_name=kit.SECONDARY),
                        class_name="flex flex-wrap gap-2 mt-2",
                    ),
                    class_name="mt-3",
                ),
                rx.el.div(
                    rx.cond(goal.can_mark_reached,
                            rx.el.button(rx.icon("circle-check", size=20, aria_hidden="true"), _("C'est atteint !"),
                                         on_click=GoalsState.mark_reached(goal.id),
                                         class_name=kit.SMALL_BUTTON + "border-emerald-800 text-emerald-900")),
                    rx.cond(goal.can_add_note & (s.note_goal_id != goal.id),
                            rx.el.button(rx.icon("pencil", size=20, aria_hidden="true"), _("Ajouter une note"),
                                         on_click=GoalsState.open_note(goal.id),
                                         class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900")),
                    rx.cond(goal.can_edit,
                            rx.el.button(rx.icon("pencil-line", size=20, aria_hidden="true"), _("Modifier"),
                                         on_click=GoalsState.open_edit(goal.id),
                                         class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900")),
                    rx.cond(goal.can_withdraw,
                            rx.el.button(rx.icon("trash-2", size=20, aria_hidden="true"), _("Retirer"),
                                         on_click=GoalsState.ask_withdraw(goal.id),
                                         class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800")),
                    class_name="flex flex-wrap gap-2 mt-3",
                ),
            ),
        ),
    )


def _group(locale: str, group: GoalGroup) -> rx.Component:
    themes = {k: w for k, (w, _i) in words.goal_themes(locale).items()}
    return rx.el.section(
        rx.el.h2(_theme_icon(group.theme, locale), labels.word_for(group.theme, themes),
                 class_name="flex items-center gap-2 text-xl font-bold mb-2"),
        rx.el.ul(rx.foreach(group.goals, lambda g: _goal(locale, g)), class_name="flex flex-col gap-3"),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = GoalsState
    notices = {
        "proposed": _("Votre objectif est proposé. La personne qui vous accompagne va en parler avec vous."),
        "saved": _("C'est enregistré."),
        "withdrawn": _("La proposition est retirée."),
        "reached": _("Bravo ! Objectif atteint."),
        "noted": _("Votre note est ajoutée."),
    }
    return signed_in_screen(
        locale, PAGE, s.loaded,
        labels.done_notice(s.notice, notices, id="goals-notice"),
        rx.cond(s.form_open, _goal_form(locale),
                rx.el.button(rx.icon("plus", size=22, aria_hidden="true"), _("Proposer un objectif"),
                             on_click=GoalsState.open_new, id="goal-new", class_name=kit.PRIMARY + " self-start")),
        rx.cond(
            s.groups.length() > 0,
            rx.el.div(rx.foreach(s.groups, lambda g: _group(locale, g)), class_name="flex flex-col gap-6",
                      id="goal-groups"),
            instruction(_("Pas encore d'objectif. Vous pouvez en proposer un."), locale, "text-lg"),
        ),
        bottom_nav=trainee_nav(locale, PAGE),
        offline_snapshot=s.offline_copy,
        offline_heading=_("Mes objectifs"),
        lead=(kit.heading(_("Mes objectifs")),),
    )


def on_load(locale: str):
    return GoalsState.load(locale)
