"""Objectifs: the trainee's goals, grouped by theme; propose, edit, withdraw, notes, reached."""

from __future__ import annotations

from typing import ClassVar

import dataclasses
from datetime import date

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.follow_up import goals
from cisp_pwa.services.infra import events

from . import offline_copy
from .live import LiveState
from .session import screen, signed_in


@dataclasses.dataclass
class NoteRow:
    id: int
    author_name: str
    body: str
    created_at: str


@dataclasses.dataclass
class GoalCard:
    id: int
    title: str
    theme: str
    status: str
    target_date: str
    detail: str
    notes: list[NoteRow]
    can_edit: bool
    can_withdraw: bool
    can_mark_reached: bool
    can_add_note: bool
    partners: str = ""  # the services a referral for this goal sends her to


@dataclasses.dataclass
class GoalGroup:
    theme: str
    goals: list[GoalCard]


def _parse_date(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("date_invalid") from None


class GoalsState(LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.GOALS})  # a referral for a goal sends GOALS too
    loaded: bool = False
    groups: list[GoalGroup] = []
    offline_copy: list[dict] = []  # this screen as the phone keeps it for offline reading
    # The propose / edit form.
    form_open: bool = False
    editing_id: int = 0
    form_title: str = ""
    form_theme: str = ""
    form_date: str = ""
    form_detail: str = ""
    form_version: int = 0  # changes the form's key, so its fields take the new defaults
    error: str = ""        # a message id the page translates
    # Per-goal actions.
    confirm_withdraw_id: int = 0
    note_goal_id: int = 0
    note_error: str = ""
    notice: str = ""       # "proposed" | "saved" | "withdrawn" | "reached" | "noted"

    @rx.event
    @screen(Role.trainee, routes.GOALS)
    def load(self, actor: Actor):
        # A fresh screen: no form or question left open from before.
        self.form_open, self.editing_id, self.error, self.notice = False, 0, "", ""
        self.confirm_withdraw_id, self.note_goal_id, self.note_error = 0, 0, ""
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        loc = actor.locale
        by_theme: dict[str, list[GoalCard]] = {}
        for g in goals.list_goals(actor, actor.id):
            by_theme.setdefault(g.theme, []).append(GoalCard(
                g.id, g.title, g.theme, g.status,
                i18n.format_date(g.target_date, loc, "long") if g.target_date else "",
                g.detail,
                [NoteRow(n.id, n.author_name, n.body, i18n.format_datetime(n.created_at, loc)) for n in g.notes],
                g.can_edit, g.can_withdraw, g.can_mark_reached, g.can_add_note, ", ".join(g.partners),
            ))
        # Themes in their fixed order, open goals before closed ones.
        order = {"in_progress": 0, "proposed": 1, "reached": 2, "dropped": 3}
        self.groups = [GoalGroup(t, sorted(by_theme[t], key=lambda c: (order[c.status], c.id)))
                       for t in goals.THEMES if t in by_theme]
        themes = words.goal_themes(loc)
        self.offline_copy = [
            offline_copy.section(themes[group.theme][0], [
                offline_copy.goal_item(loc, c.title, c.status, c.target_date) for c in group.goals
            ], icon=themes[group.theme][1])
            for group in self.groups
        ]
        self.loaded = True

    @rx.event
    def open_new(self):
        self._open_form(0, "", "", "", "")

    @rx.event
    def open_edit(self, goal_id: int):
        actor = self._actor(Role.trainee)
        view = next((g for g in goals.list_goals(actor, actor.id) if g.id == goal_id and g.can_edit),
                    None) if actor else None
        if view is not None:
            self._open_form(goal_id, view.title, view.theme,
                            view.target_date.isoformat() if view.target_date else "", view.detail)

    def _open_form(self, goal_id: int, title: str, theme: str, target: str, detail: str) -> None:
        self.form_open, self.editing_id, self.error, self.notice = True, goal_id, "", ""
        self.form_title, self.form_theme, self.form_date, self.form_detail = title, theme, target, detail
        self.form_version += 1

    @rx.event
    def close_form(self):
        self.form_open, self.editing_id, self.error = False, 0, ""

    @rx.event
    @signed_in(Role.trainee)  # refused: the reason in `error`, above the form
    def save(self, actor: Actor, form: dict):
        title, theme = str(form.get("title", "")), str(form.get("theme", ""))
        detail = str(form.get("detail", ""))
        # Keep what was typed: a refused form is shown again as it was.
        self.form_title, self.form_theme, self.form_detail = title, theme, detail
        self.form_date = str(form.get("target_date", ""))
        target = _parse_date(self.form_date)
        if self.editing_id:
            goals.edit_goal(actor, self.editing_id, title=title, theme=theme, target_date=target, detail=detail)
            self.notice = "saved"
        else:
            goals.propose_goal(actor, actor.id, title=title, theme=theme, target_date=target, detail=detail)
            self.notice = "proposed"
        self.form_open, self.editing_id, self.error = False, 0, ""
        self._load(actor)

    @rx.event
    def ask_withdraw(self, goal_id: int):
        self.confirm_withdraw_id = goal_id

    @rx.event
    def cancel_withdraw(self):
        self.confirm_withdraw_id = 0

    @rx.event
    @signed_in(Role.trainee)
    def withdraw(self, actor: Actor, goal_id: int):
        self._card_action(actor, goals.withdraw_goal, goal_id, "withdrawn")
        self.confirm_withdraw_id = 0
        self._load(actor)

    @rx.event
    @signed_in(Role.trainee)
    def mark_reached(self, actor: Actor, goal_id: int):
        self._card_action(actor, goals.mark_reached, goal_id, "reached")
        self._load(actor)

    def _card_action(self, actor: Actor, call, goal_id: int, notice: str) -> None:
        """A goal card's button. Refused (the goal changed meanwhile): no notice and no error,
        the cards shown again say what is true."""
        try:
            call(actor, goal_id)
            self.notice = notice
        except (AccessDenied, InvalidInput):
            self.notice = ""

    @rx.event
    def open_note(self, goal_id: int):
        self.note_goal_id, self.note_error, self.notice = goal_id, "", ""

    @rx.event
    def close_note(self):
        self.note_goal_id, self.note_error = 0, ""

    @rx.event
    @signed_in(Role.trainee, error="note_error")  # refused: the reason under the note
    def add_note(self, actor: Actor, form: dict):
        goals.add_progress_note(actor, self.note_goal_id, str(form.get("note", "")))
        self.note_goal_id, self.note_error, self.notice = 0, "", "noted"
        self._load(actor)
