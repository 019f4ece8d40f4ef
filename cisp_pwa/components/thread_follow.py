"""Opens a conversation at its newest message and offers "Nouveau message ↓" (thread_follow.jsx)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n


class ThreadFollow(rx.Component):
    library = "$/public" + rx.asset("thread_follow.jsx", shared=True)
    tag = "ThreadFollow"

    last_id: rx.Var[int]
    last_mine: rx.Var[bool]
    label: rx.Var[str]


def thread_follow(locale: str, last_id: rx.Var, last_mine: rx.Var) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return ThreadFollow.create(
        last_id=last_id, last_mine=last_mine, label=_("Nouveau message ↓"),
        # Above the trainee's tab bar, in the middle; a big target.
        class_name="fixed bottom-24 inset-x-0 mx-auto w-max z-20 min-h-11 px-4 rounded-full bg-teal-800 "
        "text-white font-bold shadow-lg",
    )
