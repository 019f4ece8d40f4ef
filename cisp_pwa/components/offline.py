"""Offline on the trainee's phone (offline.jsx): the last seen copy of a screen, readable with no
network, and the outbox of drafts sent when the connection is back."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from cisp_pwa import i18n, words
from cisp_pwa.state.drafts import DraftsState
from cisp_pwa.state.session import SessionState

from . import kit
from .message_composer import OWN_BUBBLE
from .reach import listen_props

_LIBRARY = "$/public" + rx.asset("offline.jsx", shared=True)


class OfflineCopy(rx.Component):
    library = _LIBRARY
    tag = "OfflineCopy"

    page: rx.Var[str]
    lang: rx.Var[str]
    loaded: rx.Var[bool]
    owner: rx.Var[int]
    snapshot: rx.Var[list]
    labels: rx.Var[dict[str, str]]
    levels: rx.Var[list]
    classes: rx.Var[dict[str, str]]
    listen: rx.Var[dict[str, str]]
    early: rx.Var[bool]


class Outbox(rx.Component):
    library = _LIBRARY
    tag = "Outbox"

    owner: rx.Var[int]
    delivered: rx.Var[list[str]]
    refused: rx.Var[int]
    notice: rx.Var[str]
    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]
    on_deliver: rx.EventHandler[passthrough_event_spec(list)]


def offline_copy(locale: str, page: str, heading: str, loaded: rx.Var, snapshot: rx.Var,
                 content: rx.Component, early: bool = False) -> rx.Component:
    """`content` while connected; with no network, the copy of this screen kept on the phone.
    `early`: while the screen loads, its kept copy shows at once instead of the loading text."""
    _ = i18n.gettext_for(locale)
    return OfflineCopy.create(
        content,
        page=page,
        early=early,
        # Dates in the browser follow the same locale as the server's (Dari: fa-AF, not Iran's fa).
        lang=i18n.babel_locale(locale).replace("_", "-"),
        loaded=loaded,
        owner=SessionState.user_id,
        snapshot=snapshot,
        listen=listen_props(locale),
        levels=[{"level": level, "word": word, "icon": words.LEVEL_ICONS[level]}
                for level, word in words.levels(locale).items()],
        labels={
            "heading": heading,
            "offline": _("Hors ligne"),
            "seen": _("Pas de connexion. Voici ce que vous avez vu le %(date)s."),
            "nothing": _("Pas de connexion. Cet écran n'a pas encore été gardé sur ce téléphone."),
            "waitingLevel": _("En attente d'envoi : %(level)s"),
            "assess": _("M'évaluer"),
            "myLevel": _("Mon niveau"),
            "call": _("Appeler"),
            "voiceLater": _("À écouter quand vous aurez internet"),
        },
        classes={
            "wrapper": "flex flex-col gap-4",
            "heading": "text-2xl font-bold",
            "banner": "rounded-xl border-s-4 p-3 text-lg bg-amber-50 border-amber-700 text-amber-950",
            "badge": "font-bold",
            "section": "flex flex-col gap-2",
            "title": "text-xl font-bold flex items-center gap-2",
            "list": "flex flex-col gap-2",
            "item": "rounded-2xl bg-white border border-slate-200 p-4 shadow-sm flex flex-col gap-1",
            "mine": OWN_BUBBLE + " flex flex-col",
            "row": "flex items-start justify-between gap-1",
            "text": "whitespace-pre-wrap font-semibold",
            "body": "whitespace-pre-wrap",
            "meta": "text-base flex flex-wrap items-center gap-1",
            "waiting": "font-semibold text-sky-950 bg-sky-100 rounded-full px-3 py-0.5 self-start",
            "small": kit.SMALL_BUTTON + "border-teal-800 text-teal-900 self-start",
            "call": kit.PRIMARY + " self-start flex-wrap",
            "voiceLater": "inline-flex items-center gap-2 self-start rounded-full px-3 py-0.5 font-semibold "
                          "bg-amber-100 text-amber-950",
            "levels": "grid gap-2",
            "level": "flex-1 flex items-center gap-3 min-h-12 px-4 rounded-xl border-2 border-slate-300 bg-white "
                     "text-start",
        },
    )


def outbox(locale: str, say_offline: bool) -> rx.Component:
    """`say_offline`: the screen has no kept copy, which would say it already."""
    _ = i18n.gettext_for(locale)
    return Outbox.create(
        notice=_("Pas de connexion internet") if say_offline else "",
        on_deliver=DraftsState.deliver,
        owner=SessionState.user_id,
        delivered=DraftsState.delivered,
        refused=DraftsState.refused,
        labels={
            "waitingCount": _("En attente d'envoi : %(n)s"),
            "refused": _("Un envoi n'a pas pu se faire. Parlez-en à la personne qui vous accompagne."),
        },
        classes={
            "offline": "rounded-xl border-s-4 p-3 text-lg bg-amber-50 border-amber-700 text-amber-950 font-semibold",
            "waiting": "rounded-xl border-s-4 p-3 text-lg bg-sky-50 border-sky-700 text-sky-950",
            "refused": "rounded-xl border-s-4 p-3 text-lg bg-red-50 border-red-700 text-red-900",
        },
    )

