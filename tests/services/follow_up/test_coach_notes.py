"""Private coach notes: the trainee's coaches only; dated and signed; limits."""

from __future__ import annotations

import pytest

from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.follow_up import coach_notes

from ..helpers import actor, user_id


def test_a_coach_writes_and_reads_signed_notes(demo_db):
    julie = actor("julie")
    coach_notes.add_note(julie, user_id("amina"), "Rendez-vous CPAS mardi. Dettes en cours de plan.")
    notes = coach_notes.list_notes(julie, user_id("amina"))
    assert [(n.author_name, n.body) for n in notes] == [("Julie Renard", "Rendez-vous CPAS mardi. Dettes en cours de plan.")]
    assert notes[0].created_at is not None


@pytest.mark.parametrize("who", ["amina", "marc", "sophie", "luc", "kevin"])
def test_nobody_but_the_trainees_coaches(demo_db, who):
    coach_notes.add_note(actor("julie"), user_id("amina"), "Privé")
    with pytest.raises(AccessDenied):
        coach_notes.list_notes(actor(who), user_id("amina"))
    with pytest.raises(AccessDenied):
        coach_notes.add_note(actor(who), user_id("amina"), "Intrus")


@pytest.mark.parametrize("body", ["", "   ", "x" * (coach_notes.NOTE_MAX + 1)])
def test_empty_or_long_notes_are_refused(demo_db, body):
    with pytest.raises(InvalidInput):
        coach_notes.add_note(actor("julie"), user_id("amina"), body)
    assert coach_notes.list_notes(actor("julie"), user_id("amina")) == []
