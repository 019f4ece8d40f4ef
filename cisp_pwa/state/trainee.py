"""Accueil ("Mon parcours"): the trainee's landing screen."""

from __future__ import annotations

from typing import ClassVar

import dataclasses

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.help import referrals
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.infra import events

from . import offline_copy
from .live import LiveState
from .session import screen


@dataclasses.dataclass
class GoalRow:
    id: int
    title: str
    theme: str
    status: str
    target_date: str  # already written in the trainee's language, "" when none


class TraineeHomeState(LiveState):
    # Messages and reads change the unread count only (LiveState counts them).
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.GOALS, events.ASSESSMENT, events.VALIDATION, events.SUPPORT, events.PATHWAY,
                                                   events.REFERRAL})
    loaded: bool = False
    pathway_name: str = ""
    pathway_kind: str = ""
    skills_total: int = 0
    skills_validated: int = 0
    progress_text: str = ""
    to_assess_text: str = ""
    unread_text: str = ""
    answer_text: str = ""  # referrals waiting for her yes or no
    goals: list[GoalRow] = []
    offline_copy: list[dict] = []  # this screen as the phone keeps it for offline reading

    @rx.var
    def progress_percent(self) -> int:
        return round(100 * self.skills_validated / self.skills_total) if self.skills_total else 0

    @rx.event
    @screen(Role.trainee)
    def load(self, actor: Actor):
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        home = dashboards.trainee_home(actor)
        loc = actor.locale
        if home.pathway:
            p = home.pathway
            self.pathway_name, self.pathway_kind = p.name, p.kind
            self.skills_total, self.skills_validated = p.skills_total, p.skills_validated
            self.progress_text = i18n.ngettext(
                loc, "%(n)s compétence validée sur %(total)s", "%(n)s compétences validées sur %(total)s",
                p.skills_validated, total=p.skills_total,
            )
        self.to_assess_text = (
            i18n.ngettext(loc, "%(n)s compétence à évaluer", "%(n)s compétences à évaluer", home.skills_to_assess)
            if home.skills_to_assess else ""
        )
        self.unread_text = (
            i18n.ngettext(loc, "%(n)s nouveau message", "%(n)s nouveaux messages", home.unread_messages)
            if home.unread_messages else ""
        )
        waiting = sum(1 for r in referrals.list_referrals(actor, actor.id) if "accepted" in r.steps)
        self.answer_text = i18n.ngettext(loc, "%(n)s orientation attend votre réponse",
                                         "%(n)s orientations attendent votre réponse", waiting) if waiting else ""
        self.goals = [
            GoalRow(g.id, g.title, g.theme, g.status,
                    i18n.format_date(g.target_date, loc, "long") if g.target_date else "")
            for g in home.goals
        ]
        _ = i18n.gettext_for(loc)
        self.offline_copy = [
            offline_copy.section(self.pathway_name, [
                offline_copy.item(text) for text in (self.progress_text, self.to_assess_text, self.unread_text,
                                                     self.answer_text) if text
            ]),
            offline_copy.section(_("Mes objectifs"), [
                offline_copy.goal_item(loc, g.title, g.status, g.target_date) for g in self.goals
            ]),
        ]
        self.loaded = True
