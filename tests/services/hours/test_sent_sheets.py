"""A sheet as the Présences screen sends it (ledger.take_sent), now or from the tablet's outbox once
the network is back (drafts.deliver): written once, each mark by its client id; a correction says
so on the sheet before it is sent (SheetLine.locked). The clock is Thu 19 Nov 2026, 10:00."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import Attendance, TrainingGroup
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.home import drafts
from cisp_pwa.services.hours import ledger, sheets
from cisp_pwa.services.infra import db

from ..helpers import actor, user_id

THURSDAY = date(2026, 11, 19)


def _group() -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def _sent(marks: list[dict], **more) -> dict:
    """What the screen (components/attendance.jsx) sends, and keeps in the outbox."""
    return {"kind": "attendance", "id": str(uuid.uuid4()), "group": _group(), "day": "2026-11-19", "starts": "09:00",
            "marks": json.dumps(marks), "correction": "", **more}


def _mark(login: str, presence: str = "present", **more) -> dict:
    return {"trainee": user_id(login), "presence": presence, "late": 0, "reason": "", "client_id": str(uuid.uuid4()),
            **more}


def _rows(login: str | None = None) -> int:
    with db.reading() as s:
        query = select(func.count(Attendance.id))
        if login:
            query = query.where(Attendance.trainee_id == user_id(login))
        return s.scalar(query)


def _line(login: str, who: str = "marc"):
    return next(line for line in sheets.sheet(actor(who)).lines if line.trainee_id == user_id(login))


def test_a_sheet_as_the_screen_sends_it_is_written_once(demo_db, hours_clock):
    sent = _sent([_mark("amina"), _mark("kevin", "late", late=10, reason="transport")])
    assert ledger.take_sent(actor("marc"), sent) == 2
    assert (_line("kevin").presence, _line("kevin").late_minutes, _line("kevin").reason) == ("late", 10, "transport")
    # The network came back twice: the same sheet again writes nothing.
    assert ledger.take_sent(actor("marc"), sent) == 0
    assert _rows() == 2


@pytest.mark.parametrize("change", [
    {"group": "1"}, {"group": True}, {"day": "19/11/2026"}, {"day": 20261119}, {"marks": "[{"},
    {"marks": [{"trainee": 1}]}, {"marks": "[" * 5000 + "]" * 5000}, {"marks": json.dumps([{"trainee": 1}]) + " " * 10_000},
    {"correction": 3}, {"starts": "9h"}, {"starts": None},
])
def test_a_sheet_that_is_not_one_is_refused_and_writes_nothing(demo_db, hours_clock, change):
    with pytest.raises(InvalidInput):
        ledger.take_sent(actor("marc"), {**_sent([_mark("amina")]), **change})
    assert _rows() == 0


def test_not_a_sheet_at_all(demo_db, hours_clock):
    for value in (None, "sheet", [], 3):
        with pytest.raises(InvalidInput):
            ledger.take_sent(actor("marc"), value)


def test_someone_who_may_not_take_it_is_refused(demo_db, hours_clock):
    with pytest.raises(AccessDenied):
        ledger.take_sent(actor("amina"), _sent([_mark("amina")]))
    with pytest.raises(AccessDenied):  # fatou is in the group, not one of marc's
        ledger.take_sent(actor("marc"), _sent([_mark("amina"), _mark("fatou")]))
    assert _rows() == 0


def test_the_sheet_says_which_rows_a_change_would_correct(demo_db, hours_clock):
    assert not _line("amina").locked  # nothing recorded yet
    ledger.take_sent(actor("marc"), _sent([_mark("amina")]))
    assert not _line("amina").locked  # his own, today: he may change it without a word
    assert _line("amina", "sophie").locked  # someone else's
    hours_clock.forward(days=1)
    assert _line("amina").locked is False  # Friday's sheet: nothing recorded on it
    assert sheets.sheet(actor("marc"), _group(), THURSDAY).lines[0].locked  # Thursday's, from Friday
    with pytest.raises(InvalidInput) as refused:
        ledger.take_sent(actor("marc"), _sent([_mark("amina", "absent")]))
    assert refused.value.code == "hours_correction_reason"
    assert ledger.take_sent(actor("marc"), _sent([_mark("amina", "absent")], correction="Partie à 9h15")) == 1
    assert _rows("amina") == 2


def test_the_tablets_outbox_delivers_a_sheet_once(demo_db, hours_clock):
    """Taken with no network: the sheet waits on the tablet, then goes with the outbox."""
    marc = actor("marc")
    sheet = {**_sent([_mark("amina"), _mark("kevin", "absent", reason="sick")]), "owner": marc.id, "at": 1}
    first = drafts.deliver(marc, [sheet])
    assert [(o.id, o.outcome) for o in first] == [(sheet["id"], drafts.SENT)]
    again = drafts.deliver(marc, [sheet])  # the connection came back twice
    assert [o.outcome for o in again] == [drafts.SENT]
    assert _rows() == 2
    assert (_line("kevin").presence, _line("kevin").reason) == ("absent", "sick")


def test_a_sheet_in_the_outbox_is_refused_for_someone_else_or_when_it_cannot_be_written(demo_db, hours_clock):
    marc, julie = actor("marc"), actor("julie")
    theirs = {**_sent([_mark("amina")]), "owner": marc.id}
    outcome, = drafts.deliver(julie, [theirs])  # a shared tablet: julie signed in after marc
    assert (outcome.outcome, outcome.reason) == (drafts.REFUSED, "not_allowed")
    future = {**_sent([_mark("amina")], day="2026-11-20"), "owner": marc.id}
    outcome, = drafts.deliver(marc, [future])
    assert (outcome.outcome, outcome.reason) == (drafts.REFUSED, "hours_in_the_future")
    assert _rows() == 0
