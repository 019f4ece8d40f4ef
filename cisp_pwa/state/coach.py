"""The coach's landing: the inbox of the trainees they support, live."""

from __future__ import annotations

from typing import ClassVar

import dataclasses

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.hours import sheets
from cisp_pwa.services.infra import events
from cisp_pwa.services.people import devices

from .live import LiveState
from .session import screen


@dataclasses.dataclass
class TraineeRow:
    id: int
    display_name: str
    pathway_name: str
    goals_text: str
    unread: int
    unread_text: str  # "2 non lus", in the coach's language
    preview: str
    last_at: str
    terms_withdrawn: bool = False
    absences_flag: bool = False  # her last two sessions: absences not justified (services/hours)


@dataclasses.dataclass
class BlockedRow:
    id: int
    text: str  # "Le téléphone de Samira est bloqué…", in the coach's language


class CoachHomeState(LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.MESSAGE, events.READ, events.GOALS, events.SUPPORT, events.PATHWAY,
                                                   events.SECURITY, events.HOURS})
    loaded: bool = False
    trainees: list[TraineeRow] = []
    # Her phone was blocked by wrong PINs: she needs a new access code (services/people/devices.py).
    blocked: list[BlockedRow] = []

    @rx.event
    @screen(Role.coach)
    def load(self, actor: Actor):
        self._load(actor)

    def _apply(self, actor: Actor, batch: list[dict]) -> None:
        if {e["kind"] for e in batch} == {events.HOURS}:  # a mark or a decision: only the flags change
            flagged = sheets.flagged(actor)
            self.trainees = [dataclasses.replace(row, absences_flag=row.id in flagged) for row in self.trainees]
            return
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        loc = actor.locale
        _ = i18n.gettext_for(loc)
        files = {t.id: t for t in dashboards.coach_trainees(actor)}
        flagged = sheets.flagged(actor)
        rows = []
        for item in messages.coach_inbox(actor):  # unread first, then most recent
            t = files.get(item.trainee_id)
            if t is None:
                continue
            parts = [i18n.ngettext(loc, "%(n)s objectif en cours", "%(n)s objectifs en cours", t.goals_in_progress)]
            if t.goals_proposed:
                parts.append(i18n.ngettext(loc, "%(n)s objectif proposé", "%(n)s objectifs proposés", t.goals_proposed))
            unread_text = i18n.ngettext(loc, "%(n)s non lu", "%(n)s non lus", item.unread) if item.unread else ""
            preview = _("Message vocal") if item.last_voice else item.preview
            rows.append(TraineeRow(t.id, t.display_name, t.pathway_name, " · ".join(parts), item.unread, unread_text,
                                   preview, i18n.format_datetime(item.last_at, loc) if item.last_at else "",
                                   t.terms_withdrawn, t.id in flagged))
        self.trainees = rows
        self.blocked = [
            BlockedRow(b.trainee_id, _("Le téléphone de %(name)s est bloqué : trop de codes PIN faux. "
                                       "Donnez-lui un nouveau code d'accès.") % {"name": b.trainee_name})
            for b in devices.blocked_phones(actor)]
        self.loaded = True
