"""The attendance sheet as a small React component (attendance.jsx): the taps stay on the device
until "Enregistrer", which sends the sheet at once or, with no network, from the outbox later."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from cisp_pwa import i18n, words

from . import kit

LATE_MINUTES = [5, 10, 15, 30]  # the trainer's taps for a late arrival
# Three to a row on a phone; with larger text, as many as fit (the rest on the next row), never cut.
_CHOICE = ("grow basis-[5.5rem] flex flex-col items-center justify-center gap-1 min-h-16 px-1 rounded-xl border-2 "
           "font-semibold text-base text-center break-words "
           "focus-visible:outline focus-visible:outline-4 focus-visible:outline-amber-500 ")
_MINUTE = ("min-h-11 px-1 rounded-xl border-2 font-semibold text-base "
           "focus-visible:outline focus-visible:outline-4 focus-visible:outline-amber-500 ")
_STATUS = "inline-flex items-center gap-1 text-sm font-semibold rounded-full px-2 py-0.5 "


class AttendanceSheet(rx.Component):
    library = "$/public" + rx.asset("attendance.jsx", shared=True)
    tag = "AttendanceSheet"

    loaded: rx.Var[bool]
    group: rx.Var[int]
    day: rx.Var[str]
    starts: rx.Var[str]
    closed: rx.Var[bool]
    lines: rx.Var[list]
    sent: rx.Var[list[str]]
    refused: rx.Var[str]
    ask_reason: rx.Var[bool]
    presences: rx.Var[dict]
    reasons: rx.Var[dict]
    minutes: rx.Var[list[int]]
    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]
    on_save: rx.EventHandler[passthrough_event_spec(dict)]


def attendance_sheet(locale: str, state, *after_save: rx.Component) -> rx.Component:
    """`state`: the screen's state (state/attendance.py). `after_save`: what the server said."""
    _ = i18n.gettext_for(locale)
    return AttendanceSheet.create(
        *after_save,
        loaded=state.loaded,
        group=state.group_id,
        day=state.day,
        starts=state.starts,
        closed=state.closed,
        lines=state.lines,
        sent=state.sent,
        refused=state.refused,
        ask_reason=state.error == "hours_correction_reason",
        on_save=state.save,
        presences={key: {"word": word, "icon": icon} for key, (word, icon) in words.presences(locale).items()},
        reasons={key: {"word": word, "icon": icon} for key, (word, icon) in words.absence_reasons(locale).items()},
        minutes=LATE_MINUTES,
        labels={
            "allPresent": _("Tous présents"),
            "save": _("Enregistrer"),
            "minutes": _("Minutes de retard"),
            "minuteUnit": _("%(n)s min"),
            "noticeAbsent": _("A prévenu : absent·e"),
            "noticeLate": _("A prévenu : en retard de %(n)s min"),
            "none": _("Pas encore noté"),
            "changed": _("Pas encore enregistré"),
            "recorded": _("Enregistré"),
            "waiting": _("En attente d'envoi"),
            "waitingSheet": _("En attente d'envoi : la feuille partira dès que le réseau revient."),
            "arrived": _("La feuille est arrivée : c'est enregistré."),
            "open": _("Sans présence : %(n)s"),
            "nothing": _("Rien de nouveau à enregistrer : touchez d'abord une présence."),
            "lateMinutes": words.hours_errors(locale)["hours_late_minutes"],
            "reasonLabel": _("Pourquoi cette correction ?"),
            "reasonHint": _("Une présence déjà enregistrée change : quelques mots pour la garder en mémoire."),
            "reasonMissing": words.hours_errors(locale)["hours_correction_reason"],
        },
        classes={
            "wrapper": "flex flex-col gap-3",
            "allPresent": kit.SECONDARY + " self-start",
            "rows": "grid gap-3 md:grid-cols-2 items-start",
            "row": "rounded-2xl bg-white p-3 shadow-sm border border-slate-200 flex flex-col gap-2",
            "head": "flex flex-wrap items-center justify-between gap-x-2",
            "name": "font-bold",
            "none": _STATUS + "bg-slate-100 text-slate-800",
            "changed": _STATUS + "bg-sky-100 text-sky-950",
            "recorded": _STATUS + "bg-emerald-100 text-emerald-950",
            "waiting": _STATUS + "bg-amber-100 text-amber-950",
            "notice": "flex flex-wrap items-center gap-x-2 gap-y-1 rounded-xl bg-amber-50 border-s-4 border-amber-700 "
                      "px-3 py-1 text-base text-amber-950 font-semibold",
            "reason": "inline-flex items-center gap-1",
            "choices": "flex flex-wrap gap-2",
            "choice": _CHOICE + "border-slate-300 bg-white text-slate-900 hover:bg-slate-50",
            "presentOn": _CHOICE + "border-emerald-800 bg-emerald-700 text-white",
            "lateOn": _CHOICE + "border-amber-700 bg-amber-200 text-amber-950",
            "absentOn": _CHOICE + "border-red-800 bg-red-700 text-white",
            "minutesRow": "flex flex-col gap-1",
            "minutesLabel": "text-base font-semibold",
            "minutes": "grid grid-cols-4 gap-2",
            "minute": _MINUTE + "border-slate-300 bg-white text-slate-900",
            "minuteOn": _MINUTE + "border-amber-700 bg-amber-200 text-amber-950",
            "reasonBox": "flex flex-col gap-1",
            "reasonLabel": "text-lg font-semibold",
            "hint": "text-base text-slate-700",
            "field": kit.FIELD,
            "saveRow": "flex flex-wrap items-center gap-2",
            "save": kit.PRIMARY + " min-w-48",
            "problem": "rounded-xl border-s-4 p-3 text-lg bg-red-50 border-red-700 text-red-900",
            "arrived": "flex items-center gap-2 rounded-xl border-s-4 p-3 text-lg bg-emerald-50 border-emerald-700 "
                       "text-emerald-950 font-semibold",
            "waitingBanner": "flex items-center gap-2 rounded-xl border-s-4 p-3 text-lg bg-amber-50 border-amber-700 "
                             "text-amber-950 font-semibold",
        },
    )
