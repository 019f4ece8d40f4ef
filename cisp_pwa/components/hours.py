"""A trainee's month on screen, for her "Mes heures" and her coach's file: a figure (pictogram,
word, amount, how it is counted) and a session's status (pictogram and word)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, words
from cisp_pwa.state.hours_rows import FigureLine

from .downloads import fetch_download

FIGURE_ICONS = {"trained": "clock", "allowance": "wallet", "travel": "bus", "unjustified": "circle-x"}


def status_badge(status: rx.Var, locale: str) -> rx.Component:
    """A session's status: pictogram and word (present, late, absent, to come, not noted yet)."""
    _ = i18n.gettext_for(locale)
    presences = words.presences(locale)
    look = "inline-flex items-center gap-1 rounded-full px-3 py-0.5 font-semibold "
    badges = {
        "present": (presences["present"][0], presences["present"][1], "bg-emerald-100 text-emerald-950"),
        "late": (presences["late"][0], presences["late"][1], "bg-amber-100 text-amber-950"),
        "absent": (presences["absent"][0], presences["absent"][1], "bg-red-100 text-red-900"),
        "upcoming": (_("À venir"), "hourglass", "bg-sky-100 text-sky-950"),
        "unknown": (_("Pas encore noté"), "circle-dashed", "bg-slate-100 text-slate-800"),
    }
    return rx.match(
        status,
        *[(key, rx.el.span(rx.icon(icon, size=18, aria_hidden="true"), word, class_name=look + colours,
                           data_status=key))
          for key, (word, icon, colours) in badges.items()],
        rx.fragment(),
    )


def figure(f: FigureLine) -> rx.Component:
    return rx.el.li(
        rx.match(f.key, *[(key, rx.icon(icon, size=28, aria_hidden="true", class_name="text-teal-800 shrink-0"))
                          for key, icon in FIGURE_ICONS.items()], rx.fragment()),
        rx.el.div(
            rx.el.p(f.word, class_name="font-semibold"),
            rx.el.p(f.value, class_name="text-2xl font-bold text-slate-900", data_value=f.key),
            rx.cond(f.note != "", rx.el.p(f.note, class_name="text-base text-slate-700")),
            class_name="flex flex-col",
        ),
        class_name="flex items-start gap-3 py-2 border-b border-slate-100 last:border-b-0",
        data_figure=f.key,
    )


def attestations(locale: str, month_path: rx.Var, pathway_path: rx.Var, month_label: rx.Var, id_prefix: str
                 ) -> rx.Component:
    """Her attendance certificates (PDF, her language beside French), fetched with the session:
    the month shown and her whole pathway. The same two buttons as on the admin's Heures."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        rx.el.h3(_("Attestations de fréquentation"), class_name="font-bold mt-3"),
        rx.el.div(
            fetch_download(locale, month_path, "attestation.pdf", month_label, f"{id_prefix}-month"),
            fetch_download(locale, pathway_path, "attestation.pdf", _("Tout le parcours"), f"{id_prefix}-pathway"),
            class_name="flex flex-wrap gap-2 mt-1",
        ),
        id=f"{id_prefix}s",
    )
