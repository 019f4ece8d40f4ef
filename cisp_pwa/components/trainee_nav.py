"""The trainee's bottom tab bar: Accueil, Objectifs, Compétences, Messages (with unread count).

Icon and word for each tab; fits from 320 px up; start-to-end order mirrors in Arabic."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.state.live import LiveState


def _tab(locale: str, page: str, icon: str, word: str, active: bool, badge: rx.Component | None = None) -> rx.Component:
    colour = "text-teal-900 bg-teal-50" if active else "text-slate-700"
    return rx.el.li(
        rx.el.a(
            rx.el.span(
                rx.icon(icon, size=26, aria_hidden="true"),
                badge if badge is not None else rx.fragment(),
                class_name="relative",
            ),
            # "Compétences" must fit a quarter of a 320 px screen: smaller type there, never overflow.
            # Even with very large text the bar keeps four tabs on one line of a 320 px phone.
            rx.el.span(word, class_name="text-[min(0.875rem,3.1vw)] leading-tight font-semibold text-center "
                       "max-w-full [overflow-wrap:anywhere]"),
            href=routes.path(locale, page),
            id=f"tab-{page}",
            aria_current="page" if active else None,
            class_name=f"flex flex-col items-center justify-center gap-0.5 min-h-14 px-0 rounded-xl w-full {colour}",
        ),
        class_name="flex-1 min-w-0",
    )


def trainee_nav(locale: str, current: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    unread_badge = rx.cond(
        LiveState.unread > 0,
        rx.el.span(
            LiveState.unread,
            class_name="absolute -top-1 -end-3 min-w-6 h-6 px-1 rounded-full bg-red-700 text-white "
            "text-sm font-bold flex items-center justify-center",
            id="unread-badge",
        ),
    )
    tabs = [
        (routes.MY_PATHWAY, "house", _("Accueil"), None),
        (routes.GOALS, "target", _("Objectifs"), None),
        (routes.SKILLS, "list-checks", _("Compétences"), None),
        (routes.MESSAGES, "message-circle", _("Messages"), unread_badge),
    ]
    return rx.el.nav(
        rx.el.ul(
            *[_tab(locale, page, icon, word, page == current, badge) for page, icon, word, badge in tabs],
            class_name="flex gap-0.5 max-w-3xl mx-auto",
        ),
        aria_label=_("Menu principal"),
        class_name="fixed bottom-0 inset-x-0 bg-white border-t border-slate-300 px-1 py-1 z-10",
    )
