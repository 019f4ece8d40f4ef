"""Orientations in a coach's trainee file: each referral with where it stands and the next
steps, and the form to propose one (service, why, what the partner is told: nothing unless a
note is written for them, the goal it serves)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.badges import category_icon, referral_badge
from cisp_pwa.components.reach import instruction
from cisp_pwa.services.help.referrals import NOTE_MAX, REASON_MAX
from cisp_pwa.state.coach_referrals import CoachReferral
from cisp_pwa.state.trainee_file import TraineeFileState


def errors(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "service_missing": _("Choisissez un service."),
        "reason_empty": _("Écrivez pourquoi, en mots simples : la personne le lira."),
        "reason_too_long": _("Le texte est trop long : %(n)s caractères au plus.") % {"n": REASON_MAX},
        "note_missing": _("Écrivez la note pour le service, ou choisissez « Rien »."),
        "note_too_long": _("La note est trop longue : %(n)s caractères au plus.") % {"n": NOTE_MAX},
        "appointment_missing": _("Indiquez le jour et l'heure du rendez-vous."),
        "date_out_of_range": _("Choisissez une date plus proche."),
        "close_reason_missing": _("Choisissez une raison."),
        "step_not_possible": _("Ce n'est plus possible : la situation a changé."),
        "access_denied": _("Ce n'est pas possible."),
        "step_unknown": _("Ce n'est pas possible."),
    }


def _step_button(icon: str, word: str, referral_id: rx.Var, step: str) -> rx.Component:
    return rx.el.button(rx.icon(icon, size=20, aria_hidden="true"), word,
                        on_click=TraineeFileState.referral_step(referral_id, step), data_step=step,
                        class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900")


def _step_form(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    return rx.el.form(
        rx.cond(
            s.step_kind == "appointment",
            rx.el.div(
                rx.el.div(rx.el.label(_("Jour"), html_for="appointment-day", class_name="block font-semibold"),
                          rx.el.input(id="appointment-day", name="day", type="date", class_name=kit.FIELD)),
                rx.el.div(rx.el.label(_("Heure"), html_for="appointment-time", class_name="block font-semibold"),
                          rx.el.input(id="appointment-time", name="time", type="time", class_name=kit.FIELD)),
                class_name="grid grid-cols-2 gap-2",
            ),
            rx.el.div(
                rx.el.label(_("Pourquoi s'arrêter ?"), html_for="closed-reason", class_name="block font-semibold"),
                rx.el.select(rx.el.option("—", value=""),
                             *[rx.el.option(word, value=key) for key, word in words.referral_close_reasons(locale).items()],
                             id="closed-reason", name="closed_reason", class_name=kit.FIELD),
            ),
        ),
        kit.form_buttons(locale, _("Enregistrer"), "step-save", TraineeFileState.close_step_form, space="mt-2"),
        on_submit=TraineeFileState.save_step,
        class_name="mt-2 p-3 rounded-xl bg-slate-50",
    )


def _referral(locale: str, r: CoachReferral) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    return rx.el.li(
        rx.el.div(category_icon(r.category, locale, size=24),
                  rx.el.p(r.service_name, dir="auto", class_name="font-bold"), class_name="flex items-center gap-2"),
        rx.el.div(referral_badge(r.status, locale), rx.el.span(r.updated, class_name="text-base text-slate-700"),
                  class_name="flex flex-wrap items-center gap-2 mt-1"),
        rx.el.p(r.reason, dir="auto", class_name="whitespace-pre-wrap mt-1"),
        rx.el.p(rx.el.span(_("Dit au service :"), class_name="font-semibold"), " ",
                rx.cond(r.partner_note != "", rx.el.span("« ", r.partner_note, " »", dir="auto"), _("rien")),
                class_name="text-base"),
        rx.cond(r.goal_title != "", rx.el.p(_("Objectif :"), " ", rx.el.span(r.goal_title, dir="auto"),
                                            class_name="text-base")),
        rx.cond(r.appointment != "", rx.el.p(_("Rendez-vous :"), " ", r.appointment, class_name="font-semibold")),
        rx.cond(r.closed_reason != "", rx.el.p(labels.word_for(r.closed_reason, words.referral_close_reasons(locale)),
                                               class_name="text-base")),
        rx.cond(
            s.step_referral_id == r.id,
            _step_form(locale),
            rx.el.div(
                rx.cond(r.steps.contains("contacted"), _step_button("phone-call", _("Service contacté"), r.id, "contacted")),
                rx.cond(r.steps.contains("appointment"),
                        _step_button("calendar-check", _("Rendez-vous"), r.id, "appointment")),
                rx.cond(r.steps.contains("done"), _step_button("flag", _("Faite"), r.id, "done")),
                rx.cond(r.steps.contains("abandoned"), _step_button("circle-slash", _("Arrêter"), r.id, "abandoned")),
                class_name="flex flex-wrap gap-2 mt-2",
            ),
        ),
        class_name="py-3 border-b border-slate-200",
        data_referral=r.id,
    )


def _form(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    return rx.el.form(
        rx.el.label(_("Service"), html_for="referral-service", class_name="block font-semibold mb-1"),
        rx.el.select(rx.el.option("—", value=""),
                     rx.foreach(s.referral_services, lambda o: rx.el.option(o.label, value=o.value.to_string())),
                     id="referral-service", name="service", class_name=kit.FIELD),
        rx.el.label(_("Pourquoi ? (la personne le lira, dans sa langue si vous l'écrivez ainsi)"),
                    html_for="referral-reason", class_name="block font-semibold mt-3 mb-1"),
        rx.el.textarea(id="referral-reason", name="reason", rows=2, max_length=REASON_MAX,
                       class_name=kit.FIELD + " py-2"),
        rx.el.fieldset(
            rx.el.legend(_("Ce que le service saura"), class_name="font-semibold mt-3 mb-1"),
            rx.el.label(rx.el.input(type="radio", name="share", value="nothing", default_checked=True,
                                    id="share-nothing", class_name="size-6 accent-teal-800"),
                        _("Rien : la personne se présente elle-même"), html_for="share-nothing",
                        class_name="flex items-center gap-2 min-h-11"),
            rx.el.label(rx.el.input(type="radio", name="share", value="note", id="share-note",
                                    class_name="size-6 accent-teal-800"),
                        _("Une courte note écrite pour le service"), html_for="share-note",
                        class_name="flex items-center gap-2 min-h-11"),
            rx.el.label(_("Note pour le service"), html_for="referral-note", class_name="block mt-1"),
            rx.el.textarea(id="referral-note", name="partner_note", rows=2, max_length=NOTE_MAX,
                           class_name=kit.FIELD + " py-2"),
        ),
        rx.el.label(_("Pour quel objectif ? (si vous voulez)"), html_for="referral-goal",
                    class_name="block font-semibold mt-3 mb-1"),
        rx.el.select(rx.el.option("—", value=""),
                     rx.foreach(s.referral_goals, lambda o: rx.el.option(o.label, value=o.value.to_string())),
                     id="referral-goal", name="goal", class_name=kit.FIELD),
        kit.form_buttons(locale, _("Proposer à la personne"), "referral-submit", TraineeFileState.close_referral_form),
        on_submit=TraineeFileState.propose_referral,
        key=s.referral_form_version,
        class_name="mt-3",
    )


def referrals_section(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    return rx.el.section(
        kit.subheading(_("Orientations")),
        kit.card(
            instruction(_("Rien ne se passe sans son accord : elle lit la proposition dans sa langue et dit oui "
                          "ou non. Elle peut retirer son accord à tout moment."), locale),
            labels.error_notice(s.referral_error, errors(locale), locale, id="referral-error"),
            rx.el.ul(rx.foreach(s.referral_items, lambda r: _referral(locale, r)), id="file-referrals"),
            rx.cond(s.referral_form_open, _form(locale),
                    rx.el.button(rx.icon("send", size=20, aria_hidden="true"), _("Proposer une orientation"),
                                 on_click=TraineeFileState.open_referral_form, id="referral-new",
                                 class_name=kit.SECONDARY + " mt-3")),
        ),
    )
