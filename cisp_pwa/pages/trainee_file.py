"""A coach's file on one trainee: pathway and skills (read-only), goals built together, and
private notes, visible to the trainee's coaches only."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.badges import status_badge
from cisp_pwa.components.coach_hours import hours_section
from cisp_pwa.components.coach_referrals import referrals_section
from cisp_pwa.components.invitation import invitation_card
from cisp_pwa.components.layout import trainee_screen
from cisp_pwa.components.levels import level_word
from cisp_pwa.components.reach import instruction
from cisp_pwa.i18n import N_
from cisp_pwa.services.follow_up.coach_notes import NOTE_MAX
from cisp_pwa.services.follow_up.goals import TITLE_MAX
from cisp_pwa.state.goals import NoteRow
from cisp_pwa.state.trainee_file import AreaLines, CoachGoal, SkillLine, TraineeFileState


PAGE = routes.TRAINEE_FILE
TITLE = N_("Dossier du stagiaire — CISP Parcours")


def _skill(locale: str, k: SkillLine) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.span(k.label),
        rx.el.span(
            rx.match(k.state,
                     ("to_assess", rx.fragment(_("À évaluer"))),
                     ("pending", rx.fragment(_("En attente de validation"), " — ", level_word(k.self_level, locale))),
                     ("validated", rx.fragment(_("Validé :"), " ", level_word(k.trainer_level, locale))),
                     ("adjusted", rx.fragment(_("Ajusté"), " — ", level_word(k.trainer_level, locale))),
                     rx.fragment()),
            class_name="text-base text-slate-700",
        ),
        class_name="flex flex-col py-1 border-b border-slate-100",
    )


def _area(locale: str, a: AreaLines) -> rx.Component:
    return rx.el.div(
        rx.el.h3(a.label, class_name="font-bold mt-2"),
        rx.el.ul(rx.foreach(a.skills, lambda k: _skill(locale, k))),
    )


def _note(note: NoteRow) -> rx.Component:
    return kit.note_item(note, "border-amber-600")


def _goal(locale: str, item: CoachGoal) -> rx.Component:
    _ = i18n.gettext_for(locale)
    g = item.card
    return rx.el.li(
        rx.el.p(g.title, dir="auto", class_name="font-bold"),
        rx.el.div(status_badge(g.status, locale),
                  rx.cond(g.target_date != "", rx.el.span(_("Pour le"), " ", g.target_date, class_name="text-base")),
                  class_name="flex flex-wrap items-center gap-2 mt-1"),
        rx.cond(g.partners != "", rx.el.p(_("Orientation :"), " ", rx.el.span(g.partners, dir="auto"),
                                          class_name="text-base mt-1")),
        rx.cond(g.notes.length() > 0, rx.el.ul(rx.foreach(g.notes, _note), class_name="flex flex-col gap-1 mt-2")),
        rx.el.div(
            rx.cond(item.can_agree, rx.el.button(rx.icon("handshake", size=20, aria_hidden="true"), _("D'accord"),
                                                 on_click=TraineeFileState.agree(g.id),
                                                 class_name=kit.SMALL_BUTTON + "border-emerald-800 text-emerald-900")),
            rx.cond(g.can_mark_reached, rx.el.button(rx.icon("circle-check", size=20, aria_hidden="true"),
                                                     _("Atteint"), on_click=TraineeFileState.reached(g.id),
                                                     class_name=kit.SMALL_BUTTON + "border-emerald-800 text-emerald-900")),
            rx.cond(g.can_edit, rx.el.button(rx.icon("pencil-line", size=20, aria_hidden="true"), _("Modifier"),
                                             on_click=TraineeFileState.open_goal_form(g.id),
                                             class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900")),
            rx.cond(item.can_drop, rx.el.button(rx.icon("circle-slash", size=20, aria_hidden="true"), _("Abandonner"),
                                                on_click=TraineeFileState.drop(g.id),
                                                class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800")),
            class_name="flex flex-wrap gap-2 mt-2",
        ),
        class_name="py-3 border-b border-slate-200",
        data_goal=g.id,
    )


def _goal_form(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    themes = words.goal_themes(locale)
    return rx.el.form(
        rx.el.label(_("Objectif"), html_for="file-goal-title", class_name="block font-semibold mb-1"),
        rx.el.input(id="file-goal-title", name="title", default_value=s.form_title, max_length=TITLE_MAX,
                    class_name=kit.FIELD),
        rx.el.label(_("Thème"), html_for="file-goal-theme", class_name="block font-semibold mt-3 mb-1"),
        rx.el.select(*[rx.el.option(word, value=key) for key, (word, _i) in themes.items()],
                     id="file-goal-theme", name="theme", default_value=s.form_theme, class_name=kit.FIELD),
        rx.el.label(_("Pour quand ? (si vous voulez)"), html_for="file-goal-date",
                    class_name="block font-semibold mt-3 mb-1"),
        rx.el.input(id="file-goal-date", name="target_date", type="date", default_value=s.form_date,
                    class_name=kit.FIELD),
        kit.form_buttons(locale, _("Enregistrer"), "file-goal-save", TraineeFileState.close_goal_form),
        on_submit=TraineeFileState.save_goal,
        key=s.form_version,
        class_name="mt-3",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    note_errors = {
        "note_empty": _("Écrivez quelques mots."),
        "note_too_long": _("La note est trop longue : %(n)s caractères au plus.") % {"n": NOTE_MAX},
        "not_allowed": _("Ce n'est pas possible."),
    }
    return trainee_screen(
        locale, PAGE, s, _("Ce dossier n'existe pas ou ne vous est pas ouvert."),
        rx.el.p(s.pathway_name, class_name="text-lg"),
        rx.el.div(
            rx.el.button(rx.icon("qr-code", size=20, aria_hidden="true"), _("Nouveau code d'accès (QR)"),
                         on_click=TraineeFileState.invite, id="invite-new", class_name=kit.SECONDARY),
            invitation_card(locale, s),
            class_name="flex flex-col items-start",
        ),
        rx.el.div(
            rx.el.section(
                kit.subheading(_("Objectifs")),
                kit.card(
                    labels.error_notice(s.goal_error, labels.goal_errors(locale), locale),
                    rx.el.ul(rx.foreach(s.goal_items, lambda g: _goal(locale, g)), id="file-goals"),
                    rx.cond(s.goal_form_open, _goal_form(locale),
                            rx.el.button(rx.icon("plus", size=20, aria_hidden="true"), _("Proposer un objectif"),
                                         on_click=TraineeFileState.open_goal_form(0),
                                         class_name=kit.SECONDARY + " mt-3")),
                ),
            ),
            hours_section(locale),
            referrals_section(locale),
            rx.el.section(
                kit.subheading(_("Notes privées")),
                kit.card(
                    instruction(_("Seule l'équipe d'accompagnement de cette personne lit ces notes. "
                                  "La personne elle-même et l'équipe de formation ne les lisent pas."), locale),
                    rx.el.form(
                        rx.el.label(_("Nouvelle note"), html_for="coach-note",
                                    class_name="block font-semibold mt-2 mb-1"),
                        rx.el.textarea(id="coach-note", name="note", rows=3, max_length=NOTE_MAX,
                                       class_name=kit.FIELD + " py-2"),
                        labels.error_notice(s.note_error, note_errors, locale),
                        rx.el.button(_("Ajouter la note"), type="submit", id="coach-note-submit",
                                     class_name=kit.PRIMARY + " mt-2"),
                        on_submit=TraineeFileState.add_note,
                        key=s.note_version,
                    ),
                    rx.el.ul(rx.foreach(s.notes, _note), id="coach-notes", class_name="flex flex-col gap-2 mt-3"),
                ),
            ),
            rx.el.section(
                kit.subheading(_("Compétences")),
                kit.card(rx.el.div(rx.foreach(s.areas, lambda a: _area(locale, a)), id="file-skills")),
            ),
            class_name="grid gap-4 lg:grid-cols-2 items-start",
        ),
        gap="gap-2",
    )


def on_load(locale: str):
    return TraineeFileState.load(locale)
