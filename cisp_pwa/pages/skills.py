"""Compétences: the pathway's skills by area, each with its state; one tap to self-assess."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.levels import level_choice, level_inline, level_line
from cisp_pwa.components.reach import instruction, read_aloud
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.services.skills.assessments import COMMENT_MAX
from cisp_pwa.state.skills import HistoryRow, SkillRow, SkillsState

PAGE = routes.SKILLS
TITLE = N_("Mes compétences — CISP Parcours")


def _state(locale: str, skill: SkillRow) -> rx.Component:
    """The skill's state, her own level at a glance, and once answered the trainer's level and
    reason on lines of their own: two opinions, never merged into one."""
    _ = i18n.gettext_for(locale)
    states, icons = words.skill_states(locale), words.SKILL_STATE_ICONS
    badge = "inline-flex items-center gap-1 self-start rounded-full px-3 py-0.5 text-base font-semibold "
    return rx.el.div(
        rx.match(
            skill.state,
            ("to_assess", rx.el.span(rx.icon(icons["to_assess"], size=18, aria_hidden="true"), states["to_assess"],
                                     class_name=badge + "bg-amber-100 text-amber-950")),
            ("pending", rx.el.span(rx.icon(icons["pending"], size=18, aria_hidden="true"), states["pending"],
                                   class_name=badge + "bg-sky-100 text-sky-950")),
            ("validated", rx.el.span(rx.icon(icons["validated"], size=18, aria_hidden="true"), _("Validé"),
                                     class_name=badge + "bg-emerald-100 text-emerald-950")),
            ("adjusted", rx.el.span(rx.icon(icons["adjusted"], size=18, aria_hidden="true"), states["adjusted"],
                                    class_name=badge + "bg-emerald-100 text-emerald-950")),
            rx.fragment(),
        ),
        rx.cond(skill.self_level > 0, level_line(words.opinions(locale)["mine"], skill.self_level, locale, "mine")),
        rx.cond((skill.state == "validated") | (skill.state == "adjusted"),
                level_line(words.opinions(locale)["trainer"], skill.trainer_level, locale, "trainer")),
        rx.cond(skill.reason != "", rx.el.p(skill.reason, dir="auto", class_name="italic", data_level="reason")),
        class_name="flex flex-col gap-1",
    )


def _assess_panel(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = SkillsState
    errors = {
        "level_missing": _("Choisissez une réponse."),
        "comment_too_long": _("Le commentaire est trop long : %(n)s caractères au plus.") % {"n": COMMENT_MAX},
        "level_unknown": _("Choisissez une réponse."),
        "not_allowed": _("Cette compétence ne fait plus partie de votre parcours."),
    }
    return rx.el.div(
        rx.el.p(_("Je sais le faire ?"), class_name="font-bold mt-3"),
        level_choice(locale, s.chosen_level, SkillsState.choose_level, "level", _("Mon niveau"), listen=True),
        rx.el.form(
            rx.el.label(_("Un commentaire (si vous voulez)"), html_for="assess-comment",
                        class_name="block font-semibold mt-3 mb-1"),
            rx.el.textarea(id="assess-comment", name="comment", max_length=COMMENT_MAX, rows=2,
                           class_name=kit.FIELD + " py-2"),
            labels.error_notice(s.error, errors, locale, id="assess-error"),
            kit.form_buttons(locale, _("Confirmer"), "assess-confirm", SkillsState.close_skill),
            on_submit=SkillsState.confirm,
        ),
    )


def _history_entry(locale: str, h: HistoryRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.p(h.created_at, class_name="font-semibold"),
        rx.el.p(words.opinions(locale)["mine"], " ", level_inline(h.level, locale, 18), class_name="flex flex-wrap items-center gap-x-2"),
        rx.cond(h.comment != "", rx.el.p(h.comment, dir="auto", class_name="italic")),
        rx.match(
            h.decision,
            ("confirmed", rx.el.p(_("Validé par"), " ", h.trainer_name)),
            ("adjusted", rx.el.div(
                rx.el.p(_("Ajusté par"), " ", h.trainer_name),
                rx.el.p(words.opinions(locale)["trainer"], " ", level_inline(h.trainer_level, locale, 18),
                        class_name="flex flex-wrap items-center gap-x-2"),
                rx.el.p(h.reason, dir="auto", class_name="italic"),
            )),
            rx.el.p(_("En attente de validation")),
        ),
        class_name="border-s-4 border-slate-300 ps-3 py-1",
    )


def _skill(locale: str, skill: SkillRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = SkillsState
    return rx.el.li(
        kit.card(
            rx.el.div(rx.el.p(skill.label, class_name="font-semibold"), read_aloud(skill.label, locale),
                      class_name="flex items-start justify-between gap-2"),
            rx.el.div(_state(locale, skill), class_name="mt-2"),
            rx.cond(s.just_sent_id == skill.id,
                    kit.notice(_("Merci ! L'équipe de formation va regarder."), tone="ok", role="status")),
            rx.cond(
                s.open_skill_id == skill.id,
                _assess_panel(locale),
                rx.el.div(
                    rx.el.button(rx.icon("pencil", size=20, aria_hidden="true"),
                                 rx.cond(skill.state == "to_assess", _("M'évaluer"), _("M'évaluer à nouveau")),
                                 on_click=SkillsState.open_skill(skill.id),
                                 class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900"),
                    rx.cond(skill.state != "to_assess",
                            rx.el.button(rx.icon("history", size=20, aria_hidden="true"), _("Historique"),
                                         on_click=SkillsState.show_history(skill.id),
                                         aria_expanded=rx.cond(s.history_skill_id == skill.id, "true", "false"),
                                         class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800")),
                    class_name="flex flex-wrap gap-2 mt-3",
                ),
            ),
            rx.cond(s.history_skill_id == skill.id,
                    rx.el.ul(rx.foreach(s.history, lambda h: _history_entry(locale, h)),
                             class_name="flex flex-col gap-2 mt-3")),
        ),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = SkillsState
    return signed_in_screen(
        locale, PAGE, s.loaded,
        rx.cond(
            s.pathway_name != "",
            rx.el.div(
                rx.el.p(s.pathway_name, class_name="text-lg"),
                instruction(_("Pour chaque compétence, dites si vous savez le faire. Ensuite, l'équipe de formation répond."),
                             locale),
                rx.el.div(rx.foreach(s.areas, lambda a: kit.titled_list(a.label, a.skills, lambda k: _skill(locale, k))),
                          class_name="flex flex-col gap-6 mt-2", id="skill-areas"),
            ),
            kit.notice(_("Vous n'avez pas encore de parcours. La personne qui vous accompagne va vous inscrire.")),
        ),
        bottom_nav=trainee_nav(locale, PAGE),
        offline_snapshot=s.offline_copy,
        offline_heading=_("Mes compétences"),
        lead=(kit.heading(_("Mes compétences")),),
    )


def on_load(locale: str):
    return SkillsState.load(locale)
