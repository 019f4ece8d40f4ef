"""The hours part of a coach's trainee file: her month (the figures she sees on "Mes heures"), what
she announced (with the photo of her certificate), and each absence, to say justified or not and
whether its hours count (force majeure). The handlers live on the file's state (one live loop
per screen); this holds their work."""

from __future__ import annotations

import dataclasses
from datetime import date

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import InvalidInput
from cisp_pwa.services.hours import exports, ledger, sheets

from .hours_rows import FigureLine, NoticeRow, day_label, decision_words, figure_lines, notice_rows, shifted, summary

ASSIMILATED = "assimilated:"  # + an assimilation code: the choice "justified, its hours count"


@dataclasses.dataclass
class AbsenceRow:
    day: str            # ISO, with `starts`: the session, as the handler names it back
    starts: str
    label: str          # "jeudi 19 novembre · 09:00 – 12:30"
    reason: str         # what the trainer noted (words.absence_reasons), "" when nothing
    notice: str         # what she announced for that day ("" when nothing): words.absence_reasons
    certificate_id: int  # the photo she sent with it (0: none)
    decision: str       # in words ("" while nobody decided)
    choice: str         # "" | unjustified | justified | assimilated:<code>: what the form shows chosen
    distance: bool      # a distance session's hours are never assimilated


def choice_of(line: sheets.DayLine) -> str:
    if line.assimilation:
        return ASSIMILATED + line.assimilation
    return {True: "justified", False: "unjustified"}.get(line.justified, "")


def decision_from(choice: str) -> tuple[bool, str | None]:
    """(justified, assimilation code) from the form's choice; InvalidInput for anything else."""
    if choice == "unjustified":
        return False, None
    if choice == "justified":
        return True, None
    if choice.startswith(ASSIMILATED) and choice != ASSIMILATED:
        return True, choice[len(ASSIMILATED):]
    raise InvalidInput("hours_mark_invalid")


class CoachHoursMixin(rx.State, mixin=True):
    """Mixed into TraineeFileState, whose `trainee_id` says whose file is open."""

    hours_month: str = ""           # "2026-11": the month shown ("" until the file loads)
    hours_month_label: str = ""
    hours_attestation_month: str = ""  # where her certificates are fetched (endpoints/hours_exports.py)
    hours_attestation_pathway: str = ""
    hours_prev_month: str = ""      # the arrows' months
    hours_next_month: str = ""
    hours_summary: str = ""
    hours_figures: list[FigureLine] = []
    hours_notices: list[NoticeRow] = []     # what she announced, from today on
    hours_absences: list[AbsenceRow] = []   # the month's absences, to decide
    hours_closed: bool = False
    hours_error: str = ""

    def _load_hours(self, actor: Actor) -> None:
        loc = actor.locale
        mine = sheets.my_month(actor, self.hours_month or None, self.trainee_id)
        self.hours_month, self.hours_closed = mine.month, mine.closed
        self.hours_month_label = i18n.format_month(date.fromisoformat(mine.month + "-01"), loc)
        self.hours_prev_month, self.hours_next_month = shifted(mine.month, -1), shifted(mine.month, 1)
        self.hours_attestation_month = exports.attestation_path(self.trainee_id, mine.month)
        self.hours_attestation_pathway = exports.attestation_path(self.trainee_id, exports.PATHWAY)
        self.hours_summary = summary(mine, loc, for_her=False)
        self.hours_figures = figure_lines(mine, loc)
        self.hours_notices = notice_rows(mine, loc)
        self.hours_absences = [
            AbsenceRow(line.day.isoformat(), line.starts, f"{day_label(line.day, loc)} · {line.starts} – {line.ends}",
                       line.reason, line.notice.reason if line.notice else "",
                       (line.notice.certificate_id or 0) if line.notice else 0, decision_words(line, loc),
                       choice_of(line), line.distance)
            for line in mine.days if line.presence == "absent"]

    def _show_hours(self, actor: Actor, month: str) -> None:
        before = self.hours_month
        self.hours_month, self.hours_error = month, ""
        try:
            self._load_hours(actor)
        except Exception:
            self.hours_month = before
            raise

    def _decide(self, actor: Actor, form: dict) -> None:
        try:
            when = date.fromisoformat(str(form.get("day", "")))
        except ValueError:
            raise InvalidInput("hours_mark_invalid") from None
        justified, assimilation = decision_from(str(form.get("choice", "")))
        ledger.decide(actor, self.trainee_id, when, str(form.get("starts", "")), justified, assimilation,
                      str(form.get("correction", "")))
        self.hours_error = ""
        self._load_hours(actor)
