"""What each role sees first: real data, and only what their access allows."""

from __future__ import annotations

import dataclasses

import pytest

from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.skills import pathways

from ..helpers import actor


def test_trainee_home_shows_pathway_progress_and_open_goals(demo_db):
    home = dashboards.trainee_home(actor("amina"))
    fle = pathways.parse_pathway_file(pathways.SHIPPED_DIR / "defi-fle-alpha.yaml")
    assert home.pathway.name == fle.name["fr"]
    assert home.pathway.kind == "DEFI"
    assert home.pathway.skills_total == fle.skill_count
    assert home.pathway.skills_validated == 2  # one confirmed, one adjusted
    assert home.skills_to_assess == fle.skill_count - 4  # four skills assessed so far
    assert {g.title for g in home.goals} == {
        "Prendre seule un rendez-vous chez le médecin",
        "Trouver un stage dans une cuisine",
        "Lire les lettres de la commune",
    }
    assert {g.status for g in home.goals} == {"proposed", "in_progress"}


def test_trainee_home_speaks_the_trainees_language(demo_db):
    english = dataclasses.replace(actor("amina"), locale="en")
    fle = pathways.parse_pathway_file(pathways.SHIPPED_DIR / "defi-fle-alpha.yaml")
    assert dashboards.trainee_home(english).pathway.name == fle.name["en"]


@pytest.mark.parametrize("who", ["julie", "marc", "sophie"])
def test_trainee_home_is_for_trainees(demo_db, who):
    with pytest.raises(AccessDenied):
        dashboards.trainee_home(actor(who))


def test_coach_sees_only_the_trainees_assigned_to_them(demo_db):
    rows = dashboards.coach_trainees(actor("julie"))
    assert [r.display_name for r in rows] == ["Amina Benali", "Kevin Maes"]
    amina = rows[0]
    assert (amina.goals_in_progress, amina.goals_proposed) == (2, 1)
    assert [r.display_name for r in dashboards.coach_trainees(actor("luc"))] == ["Youssef El Amrani"]


@pytest.mark.parametrize("who,call", [("amina", dashboards.coach_trainees),
                                      ("marc", dashboards.admin_overview)])
def test_landing_data_is_for_its_role_only(demo_db, who, call):
    with pytest.raises(AccessDenied):
        call(actor(who))


def test_admin_sees_their_centre_and_the_shared_pathways(demo_db):
    overview = dashboards.admin_overview(actor("sophie"))
    assert overview.centre_name == "CISP La Passerelle (Namur)"
    assert {a.login for a in overview.accounts} == {"amina", "kevin", "fatou", "julie", "marc", "sophie"}
    assert {p.code for p in overview.pathways} == {p.stem for p in pathways.shipped_files()}
    assert all(p.skills >= 10 for p in overview.pathways)
    enrolled = {p.code: p.enrolled for p in overview.pathways}
    assert enrolled["defi-numerique"] == 0  # youssef is enrolled, but in the other centre
    assert enrolled["defi-fle-alpha"] == 1
