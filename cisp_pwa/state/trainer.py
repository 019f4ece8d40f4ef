"""The trainer's landing screen: self-assessments waiting for an answer."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services import dashboards
from cisp_pwa.services.actor import Actor

from .session import SessionState


@dataclasses.dataclass
class PendingRow:
    id: int
    trainee_name: str
    pathway_name: str
    area_label: str
    skill_label: str
    level: int
    comment: str
    created_at: str


class TrainerHomeState(SessionState):
    loaded: bool = False
    pending: list[PendingRow] = []

    @rx.event
    async def load(self, locale: str):
        actor = await self._guard(locale, Role.trainer)
        if not isinstance(actor, Actor):
            return actor
        self.pending = [
            PendingRow(p.id, p.trainee_name, p.pathway_name, p.area_label, p.skill_label, p.level,
                       p.comment, i18n.format_date(p.created_at.date(), actor.locale))
            for p in dashboards.trainer_pending(actor)
        ]
        self.loaded = True
