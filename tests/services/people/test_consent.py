"""Consent: asked before anything opens, recorded with the text's version and language, asked
again when the text changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cisp_pwa import cisp_pwa  # noqa: F401 - the states as the server builds them
from cisp_pwa.models import AuditEvent, Consent, GoalTheme, Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import InvalidInput
from cisp_pwa.services.follow_up import goals
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import centre_admin, consent
from cisp_pwa.state import guard
from cisp_pwa.state.session import SessionState, of_role, signed_in

from ..helpers import actor, user_id


def _new(role: str):
    centre_admin.create_account(actor("sophie"), role=role, display_name="Nadia Ben", login="nadia",
                                password="une-phrase-assez-longue", locale="ar")
    return actor("nadia")


@pytest.mark.parametrize("role, kind", [("trainee", consent.TRAINEE), ("coach", consent.STAFF)])
def test_a_new_account_says_yes_once_to_the_current_text(demo_db, role, kind):
    nadia = _new(role)
    assert consent.needed(nadia)
    consent.accept(nadia, consent.VERSIONS[kind], "ar")
    consent.accept(nadia, consent.VERSIONS[kind], "ar")  # a double tap: recorded once
    assert not consent.needed(nadia)
    with db.reading() as s:
        rows = s.scalars(select(Consent).where(Consent.user_id == nadia.id)).all()
    assert [(r.kind, r.version, r.locale) for r in rows] == [(kind, consent.VERSIONS[kind], "ar")]


def test_a_new_text_is_asked_again_and_an_old_screen_cannot_say_yes_to_it(demo_db, monkeypatch):
    amina = actor("amina")
    assert not consent.needed(amina)  # the demo's people have said yes
    monkeypatch.setitem(consent.VERSIONS, consent.TRAINEE, "2027-06")
    assert consent.needed(amina)
    with pytest.raises(InvalidInput):
        consent.accept(amina, "2026-12", "fr")
    assert consent.needed(amina)
    consent.accept(amina, "2027-06", "fr")
    assert not consent.needed(amina)
    assert consent.kind_for(Role.admin) == consent.STAFF


def test_she_takes_her_yes_back_as_easily_as_she_gave_it_and_her_coach_sees_it(demo_db):
    amina = actor("amina")
    assert not consent.needed(amina)
    assert not any(t.terms_withdrawn for t in dashboards.coach_trainees(actor("julie")))
    consent.withdraw(amina)
    consent.withdraw(amina)  # a second tap, a forged event: nothing more
    assert consent.needed(amina)
    assert [t.display_name for t in dashboards.coach_trainees(actor("julie")) if t.terms_withdrawn] == ["Amina Benali"]
    with db.reading() as s:
        assert s.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == amina.id,
                                                         AuditEvent.action == "consent_withdrawn")).all() == \
            ["consent_withdrawn"]
        assert consent.withdrawn(s, [amina.id, user_id("kevin")]) == {amina.id}
    consent.accept(amina, consent.VERSIONS[consent.TRAINEE], "fr")  # yes again, when she wants
    assert not consent.needed(amina)
    assert not any(t.terms_withdrawn for t in dashboards.coach_trainees(actor("julie")))


def test_a_new_trainee_who_has_not_read_her_terms_yet_is_not_said_to_have_withdrawn(demo_db):
    nadia = _new("trainee")
    with db.reading() as s:
        assert consent.withdrawn(s, [nadia.id]) == set()


class _Screen:
    """Stands for a screen's state: the real session rule, with whoever its session resolves to."""

    error = ""
    _terms_needed = SessionState._terms_needed  # the real rule, against the database

    def __init__(self, who):
        self.who = who

    def _actor(self, roles=None):
        return of_role(self.who, roles)

    def _to_terms(self, actor):
        return "to her terms"

    @classmethod
    def get_fields(cls):
        return {"error": None}


def test_with_her_terms_withdrawn_a_forged_event_creates_nothing(demo_db):
    def propose(self, actor: Actor, title: str):
        goals.propose_goal(actor, actor.id, title=title, theme=GoalTheme.training.value)
        return "ran"

    handler = guard.guarded(signed_in(Role.trainee)(propose))
    amina = actor("amina")
    before = len(goals.list_goals(amina, amina.id))
    consent.withdraw(amina)
    assert handler(_Screen(amina), "Passer le permis") == "to her terms"
    assert len(goals.list_goals(amina, amina.id)) == before
    consent.accept(amina, consent.VERSIONS[consent.TRAINEE], "fr")
    assert handler(_Screen(amina), "Passer le permis") == "ran"
    assert len(goals.list_goals(amina, amina.id)) == before + 1
