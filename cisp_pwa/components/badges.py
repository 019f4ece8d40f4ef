"""Status words with their pictogram (never a pictogram alone, never colour alone)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import words

from . import labels


def _badge(status: rx.Var, icons: dict[str, str], said: dict[str, str]) -> rx.Component:
    return rx.el.span(
        rx.match(status, *[(k, rx.icon(i, size=18, aria_hidden="true")) for k, i in icons.items()], rx.fragment()),
        labels.word_for(status, said),
        class_name="inline-flex items-center gap-1 rounded-full px-3 py-0.5 text-base font-semibold "
        + "bg-slate-100 text-slate-800",
    )


def status_badge(status: rx.Var, locale: str) -> rx.Component:
    """Where a goal stands."""
    return _badge(status, words.GOAL_STATUS_ICONS, words.goal_statuses(locale))


def referral_badge(status: rx.Var, locale: str, for_trainee: bool = False) -> rx.Component:
    """Where a referral stands: the trainee's and her coach's screens."""
    return _badge(status, words.REFERRAL_STATUS_ICONS, words.referral_statuses(locale, for_trainee))


def category_icon(category: rx.Var, locale: str, size: int = 28) -> rx.Component:
    """The pictogram of a partner service's category."""
    return rx.match(
        category,
        *[(key, rx.icon(icon, size=size, aria_hidden="true", class_name="text-teal-800 shrink-0"))
          for key, (_w, icon) in words.partner_categories(locale).items()],
        rx.icon("life-buoy", size=size, aria_hidden="true", class_name="text-teal-800 shrink-0"),
    )
