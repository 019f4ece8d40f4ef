"""Status words with their pictogram (never a pictogram alone, never colour alone)."""

from __future__ import annotations

import reflex as rx

from . import labels


def status_badge(status: rx.Var, locale: str) -> rx.Component:
    icons = labels.GOAL_STATUS_ICONS
    words = labels.goal_statuses(locale)
    return rx.el.span(
        rx.match(status, *[(k, rx.icon(i, size=18, aria_hidden="true")) for k, i in icons.items()], rx.fragment()),
        labels.word_for(status, words),
        class_name="inline-flex items-center gap-1 rounded-full px-3 py-0.5 text-base font-semibold "
        + "bg-slate-100 text-slate-800",
    )


def referral_badge(status: rx.Var, locale: str, for_trainee: bool = False) -> rx.Component:
    """Where a referral stands: the trainee's and her coach's screens."""
    icons = labels.REFERRAL_STATUS_ICONS
    return rx.el.span(
        rx.match(status, *[(k, rx.icon(i, size=18, aria_hidden="true")) for k, i in icons.items()], rx.fragment()),
        labels.word_for(status, labels.referral_statuses(locale, for_trainee)),
        class_name="inline-flex items-center gap-1 rounded-full px-3 py-0.5 text-base font-semibold "
        + "bg-slate-100 text-slate-800",
    )


def category_icon(category: rx.Var, locale: str, size: int = 28) -> rx.Component:
    """The pictogram of a partner service's category."""
    return rx.match(
        category,
        *[(key, rx.icon(icon, size=size, aria_hidden="true", class_name="text-teal-800 shrink-0"))
          for key, (_w, icon) in labels.partner_categories(locale).items()],
        rx.icon("life-buoy", size=size, aria_hidden="true", class_name="text-teal-800 shrink-0"),
    )
