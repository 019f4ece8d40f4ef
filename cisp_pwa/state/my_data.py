"""Mes données: what the app keeps about the trainee, her downloads, who opened her file."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.people import consent
from cisp_pwa.services.records import privacy

from .live import LiveState
from .session import screen, signed_in


@dataclasses.dataclass
class ViewingRow:
    who: str
    role: str   # the role's value; the page says it in words
    what: str   # already in her language
    when: str   # already in her language


class MyDataState(LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset()  # the unread count and the session only
    loaded: bool = False
    viewings: list[ViewingRow] = []
    error: str = ""
    # "Retirer mon accord" opened: what follows is said, then she confirms or keeps her yes.
    withdrawing: bool = False

    @rx.event
    @screen(Role.trainee)
    def load(self, actor: Actor):
        self.error, self.withdrawing = "", False
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        loc = actor.locale
        self.viewings = [
            ViewingRow(v.who, v.role, words.viewing_word(v.action, loc), i18n.format_datetime(v.at, loc, "short"))
            for v in privacy.viewings(actor)
        ]
        self.loaded = True

    @rx.event
    @signed_in(Role.trainee)
    def download_page(self, actor: Actor):
        export = privacy.export_for(actor)
        self.error = ""
        return rx.download(data=export.html_text, filename=export.html_filename, mime_type="text/html;charset=utf-8")

    @rx.event
    @signed_in(Role.trainee)
    def download_file(self, actor: Actor):
        export = privacy.export_for(actor)
        self.error = ""
        return rx.download(data=export.json_text, filename=export.json_filename,
                           mime_type="application/json;charset=utf-8")

    @rx.event
    def ask_withdraw(self, asking: bool):
        self.withdrawing = asking is True

    @rx.event
    @signed_in(Role.trainee)
    def withdraw_terms(self, actor: Actor):
        consent.withdraw(actor)
        self.withdrawing = False
        # Her terms, where she may say yes again (and reads what "no" means).
        return rx.redirect(f"{routes.path(actor.locale, routes.CONSENT)}?next={routes.path(actor.locale, routes.MY_DATA)}")
