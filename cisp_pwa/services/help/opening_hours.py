"""Opening hours of a partner service, in a small checked format, evaluated in Brussels time.

    mo-fr 09:00-12:00,13:30-16:00; sa 09:00-12:00; ph 10:00-12:00

Rules separated by ";": days (mo tu we th fr sa su, a range "mo-fr" or a list "mo,we,fr"),
a space, then time ranges "HH:MM-HH:MM" separated by ",". A day not named is closed. An empty
text means the hours are not known (never "closed"). A subset of OpenStreetMap's opening_hours.

Belgian public holidays (1 January, Easter Monday, 1 May, Ascension, Whit Monday, 21 July,
15 August, 1 and 11 November, 25 December; the calendar of the `holidays` package) are closed
unless a rule "ph" gives their hours ("ph 10:00-12:00"); "ph off" says so explicitly.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from functools import lru_cache

import holidays
from babel.dates import get_day_names

from cisp_pwa import i18n

BRUSSELS = ZoneInfo("Europe/Brussels")
DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")  # Monday is 0, as datetime.weekday()
PH = 7  # the week's key for public holidays ("ph")
TEXT_MAX = 200
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")

Week = dict[int, list[tuple[time, time]]]


class HoursInvalid(ValueError):
    """Says which part of the text is wrong (shown to the admin with the field)."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


def _days(spec: str) -> list[int]:
    out: list[int] = []
    for piece in spec.split(","):
        if "-" in piece:
            first, _, last = piece.partition("-")
            if first not in DAYS or last not in DAYS or DAYS.index(first) > DAYS.index(last):
                raise HoursInvalid(piece)
            out.extend(range(DAYS.index(first), DAYS.index(last) + 1))
        elif piece in DAYS:
            out.append(DAYS.index(piece))
        else:
            raise HoursInvalid(piece)
    return out


def parse(text: str) -> Week:
    """The week the text describes; HoursInvalid naming the wrong part."""
    text = " ".join((text or "").lower().split())
    if len(text) > TEXT_MAX:
        raise HoursInvalid(text[:20] + "…")
    week: Week = {}
    if not text:
        return week
    for rule in (r.strip() for r in text.split(";")):
        if not rule:
            continue
        days, _, ranges = rule.partition(" ")
        ranges = ranges.replace(" ", "")
        if not ranges:
            raise HoursInvalid(rule)
        if days == "ph":
            if PH in week:
                raise HoursInvalid(rule)  # one rule for holidays, said once
            week[PH] = [] if ranges == "off" else _spans(ranges)
            continue
        spans = _spans(ranges)  # the times first: a wrong rule is named by its hours, as before
        for day in _days(days):
            week.setdefault(day, []).extend(spans)
    for spans in week.values():
        spans.sort()
    return week


def _spans(ranges: str) -> list[tuple[time, time]]:
    spans = []
    for piece in ranges.split(","):
        match = _RANGE.match(piece)
        if not match:
            raise HoursInvalid(piece)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if (h2, m2) > (24, 0) or (h1, m1) >= (h2, m2):
            raise HoursInvalid(piece)
        end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
        spans.append((time(h1, m1), end))
    return spans


# The package also lists Easter Sunday and Whit Sunday: Sundays, not among the ten legal holidays
# (a service open on Sundays keeps its Sunday hours then).
_SUNDAY_FEASTS = {"Easter Sunday", "Pentecost"}


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> frozenset[date]:
    listed = holidays.country_holidays("BE", years=year, language="en_US")
    return frozenset(day for day, name in listed.items() if name not in _SUNDAY_FEASTS)


def is_public_holiday(day: date) -> bool:
    """A Belgian public holiday (the whole country: the Walloon centres' services)."""
    return day in _public_holidays(day.year)


def _spans_on(week: Week, day: date) -> list[tuple[time, time]]:
    """The day's opening spans: its public-holiday hours (none unless "ph" says) or its weekday's."""
    if is_public_holiday(day):
        return week.get(PH, [])
    return week.get(day.weekday(), [])


def normalise(text: str) -> str:
    """The text as stored: checked, lower case, single spaces."""
    parse(text)
    return " ".join((text or "").lower().split())


def is_open(text: str, now: datetime) -> bool | None:
    """Open at this moment (Brussels time)? None when the hours are not known or not readable."""
    try:
        week = parse(text)
    except HoursInvalid:
        return None
    if not any(day in week for day in range(7)):  # no weekly hours ("ph off" alone): not known
        return None
    local = now.astimezone(BRUSSELS)
    moment = local.time()
    return any(start <= moment < end for start, end in _spans_on(week, local.date()))


def next_change(text: str, now: datetime) -> datetime | None:
    """The next moment after `now` the service opens or closes (within a week), so that an open
    screen can say "Fermé maintenant" at closing time; public holidays count. None when the hours
    are not known."""
    try:
        week = parse(text)
    except HoursInvalid:
        return None
    local = now.astimezone(BRUSSELS)
    for offset in range(15):  # a week, and one more when holidays close the first one
        day = local.date() + timedelta(days=offset)
        for moment in sorted({t for span in _spans_on(week, day) for t in span}):
            at = datetime.combine(day, moment, tzinfo=BRUSSELS)  # Brussels wall time, summer or winter
            if at > local:
                return at
    return None


def lines(text: str, locale: str) -> list[str]:
    """One line per day the service opens, in the person's language: "lundi 09:00–12:00, 13:30–16:00"."""
    try:
        week = parse(text)
    except HoursInvalid:
        return []
    locale = i18n.normalise(locale)
    _ = i18n.gettext_for(locale)
    names = get_day_names("wide", locale=i18n.babel_locale(locale))

    def said(spans: list[tuple[time, time]]) -> str:
        return ", ".join(f"{a:%H:%M}–{'24:00' if b == time(23, 59, 59) else f'{b:%H:%M}'}" for a, b in spans)

    out = [f"{names[day]} {said(week[day])}" for day in range(7) if day in week]
    if out:
        out.append(_("Jours fériés : {hours}").format(hours=said(week[PH])) if week.get(PH)
                   else _("Jours fériés : fermé"))
    return out
