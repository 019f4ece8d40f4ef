"""A coach's view of one trainee: pathway and skills (read-only), goals built together, and
private coach notes (never shown to the trainee or to trainers)."""

from __future__ import annotations

from typing import ClassVar

import dataclasses
from datetime import date

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.follow_up import coach_notes, goals
from cisp_pwa.services.infra import audit, events
from cisp_pwa.services.skills import assessments

from .coach_hours import CoachHoursMixin
from .coach_referrals import CoachReferralsMixin
from .goals import GoalCard, NoteRow
from .invitation import InvitationMixin
from .live import LiveState
from .session import screen, signed_in


@dataclasses.dataclass
class SkillLine:
    label: str
    state: str
    self_level: int
    trainer_level: int


@dataclasses.dataclass
class AreaLines:
    label: str
    skills: list[SkillLine]


@dataclasses.dataclass
class CoachGoal:
    card: GoalCard
    can_agree: bool
    can_drop: bool


class TraineeFileState(InvitationMixin, CoachReferralsMixin, CoachHoursMixin, LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.ASSESSMENT, events.VALIDATION, events.SUPPORT, events.PATHWAY, events.GOALS,
                         events.COACH_NOTE, events.REFERRAL, events.PARTNERS, events.HOURS, events.GROUPS})
    loaded: bool = False
    missing: bool = False
    trainee_id: int = 0
    trainee_name: str = ""
    pathway_name: str = ""
    areas: list[AreaLines] = []
    goal_items: list[CoachGoal] = []
    notes: list[NoteRow] = []
    note_error: str = ""
    note_version: int = 0
    goal_error: str = ""
    ERROR_VAR: ClassVar[str] = "goal_error"  # where a refused event says why (guard.py)
    goal_form_open: bool = False
    editing_goal_id: int = 0
    form_title: str = ""
    form_theme: str = "work"
    form_date: str = ""
    form_version: int = 0

    @rx.event
    @screen(Role.coach, routes.TRAINEE_FILE)
    def load(self, actor: Actor):
        self.loaded, self.missing, self.goal_form_open, self.note_error, self.goal_error = False, False, False, "", ""
        self.referral_form_open, self.referral_error, self.step_referral_id, self.step_kind = False, "", 0, ""
        self.invite_code = ""
        self.hours_month, self.hours_error = "", ""
        raw = self.router.url.query_parameters.get("trainee", "")
        self.trainee_id = int(raw) if raw.isdigit() else 0
        try:
            self.trainee_name = messages.trainee_name(actor, self.trainee_id)
            self._load(actor)
        except AccessDenied:
            self.trainee_id, self.missing, self.loaded = 0, True, True
            return []  # nothing to show: no live updates
        audit.opened(actor, "file", self.trainee_id)  # she sees who opened her file

    def _watched_trainee(self) -> int:
        return self.trainee_id

    def _load(self, actor: Actor) -> None:
        self._load_skills(actor)
        self._load_goals(actor)
        self._load_notes(actor)
        self._load_referrals(actor)
        self._load_hours(actor)
        self.loaded = True

    def _apply(self, actor: Actor, batch: list[dict]) -> None:
        """Only the part of the file that changed."""
        kinds = {e["kind"] for e in batch}
        if kinds - {events.GOALS, events.COACH_NOTE, events.ASSESSMENT, events.VALIDATION, events.REFERRAL,
                    events.HOURS, events.GROUPS}:
            self._load(actor)  # a resync, or who supports the trainee changed: everything
            return
        if kinds & {events.ASSESSMENT, events.VALIDATION}:
            self._load_skills(actor)
        if events.GOALS in kinds:
            self._load_goals(actor)
        if events.COACH_NOTE in kinds:
            self._load_notes(actor)
        if events.REFERRAL in kinds:
            self._load_referrals(actor)
        if kinds & {events.HOURS, events.GROUPS}:
            self._load_hours(actor)

    def _load_skills(self, actor: Actor) -> None:
        overview = assessments.skills_overview(actor, self.trainee_id)
        self.pathway_name = overview.pathway_name if overview else ""
        self.areas = [AreaLines(a.label, [SkillLine(k.label, k.state, k.self_level or 0, k.trainer_level or 0)
                                          for k in a.skills]) for a in (overview.areas if overview else [])]

    def _load_goals(self, actor: Actor) -> None:
        loc = actor.locale
        self.goal_items = [
            CoachGoal(
                GoalCard(g.id, g.title, g.theme, g.status,
                         i18n.format_date(g.target_date, loc, "long") if g.target_date else "", g.detail,
                         [NoteRow(n.id, n.author_name, n.body, i18n.format_datetime(n.created_at, loc)) for n in g.notes],
                         g.can_edit, g.can_withdraw, g.can_mark_reached, g.can_add_note, ", ".join(g.partners)),
                g.can_agree, g.can_drop,
            )
            for g in goals.list_goals(actor, self.trainee_id)
        ]

    def _load_notes(self, actor: Actor) -> None:
        self.notes = [NoteRow(n.id, n.author_name, n.body, i18n.format_datetime(n.created_at, actor.locale))
                      for n in coach_notes.list_notes(actor, self.trainee_id)]

    def _act(self, actor: Actor, call, goal_id: int) -> None:
        """A goal card's button. Any refusal reads "not_allowed" here (the goal changed
        meanwhile), and the goals show again either way."""
        try:
            call(actor, goal_id)
            self.goal_error = ""
        except (AccessDenied, InvalidInput):
            self.goal_error = "not_allowed"
        self._load_goals(actor)

    @rx.event
    @signed_in(Role.coach)
    def agree(self, actor: Actor, goal_id: int):
        self._act(actor, goals.agree_goal, goal_id)

    @rx.event
    @signed_in(Role.coach)
    def reached(self, actor: Actor, goal_id: int):
        self._act(actor, goals.mark_reached, goal_id)

    @rx.event
    @signed_in(Role.coach)
    def drop(self, actor: Actor, goal_id: int):
        self._act(actor, goals.drop_goal, goal_id)

    @rx.event
    def open_goal_form(self, goal_id: int):
        item = next((i.card for i in self.goal_items if i.card.id == goal_id), None)
        self.goal_form_open, self.editing_goal_id, self.goal_error = True, goal_id if item else 0, ""
        actor = self._actor(Role.coach)
        view = next((g for g in goals.list_goals(actor, self.trainee_id) if g.id == goal_id), None) \
            if (actor and item) else None
        self.form_title = view.title if view else ""
        self.form_theme = view.theme if view else "work"
        self.form_date = view.target_date.isoformat() if view and view.target_date else ""
        self.form_version += 1

    @rx.event
    def close_goal_form(self):
        self.goal_form_open, self.editing_goal_id, self.goal_error = False, 0, ""

    @rx.event
    @signed_in(Role.coach)  # refused: the reason in goal_error (ERROR_VAR), above the form
    def save_goal(self, actor: Actor, form: dict):
        title, theme = str(form.get("title", "")), str(form.get("theme", ""))
        self.form_title, self.form_theme, self.form_date = title, theme, str(form.get("target_date", ""))
        try:
            target = date.fromisoformat(self.form_date) if self.form_date else None
        except ValueError:
            self.goal_error = "date_invalid"
            return
        if self.editing_goal_id:
            goals.edit_goal(actor, self.editing_goal_id, title=title, theme=theme, target_date=target)
        else:
            goals.propose_goal(actor, self.trainee_id, title=title, theme=theme, target_date=target)
        self.goal_form_open, self.editing_goal_id, self.goal_error = False, 0, ""
        self._load_goals(actor)

    @rx.event
    @signed_in(Role.coach)
    def invite(self, actor: Actor):
        """A coach may also make a new access code for a trainee they support."""
        self._make_invitation(actor, self.trainee_id)

    @rx.event
    @signed_in(Role.coach, error="note_error")  # refused: the reason under the private note
    def add_note(self, actor: Actor, form: dict):
        coach_notes.add_note(actor, self.trainee_id, str(form.get("note", "")))
        self.note_error = ""
        self.note_version += 1
        self._load_notes(actor)

    # --- referrals (state/coach_referrals.py does the work) ---

    @rx.event
    @signed_in(Role.coach, error="referral_error")
    def open_referral_form(self, actor: Actor):
        self._open_referral_form(actor)

    @rx.event
    def close_referral_form(self):
        self.referral_form_open, self.referral_error = False, ""

    @rx.event
    @signed_in(Role.coach, error="referral_error")  # refused: the reason above the form
    def propose_referral(self, actor: Actor, form: dict):
        self._propose_referral(actor, form)

    @rx.event
    @signed_in(Role.coach, error="referral_error")
    def referral_step(self, actor: Actor, referral_id: int, step: str):
        """A step with nothing to fill in (contacted, done); the others open their form."""
        if step in ("appointment", "abandoned"):
            self.step_referral_id, self.step_kind, self.referral_error = referral_id, step, ""
            return
        self._step(actor, referral_id, step)

    @rx.event
    def close_step_form(self):
        self.step_referral_id, self.step_kind = 0, ""

    @rx.event
    @signed_in(Role.coach, error="referral_error")
    def save_step(self, actor: Actor, form: dict):
        self._step(actor, self.step_referral_id, self.step_kind, form)

    # --- hours (state/coach_hours.py does the work) ---

    @rx.event
    @signed_in(Role.coach, error="hours_error")
    def hours_month_show(self, actor: Actor, month: str):
        """Another month of hers ("2026-10"): the arrows send the one before or after."""
        self._show_hours(actor, month)

    @rx.event
    @signed_in(Role.coach, error="hours_error")  # refused: the reason above her absences
    def decide_absence(self, actor: Actor, form: dict):
        """Justified or not, and whether its hours count (ledger.decide); the form names its session."""
        self._decide(actor, form)
