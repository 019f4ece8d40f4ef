"""The one rule of who may see what (services/policy.py), walked whole on both databases.

For every resource, every trainee and every account of the demo (plus the awkward rows a real
centre ends up with: a deactivated coach still assigned, an assignment across centres, a
trainer assigned as coach, a second coach), the test works out the relation by itself from the
raw rows, and checks that `may()`, each list query (`visible_trainees`) and the audience of
the events about it admit exactly the people the rule names. Then the single checks the
services lean on, whatever id is sent.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cisp_pwa.models import Assignment, AssignmentRole, Role, User
from cisp_pwa.services import policy
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.infra import db, events

from .helpers import actor, user_id


def _add_awkward_rows() -> None:
    """What a real centre's data holds besides the tidy demo."""
    amina, kevin, fatou, luc, marc = (user_id(login) for login in ("amina", "kevin", "fatou", "luc", "marc"))
    with db.unit_of_work() as s:
        centre = s.get(User, amina).centre_id
        old = User(centre_id=centre, role=Role.coach, login="ancien", display_name="Ancien Coach", is_active=False)
        second = User(centre_id=centre, role=Role.coach, login="seconde", display_name="Seconde Coach")
        gone = User(centre_id=centre, role=Role.admin, login="partie", display_name="Admin Partie", is_active=False)
        s.add_all([old, second, gone])
        s.flush()
        s.add_all([
            Assignment(trainee_id=amina, staff_id=old.id, role=AssignmentRole.coach),      # deactivated
            Assignment(trainee_id=kevin, staff_id=second.id, role=AssignmentRole.coach),   # a second coach
            Assignment(trainee_id=amina, staff_id=luc, role=AssignmentRole.coach),  # across centres
            Assignment(trainee_id=fatou, staff_id=marc, role=AssignmentRole.coach),  # role mismatch
        ])
        events.nobody(s)


def _expected_relation(s, person: User, trainee: User) -> policy.Relation | None:
    """Worked out again from the rows, apart from the module under test."""
    if not person.is_active or person.centre_id != trainee.centre_id or trainee.role != Role.trainee:
        return None
    if person.role == Role.trainee:
        return policy.SELF if person.id == trainee.id else None
    if person.role == Role.admin:
        return policy.ADMIN
    held = AssignmentRole(person.role.value)
    rows = s.scalars(select(Assignment.role).where(Assignment.staff_id == person.id,
                                                   Assignment.trainee_id == trainee.id)).all()
    return policy.Relation(held.value) if held in rows else None


def test_may_lists_and_audiences_admit_exactly_the_same_people(demo_db):
    _add_awkward_rows()
    with db.reading() as s:
        people = s.scalars(select(User).order_by(User.id)).all()
        trainees = [p for p in people if p.role == Role.trainee]
        checked = 0
        for resource, rule in policy.RULES.items():
            for trainee in trainees:
                told = policy.audience(s, resource, trainee.id)
                for person in people:
                    who = Actor.of(person)
                    relation = _expected_relation(s, person, trainee)
                    for acting, allowed in ((False, rule.see), (True, rule.act)):
                        expected = relation in allowed
                        where = (resource, "act" if acting else "see", person.login, trainee.login)
                        assert policy.may(s, who, resource, trainee.id, acting=acting) == expected, where
                        listed = set(s.scalars(policy.visible_trainees(who, resource, acting=acting)))
                        assert (trainee.id in listed) == expected, where
                        if not acting:
                            assert (person.id in told) == expected, where
                        checked += 1
        # Every resource, trainee and account was walked (and none of them was trivially empty).
        assert checked == len(policy.RULES) * len(trainees) * len(people) * 2
        for resource in policy.RULES:
            assert any(policy.audience(s, resource, t.id) for t in trainees), resource


def test_the_deactivated_and_the_other_centre_are_told_nothing(demo_db):
    _add_awkward_rows()
    with db.reading() as s:
        told = policy.audience(s, policy.MESSAGES, user_id("amina"))
    assert told == {user_id("amina"), user_id("julie")}  # not the old coach, not luc


def test_every_event_about_a_trainee_reaches_the_audience_of_its_resources(demo_db):
    """`tell` derives who is told from the kind: the union of its resources' audiences."""
    amina = user_id("amina")
    for kind, resources in policy.ABOUT.items():
        with db.unit_of_work() as s:
            policy.tell(s, kind, amina, actor_id=amina)
            (told, event), = s.info["cisp_events"]
            expected = set().union(*(policy.audience(s, r, amina) for r in resources))
            assert set(told) == expected and expected, kind
            assert event["kind"] == kind and event["trainee"] == amina
    assert set(policy.ABOUT) < set(events.KINDS)


def test_a_push_goes_to_her_when_someone_else_acted_else_to_the_others(demo_db):
    amina, julie = user_id("amina"), user_id("julie")
    with db.unit_of_work() as s:
        policy.tell(s, events.MESSAGE, amina, actor_id=julie, push="message")
        policy.tell(s, events.MESSAGE, amina, actor_id=amina, push="message")
        (_, to_her), (_, to_coaches) = s.info["cisp_pushes"]
        s.info.clear()  # nothing is sent: this unit of work only looks
        events.nobody(s)
    assert to_her == {amina} and to_coaches == {julie}


def test_no_service_hand_picks_the_audience_of_a_trainee_event():
    """An event about a trainee's things goes through `policy.tell`, never `events.publish` with
    a list of ids (which stays for what is no trainee's: accounts, pathways, a staff phone)."""
    import ast
    import pathlib

    import cisp_pwa.services as package

    offenders = []
    for path in pathlib.Path(package.__file__).parent.rglob("*.py"):
        if path.name == "policy.py":  # the one place that publishes them
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "publish"
                    and any(k.arg == "trainee_id" for k in node.keywords)):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


# --- single checks, whatever is sent ------------------------------------------------------------

@pytest.mark.parametrize("bad_id", [0, -1, 10**9, "1", None, True, 1.5, [1]])
def test_ids_that_do_not_exist_or_are_not_ids_are_refused_like_forbidden_ones(demo_db, bad_id):
    with db.reading() as s, pytest.raises(AccessDenied):
        policy.trainee(s, actor("sophie"), policy.FILE, bad_id)
    with db.reading() as s, pytest.raises(AccessDenied):
        policy.user_in_centre(s, actor("sophie"), bad_id)


def test_a_staff_id_is_not_a_trainee_file(demo_db):
    with db.reading() as s, pytest.raises(AccessDenied):
        policy.trainee(s, actor("sophie"), policy.FILE, user_id("julie"))


@pytest.mark.parametrize("who,whose,allowed", [("sophie", "julie", True), ("sophie", "luc", False),
                                               ("claire", "luc", True), ("julie", "amina", False)])
def test_admin_manages_accounts_of_their_centre_only(demo_db, who, whose, allowed):
    with db.reading() as s:
        if allowed:
            assert policy.user_in_centre(s, actor(who), user_id(whose)).id == user_id(whose)
        else:
            with pytest.raises(AccessDenied):
                policy.user_in_centre(s, actor(who), user_id(whose))


def test_the_rule_reads_as_the_centres_were_told(demo_db):
    """What the centres were promised, in the table itself: her messages, goals and referrals
    are hers and her coaches'; coach notes never reach her or a trainer; only she shares her
    passport; the admin sees counts of referrals, never which."""
    rules = policy.RULES
    for private in (policy.MESSAGES, policy.VOICE, policy.GOALS, policy.REFERRALS):
        assert rules[private].see == {policy.SELF, policy.COACH}
    assert rules[policy.COACH_NOTES].see == {policy.COACH}
    assert rules[policy.PASSPORT].act == {policy.SELF}
    assert rules[policy.REFERRAL_COUNTS].see == {policy.ADMIN} and not rules[policy.REFERRAL_COUNTS].act
