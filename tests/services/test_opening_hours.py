"""Opening hours: a small checked format, "open now" in Brussels time (summer and winter)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from cisp_pwa.services import opening_hours

HOURS = "mo-fr 09:00-12:00,13:30-16:00; sa 09:00-12:00"


@pytest.mark.parametrize("moment, expected", [
    (datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc), True),    # Monday 09:30 in Brussels (UTC+1)
    (datetime(2026, 12, 7, 7, 30, tzinfo=timezone.utc), False),   # Monday 08:30 in Brussels
    (datetime(2026, 12, 7, 11, 30, tzinfo=timezone.utc), False),  # Monday 12:30: the lunch break
    (datetime(2026, 12, 12, 10, 59, tzinfo=timezone.utc), True),  # Saturday 11:59
    (datetime(2026, 12, 13, 10, 0, tzinfo=timezone.utc), False),  # Sunday: not named, closed
    (datetime(2026, 7, 6, 7, 30, tzinfo=timezone.utc), True),     # Monday 09:30 in summer (UTC+2)
])
def test_open_now_is_read_in_brussels_time(moment, expected):
    assert opening_hours.is_open(HOURS, moment) is expected


def test_unknown_hours_are_never_said_closed():
    assert opening_hours.is_open("", datetime(2026, 12, 7, 9, tzinfo=timezone.utc)) is None


@pytest.mark.parametrize("text, part", [
    ("mo-fr 9h-12h", "9h-12h"), ("lu 09:00-12:00", "lu"), ("fr-mo 09:00-12:00", "fr-mo"),
    ("mo 12:00-09:00", "12:00-09:00"), ("mo 09:00-25:00", "09:00-25:00"), ("mo", "mo"),
])
def test_a_wrong_part_is_named(text, part):
    with pytest.raises(opening_hours.HoursInvalid) as err:
        opening_hours.parse(text)
    assert err.value.part == part


def test_lines_name_the_days_in_the_readers_language():
    assert opening_hours.lines(HOURS, "fr")[0] == "lundi 09:00–12:00, 13:30–16:00"
    assert opening_hours.lines(HOURS, "fr")[-1] == "samedi 09:00–12:00"
    assert opening_hours.lines(HOURS, "ar")[0].startswith("الاثنين")
    assert len(opening_hours.lines(HOURS, "uk")) == 6


@pytest.mark.parametrize("moment, expected", [
    (datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc), datetime(2026, 12, 7, 11, 0, tzinfo=timezone.utc)),   # open: closes at 12:00
    (datetime(2026, 12, 7, 11, 0, tzinfo=timezone.utc), datetime(2026, 12, 7, 12, 30, tzinfo=timezone.utc)),  # closed at 12:00 sharp
    (datetime(2026, 12, 12, 12, 0, tzinfo=timezone.utc), datetime(2026, 12, 14, 8, 0, tzinfo=timezone.utc)),  # Saturday 13:00 → Monday
    (datetime(2026, 3, 28, 12, 0, tzinfo=timezone.utc), datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc)),    # over the spring change
])
def test_the_next_opening_or_closing_is_in_brussels_time(moment, expected):
    assert opening_hours.next_change(HOURS, moment) == expected
    assert opening_hours.is_open(HOURS, expected) is not opening_hours.is_open(HOURS, moment)


def test_unknown_or_unreadable_hours_never_change():
    now = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
    assert opening_hours.next_change("", now) is None and opening_hours.next_change("9h-12h", now) is None
