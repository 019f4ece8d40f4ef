"""Heures (centre admin): the groups and their week, the timetable file (import, export), closed
days, the allowance and travel rates, closing a month, and the month's files and certificates
(fetched from endpoints/hours_exports.py with the session). Live on the centre's settings
(events.GROUPS): another admin's change shows here at once."""

from __future__ import annotations

import dataclasses
import re
from contextlib import suppress
from datetime import date
from decimal import Decimal
from typing import ClassVar

import reflex as rx
from babel.dates import get_day_names

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import admin_view, exports, groups, months, timetable_file
from cisp_pwa.services.infra import events

from . import file_errors
from .file_import import FileImportMixin
from .live import LiveState
from .session import screen, signed_in

_EUROS = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?$")


@dataclasses.dataclass
class HalfDayRow:
    day: str          # the weekday, in the admin's language
    starts: str
    ends: str
    distance: bool


@dataclasses.dataclass
class GroupRow:
    id: int
    code: str
    name: str
    pathway: str
    members: str      # their names, by name
    count: int
    week: list[HalfDayRow]


@dataclasses.dataclass
class ClosureRow:
    day: str          # 2026-12-24: what the remove button sends
    shown: str        # the day in the admin's language
    label: str


@dataclasses.dataclass
class MonthRow:
    month: str        # 2026-11
    label: str        # novembre 2026
    shown: str        # novembre 2026 · clôturé
    closed: bool
    over: bool


@dataclasses.dataclass
class TraineeRow:
    id: int
    name: str
    month_path: str   # her certificate for the chosen month
    pathway_path: str  # for her whole pathway


def euros(cents: int) -> str:
    """1,10 for 110 cents: what the rate's box shows."""
    return f"{cents // 100},{cents % 100:02d}"


def cents(text: object) -> int:
    """What was typed in a rate's box (1,10 or 1.10 or 1 €), in cents; InvalidInput otherwise."""
    found = _EUROS.match(str(text or "").replace("€", "").replace(" ", "").strip())
    if not found:
        raise InvalidInput("hours_rate_invalid")
    return int(Decimal(found.group(1) + "." + (found.group(2) or "0")) * 100)


def _day(text: object) -> date:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise InvalidInput("hours_day_invalid") from None


class HoursAdminState(FileImportMixin, LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.GROUPS})
    IMPORT_FILE_NAME: ClassVar[str] = "horaires.yaml"
    IMPORT_KIND: ClassVar[str] = file_errors.TIMETABLE
    loaded: bool = False
    group_rows: list[GroupRow] = []
    closures: list[ClosureRow] = []
    allowance: str = ""          # euros an hour, as the box shows it
    travel: str = ""             # euros a day on site
    month_rows: list[MonthRow] = []
    month: str = ""              # the month chosen for its files, its certificates, its closing
    group_id: int = 0            # the group chosen
    trainees: list[TraineeRow] = []
    csv_path: str = ""
    xlsx_path: str = ""
    confirming: bool = False     # "Clôturer ce mois ?" is asked
    closure_error: str = ""
    rates_error: str = ""
    month_error: str = ""
    notice: str = ""             # closure_added | closure_removed | rates_saved | month_closed

    @rx.var
    def month_label(self) -> str:
        return next((m.label for m in self.month_rows if m.month == self.month), "")

    @rx.var
    def month_closed(self) -> bool:
        return any(m.closed for m in self.month_rows if m.month == self.month)

    @rx.var
    def month_over(self) -> bool:
        return any(m.over for m in self.month_rows if m.month == self.month)

    @rx.event
    @screen(Role.admin, routes.HOURS_ADMIN)
    def load(self, actor: Actor):
        self.closure_error = self.rates_error = self.month_error = self.notice = ""
        self.import_error, self.import_notice, self.confirming = "", "", False
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        view = admin_view.overview(actor)
        days = get_day_names("wide", locale=i18n.babel_locale(i18n.normalise(actor.locale)))
        self.group_rows = [GroupRow(g.id, g.code, g.name, g.pathway, ", ".join(m.name for m in g.members),
                                len(g.members), [HalfDayRow(days[d], a, b, far) for d, a, b, far in g.week])
                       for g in view.groups]
        self._members = {g.id: [(m.id, m.name) for m in g.members] for g in view.groups}
        self.closures = [ClosureRow(d.isoformat(), i18n.format_date(d, actor.locale, "full"), label)
                         for d, label in view.closures]
        self.allowance, self.travel = euros(view.rates.allowance_cents_per_hour), euros(view.rates.travel_cents_per_day)
        _ = i18n.gettext_for(actor.locale)
        self.month_rows = []
        for m in view.months:
            label = i18n.format_date(m.first, actor.locale, "LLLL y")
            self.month_rows.append(MonthRow(m.month, label, label + (" · " + _("clôturé") if m.closed else ""),
                                            m.closed, m.over))
        if self.month not in [m.month for m in self.month_rows]:
            self.month = self.month_rows[1].month  # last month: the one to send and to close
        if self.group_id not in self._members:
            self.group_id = view.groups[0].id if view.groups else 0
        self._show_month()
        self.loaded = True

    _members: dict[int, list[tuple[int, str]]] = {}

    def _show_month(self) -> None:
        chosen = self.group_id if self.group_id in self._members else 0
        self.csv_path = exports.month_path(chosen, self.month, "csv") if chosen else ""
        self.xlsx_path = exports.month_path(chosen, self.month, "xlsx") if chosen else ""
        self.trainees = [TraineeRow(i, name, exports.attestation_path(i, self.month),
                                    exports.attestation_path(i, exports.PATHWAY))
                         for i, name in self._members.get(chosen, [])]

    @rx.event
    def choose_month(self, month: str):
        if month in [m.month for m in self.month_rows]:
            self.month, self.confirming, self.month_error = month, False, ""
            self._show_month()

    @rx.event
    def choose_group(self, group_id: str):
        if group_id.isdigit() and int(group_id) in self._members:
            self.group_id = int(group_id)
            self._show_month()

    @rx.event
    @signed_in(Role.admin, error="closure_error")
    def add_closure(self, actor: Actor, form: dict):
        self.closure_error = self.notice = ""
        groups.add_closure(actor, _day(form.get("day")), str(form.get("label") or ""))
        self.notice = "closure_added"
        self._load(actor)

    @rx.event
    @signed_in(Role.admin, error="closure_error")
    def remove_closure(self, actor: Actor, day: str):
        self.closure_error = self.notice = ""
        with suppress(AccessDenied):  # gone meanwhile: the list shown again says what is true
            groups.remove_closure(actor, _day(day))
            self.notice = "closure_removed"
        self._load(actor)

    @rx.event
    @signed_in(Role.admin, error="rates_error")
    def save_rates(self, actor: Actor, form: dict):
        self.rates_error = self.notice = ""
        months.set_rates(actor, cents(form.get("allowance")), cents(form.get("travel")))
        self.notice = "rates_saved"
        self._load(actor)

    @rx.event
    def ask_close(self):
        self.confirming, self.month_error, self.notice = True, "", ""

    @rx.event
    def cancel_close(self):
        self.confirming = False

    @rx.event
    @signed_in(Role.admin, error="month_error")
    def close_month(self, actor: Actor):
        self.confirming, self.month_error, self.notice = False, "", ""
        months.close(actor, self.month)
        self.notice = "month_closed"
        self._load(actor)

    def _import_text(self, actor: Actor, text: str, name: str) -> timetable_file.TimetableReport:
        return timetable_file.import_timetable(actor, text, name)

    def _import_notice(self, report: timetable_file.TimetableReport) -> str:
        return "imported"

    @rx.event
    @signed_in(Role.admin)
    def export_timetable(self, actor: Actor):
        name, text = timetable_file.export_timetable(actor)
        return rx.download(data=text, filename=name, mime_type="application/yaml")
