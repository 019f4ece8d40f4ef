"""Présences: the trainer (or coach, or admin) takes a session's attendance, one row per trainee,
a whole group in a few taps ("Tous présents", the exceptions, "Enregistrer"), on the centre's
tablet too when the network is gone (the sheet waits on the device and goes once it is back)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.attendance import attendance_sheet
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.reach import instruction
from cisp_pwa.i18n import N_
from cisp_pwa.state.attendance import AttendanceState, SessionChoice

PAGE = routes.ATTENDANCE
TITLE = N_("Présences — CISP Parcours")


def _session(locale: str, choice: SessionChoice) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AttendanceState
    on = choice.starts == s.starts
    return rx.el.button(
        rx.icon("clock", size=20, aria_hidden="true"), rx.el.span(choice.label, dir="ltr"),
        rx.cond(choice.distance, rx.el.span(rx.icon("monitor", size=18, aria_hidden="true"), _("à distance"),
                                            class_name="inline-flex items-center gap-1 text-base")),
        type="button", on_click=AttendanceState.choose_session(choice.starts),
        aria_pressed=rx.cond(on, "true", "false"), data_starts=choice.starts,
        class_name=rx.cond(on, kit.SMALL_BUTTON.replace("bg-white ", "") + "border-teal-800 bg-teal-800 text-white",
                           kit.SMALL_BUTTON + "border-teal-800 text-teal-900"),
    )


def _choosers(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AttendanceState
    return rx.el.div(
        rx.el.div(
            rx.el.label(_("Groupe"), html_for="attendance-group", class_name="block font-semibold mb-1"),
            rx.el.select(
                rx.foreach(s.groups, lambda g: rx.el.option(g.label, value=g.value)),
                id="attendance-group", value=s.group_id.to_string(), on_change=AttendanceState.choose_group,
                class_name=kit.FIELD,
            ),
        ),
        rx.el.div(
            rx.el.label(_("Jour"), html_for="attendance-day", class_name="block font-semibold mb-1"),
            rx.el.input(type="date", id="attendance-day", value=s.day, on_change=AttendanceState.choose_day,
                        class_name=kit.FIELD),
        ),
        class_name="grid gap-3 md:grid-cols-2",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AttendanceState
    errors = {**words.hours_errors(locale), "not_allowed": _("Vous ne pouvez pas noter les présences de ce groupe.")}
    done = {"saved": _("C'est enregistré.")}
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.heading(_("Présences")),
        rx.cond(
            s.groups.length() > 0,
            rx.el.div(
                instruction(_("Touchez « Tous présents », puis changez les absences et les retards. "
                              "Touchez ensuite « Enregistrer »."), locale),
                _choosers(locale),
                rx.el.h2(s.day_label, class_name="text-xl font-bold first-letter:uppercase", id="attendance-day-label"),
                rx.cond(s.sessions.length() > 0,
                        rx.el.div(rx.foreach(s.sessions, lambda x: _session(locale, x)), role="group",
                                  aria_label=_("Moment de la journée"), id="attendance-sessions",
                                  class_name="flex flex-wrap gap-2")),
                rx.cond(s.closed, kit.notice(_("Ce mois est clôturé : chaque changement demande une raison."),
                                             id="attendance-closed")),
                rx.cond(
                    s.starts != "",
                    attendance_sheet(
                        locale, AttendanceState,
                        labels.error_notice(s.error, errors, locale, id="attendance-error"),
                        labels.done_notice(s.notice, done, id="attendance-saved"),
                    ),
                    kit.notice(_("Ce groupe n'a pas cours ce jour-là. Choisissez un autre jour."),
                               id="attendance-no-session"),
                ),
                class_name="flex flex-col gap-4",
            ),
            kit.notice(_("Aucun de vos stagiaires n'est encore dans un groupe."), id="attendance-no-group"),
        ),
    )


def on_load(locale: str):
    return AttendanceState.load(locale)

