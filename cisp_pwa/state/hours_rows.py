"""A trainee's month of hours as the screens show it: what her "Mes heures" (state/my_hours.py) and
her coach's file (state/coach_hours.py) both show of a services.hours.sheets.MyMonth, written in
the reader's language (hours, euros, days); each screen adds what only it shows."""

from __future__ import annotations

import dataclasses
from datetime import date

from cisp_pwa import i18n, words
from cisp_pwa.services.hours import months, sheets, timetable
from cisp_pwa.services.hours.notices import NoticeView


@dataclasses.dataclass
class FigureLine:
    key: str     # trained | allowance | travel | unjustified: its pictogram
    word: str
    value: str   # "32 h 30 min", "32,50 €"
    note: str    # how it is counted ("1,00 € brut par heure"), "" when nothing to add


@dataclasses.dataclass
class SessionRow:
    day: str          # ISO, with `starts`: the session, as a handler names it back
    starts: str
    times: str        # "09:00 – 12:30"
    duration: str     # "3 h 30 min"
    status: str       # present | late | absent | upcoming | unknown (past, not noted yet)
    detail: str       # "20 min", "Justifiée", "Heures comptées : Maladie (certificat)"; "" when none
    distance: bool


@dataclasses.dataclass
class DayBlock:
    day: str          # ISO
    label: str        # "jeudi 19 novembre"
    today: bool
    sessions: list[SessionRow]
    notice: str       # what she announced for that day ("" when nothing)


@dataclasses.dataclass
class NoticeRow:
    id: int
    day: str          # ISO
    label: str        # "vendredi 20 novembre"
    presence: str     # absent | late
    late: str         # "20 min" ("" for an absence)
    reason: str       # the pictogram's code (words.absence_reasons)
    certificate_id: int  # 0: no photo (or not one the reader may see)


def shifted(month: str, by: int) -> str:
    """The month `by` months before (negative) or after this one ("2026-11" → "2026-12")."""
    first, _ = months.month_bounds(month)
    index = first.year * 12 + first.month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def day_label(day: date, locale: str) -> str:
    return i18n.format_date(day, locale, "EEEE d MMMM")


def status_of(line: sheets.DayLine) -> str:
    if line.presence:
        return line.presence
    now = timetable.now()
    return "upcoming" if (line.day, line.ends) > (now.date(), now.strftime("%H:%M")) else "unknown"


def decision_words(line: sheets.DayLine, locale: str) -> str:
    """What a coach decided about an absence, in plain words ("" while nobody decided)."""
    _ = i18n.gettext_for(locale)
    if line.assimilation:
        return _("Heures comptées : %(why)s") % {"why": words.assimilations(locale).get(line.assimilation, "")}
    if line.justified is True:
        return _("Justifiée")
    if line.justified is False:
        return _("Non justifiée")
    return ""


def notice_words(notice: NoticeView | None, locale: str) -> str:
    """"Absence annoncée : Malade" ("" without a notice)."""
    if notice is None:
        return ""
    _ = i18n.gettext_for(locale)
    reason = words.absence_reasons(locale).get(notice.reason, ("", ""))[0]
    if notice.presence == "late":
        return _("Retard annoncé (%(late)s) : %(reason)s") % {
            "late": i18n.format_minutes(notice.late_minutes, locale), "reason": reason}
    return _("Absence annoncée : %(reason)s") % {"reason": reason}


def session_row(line: sheets.DayLine, locale: str) -> SessionRow:
    status = status_of(line)
    if status == "late":
        detail = i18n.format_minutes(line.late_minutes, locale)
    elif status == "absent":
        detail = decision_words(line, locale)
    else:
        detail = ""
    return SessionRow(line.day.isoformat(), line.starts, f"{line.starts} – {line.ends}",
                      i18n.format_minutes(timetable.minutes(line.starts, line.ends), locale), status, detail,
                      line.distance)


def day_blocks(mine: sheets.MyMonth, locale: str) -> list[DayBlock]:
    today, blocks = timetable.today(), []
    for line in mine.days:
        if not blocks or blocks[-1].day != line.day.isoformat():
            blocks.append(DayBlock(line.day.isoformat(), day_label(line.day, locale), line.day == today, [],
                                   notice_words(line.notice, locale)))
        blocks[-1].sessions.append(session_row(line, locale))
    return blocks


def notice_rows(mine: sheets.MyMonth, locale: str) -> list[NoticeRow]:
    return [NoticeRow(n.id, n.day.isoformat(), day_label(n.day, locale), n.presence,
                      i18n.format_minutes(n.late_minutes, locale) if n.presence == "late" else "", n.reason,
                      n.certificate_id or 0) for n in mine.notices]


def figure_lines(mine: sheets.MyMonth, locale: str) -> list[FigureLine]:
    """Her hours and what they bring, in her words: the hours that count, the allowance, the
    travel costs (when the centre pays them), the absences not justified."""
    _ = i18n.gettext_for(locale)
    f, rates = mine.figures, mine.rates
    hours = lambda minutes: i18n.format_minutes(minutes, locale)  # noqa: E731
    money = lambda cents: i18n.format_money(cents, locale)  # noqa: E731
    parts = []
    if f.distance:
        parts.append(_("dont %(hours)s à distance") % {"hours": hours(f.distance)})
    if f.assimilated:
        parts.append(_("dont %(hours)s d'absence comptées") % {"hours": hours(f.assimilated)})
    lines = [
        FigureLine("trained", _("Heures de formation"), hours(f.paid_minutes), " · ".join(parts)),
        FigureLine("allowance", _("Indemnité"), money(f.allowance_cents),
                   _("%(amount)s brut par heure") % {"amount": money(rates.allowance_cents_per_hour)}),
    ]
    if rates.travel_cents_per_day or f.travel_cents:
        days = i18n.ngettext(locale, "%(n)s jour sur place", "%(n)s jours sur place", len(f.days))
        lines.append(FigureLine("travel", _("Frais de déplacement"), money(f.travel_cents),
                                _("%(amount)s par jour") % {"amount": money(rates.travel_cents_per_day)}
                                + " · " + days))
    if f.absent_unjustified:
        lines.append(FigureLine("unjustified", _("Absences non justifiées"), hours(f.absent_unjustified), ""))
    return lines


def summary(mine: sheets.MyMonth, locale: str, for_her: bool = True) -> str:
    """One sentence to hear: the month's hours and what they bring."""
    _ = i18n.gettext_for(locale)
    f = mine.figures
    values = {"month": i18n.format_month(months.month_bounds(mine.month)[0], locale),
              "hours": i18n.format_minutes(f.paid_minutes, locale),
              "allowance": i18n.format_money(f.allowance_cents, locale),
              "travel": i18n.format_money(f.travel_cents, locale)}
    text = (_("En %(month)s, vous avez %(hours)s de formation. Votre indemnité : %(allowance)s.") if for_her
            else _("En %(month)s : %(hours)s de formation. Indemnité : %(allowance)s.")) % values
    if f.travel_cents:
        text += " " + (_("Vos frais de déplacement : %(travel)s.") if for_her
                       else _("Frais de déplacement : %(travel)s.")) % values
    return text
