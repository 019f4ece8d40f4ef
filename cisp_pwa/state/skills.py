"""Compétences: the skills of the trainee's pathway, self-assessment and its history."""

from __future__ import annotations

from typing import ClassVar

import dataclasses

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.infra import events
from cisp_pwa.services.skills import assessments

from . import offline_copy
from .live import LiveState
from .session import screen, signed_in


@dataclasses.dataclass
class SkillRow:
    id: int
    label: str
    state: str
    self_level: int
    trainer_level: int
    reason: str


@dataclasses.dataclass
class AreaBlock:
    id: int
    label: str
    skills: list[SkillRow]


@dataclasses.dataclass
class HistoryRow:
    id: int
    created_at: str
    level: int
    comment: str
    decision: str  # "" while waiting
    trainer_level: int
    reason: str
    trainer_name: str


class SkillsState(LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.ASSESSMENT, events.VALIDATION, events.SUPPORT, events.PATHWAY})
    loaded: bool = False
    pathway_name: str = ""
    areas: list[AreaBlock] = []
    offline_copy: list[dict] = []  # this screen as the phone keeps it; offline, a level can be chosen
    # The skill being assessed (0: none), the level chosen, what went wrong.
    open_skill_id: int = 0
    open_skill_label: str = ""
    chosen_level: int = 0
    error: str = ""
    just_sent_id: int = 0
    history_skill_id: int = 0
    history: list[HistoryRow] = []

    @rx.event
    @screen(Role.trainee, routes.SKILLS)
    def load(self, actor: Actor):
        # A fresh screen: nothing left open, dates written again in the screen's language.
        self.open_skill_id, self.chosen_level, self.error, self.just_sent_id = 0, 0, "", 0
        self.history_skill_id, self.history = 0, []
        self._load(actor)

    def _apply(self, actor: Actor, batch: list[dict]) -> None:
        self._load(actor)
        if self.history_skill_id:
            self._load_history(actor, self.history_skill_id)

    def _load(self, actor: Actor) -> None:
        overview = assessments.skills_overview(actor, actor.id)
        self.pathway_name = overview.pathway_name if overview else ""
        self.areas = [
            AreaBlock(a.id, a.label, [
                SkillRow(k.id, k.label, k.state, k.self_level or 0, k.trainer_level or 0, k.reason)
                for k in a.skills
            ])
            for a in (overview.areas if overview else [])
        ]
        self.offline_copy = [
            offline_copy.section(a.label, [
                offline_copy.skill_item(actor.locale, k.id, k.label, k.state, k.self_level, k.trainer_level)
                for k in a.skills
            ])
            for a in self.areas
        ]
        self.loaded = True

    @rx.event
    def open_skill(self, skill_id: int):
        row = next((k for a in self.areas for k in a.skills if k.id == skill_id), None)
        if row is None:
            return
        self.open_skill_id, self.open_skill_label = skill_id, row.label
        self.chosen_level, self.error, self.just_sent_id = 0, "", 0
        self.history_skill_id = 0

    @rx.event
    def close_skill(self):
        self.open_skill_id, self.chosen_level, self.error = 0, 0, ""

    @rx.event
    def choose_level(self, level: int):
        self.chosen_level, self.error = level, ""

    @rx.event
    @signed_in(Role.trainee)  # refused: the reason in `error`, in the open skill
    def confirm(self, actor: Actor, form: dict):
        if not self.chosen_level:
            self.error = "level_missing"
            return
        assessments.self_assess(actor, self.open_skill_id, self.chosen_level, str(form.get("comment", "")))
        self.error = ""
        self.just_sent_id, self.open_skill_id, self.chosen_level = self.open_skill_id, 0, 0
        self._load(actor)

    @rx.event
    @signed_in(Role.trainee)
    def show_history(self, actor: Actor, skill_id: int):
        if self.history_skill_id == skill_id:
            self.history_skill_id, self.history = 0, []
            return
        self.open_skill_id = 0
        self._load_history(actor, skill_id)

    def _load_history(self, actor: Actor, skill_id: int) -> None:
        try:
            entries = assessments.skill_history(actor, actor.id, skill_id)
        except AccessDenied:
            return
        self.history_skill_id = skill_id
        self.history = [
            HistoryRow(h.assessment_id, i18n.format_date(h.created_at.date(), actor.locale, "long"), h.level,
                       h.comment, h.decision or "", h.trainer_level or 0, h.reason, h.trainer_name)
            for h in entries
        ]
