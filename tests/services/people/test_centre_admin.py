"""Centre admins: accounts of their own centre only; deactivation ends sessions at once."""

from __future__ import annotations

import pytest

from cisp_pwa.services.errors import AccessDenied, InvalidInput, SignInRefused
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.people import auth, centre_admin, invitations

from ..helpers import actor, user_id


def test_create_staff_and_trainee_accounts(demo_db):
    sophie = actor("sophie")
    centre_admin.create_account(sophie, role="coach", display_name="Nora Petit", login="nora",
                                password="une-phrase-longue")
    assert auth.sign_in("nora", "une-phrase-longue").actor.centre_id == sophie.centre_id
    trainee_id = centre_admin.create_account(sophie, role="trainee", display_name="Samir B.", login="samir")
    setup = centre_admin.trainee_setup(sophie, trainee_id)
    assert (setup.display_name, setup.has_pin, setup.pathway_id) == ("Samir B.", False, None)


@pytest.mark.parametrize("fields,code", [
    (dict(role="admin"), "role_unknown"),
    (dict(display_name=" "), "name_empty"),
    (dict(login="a b"), "login_invalid"),
    (dict(login="julie"), "login_taken"),
    (dict(role="coach", password="court"), "password_too_short"),
])
def test_bad_accounts_are_refused(demo_db, fields, code):
    before = len(dashboards.admin_overview(actor("sophie")).accounts)
    with pytest.raises(InvalidInput) as err:
        centre_admin.create_account(actor("sophie"), **{"role": "trainee", "display_name": "X Y",
                                                         "login": "newperson", **fields})
    assert err.value.code == code
    assert len(dashboards.admin_overview(actor("sophie")).accounts) == before


def test_assign_and_enrol(demo_db):
    sophie = actor("sophie")
    fatou = user_id("fatou")
    centre_admin.set_assignment(sophie, fatou, user_id("julie"), True)
    centre_admin.set_assignment(sophie, fatou, user_id("marc"), True)
    setup = centre_admin.trainee_setup(sophie, fatou)
    assert setup.coach_ids == [user_id("julie")] and setup.trainer_ids == [user_id("marc")]
    assert "Fatou Diallo" in {t.display_name for t in dashboards.coach_trainees(actor("julie"))}
    overview = dashboards.admin_overview(sophie)
    green = next(p.id for p in overview.pathways if p.code == "eft-espaces-verts")
    centre_admin.enrol(sophie, fatou, green)
    assert centre_admin.trainee_setup(sophie, fatou).pathway_id == green
    centre_admin.set_assignment(sophie, fatou, user_id("julie"), False)
    assert centre_admin.trainee_setup(sophie, fatou).coach_ids == []


@pytest.mark.parametrize("call", [
    lambda a: centre_admin.set_assignment(a, user_id("youssef"), user_id("julie"), True),
    lambda a: centre_admin.set_assignment(a, user_id("amina"), user_id("luc"), True),
    lambda a: centre_admin.set_active(a, user_id("luc"), False),
    lambda a: centre_admin.trainee_setup(a, user_id("youssef")),
])
def test_nothing_across_centres(demo_db, call):
    with pytest.raises(AccessDenied):
        call(actor("sophie"))


@pytest.mark.parametrize("who", ["julie", "marc", "amina"])
def test_only_admins_manage_accounts(demo_db, who):
    with pytest.raises(AccessDenied):
        centre_admin.create_account(actor(who), role="trainee", display_name="X", login="xperson")
    with pytest.raises(AccessDenied):
        centre_admin.set_active(actor(who), user_id("kevin"), False)


def test_deactivation_ends_sessions_and_keeps_data(demo_db):
    signed = auth.sign_in("kevin", "parcours-kevin")
    centre_admin.set_active(actor("sophie"), user_id("kevin"), False)
    assert auth.actor_for_token(signed.token) is None
    with pytest.raises(SignInRefused):
        auth.sign_in("kevin", "parcours-kevin")
    assert "Kevin Maes" in {t.display_name for t in dashboards.coach_trainees(actor("julie"))}
    with pytest.raises(InvalidInput):  # no invitation for a deactivated account
        invitations.create_invitation(actor("sophie"), user_id("kevin"))
    centre_admin.set_active(actor("sophie"), user_id("kevin"), True)
    assert auth.sign_in("kevin", "parcours-kevin")


def test_an_admin_cannot_deactivate_themself(demo_db):
    with pytest.raises(AccessDenied):
        centre_admin.set_active(actor("sophie"), user_id("sophie"), False)
