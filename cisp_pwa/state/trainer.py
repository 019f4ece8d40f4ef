"""The trainer's validation queue: pending self-assessments, confirm, adjust with a reason."""

from __future__ import annotations

from typing import ClassVar

import dataclasses

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.infra import events
from cisp_pwa.services.skills import validations

from .live import LiveState
from .session import screen, signed_in


@dataclasses.dataclass
class EarlierRow:
    created_at: str
    level: int
    decision: str
    trainer_level: int


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
    earlier: list[EarlierRow]


@dataclasses.dataclass
class Choice:
    value: str
    label: str


class TrainerHomeState(LiveState):
    """Live: a new self-assessment appears, one answered by another trainer goes (with a
    notice), without reload."""

    LISTENS: ClassVar[frozenset[str]] = frozenset({events.ASSESSMENT, events.VALIDATION, events.SUPPORT, events.PATHWAY})
    loaded: bool = False
    pending: list[PendingRow] = []
    pathway_choices: list[Choice] = []
    trainee_choices: list[Choice] = []
    pathway_filter: str = ""
    trainee_filter: str = ""
    selected: list[int] = []
    adjusting_id: int = 0
    adjust_level: int = 0
    error: str = ""
    notice: str = ""  # "confirmed" | "adjusted" | "bulk" | "answered_elsewhere"
    notice_count: int = 0

    @rx.event
    @screen(Role.trainer)
    def load(self, actor: Actor):
        self.pathway_filter = self.trainee_filter = ""
        self.selected, self.adjusting_id, self.error, self.notice = [], 0, "", ""
        self._load_filters(actor)
        self._load(actor)

    def _load_filters(self, actor: Actor) -> None:
        pathways, trainees = validations.trainer_filters(actor)
        self.pathway_choices = [Choice(str(i), n) for i, n in pathways]
        self.trainee_choices = [Choice(str(i), n) for i, n in trainees]

    def _apply(self, actor: Actor, batch: list[dict]) -> None:
        shown = {p.id for p in self.pending}
        if any(e["kind"] != events.ASSESSMENT for e in batch):
            self._load_filters(actor)  # trainees or pathways may have changed too
        self._load(actor)
        # Answered by someone else while on this screen: say so, and close its form.
        elsewhere = {e["id"] for e in batch if e["kind"] == events.VALIDATION and e["actor"] != actor.id} & shown
        if elsewhere:
            self.notice = "answered_elsewhere"
            if self.adjusting_id in elsewhere:
                self.adjusting_id, self.adjust_level, self.error = 0, 0, ""

    def _load(self, actor: Actor) -> None:
        loc = actor.locale
        self.pending = [
            PendingRow(
                p.id, p.trainee_name, p.pathway_name, p.area_label, p.skill_label, p.level, p.comment,
                i18n.format_date(p.created_at.date(), loc, "long"),
                [EarlierRow(i18n.format_date(e.created_at.date(), loc, "long"), e.level, e.decision or "",
                            e.trainer_level or 0) for e in p.earlier],
            )
            for p in validations.queue(actor, int(self.pathway_filter or 0) or None,
                                       int(self.trainee_filter or 0) or None)
        ]
        visible = {p.id for p in self.pending}
        self.selected = [i for i in self.selected if i in visible]
        self.loaded = True

    @rx.event
    def filter_pathway(self, value: str):
        self.pathway_filter = value if value.isdigit() else ""
        if actor := self._actor(Role.trainer):
            self._load(actor)

    @rx.event
    def filter_trainee(self, value: str):
        self.trainee_filter = value if value.isdigit() else ""
        if actor := self._actor(Role.trainer):
            self._load(actor)

    @rx.event
    def toggle(self, assessment_id: int):
        if assessment_id in self.selected:
            self.selected = [i for i in self.selected if i != assessment_id]
        else:
            self.selected = [*self.selected, assessment_id]

    @rx.event
    @signed_in(Role.trainer)
    def confirm(self, actor: Actor, assessment_id: int):
        try:  # refused (answered meanwhile): "not_allowed", and the queue shows what is left
            validations.confirm(actor, assessment_id)
            self.notice, self.error = "confirmed", ""
        except (AccessDenied, InvalidInput):
            self.notice, self.error = "", "not_allowed"
        self._load(actor)

    @rx.event
    @signed_in(Role.trainer)
    def confirm_selected(self, actor: Actor):
        try:  # as confirm
            self.notice_count = validations.bulk_confirm(actor, list(self.selected))
            self.notice, self.error, self.selected = "bulk", "", []
        except (AccessDenied, InvalidInput):
            self.notice, self.error = "", "not_allowed"
        self._load(actor)

    @rx.event
    def open_adjust(self, assessment_id: int):
        self.adjusting_id, self.adjust_level, self.error, self.notice = assessment_id, 0, "", ""

    @rx.event
    def close_adjust(self):
        self.adjusting_id, self.adjust_level, self.error = 0, 0, ""

    @rx.event
    def choose_level(self, level: int):
        self.adjust_level = level

    @rx.event
    @signed_in(Role.trainer)  # refused: the reason in `error`, in the adjust form
    def adjust(self, actor: Actor, form: dict):
        if not self.adjust_level:
            self.error = "level_missing"
            return
        validations.adjust(actor, self.adjusting_id, self.adjust_level, str(form.get("reason", "")))
        self.adjusting_id, self.adjust_level, self.error, self.notice = 0, 0, "", "adjusted"
        self._load(actor)
