"""Staff enrolment links: a new admin (by the operator or another admin) and a reset of a coach's or
a trainer's access; 24 hours, once, replaced by a newer one; who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cisp_pwa.models import AuditEvent, Centre, Invitation, RecoveryCode, SecondFactor, User, utcnow
from cisp_pwa.services.errors import AccessDenied, InvalidInput, SignInRefused, Throttled
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import auth, centre_admin, enrolment, invitations, second_factor

from ..helpers import actor, code_for, signed_in, user_id

PASSWORD = "une phrase assez longue"


def _centre_id(code: str = "namur-passerelle") -> int:
    with db.reading() as s:
        return s.scalar(select(Centre.id).where(Centre.code == code))


def _refused(call) -> str:
    with pytest.raises(enrolment.EnrolmentRefused) as err:
        call()
    return err.value.code


def _with_app(login: str) -> str:
    """A coach or trainer who turned the authenticator app on; its secret."""
    secret = second_factor.start_setup(actor(login)).secret
    second_factor.confirm_setup(actor(login), code_for(secret))
    return secret


def test_the_operator_makes_a_centres_first_admin_who_sets_her_password_then_her_app(demo_db, monkeypatch):
    monkeypatch.setenv("CISP_PUBLIC_URL", "https://parcours.example.be/")
    link = enrolment.invite_new_admin(_centre_id(), display_name="  Anne   Lambert ", login="Anne.Lambert@cisp.be",
                                      locale="nl")
    assert link.url == f"https://parcours.example.be/nl/enrol/?code={link.code}"
    assert link.url == enrolment.enrolment_url(link.code, "nl")
    assert timedelta(hours=23, minutes=59) < link.expires_at - utcnow() <= timedelta(hours=24)
    with db.reading() as s:
        anne = s.get(User, link.user_id)
        assert (anne.login, anne.display_name, anne.role.value, anne.password_hash) == \
            ("anne.lambert@cisp.be", "Anne Lambert", "admin", None)
        stored = s.scalar(select(Invitation).where(Invitation.user_id == anne.id))
        assert link.code not in stored.code_hash and stored.created_by_id is None and stored.purpose == "enrol"
        row = s.scalar(select(AuditEvent).where(AuditEvent.action == "admin_invited"))
        assert (row.actor_id, row.target_id) == (None, anne.id)
    view = enrolment.peek(link.code)
    assert (view.display_name, view.role, view.reset, view.locale) == ("Anne Lambert", "admin", False, "nl")
    with pytest.raises(SignInRefused):  # no password yet: nobody signs in as her
        auth.sign_in("anne.lambert@cisp.be", "")
    signed = enrolment.set_password(link.code, PASSWORD)
    assert signed.second_factor == second_factor.SET_UP
    assert auth.actor_for_token(signed.token) is None  # nothing opens before her app is set up
    hashed = auth.token_hash(signed.token)
    setup = second_factor.start_setup_signing_in(hashed)
    assert len(second_factor.confirm_setup_signing_in(hashed, code_for(setup.secret))) == 10
    assert auth.actor_for_token(signed.token).id == anne.id
    assert auth.sign_in("anne.lambert@cisp.be", PASSWORD).second_factor == second_factor.CODE


@pytest.mark.parametrize("fields,code", [
    (dict(display_name=" "), "name_empty"),
    (dict(login="a b"), "login_invalid"),
    (dict(login="julie"), "login_taken"),
    (dict(locale="xx"), "unknown_locale"),
    (dict(centre_id=999_999), "centre_unknown"),
    (dict(centre_id="1"), "centre_unknown"),
])
def test_the_operator_gets_a_reason_for_bad_input(demo_db, fields, code):
    args = {"centre_id": _centre_id(), "display_name": "Anne Lambert", "login": "anne", **fields}
    with pytest.raises(InvalidInput) as err:
        enrolment.invite_new_admin(args.pop("centre_id"), **args)
    assert err.value.code == code
    with db.reading() as s:
        assert s.scalar(select(func.count(User.id)).where(User.login == "anne")) == 0


def test_enrolment_url_checks_its_input(demo_db):
    for code, locale in (("", "fr"), ("a b", "fr"), ("x" * 200, "fr"), ("abc", "xx")):
        with pytest.raises(InvalidInput):
            enrolment.enrolment_url(code, locale)


def test_an_admin_creates_another_admin_with_a_link_and_no_password(demo_db):
    link = centre_admin.create_admin(actor("sophie"), display_name="Paul Dubois", login="paul", locale="fr")
    paul = actor("paul")
    assert (paul.role.value, paul.centre_id) == ("admin", actor("sophie").centre_id)
    assert next(a for a in dashboards.admin_overview(actor("sophie")).accounts if a.login == "paul").waiting_link
    signed = enrolment.set_password(link.code, PASSWORD)
    assert signed.second_factor == second_factor.SET_UP and signed.actor.id == paul.id
    assert not next(a for a in dashboards.admin_overview(actor("sophie")).accounts if a.login == "paul").waiting_link


@pytest.mark.parametrize("who", ["julie", "marc", "amina"])
def test_only_an_admin_creates_an_admin(demo_db, who):
    with pytest.raises(AccessDenied):
        centre_admin.create_admin(actor(who), display_name="Paul Dubois", login="paul")
    with db.reading() as s:
        assert s.scalar(select(User.id).where(User.login == "paul")) is None


def test_a_link_works_24_hours_and_once(demo_db):
    link = centre_admin.create_admin(actor("sophie"), display_name="Paul Dubois", login="paul")
    later = utcnow() + timedelta(hours=24, seconds=1)
    assert _refused(lambda: enrolment.peek(link.code, now=later)) == "enrolment_expired"
    assert _refused(lambda: enrolment.set_password(link.code, PASSWORD, now=later)) == "enrolment_expired"
    enrolment.set_password(link.code, PASSWORD, now=utcnow() + timedelta(hours=23, minutes=59))
    assert _refused(lambda: enrolment.peek(link.code)) == "enrolment_used"
    assert _refused(lambda: enrolment.set_password(link.code, "un autre mot de passe")) == "enrolment_used"
    assert _refused(lambda: enrolment.peek("pas-un-code")) == "enrolment_unknown"
    assert _refused(lambda: enrolment.peek(123)) == "enrolment_unknown"  # forged: not text


def test_a_newer_link_replaces_the_older_one(demo_db):
    first = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    second = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    assert _refused(lambda: enrolment.peek(first.code)) == "enrolment_expired"
    assert enrolment.peek(second.code).reset
    enrolment.set_password(second.code, PASSWORD)


def test_a_too_short_password_changes_nothing(demo_db):
    link = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    for password, code in (("court", "password_too_short"), ("x" * 2000, "password_too_long"), (None, "password_too_short")):
        with pytest.raises(InvalidInput) as err:
            enrolment.set_password(link.code, password)
        assert err.value.code == code
    assert enrolment.peek(link.code).display_name == "Julie Renard"  # still usable


def test_wrong_codes_are_throttled_per_browser(demo_db):
    for n in range(10):
        assert _refused(lambda: enrolment.peek(f"faux-{n}", client="10.0.0.1", device="phone")) == "enrolment_unknown"
    link = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    with pytest.raises(Throttled):  # even the right one, from that browser, for a while
        enrolment.set_password(link.code, PASSWORD, client="10.0.0.1", device="phone")
    assert enrolment.peek(link.code, client="10.0.0.2", device="another").display_name == "Julie Renard"


def test_a_trainee_code_and_a_staff_link_never_open_each_other(demo_db):
    link = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    with pytest.raises(invitations.InvitationRefused):
        invitations.redeem(link.code)
    trainee_code = invitations.create_invitation(actor("sophie"), user_id("fatou")).code
    assert _refused(lambda: enrolment.peek(trainee_code)) == "enrolment_unknown"


def test_a_reset_ends_sessions_and_removes_password_and_second_factor(demo_db):
    desk = auth.sign_in("julie", "parcours-julie")
    _with_app("julie")
    phone = signed_in("julie")
    assert auth.actor_for_token(phone.token) is not None
    link = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    assert (link.user_id, link.reset, link.display_name) == (user_id("julie"), True, "Julie Renard")
    assert auth.actor_for_token(phone.token) is None and auth.actor_for_token(desk.token) is None
    with pytest.raises(SignInRefused):
        auth.sign_in("julie", "parcours-julie")
    with db.reading() as s:
        julie = s.get(User, user_id("julie"))
        assert julie.password_hash is None and julie.is_active
        assert s.scalar(select(func.count(SecondFactor.id)).where(SecondFactor.user_id == julie.id)) == 0
        assert s.scalar(select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == julie.id)) == 0
        row = s.scalar(select(AuditEvent).where(AuditEvent.action == "access_reset"))
        assert (row.actor_id, row.target_id) == (user_id("sophie"), julie.id)
    view = enrolment.peek(link.code)
    assert view.reset and view.role == "coach"
    signed = enrolment.set_password(link.code, PASSWORD)
    assert signed.second_factor == ""  # a coach: her app was removed with the reset, optional again
    assert auth.actor_for_token(signed.token).id == user_id("julie")
    assert auth.sign_in("julie", PASSWORD).actor.id == user_id("julie")
    with pytest.raises(SignInRefused):
        auth.sign_in("julie", "parcours-julie")


def test_a_trainer_can_be_reset_too(demo_db):
    link = centre_admin.reset_access(actor("sophie"), user_id("marc"))
    assert enrolment.peek(link.code).role == "trainer"


@pytest.mark.parametrize("who,whom,error", [
    ("julie", "marc", AccessDenied),       # a coach
    ("marc", "julie", AccessDenied),       # a trainer
    ("amina", "julie", AccessDenied),      # a trainee
    ("claire", "julie", AccessDenied),     # another centre's admin
    ("sophie", "luc", AccessDenied),       # a coach of another centre
    ("sophie", "sophie", AccessDenied),    # herself
    ("sophie", "amina", InvalidInput),     # a trainee: her access code, not a link
])
def test_who_may_not_reset_whom(demo_db, who, whom, error):
    before = auth.sign_in(whom, f"parcours-{whom}")
    with pytest.raises(error):
        centre_admin.reset_access(actor(who), user_id(whom))
    assert auth.sign_in(whom, f"parcours-{whom}")  # the password still works
    if not before.second_factor:
        assert auth.actor_for_token(before.token) is not None  # and the session still stands
    with db.reading() as s:
        assert s.scalar(select(func.count(Invitation.id)).where(Invitation.purpose != "trainee")) == 0


def test_an_admin_is_not_reset_by_another_admin(demo_db):
    centre_admin.create_admin(actor("sophie"), display_name="Paul Dubois", login="paul")
    with pytest.raises(InvalidInput) as err:
        centre_admin.reset_access(actor("sophie"), user_id("paul"))
    assert err.value.code == "reset_staff_only"


def test_a_deactivated_account_gets_no_link(demo_db):
    centre_admin.set_active(actor("sophie"), user_id("julie"), False)
    with pytest.raises(InvalidInput):
        centre_admin.reset_access(actor("sophie"), user_id("julie"))
    with db.reading() as s:
        assert s.scalar(select(func.count(Invitation.id)).where(Invitation.purpose != "trainee")) == 0


def test_a_link_of_a_deactivated_account_opens_nothing(demo_db):
    link = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    centre_admin.set_active(actor("sophie"), user_id("julie"), False)
    assert _refused(lambda: enrolment.peek(link.code)) == "enrolment_unknown"


def test_a_lost_link_is_replaced_until_she_has_a_password(demo_db):
    first = centre_admin.create_admin(actor("sophie"), display_name="Paul Dubois", login="paul")
    second = centre_admin.new_link(actor("sophie"), first.user_id)
    assert _refused(lambda: enrolment.peek(first.code)) == "enrolment_expired"
    assert not enrolment.peek(second.code).reset
    enrolment.set_password(second.code, PASSWORD)
    with pytest.raises(InvalidInput) as err:  # she has a password now: no more links that way
        centre_admin.new_link(actor("sophie"), first.user_id)
    assert err.value.code == "link_not_waiting"
    reset = centre_admin.reset_access(actor("sophie"), user_id("julie"))
    again = centre_admin.new_link(actor("sophie"), user_id("julie"))
    assert enrolment.peek(again.code).reset  # still says her access was reset
    assert _refused(lambda: enrolment.peek(reset.code)) == "enrolment_expired"


@pytest.mark.parametrize("who,whom,error", [
    ("sophie", "julie", InvalidInput),     # she has her password: a reset, not a new link
    ("sophie", "amina", InvalidInput),     # a trainee: her access code
    ("sophie", "sophie", AccessDenied),
    ("claire", "paul", AccessDenied),      # another centre's admin
    ("julie", "paul", AccessDenied),
])
def test_who_may_not_make_a_new_link(demo_db, who, whom, error):
    centre_admin.create_admin(actor("sophie"), display_name="Paul Dubois", login="paul")
    with pytest.raises(error):
        centre_admin.new_link(actor(who), user_id(whom))
