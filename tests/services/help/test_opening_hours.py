"""Opening hours: a small checked format, "open now" in Brussels time (summer and winter)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from cisp_pwa.services.help import opening_hours

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
    ("mo 12:00-09:00", "12:00-09:00"), ("mo", "mo"), ("mo 09:00-25:00", "09:00-25:00"),
    ("mo-fr 09:00-12:00; ph", "ph"), ("ph 9h-12h", "9h-12h"), ("mo off", "off"),
    ("mo 09:00-12:00; ph off; ph 10:00-11:00", "ph 10:00-11:00"), ("ph,mo 09:00-12:00", "ph"),
])
def test_a_wrong_part_is_named(text, part):
    with pytest.raises(opening_hours.HoursInvalid) as err:
        opening_hours.parse(text)
    assert err.value.part == part


def test_lines_name_the_days_in_the_readers_language():
    assert opening_hours.lines(HOURS, "fr")[0] == "lundi 09:00–12:00, 13:30–16:00"
    assert opening_hours.lines(HOURS, "fr")[-2] == "samedi 09:00–12:00"
    assert opening_hours.lines(HOURS, "ar")[0].startswith("الاثنين")
    assert len(opening_hours.lines(HOURS, "uk")) == 7  # six days, then public holidays
    assert opening_hours.lines(HOURS, "fr")[-1] == "Jours fériés : fermé"
    assert opening_hours.lines(HOURS + "; ph 10:00-12:00", "fr")[-1] == "Jours fériés : 10:00–12:00"
    assert opening_hours.lines(HOURS + "; PH off", "en")[-1] == "Public holidays: closed"


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


# 2027: Easter Monday 29 March, the spring change Sunday 28 March (02:00 → 03:00), the national
# holiday Wednesday 21 July, the autumn change Sunday 31 October (03:00 → 02:00), All Saints'
# Monday 1 November. Every moment below is Brussels wall time.
BRUSSELS = opening_hours.BRUSSELS
SUNDAYS = "mo-fr 09:00-12:00; su 01:00-04:00"


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BRUSSELS)


def test_the_ten_belgian_public_holidays_of_2027():
    from datetime import date, timedelta

    year = [date(2027, 1, 1) + timedelta(days=n) for n in range(365)]
    assert [d for d in year if opening_hours.is_public_holiday(d)] == [
        date(2027, 1, 1), date(2027, 3, 29), date(2027, 5, 1), date(2027, 5, 6), date(2027, 5, 17),
        date(2027, 7, 21), date(2027, 8, 15), date(2027, 11, 1), date(2027, 11, 11), date(2027, 12, 25)]


@pytest.mark.parametrize("day", [(2027, 1, 1), (2027, 3, 29), (2027, 5, 6), (2027, 5, 17), (2027, 7, 21),
                                 (2027, 11, 1), (2027, 11, 11)])
def test_a_belgian_public_holiday_is_closed_unless_its_hours_are_given(day):
    from datetime import date

    assert opening_hours.is_public_holiday(date(*day))
    moment = _at(*day, 10, 30)
    assert opening_hours.is_open(HOURS, moment) is False
    assert opening_hours.is_open(HOURS + "; ph off", moment) is False
    assert opening_hours.is_open(HOURS + "; PH 10:00-12:00", moment) is True
    assert opening_hours.is_open(HOURS + "; ph 10:00-12:00", _at(*day, 9, 30)) is False


def test_an_ordinary_day_keeps_its_hours_whatever_ph_says():
    from datetime import date

    assert not opening_hours.is_public_holiday(date(2027, 7, 20))
    assert opening_hours.is_open(HOURS + "; ph off", _at(2027, 7, 20, 9, 30)) is True
    assert opening_hours.is_open("ph off", _at(2027, 7, 20, 9, 30)) is None  # no weekly hours: not known


@pytest.mark.parametrize("text, moment, expected", [
    # Tuesday 20 July 2027 at noon: the next opening skips the national holiday.
    (HOURS, _at(2027, 7, 20, 12, 0), _at(2027, 7, 20, 13, 30)),
    (HOURS, _at(2027, 7, 20, 16, 0), _at(2027, 7, 22, 9, 0)),
    (HOURS + "; ph 10:00-12:00", _at(2027, 7, 20, 16, 0), _at(2027, 7, 21, 10, 0)),
    (HOURS + "; ph 10:00-12:00", _at(2027, 7, 21, 10, 0), _at(2027, 7, 21, 12, 0)),
    # Saturday 27 March, after closing: Sunday is not named, Easter Monday is a holiday → Tuesday,
    # across the spring change (UTC+1 → UTC+2).
    (HOURS, _at(2027, 3, 27, 13, 0), _at(2027, 3, 30, 9, 0)),
    # A service on Sunday nights, on the day of each change.
    (SUNDAYS, _at(2027, 3, 28, 0, 30), _at(2027, 3, 28, 1, 0)),
    (SUNDAYS, _at(2027, 3, 28, 1, 30), _at(2027, 3, 28, 4, 0)),     # one hour less that night
    (SUNDAYS, _at(2027, 10, 31, 1, 30), _at(2027, 10, 31, 4, 0)),   # one hour more
    # Friday 29 October after closing: Monday is All Saints' → Tuesday 2 November, over the change.
    ("mo-fr 09:00-12:00", _at(2027, 10, 29, 16, 0), _at(2027, 11, 2, 9, 0)),
])
def test_the_next_change_counts_holidays_and_the_clock_changes(text, moment, expected):
    found = opening_hours.next_change(text, moment)
    assert found == expected and found.utcoffset() == expected.utcoffset()
    assert opening_hours.is_open(text, found) is not opening_hours.is_open(text, moment)


@pytest.mark.parametrize("utc, expected", [
    (datetime(2027, 3, 28, 0, 30, tzinfo=timezone.utc), True),    # 01:30 winter time
    (datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc), True),    # 03:30 summer time (02:xx never is)
    (datetime(2027, 3, 28, 2, 30, tzinfo=timezone.utc), False),   # 04:30 summer time
    (datetime(2027, 3, 29, 7, 30, tzinfo=timezone.utc), False),   # Easter Monday 09:30: holiday
    (datetime(2027, 3, 30, 7, 30, tzinfo=timezone.utc), True),    # Tuesday 09:30 summer time
    (datetime(2027, 3, 30, 6, 30, tzinfo=timezone.utc), False),   # Tuesday 08:30 summer time
    (datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc), True),   # 02:30 summer time
    (datetime(2027, 10, 31, 1, 30, tzinfo=timezone.utc), True),   # 02:30 again, winter time
    (datetime(2027, 10, 31, 3, 30, tzinfo=timezone.utc), False),  # 04:30 winter time
    (datetime(2027, 11, 2, 8, 30, tzinfo=timezone.utc), True),    # Tuesday 09:30 winter time
])
def test_open_now_at_the_clock_changes_of_2027(utc, expected):
    assert opening_hours.is_open(SUNDAYS, utc) is expected
