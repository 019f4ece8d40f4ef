"""The admin's Heures screen, without a browser: what is typed in the rates' boxes, and what a
forged event may choose."""

from __future__ import annotations

import pytest

from cisp_pwa.services.errors import InvalidInput
from cisp_pwa.state.hours_admin import HoursAdminState, cents, euros
from tests.services.helpers import signed_in

from .helpers import open_screen, run


@pytest.mark.parametrize("typed, expected", [("1,10", 110), ("1.1", 110), ("1", 100), ("0,05", 5), (" 3,50 € ", 350),
                                             ("100", 10000), ("0", 0)])
def test_a_rate_typed_in_euros(typed, expected):
    assert cents(typed) == expected
    assert cents(euros(expected)) == expected


@pytest.mark.parametrize("typed", ["", "un euro", "1,105", "-1", "1e3", "1000,00", None, "1,,1"])
def test_a_rate_that_is_no_amount_is_refused(typed):
    with pytest.raises(InvalidInput, match="hours_rate_invalid"):
        cents(typed)


def test_the_screen_opens_on_last_month_and_the_first_group_and_ignores_what_it_does_not_show(demo_db):
    screen, _ = run(open_screen(HoursAdminState, signed_in("sophie").token))
    assert [g.code for g in screen.group_rows] == ["fle-alpha-1"]
    assert screen.month == screen.month_rows[1].month and screen.group_id == screen.group_rows[0].id
    assert [t.name for t in screen.trainees] == ["Amina Benali", "Fatou Diallo", "Kevin Maes"]
    assert screen.csv_path == f"/exports/hours/{screen.group_id}/{screen.month}.csv"
    month, group = screen.month, screen.group_id
    HoursAdminState.event_handlers["choose_month"].fn(screen, "1999-01")
    HoursAdminState.event_handlers["choose_group"].fn(screen, "999999")
    HoursAdminState.event_handlers["choose_group"].fn(screen, "abc")
    assert (screen.month, screen.group_id) == (month, group)
    HoursAdminState.event_handlers["choose_month"].fn(screen, screen.month_rows[0].month)
    assert screen.csv_path.endswith(f"/{screen.month_rows[0].month}.csv")
    assert screen.trainees[0].pathway_path.endswith("/pathway.pdf")
