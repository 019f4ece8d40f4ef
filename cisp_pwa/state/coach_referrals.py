"""The referrals part of a coach's trainee file: what the file shows and the forms it opens.
The handlers live on the file's state (one live loop per screen); this holds their work."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cisp_pwa import i18n, words
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.follow_up import goals
from cisp_pwa.services.help import partners, referrals

from .referral_rows import ReferralRow, shared


@dataclasses.dataclass
class CoachReferral(ReferralRow):
    closed_reason: str
    updated: str
    steps: list[str]  # what the coach may do next (status values)


@dataclasses.dataclass
class Option:
    value: int
    label: str


class CoachReferralsMixin(rx.State, mixin=True):
    """Mixed into TraineeFileState, whose `trainee_id` says whose file is open."""

    referral_items: list[CoachReferral] = []
    referral_services: list[Option] = []  # her centre's network, "category · name"
    referral_goals: list[Option] = []     # her open goals
    referral_form_open: bool = False
    referral_form_version: int = 0
    referral_error: str = ""
    step_referral_id: int = 0             # the referral whose step form is open
    step_kind: str = ""                   # "appointment" | "abandoned"

    def _load_referrals(self, actor: Actor) -> None:
        loc = actor.locale
        self.referral_items = [
            CoachReferral(
                **shared(r, i18n.format_day_time(r.appointment_on, loc) if r.appointment_on else ""),
                closed_reason=r.closed_reason, updated=i18n.format_datetime(r.updated_at, loc), steps=r.steps,
            )
            for r in referrals.list_referrals(actor, self.trainee_id)
        ]

    def _open_referral_form(self, actor: Actor) -> None:
        categories = words.partner_categories(actor.locale)
        self.referral_services = [Option(v.id, f"{categories.get(v.category, ('', ''))[0]} · {v.name}")
                                  for v in partners.directory(actor)]
        self.referral_goals = [Option(g.id, g.title) for g in goals.list_goals(actor, self.trainee_id)
                               if g.status in ("proposed", "in_progress")]
        self.referral_form_open, self.referral_error = True, ""
        self.referral_form_version += 1

    def _propose_referral(self, actor: Actor, form: dict) -> None:
        service = str(form.get("service", ""))
        goal = str(form.get("goal", ""))
        note = str(form.get("partner_note", "")) if form.get("share") == "note" else ""
        if not service.isdigit():
            self.referral_error = "service_missing"
            return
        if form.get("share") == "note" and not note.strip():
            self.referral_error = "note_missing"
            return
        referrals.propose(actor, self.trainee_id, int(service), str(form.get("reason", "")), note,
                          int(goal) if goal.isdigit() else None)
        self.referral_form_open, self.referral_error = False, ""
        self._load_referrals(actor)

    def _step(self, actor: Actor, referral_id: int, step: str, form: dict | None = None) -> None:
        form = form or {}
        when = None
        if step == "appointment":
            when = referrals.appointment_from(str(form.get("day", "")), str(form.get("time", "")))
        referrals.advance(actor, referral_id, step, appointment_on=when,
                          closed_reason=str(form.get("closed_reason", "")))
        self.step_referral_id, self.step_kind, self.referral_error = 0, "", ""
        self._load_referrals(actor)
