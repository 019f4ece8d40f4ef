"""Every value the app stores has its word in every language (cisp_pwa/words.py), and its
pictogram where the screens show one: the tables follow the values, never the other way."""

from __future__ import annotations

import pytest

from cisp_pwa import i18n, words
from cisp_pwa.models import AbsenceReason, Assimilation, Decision, GoalStatus, GoalTheme, Level, PathwayKind, Presence, ReferralStatus, Role
from cisp_pwa.services.help import partners, referrals
from cisp_pwa.models.records import OPENED
from cisp_pwa.services.skills import assessments

# (the words of a locale, the values they must name, the pictograms of those values or None)
TABLES = {
    "goal_themes": (words.goal_themes, {t.value for t in GoalTheme}, None),
    "goal_statuses": (words.goal_statuses, {s.value for s in GoalStatus}, words.GOAL_STATUS_ICONS),
    "levels": (words.levels, {level.value for level in Level}, words.LEVEL_ICONS),
    "skill_states": (words.skill_states, {assessments.TO_ASSESS, assessments.PENDING, assessments.VALIDATED,
                                          assessments.ADJUSTED}, words.SKILL_STATE_ICONS),
    "decisions": (words.decisions, {d.value for d in Decision}, None),
    "roles": (words.roles, {r.value for r in Role}, None),
    "pathway_kinds": (words.pathway_kinds, {k.value for k in PathwayKind}, None),
    "partner_categories": (words.partner_categories, set(partners.CATEGORIES), None),
    "partner_bring": (words.partner_bring, set(partners.BRING), None),
    "partner_access": (words.partner_access, set(partners.ACCESS), None),
    "partner_costs": (words.partner_costs, set(partners.COSTS), None),
    "referral_statuses": (words.referral_statuses, {s.value for s in ReferralStatus}, words.REFERRAL_STATUS_ICONS),
    "referral_close_reasons": (words.referral_close_reasons, set(referrals.CLOSE_REASONS), None),
    "presences": (words.presences, {p.value for p in Presence}, None),
    "absence_reasons": (words.absence_reasons, {r.value for r in AbsenceReason}, None),
    "assimilations": (words.assimilations, {a.value for a in Assimilation}, None),
}


@pytest.mark.parametrize("name", sorted(TABLES))
@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_stored_value_has_its_word(name, locale):
    table, values, icons = TABLES[name]
    said = table(locale)
    assert set(said) == values
    assert all(word if isinstance(word, str) else word[0] for word in said.values())
    if icons is not None:
        assert set(icons) == values


def test_a_trainee_reads_that_a_proposal_waits_for_her_answer():
    assert words.referral_statuses("fr")["proposed"] == "Proposée"
    assert words.referral_statuses("fr", for_trainee=True)["proposed"] == "Proposée : à vous de dire oui ou non"


def test_what_was_opened_of_her_file_is_said_for_each_kind():
    said = {words.viewing_word(action, "fr") for action in OPENED.values()}
    assert len(said) == len(OPENED) and words.viewing_word("read_something_else", "fr") == "votre dossier"
