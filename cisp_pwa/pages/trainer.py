"""The trainer's validation queue: oldest first, filters, confirm in one tap, adjust with a
reason, confirm a selection. A trainer never sees messages or coach notes."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.levels import level_choice, level_inline
from cisp_pwa.i18n import N_
from cisp_pwa.services.skills.validations import REASON_MAX
from cisp_pwa.state.trainer import EarlierRow, PendingRow, TrainerHomeState

PAGE = routes.VALIDATIONS
TITLE = N_("À valider — CISP Parcours")


def _level(level: rx.Var, locale: str) -> rx.Component:
    return level_inline(level, locale, 18)


def _earlier(locale: str, e: EarlierRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        e.created_at, " : ", _level(e.level, locale),
        rx.match(e.decision,
                 ("confirmed", rx.el.span(" — ", _("validé"))),
                 ("adjusted", rx.el.span(" — ", _("ajusté à"), " ", _level(e.trainer_level, locale))),
                 rx.el.span(" — ", _("sans réponse"))),
        class_name="text-base",
    )


def _adjust_panel(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TrainerHomeState
    errors = {
        "level_missing": _("Choisissez un niveau."),
        "same_level": _("C'est le niveau choisi par le ou la stagiaire : confirmez plutôt."),
        "reason_required": _("Expliquez en quelques mots pourquoi."),
        "reason_too_long": _("La raison est trop longue : %(n)s caractères au plus.") % {"n": REASON_MAX},
        "level_unknown": _("Choisissez un niveau."),
        "not_allowed": _("Cette auto-évaluation n'est plus à valider."),
    }
    return rx.el.form(
        rx.el.p(_("Votre niveau"), class_name="font-semibold mt-3 mb-1"),
        level_choice(locale, s.adjust_level, TrainerHomeState.choose_level, "adjust-level", _("Votre niveau")),
        rx.el.label(_("Pourquoi ? (le ou la stagiaire le lira)"), html_for="adjust-reason",
                    class_name="block font-semibold mt-3 mb-1"),
        # Grows with the reason (field-sizing), so a sentence never scrolls inside the box.
        rx.el.textarea(id="adjust-reason", name="reason", rows=2, max_length=REASON_MAX,
                       class_name=kit.FIELD + " py-2 field-sizing-content min-h-20", aria_describedby="adjust-error"),
        labels.error_notice(s.error, errors, locale, id="adjust-error"),
        kit.form_buttons(locale, _("Enregistrer"), "adjust-submit", TrainerHomeState.close_adjust),
        on_submit=TrainerHomeState.adjust,
    )


def _row(locale: str, item: PendingRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TrainerHomeState
    return rx.el.li(
        kit.card(
            rx.el.div(
                rx.el.input(type="checkbox", id="select-" + item.id.to_string(),
                            checked=s.selected.contains(item.id), on_change=TrainerHomeState.toggle(item.id),
                            class_name="w-6 h-6 mt-1 shrink-0 accent-teal-800",
                            aria_label=_("Choisir pour confirmer ensemble")),
                rx.el.div(
                    rx.el.p(item.trainee_name, class_name="font-bold"),
                    rx.el.p(item.pathway_name, " · ", item.area_label, class_name="text-base text-slate-700"),
                    class_name="min-w-0",
                ),
                class_name="flex items-start gap-3",
            ),
            rx.el.p(item.skill_label, class_name="mt-2"),
            rx.el.p(_("Son avis :"), " ", _level(item.level, locale), class_name="mt-1"),
            rx.cond(item.comment != "", rx.el.p(item.comment, dir="auto", class_name="italic text-base")),
            rx.el.p(item.created_at, class_name="text-base text-slate-700"),
            rx.cond(item.earlier.length() > 0,
                    rx.el.div(rx.el.p(_("Avant :"), class_name="font-semibold mt-2"),
                              rx.el.ul(rx.foreach(item.earlier, lambda e: _earlier(locale, e))))),
            rx.cond(
                s.adjusting_id == item.id,
                _adjust_panel(locale),
                rx.el.div(
                    rx.el.button(rx.icon("circle-check", size=20, aria_hidden="true"), _("Confirmer"),
                                 on_click=TrainerHomeState.confirm(item.id),
                                 class_name=kit.SMALL_BUTTON + "border-emerald-800 text-emerald-900 bg-white"),
                    rx.el.button(rx.icon("pencil-line", size=20, aria_hidden="true"), _("Ajuster"),
                                 on_click=TrainerHomeState.open_adjust(item.id),
                                 class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900 bg-white"),
                    class_name="flex flex-wrap gap-2 mt-3",
                ),
            ),
        ),
        data_assessment=item.id,
    )


def _select(label: str, id_: str, choices, on_change, everyone: str) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=id_, class_name="block font-semibold mb-1"),
        rx.el.select(
            rx.el.option(everyone, value=""),
            rx.foreach(choices, lambda c: rx.el.option(c.label, value=c.value)),
            id=id_, on_change=on_change, class_name=kit.FIELD,
        ),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TrainerHomeState
    notices = {
        "confirmed": _("C'est confirmé. Le ou la stagiaire le voit tout de suite."),
        "adjusted": _("C'est enregistré, avec votre raison. Le ou la stagiaire le voit tout de suite."),
        "bulk": _("La sélection est confirmée."),
        "answered_elsewhere": _("Une autre personne vient de répondre à une auto-évaluation : elle n'est plus dans la liste."),
    }
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.heading(_("Auto-évaluations à valider")),
        rx.el.div(
            _select(_("Parcours"), "filter-pathway", s.pathway_choices, TrainerHomeState.filter_pathway,
                    _("Tous les parcours")),
            _select(_("Stagiaire"), "filter-trainee", s.trainee_choices, TrainerHomeState.filter_trainee,
                    _("Tous les stagiaires")),
            class_name="grid gap-3 md:grid-cols-2",
        ),
        labels.done_notice(s.notice, notices, id="queue-notice"),
        rx.cond(s.selected.length() > 0,
                rx.el.button(rx.icon("check-check", size=20, aria_hidden="true"),
                             _("Confirmer la sélection"), " (", s.selected.length(), ")",
                             on_click=TrainerHomeState.confirm_selected, id="confirm-selected",
                             class_name=kit.PRIMARY + " self-start")),
        rx.cond(
            s.pending.length() > 0,
            rx.el.ul(rx.foreach(s.pending, lambda p: _row(locale, p)), id="pending",
                     class_name="grid gap-3 md:grid-cols-2 items-start"),
            rx.el.p(_("Rien à valider pour le moment.")),
        ),
    )


def on_load(locale: str):
    return TrainerHomeState.load(locale)
