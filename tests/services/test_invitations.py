"""QR onboarding: one-time, 15 minutes, signs the phone in; PIN for later; wrong PINs throttled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cisp_pwa.models import User, utcnow
from cisp_pwa.services import auth, centre_admin, db, invitations
from cisp_pwa.services.errors import AccessDenied, InvalidInput, SignInRefused, SignInThrottled

from .helpers import actor, user_id


def _new_trainee() -> int:
    return centre_admin.create_account(actor("sophie"), role="trainee", display_name="Samir B.", login="samir")


def test_invitation_signs_in_once_then_the_pin_works(demo_db):
    samir = _new_trainee()
    invite = invitations.create_invitation(actor("sophie"), samir)
    assert len(invitations.normalise_code(invite.code)) == invitations.CODE_LENGTH
    signed = invitations.redeem(invite.code.lower().replace("-", " "))  # typed by hand
    assert signed.actor.id == samir and auth.actor_for_token(signed.token).id == samir
    with pytest.raises(invitations.InvitationRefused) as used:
        invitations.redeem(invite.code)
    assert used.value.code == "invitation_used"
    invitations.set_pin(signed.actor, "4821")
    assert auth.sign_in("samir", "4821").actor.id == samir


def test_expired_and_unknown_codes_are_refused_clearly(demo_db):
    samir = _new_trainee()
    now = utcnow()
    invite = invitations.create_invitation(actor("sophie"), samir, now=now)
    with pytest.raises(invitations.InvitationRefused) as expired:
        invitations.redeem(invite.code, now=now + invitations.VALID_FOR + timedelta(seconds=1))
    assert expired.value.code == "invitation_expired"
    with pytest.raises(invitations.InvitationRefused) as unknown:
        invitations.redeem("ZZZZ-ZZZZ")
    assert unknown.value.code == "invitation_unknown"


def test_a_new_invitation_replaces_the_old_one(demo_db):
    samir = _new_trainee()
    first = invitations.create_invitation(actor("sophie"), samir)
    second = invitations.create_invitation(actor("sophie"), samir)
    with pytest.raises(invitations.InvitationRefused):
        invitations.redeem(first.code)
    assert invitations.redeem(second.code).actor.id == samir


def test_a_coach_invites_their_own_trainees_only(demo_db):
    assert invitations.create_invitation(actor("julie"), user_id("amina")).code
    for who, whose in [("julie", "fatou"), ("marc", "amina"), ("luc", "amina"), ("amina", "amina")]:
        with pytest.raises(AccessDenied):
            invitations.create_invitation(actor(who), user_id(whose))


@pytest.mark.parametrize("pin", ["", "123", "1234567", "12a4", "12 34"])
def test_pins_are_4_to_6_digits(demo_db, pin):
    with pytest.raises(InvalidInput):
        invitations.set_pin(actor("amina"), pin)


@pytest.mark.parametrize("pin", ["0000", "1111", "999999", "1234", "123456", "0123", "4321", "987654",
                                 "1212", "123123", "2580", "1379", "121212", "112233", "2020"])
def test_pins_a_thief_tries_first_are_refused_with_their_reason(demo_db, pin):
    with pytest.raises(InvalidInput) as refused:
        invitations.set_pin(actor("amina"), pin)
    assert refused.value.code == "pin_too_easy"
    with db.reading() as s:
        assert s.scalar(select(User.pin_hash).where(User.login == "amina")) is None  # nothing kept


@pytest.mark.parametrize("pin", ["4827", "73914", "508162"])
def test_pins_without_a_pattern_are_kept(demo_db, pin):
    invitations.set_pin(actor("amina"), pin)
    assert auth.sign_in("amina", pin).actor.id == user_id("amina")


def test_wrong_pins_are_throttled(demo_db):
    invitations.set_pin(actor("amina"), "4827")
    now = utcnow()
    for _ in range(5):
        with pytest.raises(SignInRefused):
            auth.sign_in("amina", "0000", now=now)
    with pytest.raises(SignInThrottled):
        auth.sign_in("amina", "4827", now=now + timedelta(seconds=1))
    assert auth.sign_in("amina", "4827", now=now + timedelta(minutes=1)).actor.id == user_id("amina")


def test_only_trainees_set_pins(demo_db):
    with pytest.raises(AccessDenied):
        invitations.set_pin(actor("julie"), "1234")
