"""The centre admin's landing screen: accounts and pathways."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services import dashboards
from cisp_pwa.services.actor import Actor

from .session import SessionState


@dataclasses.dataclass
class AccountRow:
    id: int
    display_name: str
    login: str
    role: str
    is_active: bool


@dataclasses.dataclass
class PathwayRow:
    id: int
    name: str
    kind: str
    skills_text: str
    enrolled_text: str


class AdminHomeState(SessionState):
    loaded: bool = False
    centre_name: str = ""
    accounts: list[AccountRow] = []
    pathways: list[PathwayRow] = []

    @rx.event
    async def load(self, locale: str):
        actor = await self._guard(locale, Role.admin)
        if not isinstance(actor, Actor):
            return actor
        loc = actor.locale
        overview = dashboards.admin_overview(actor)
        self.centre_name = overview.centre_name
        self.accounts = [AccountRow(a.id, a.display_name, a.login, a.role, a.is_active) for a in overview.accounts]
        self.pathways = [
            PathwayRow(p.id, p.name, p.kind,
                       i18n.ngettext(loc, "%(n)s compétence", "%(n)s compétences", p.skills),
                       i18n.ngettext(loc, "%(n)s stagiaire inscrit·e", "%(n)s stagiaires inscrit·es", p.enrolled))
            for p in overview.pathways
        ]
        self.loaded = True
