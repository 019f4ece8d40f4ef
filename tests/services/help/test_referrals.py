"""Referrals: proposed by a coach, nothing moves without the trainee's yes (recorded with the
text she saw, its version and language), tracked to the end; illegal steps refused; who sees
what: the trainee and her coaches; trainers never; the admin counts only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cisp_pwa.models import AuditEvent, Referral, ReferralConsent, utcnow
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.follow_up import goals
from cisp_pwa.services.help import partners, referrals
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import consent

from ..helpers import actor, user_id

VERSION = consent.VERSIONS[consent.REFERRAL]


def _service(login: str, category: str) -> int:
    return next(v.id for v in partners.directory(actor(login)) if v.category == category)


def _proposed(note: str = "", goal_id: int | None = None) -> referrals.ReferralView:
    return referrals.propose(actor("julie"), user_id("amina"), _service("amina", "housing"),
                             "Pour trouver un logement plus grand.", note, goal_id)


def _status(referral_id: int) -> str:
    with db.reading() as s:
        return s.get(Referral, referral_id).status.value


def test_the_whole_path_proposed_accepted_contacted_appointment_done(demo_db):
    julie, amina = actor("julie"), actor("amina")
    proposed = _proposed()
    seen = referrals.list_referrals(amina, amina.id)[0]
    assert (seen.status, seen.steps) == ("proposed", ["accepted", "refused"])
    assert "ne leur dira rien sur moi" in seen.consent_text  # nothing shared by default
    assert referrals.list_referrals(julie, amina.id)[0].steps == ["abandoned"]  # not before her yes
    referrals.answer(amina, proposed.id, True, VERSION)
    referrals.advance(julie, proposed.id, "contacted")
    when = utcnow() + timedelta(days=3)
    view = referrals.advance(julie, proposed.id, "appointment", appointment_on=when)
    assert view.appointment_on is not None and abs(view.appointment_on - when) < timedelta(seconds=1)
    assert referrals.list_referrals(amina, amina.id)[0].steps == ["withdrawn"]
    assert referrals.advance(julie, proposed.id, "done").status == "done"
    with db.reading() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "referral",
                                                                 AuditEvent.target_id == proposed.id)
                                 .order_by(AuditEvent.id)))
    assert actions == ["referral_proposed", "referral_accepted", "referral_contacted", "referral_appointment",
                       "referral_done"]


def test_her_yes_is_kept_with_the_text_she_saw_its_version_and_language(demo_db):
    amina = actor("amina")
    proposed = _proposed(note="Amina cherche un deux-chambres.")
    shown = referrals.list_referrals(amina, amina.id)[0].consent_text
    assert "Amina cherche un deux-chambres." in shown and "Julie Renard" in shown
    referrals.answer(amina, proposed.id, True, VERSION)
    with db.reading() as s:
        row = s.scalars(select(ReferralConsent)).one()
        assert (row.decision, row.text, row.version, row.locale, row.trainee_id) == \
            ("accepted", shown, VERSION, "fr", amina.id)


def test_she_reads_it_in_her_language(demo_db):
    youssef = actor("youssef")
    proposed = referrals.propose(actor("luc"), youssef.id, _service("youssef", "housing"), "Un logement.")
    assert "أوافق" in referrals.list_referrals(youssef, youssef.id)[0].consent_text
    referrals.answer(youssef, proposed.id, False, VERSION)
    with db.reading() as s:
        row = s.scalars(select(ReferralConsent)).one()
        assert (row.decision, row.locale) == ("refused", "ar") and "أوافق" in row.text
    assert _status(proposed.id) == "refused"


def test_nothing_moves_without_her_yes_and_an_old_text_is_refused(demo_db):
    julie, amina = actor("julie"), actor("amina")
    proposed = _proposed()
    for step in ("contacted", "appointment", "done"):
        with pytest.raises(InvalidInput):
            referrals.advance(julie, proposed.id, step, appointment_on=utcnow() + timedelta(days=1))
    with pytest.raises(InvalidInput) as err:
        referrals.answer(amina, proposed.id, True, "2020-01")
    assert err.value.code == "consent_outdated"
    assert _status(proposed.id) == "proposed"
    with db.reading() as s:
        assert s.scalars(select(ReferralConsent)).all() == []


def test_she_withdraws_at_any_time_and_the_coach_can_do_nothing_more(demo_db):
    julie, amina = actor("julie"), actor("amina")
    proposed = _proposed()
    referrals.answer(amina, proposed.id, True, VERSION)
    referrals.advance(julie, proposed.id, "contacted")
    text = referrals.list_referrals(amina, amina.id)[0].consent_text
    assert "Je retire mon accord" in text
    referrals.withdraw(amina, proposed.id, VERSION)
    assert _status(proposed.id) == "withdrawn"
    for step in ("appointment", "done", "abandoned", "contacted"):
        with pytest.raises(InvalidInput):
            referrals.advance(julie, proposed.id, step, appointment_on=utcnow(), closed_reason="other")
    with db.reading() as s:
        assert [(c.decision, c.text) for c in s.scalars(select(ReferralConsent).order_by(ReferralConsent.id))] == \
            [("accepted", referrals.consent_text("fr", "Julie Renard", proposed.service_name, "")),
             ("withdrawn", text)]


@pytest.mark.parametrize("start, step", [
    ("proposed", "done"), ("accepted", "done"), ("refused", "contacted"), ("done", "abandoned"),
    ("abandoned", "contacted"), ("accepted", "proposed"), ("accepted", "accepted"), ("accepted", "flying"),
])
def test_the_state_machine_refuses_illegal_steps(demo_db, start, step):
    julie, amina = actor("julie"), actor("amina")
    r = _proposed()
    path = {"proposed": [], "accepted": ["yes"], "refused": ["no"], "done": ["yes", "contacted", "done"],
            "abandoned": ["abandoned"]}[start]
    for move in path:
        if move in ("yes", "no"):
            referrals.answer(amina, r.id, move == "yes", VERSION)
        else:
            referrals.advance(julie, r.id, move, closed_reason="no_answer")
    with pytest.raises(InvalidInput):
        referrals.advance(julie, r.id, step, appointment_on=utcnow() + timedelta(days=1), closed_reason="other")
    assert _status(r.id) == start


def test_her_steps_are_hers_and_the_coachs_are_the_coachs(demo_db):
    julie, amina = actor("julie"), actor("amina")
    r = _proposed()
    with pytest.raises(AccessDenied):
        referrals.answer(julie, r.id, True, VERSION)
    referrals.answer(amina, r.id, True, VERSION)
    with pytest.raises(InvalidInput):
        referrals.answer(amina, r.id, False, VERSION)  # answered already
    with pytest.raises(AccessDenied):
        referrals.advance(amina, r.id, "contacted")


def test_abandoned_needs_a_reason_code_and_an_appointment_a_date(demo_db):
    julie, amina = actor("julie"), actor("amina")
    r = _proposed()
    referrals.answer(amina, r.id, True, VERSION)
    for bad in ("", "parce que", None):
        with pytest.raises(InvalidInput):
            referrals.advance(julie, r.id, "abandoned", closed_reason=bad)
    with pytest.raises(InvalidInput):
        referrals.advance(julie, r.id, "appointment")
    with pytest.raises(InvalidInput):
        referrals.advance(julie, r.id, "appointment", appointment_on=utcnow() + timedelta(days=900))
    with pytest.raises(InvalidInput):
        referrals.appointment_from("demain", "10:00")
    assert referrals.advance(julie, r.id, "abandoned", closed_reason="no_longer_needed").closed_reason == \
        "no_longer_needed"


@pytest.mark.parametrize("login", ["marc", "luc", "sophie", "kevin", "youssef", "ines", "claire"])
def test_only_her_coaches_and_herself_see_or_make_referrals(demo_db, login):
    r = _proposed()
    with pytest.raises(AccessDenied):
        referrals.list_referrals(actor(login), user_id("amina"))
    with pytest.raises(AccessDenied):
        referrals.propose(actor(login), user_id("amina"), _service("amina", "housing"), "Pourquoi pas")
    with pytest.raises(AccessDenied):
        referrals.advance(actor(login), r.id, "abandoned", closed_reason="other")
    with pytest.raises(AccessDenied):
        referrals.answer(actor(login), r.id, True, VERSION)
    assert _status(r.id) == "proposed"


def test_a_coach_refers_only_to_her_centres_network_and_to_her_goals(demo_db):
    julie = actor("julie")
    with pytest.raises(AccessDenied):  # a Liège service
        referrals.propose(julie, user_id("amina"), _service("youssef", "housing"), "Ailleurs")
    youssef_goal = goals.list_goals(actor("youssef"), user_id("youssef"))[0].id
    with pytest.raises(AccessDenied):
        _proposed(goal_id=youssef_goal)
    partners.set_chosen(actor("sophie"), _service("amina", "debts"), False)
    with pytest.raises(AccessDenied):  # no longer in the centre's network
        referrals.propose(julie, user_id("amina"), next(v.id for v in partners.region_services(actor("sophie"))
                                                        if v.category == "debts"), "Budget")
    with pytest.raises(InvalidInput):
        referrals.propose(julie, user_id("amina"), _service("amina", "housing"), "   ")
    with pytest.raises(InvalidInput):
        referrals.propose(julie, user_id("amina"), _service("amina", "housing"), "x" * 501)


def test_a_goal_names_the_service_it_is_linked_to(demo_db):
    amina = actor("amina")
    goal = goals.propose_goal(actor("julie"), amina.id, title="Un logement plus grand", theme="housing")
    r = _proposed(goal_id=goal.id)
    mine = next(g for g in goals.list_goals(amina, amina.id) if g.id == goal.id)
    assert mine.partners == [r.service_name]
    assert referrals.list_referrals(amina, amina.id)[0].goal_title == "Un logement plus grand"
    referrals.answer(amina, r.id, False, VERSION)  # refused: no longer linked
    assert next(g for g in goals.list_goals(amina, amina.id) if g.id == goal.id).partners == []


def test_the_admin_counts_and_never_reads(demo_db):
    r = _proposed()
    referrals.answer(actor("amina"), r.id, True, VERSION)
    _proposed()
    counts = referrals.counts(actor("sophie"))
    assert (counts["accepted"], counts["proposed"], counts["done"]) == (1, 1, 0)
    assert referrals.counts(actor("claire"))["accepted"] == 0  # another centre's
    with pytest.raises(AccessDenied):
        referrals.counts(actor("julie"))


def test_her_phone_says_a_proposal_came_and_nothing_of_it():
    from cisp_pwa.models import Role
    from cisp_pwa.services.infra import push, push_sender

    payload = push_sender.payload_for(push.REFERRAL, Role.trainee, "ar")
    assert (payload["url"], payload["dir"]) == ("/ar/help/", "rtl")
    assert payload["title"] != "Une proposition d'aide"  # said in her language
    assert push_sender.payload_for(push.REFERRAL, Role.trainee, "fr")["title"] == "Une proposition d'aide"
    assert push.switch_of(push.REFERRAL) == push.MESSAGE and push.REFERRAL not in push.KINDS_BY_ROLE[Role.trainee]
