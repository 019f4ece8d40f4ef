"""The coach's landing screen: the trainees they support."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services import dashboards
from cisp_pwa.services.actor import Actor

from .session import SessionState


@dataclasses.dataclass
class TraineeRow:
    id: int
    display_name: str
    pathway_name: str
    goals_text: str
    unread_text: str


class CoachHomeState(SessionState):
    loaded: bool = False
    trainees: list[TraineeRow] = []

    @rx.event
    async def load(self, locale: str):
        actor = await self._guard(locale, Role.coach)
        if not isinstance(actor, Actor):
            return actor
        loc = actor.locale
        rows = []
        for t in dashboards.coach_trainees(actor):
            parts = [i18n.ngettext(loc, "%(n)s objectif en cours", "%(n)s objectifs en cours", t.goals_in_progress)]
            if t.goals_proposed:
                parts.append(i18n.ngettext(loc, "%(n)s objectif proposé", "%(n)s objectifs proposés", t.goals_proposed))
            unread = (i18n.ngettext(loc, "%(n)s nouveau message", "%(n)s nouveaux messages", t.unread_messages)
                      if t.unread_messages else "")
            rows.append(TraineeRow(t.id, t.display_name, t.pathway_name, " · ".join(parts), unread))
        self.trainees = rows
        self.loaded = True
