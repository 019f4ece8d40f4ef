"""Mes heures: her month (hours, allowance, travel costs, her sessions), and "Je serai absent·e" /
"Je suis en retard" in a few taps: why (a pictogram), which day, a photo of a certificate if she
has one (components/certificates.jsx sends it over HTTP, endpoints/certificates.py). Live: her
trainer's marks, her coach's decisions, the centre's rates and closed days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

import reflex as rx

from cisp_pwa import i18n, words
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.hours import exports, ledger, notices, sheets, timetable
from cisp_pwa.services.infra import events

from . import offline_copy
from .hours_rows import DayBlock, FigureLine, NoticeRow, day_blocks, figure_lines, notice_rows, shifted, summary
from .live import LiveState
from .session import screen, signed_in

KINDS = ("absent", "late")


class MyHoursState(LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.HOURS, events.GROUPS})
    loaded: bool = False
    month: str = ""            # "2026-11": the month shown
    month_label: str = ""      # "novembre 2026"
    prev_month: str = ""       # "2026-10": the arrows' months
    next_month: str = ""
    this_month: bool = True
    closed: bool = False       # the centre closed the month: its hours are final
    attestation_month: str = ""    # where her certificates are fetched (endpoints/hours_exports.py)
    attestation_pathway: str = ""
    summary: str = ""          # one sentence to hear
    figures: list[FigureLine] = []
    days: list[DayBlock] = []
    notices: list[NoticeRow] = []  # what she announced, from today on
    # "Je serai absent·e" / "Je suis en retard": what she chose so far.
    form_kind: str = ""        # "" (closed) | absent | late
    form_reason: str = ""
    form_day: str = ""         # ISO; today by default
    form_minutes: int = 0
    today: str = ""            # ISO: the day choices and the date field's bounds
    tomorrow: str = ""
    last_day: str = ""         # the last day she may announce (60 days ahead)
    error: str = ""            # a message id the page translates
    done: str = ""             # announced | withdrawn
    offline_copy: list[dict] = []

    @rx.var
    def other_day(self) -> bool:
        """She chose a day other than today or tomorrow (the date field shows it)."""
        return self.form_day not in ("", self.today, self.tomorrow)

    @rx.event
    @screen(Role.trainee)
    def load(self, actor: Actor):
        self.month, self.error, self.done, self.form_kind = "", "", "", ""
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        loc = actor.locale
        mine = sheets.my_month(actor, self.month or None)
        today = timetable.today()
        self.month, self.this_month, self.closed = mine.month, mine.month == ledger.month_of(today), mine.closed
        self.month_label = i18n.format_month(date.fromisoformat(mine.month + "-01"), loc)
        self.prev_month, self.next_month = shifted(mine.month, -1), shifted(mine.month, 1)
        self.attestation_month = exports.attestation_path(actor.id, mine.month)
        self.attestation_pathway = exports.attestation_path(actor.id, exports.PATHWAY)
        self.summary = summary(mine, loc)
        self.figures = figure_lines(mine, loc)
        self.days = day_blocks(mine, loc)
        self.notices = notice_rows(mine, loc)
        self.today, self.tomorrow = today.isoformat(), (today + timedelta(days=1)).isoformat()
        self.last_day = (today + timedelta(days=notices.AHEAD_DAYS)).isoformat()
        if self.this_month:  # what the phone keeps to read offline: this month
            self.offline_copy = self._offline_copy(loc)
        self.loaded = True

    def _offline_copy(self, loc: str) -> list[dict]:
        _ = i18n.gettext_for(loc)
        presences = {**{k: w for k, (w, _i) in words.presences(loc).items()}, "upcoming": _("À venir"),
                     "unknown": _("Pas encore noté")}
        icons = {"present": "circle-check", "late": "clock", "absent": "circle-x", "upcoming": "hourglass"}
        kept = [offline_copy.section(self.month_label, [offline_copy.item(self.summary)] + [
            offline_copy.item(f"{f.word} : {f.value}", f.note) for f in self.figures], icon="clock")]
        if self.notices:
            reasons = words.absence_reasons(loc)
            kept.append(offline_copy.section(_("Mes absences annoncées"), [
                offline_copy.item(n.label, reasons.get(n.reason, ("", ""))[0]) for n in self.notices]))
        kept.append(offline_copy.section(_("Mes journées"), [
            offline_copy.item(f"{d.label} · {s.times}", " · ".join(x for x in (presences.get(s.status, ""), s.detail) if x),
                              icon=icons.get(s.status, ""))
            for d in self.days for s in d.sessions]))
        return kept

    # --- the month shown ---

    @rx.event
    @signed_in(Role.trainee)
    def show_month(self, actor: Actor, month: str):
        """Another month ("2026-10"): the arrows send the one before or after."""
        before = self.month
        self.month, self.error = month, ""
        try:
            self._load(actor)
        except Exception:
            self.month = before
            raise

    # --- "Je serai absent·e" / "Je suis en retard" ---

    @rx.event
    def open_form(self, kind: str):
        if kind in KINDS:
            self.form_kind, self.form_reason, self.form_minutes = kind, "", 0
            self.form_day, self.error, self.done = self.today, "", ""

    @rx.event
    def close_form(self):
        self.form_kind, self.error = "", ""

    @rx.event
    def choose_reason(self, reason: str):
        if reason in words.absence_reasons("fr"):
            self.form_reason, self.error = reason, ""

    @rx.event
    def choose_day(self, day: str):
        if self.today <= day <= self.last_day and len(day) == 10:
            self.form_day, self.error = day, ""

    @rx.event
    def choose_minutes(self, minutes: int):
        if minutes in notices.LATE_CHOICES:
            self.form_minutes, self.error = minutes, ""

    @rx.event
    @signed_in(Role.trainee)
    def announce(self, actor: Actor):
        """Sent without a photo (with one, the phone sends it over HTTP, then `sent`)."""
        try:
            day = date.fromisoformat(self.form_day)
        except ValueError:
            self.error = "hours_day_invalid"
            return
        if not self.form_reason:
            self.error = "reason_missing"
            return
        if self.form_kind == "late" and not self.form_minutes:
            self.error = "hours_late_minutes"
            return
        notices.announce(actor, day, self.form_kind, self.form_reason,
                         self.form_minutes if self.form_kind == "late" else 0)
        self._after(actor, "announced")

    @rx.event
    @signed_in(Role.trainee)
    def sent(self, actor: Actor, notice_id: int):
        """The phone sent her notice with its photo (endpoints/certificates.py): it shows."""
        self._after(actor, "announced")

    @rx.event
    @signed_in(Role.trainee)
    def withdraw(self, actor: Actor, notice_id: int):
        """She will come after all."""
        notices.withdraw(actor, notice_id)
        self._after(actor, "withdrawn")

    def _after(self, actor: Actor, done: str) -> None:
        self.form_kind, self.error, self.done, self.month = "", "", done, ""
        self._load(actor)
