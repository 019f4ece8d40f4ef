"""Heures in a coach's trainee file: her month's figures (as she sees them on "Mes heures"), what she
announced (the photo of her certificate opens here, for her coaches only), and each absence of
the month: justified or not, and whether its hours count (force majeure, with its reason)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.certificates import certificate_view
from cisp_pwa.components.hours import attestations, figure
from cisp_pwa.services.hours.ledger import CORRECTION_MAX
from cisp_pwa.state.coach_hours import ASSIMILATED, AbsenceRow
from cisp_pwa.state.hours_rows import NoticeRow
from cisp_pwa.state.trainee_file import TraineeFileState


def errors(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {**words.hours_errors(locale), "not_allowed": _("Ce n'est pas possible.")}


def _reason(locale: str, code: rx.Var) -> rx.Component:
    return rx.match(code, *[(key, rx.el.span(rx.icon(icon, size=20, aria_hidden="true"), word,
                                             class_name="inline-flex items-center gap-1"))
                            for key, (word, icon) in words.absence_reasons(locale).items()], rx.fragment())


def _options(locale: str, distance: bool) -> list[rx.Component]:
    _ = i18n.gettext_for(locale)
    options = [rx.el.option(_("Pas encore décidé"), value="", disabled=True),
               rx.el.option(_("Non justifiée"), value="unjustified"),
               rx.el.option(_("Justifiée, heures non comptées"), value="justified")]
    if not distance:  # distance hours are never assimilated
        options += [rx.el.option(_("Justifiée, heures comptées : %(why)s") % {"why": word}, value=ASSIMILATED + code)
                    for code, word in words.assimilations(locale).items()]
    return options


def _absence(locale: str, a: AbsenceRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    field = "choice-" + a.day + "-" + a.starts
    return rx.el.li(
        rx.el.p(a.label, class_name="font-bold first-letter:uppercase"),
        rx.cond(a.reason != "", rx.el.p(_("Noté :"), " ", _reason(locale, a.reason),
                                        class_name="text-base flex flex-wrap items-center gap-1")),
        rx.cond(a.notice != "", rx.el.p(_("Annoncé par elle ou lui :"), " ", _reason(locale, a.notice),
                                        class_name="text-base flex flex-wrap items-center gap-1")),
        rx.cond(a.certificate_id > 0, certificate_view(locale, a.certificate_id)),
        rx.el.p(rx.cond(a.decision != "", a.decision, _("Pas encore décidé")), class_name="font-semibold mt-1",
                data_decision=a.choice),
        # The session goes in the form itself: Reflex hoists a form's submit handler out of the
        # list's loop, where the row is not known.
        rx.el.form(
            rx.el.input(type="hidden", name="day", value=a.day),
            rx.el.input(type="hidden", name="starts", value=a.starts),
            rx.el.label(_("Décision"), html_for=field, class_name="block font-semibold"),
            rx.cond(a.distance,
                    rx.el.select(*_options(locale, True), id=field, name="choice", default_value=a.choice,
                                 class_name=kit.FIELD),
                    rx.el.select(*_options(locale, False), id=field, name="choice", default_value=a.choice,
                                 class_name=kit.FIELD)),
            rx.cond(s.hours_closed, rx.el.div(
                rx.el.label(_("Pourquoi ce changement (le mois est clôturé) ?"), html_for=field + "-why",
                            class_name="block font-semibold mt-2"),
                rx.el.input(id=field + "-why", name="correction", max_length=CORRECTION_MAX, class_name=kit.FIELD))),
            rx.el.button(rx.icon("check", size=20, aria_hidden="true"), _("Enregistrer"), type="submit",
                         class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900 mt-2", data_action="decide"),
            on_submit=TraineeFileState.decide_absence,
            key=field + "-" + a.choice,  # a new decision (here or elsewhere): the form shows it
            class_name="mt-2",
        ),
        class_name="py-3 border-b border-slate-200 flex flex-col gap-1",
        data_absence=a.day + " " + a.starts,
    )


def _notice(locale: str, n: NoticeRow) -> rx.Component:
    presences = words.presences(locale)
    return rx.el.li(
        rx.el.p(n.label, class_name="font-bold first-letter:uppercase"),
        rx.el.div(
            rx.cond(n.presence == "late", rx.el.span(presences["late"][0], " · ", n.late),
                    rx.el.span(presences["absent"][0])),
            _reason(locale, n.reason),
            class_name="flex flex-wrap items-center gap-x-4",
        ),
        rx.cond(n.certificate_id > 0, certificate_view(locale, n.certificate_id)),
        class_name="py-3 border-b border-slate-200 flex flex-col gap-1",
        data_notice=n.id,
    )


def hours_section(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = TraineeFileState
    step = ("inline-flex items-center justify-center min-h-11 min-w-11 rounded-xl border-2 border-teal-800 "
            "text-teal-900 bg-white")
    return rx.el.section(
        kit.subheading(_("Heures")),
        kit.card(
            rx.el.div(
                rx.el.button(rx.icon("chevron-left", size=22, aria_hidden="true", class_name="rtl:rotate-180"),
                             on_click=TraineeFileState.hours_month_show(s.hours_prev_month), aria_label=_("Mois précédent"),
                             id="hours-prev", class_name=step),
                rx.el.h3(s.hours_month_label, class_name="font-bold flex-1 text-center", id="hours-month",
                         aria_live="polite"),
                rx.el.button(rx.icon("chevron-right", size=22, aria_hidden="true", class_name="rtl:rotate-180"),
                             on_click=TraineeFileState.hours_month_show(s.hours_next_month), aria_label=_("Mois suivant"),
                             id="hours-next", class_name=step),
                class_name="flex items-center gap-2",
            ),
            rx.el.p(s.hours_summary, class_name="mt-2", id="file-hours-summary"),
            rx.el.ul(rx.foreach(s.hours_figures, figure), id="file-hours-figures"),
            attestations(locale, s.hours_attestation_month, s.hours_attestation_pathway, s.hours_month_label,
                         "file-attestation"),
            rx.cond(s.hours_closed, rx.el.p(_("Ce mois est clôturé : un changement demande sa raison."),
                                            class_name="text-base text-slate-700")),
            labels.error_notice(s.hours_error, errors(locale), locale, id="file-hours-error"),
            rx.cond(s.hours_notices.length() > 0, rx.el.div(
                rx.el.h3(_("Absences annoncées"), class_name="font-bold mt-3"),
                rx.el.ul(rx.foreach(s.hours_notices, lambda n: _notice(locale, n)), id="file-notices"),
            )),
            rx.el.h3(_("Absences du mois"), class_name="font-bold mt-3"),
            rx.cond(s.hours_absences.length() > 0,
                    rx.el.ul(rx.foreach(s.hours_absences, lambda a: _absence(locale, a)), id="file-absences"),
                    rx.el.p(_("Aucune absence ce mois-ci."), class_name="text-base text-slate-700")),
        ),
        id="file-hours",
    )
