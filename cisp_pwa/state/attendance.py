"""Présences: a group's session, one row per trainee, for her trainer, her coach or the admin.

The taps stay on the device (components/attendance.jsx): one sheet goes to the server when
"Enregistrer" is tapped, at once when connected, else from the device's outbox once the network is
back (services/home/drafts.py). Live: her notice ("je serai absente") shows on her row as she sends
it; a sheet taken elsewhere shows as it is written.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import ClassVar
from urllib.parse import urlencode

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import ledger, sheets
from cisp_pwa.services.infra import events

from .live import LiveState
from .session import screen, signed_in

STAFF = (Role.coach, Role.trainer, Role.admin)


@dataclasses.dataclass
class GroupChoice:
    value: str
    label: str


@dataclasses.dataclass
class SessionChoice:
    starts: str
    label: str      # "09:00 – 12:30"
    distance: bool


@dataclasses.dataclass
class SheetRow:
    id: int
    name: str
    presence: str       # what is recorded ("" while nothing is)
    late: int
    reason: str
    locked: bool        # changing it is a correction: a reason is asked
    notice: str         # what she announced for the day: "absent", "late" or ""
    notice_late: int
    notice_reason: str


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class AttendanceState(LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.HOURS, events.GROUPS})
    loaded: bool = False
    groups: list[GroupChoice] = []
    group_id: int = 0
    day: str = ""           # the sheet's day, as the date field has it (2026-11-19)
    day_label: str = ""     # "jeudi 19 novembre 2026"
    sessions: list[SessionChoice] = []
    starts: str = ""        # the session shown ("" when the group has none that day)
    lines: list[SheetRow] = []
    closed: bool = False    # the month is closed: every change needs its reason
    sent: list[str] = []    # the sheets (their ids) the server took: the device forgets them
    refused: str = ""       # the sheet it refused (`error` says why; the device keeps the taps)
    error: str = ""
    notice: str = ""        # "saved"

    @rx.event
    @screen(STAFF, routes.ATTENDANCE)
    def load(self, actor: Actor):
        """The sheet the address names (?group=&day=&starts=), else the session now (or today's)
        of the first group: sheets.sheet chooses. A reload (the network came back) keeps it."""
        self.error, self.notice, self.refused, self.sent = "", "", "", []
        query = self.router.url.query_parameters
        group, day, starts = str(query.get("group", "")), str(query.get("day", "")), str(query.get("starts", ""))
        try:
            found = sheets.sheet(actor, int(group) if group.isdigit() else None, _day(day), starts)
        except AccessDenied:  # not (or no longer) a group of hers: her first one
            found, self.error = sheets.sheet(actor), "not_allowed"
        self._show(actor, found)

    def _load(self, actor: Actor) -> None:
        self._show(actor, sheets.sheet(actor, self.group_id or None, _day(self.day), self.starts))

    def _show(self, actor: Actor, found: sheets.Sheet) -> None:
        self.groups = [GroupChoice(str(g.id), g.name) for g in found.groups]
        self.group_id, self.day, self.starts, self.closed = found.group_id, found.day.isoformat(), found.starts, found.closed
        self.day_label = i18n.format_date(found.day, actor.locale, "full")
        self.sessions = [SessionChoice(x.starts, f"{x.starts} – {x.ends}", x.distance) for x in found.sessions]
        self.lines = [SheetRow(line.trainee_id, line.name, line.presence, line.late_minutes, line.reason, line.locked,
                               line.notice.presence if line.notice else "",
                               line.notice.late_minutes if line.notice else 0,
                               line.notice.reason if line.notice else "")
                      for line in found.lines]
        self.loaded = True

    def _open(self, group: str, day: str, starts: str = ""):
        """Another sheet: its address (the load shows it, and a reload keeps it)."""
        query = urlencode({k: v for k, v in (("group", group), ("day", day), ("starts", starts)) if v})
        return rx.redirect(f"{routes.path(self._locale(), routes.ATTENDANCE)}?{query}", replace=True)

    def _locale(self) -> str:
        first = self.router.url.path.strip("/").split("/")[0]
        return first if first in i18n.LOCALES else i18n.DEFAULT_LOCALE

    @rx.event
    def choose_group(self, value: str):
        return self._open(value if value.isdigit() else "", self.day)

    @rx.event
    def choose_day(self, value: str):
        if _day(value) is None:
            return None  # the field is being typed in: nothing to show yet
        return self._open(str(self.group_id or ""), value)

    @rx.event
    def choose_session(self, starts: str):
        return self._open(str(self.group_id or ""), self.day, starts)

    @rx.event
    @signed_in(STAFF)
    def save(self, actor: Actor, sheet: dict):
        """A sheet from the device (components/attendance.jsx): its marks, each with its client id."""
        sheet_id = sheet.get("id") if isinstance(sheet.get("id"), str) else ""
        try:
            ledger.take_sent(actor, sheet)
        except (InvalidInput, AccessDenied) as refusal:  # nothing written: the device keeps the taps
            self.error = refusal.code if isinstance(refusal, InvalidInput) else "not_allowed"
            self.refused, self.notice = sheet_id, ""
            return
        self.sent, self.refused, self.error, self.notice = [sheet_id], "", "", "saved"
        self._load(actor)
