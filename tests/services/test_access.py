"""The access matrix: trainee -> own data; coach/trainer -> assigned trainees of their centre;
admin -> their centre; messages and coach notes narrower still. Whatever id is sent."""

from __future__ import annotations

import pytest

from cisp_pwa.models import Assignment, AssignmentRole
from cisp_pwa.services import access, db
from cisp_pwa.services.errors import AccessDenied

from .helpers import actor, user_id

# (who asks, whose file, allowed?)
TRAINEE_FILE = [
    ("amina", "amina", True),
    ("amina", "kevin", False),
    ("amina", "youssef", False),
    ("julie", "amina", True),
    ("julie", "kevin", True),
    ("julie", "fatou", False),    # same centre, not assigned to her
    ("julie", "youssef", False),  # other centre
    ("marc", "kevin", True),
    ("marc", "fatou", False),
    ("sophie", "fatou", True),
    ("sophie", "youssef", False),
    ("claire", "amina", False),
    ("luc", "youssef", True),
    ("luc", "amina", False),
    ("ines", "kevin", False),
]


@pytest.mark.parametrize("who,whose,allowed", TRAINEE_FILE)
def test_trainee_file(demo_db, who, whose, allowed):
    with db.reading() as s:
        if allowed:
            assert access.trainee_for(s, actor(who), user_id(whose)).id == user_id(whose)
        else:
            with pytest.raises(AccessDenied):
                access.trainee_for(s, actor(who), user_id(whose))


MESSAGES = [
    ("amina", "amina", True),
    ("amina", "kevin", False),
    ("julie", "amina", True),
    ("julie", "fatou", False),
    ("marc", "amina", False),    # a trainer never reads messages, even of an assigned trainee
    ("sophie", "amina", False),  # nor the centre admin: trust between coach and trainee first
    ("luc", "amina", False),
]


@pytest.mark.parametrize("who,whose,allowed", MESSAGES)
def test_messages(demo_db, who, whose, allowed):
    with db.reading() as s:
        if allowed:
            access.trainee_for_messages(s, actor(who), user_id(whose))
        else:
            with pytest.raises(AccessDenied):
                access.trainee_for_messages(s, actor(who), user_id(whose))


@pytest.mark.parametrize("who,allowed", [("julie", True), ("amina", False), ("marc", False),
                                         ("sophie", False), ("luc", False)])
def test_coach_notes_are_for_the_trainees_coaches_only(demo_db, who, allowed):
    with db.reading() as s:
        if allowed:
            access.trainee_for_coach_notes(s, actor(who), user_id("amina"))
        else:
            with pytest.raises(AccessDenied):
                access.trainee_for_coach_notes(s, actor(who), user_id("amina"))


@pytest.mark.parametrize("bad_id", [0, -1, 10**9])
def test_ids_that_do_not_exist_are_refused_like_forbidden_ones(demo_db, bad_id):
    with db.unit_of_work() as s, pytest.raises(AccessDenied):
        access.trainee_for(s, actor("sophie"), bad_id)


def test_a_staff_id_is_not_a_trainee_file(demo_db):
    with db.reading() as s, pytest.raises(AccessDenied):
        access.trainee_for(s, actor("sophie"), user_id("julie"))


def test_an_assignment_across_centres_opens_nothing(demo_db):
    """Even a wrong row linking a coach of another centre to amina gives no access."""
    amina, luc = user_id("amina"), user_id("luc")
    with db.unit_of_work() as s:
        s.add(Assignment(trainee_id=amina, staff_id=luc, role=AssignmentRole.coach))
    with db.reading() as s, pytest.raises(AccessDenied):
        access.trainee_for(s, actor("luc"), user_id("amina"))


@pytest.mark.parametrize("who,whose,allowed", [("sophie", "julie", True), ("sophie", "luc", False),
                                               ("claire", "luc", True), ("julie", "amina", False)])
def test_admin_manages_accounts_of_their_centre_only(demo_db, who, whose, allowed):
    with db.reading() as s:
        if allowed:
            access.user_in_centre(s, actor(who), user_id(whose))
        else:
            with pytest.raises(AccessDenied):
                access.user_in_centre(s, actor(who), user_id(whose))
