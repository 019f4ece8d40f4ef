"""QR onboarding: one-time, 15 minutes, signs the phone in; PIN for later; wrong PINs throttled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cisp_pwa.models import User, utcnow
from cisp_pwa.services.errors import AccessDenied, DeviceUnknown, InvalidInput, SignInRefused, SignInThrottled, Throttled
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import auth, centre_admin, invitations

from ..helpers import actor, phone_for, user_id


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
    assert signed.device_secret and signed.login == "samir"
    assert auth.sign_in("samir", "4821", device=signed.device_secret).actor.id == samir
    with pytest.raises(DeviceUnknown):  # the PIN alone, from any other phone: nothing
        auth.sign_in("samir", "4821")


def test_a_code_for_an_account_in_use_signs_every_other_phone_out(demo_db):
    """The coach makes a code for a trainee who has a PIN and redeems it on her own phone: the
    trainee's phones are signed out at once, so the take-over cannot stay quiet."""
    samir = _new_trainee()
    first = invitations.redeem(invitations.create_invitation(actor("sophie"), samir).code)
    invitations.set_pin(first.actor, "4821")
    on_her_phone = auth.sign_in("samir", "4821", device=first.device_secret)
    taken = invitations.redeem(invitations.create_invitation(actor("sophie"), samir).code)
    assert auth.actor_for_token(taken.token).id == samir
    assert auth.actor_for_token(first.token) is None and auth.actor_for_token(on_her_phone.token) is None
    # The phone that had the account before needs a new code too: its secret is revoked.
    with pytest.raises(DeviceUnknown):
        auth.sign_in("samir", "4821", device=first.device_secret)
    # Her next sign-in says a new phone was set up, once; a first phone says nothing.
    assert first.actor.id == samir and on_her_phone.new_phone_at is None
    told = auth.sign_in("samir", "4821", device=taken.device_secret)
    assert told.new_phone_at is not None and abs((utcnow() - told.new_phone_at).total_seconds()) < 60
    assert auth.sign_in("samir", "4821", device=taken.device_secret).new_phone_at is None


def test_wrong_codes_slow_that_phone_not_a_trainee_with_her_code_on_the_same_network(demo_db):
    samir = _new_trainee()
    for _ in range(10):
        with pytest.raises(invitations.InvitationRefused):
            invitations.redeem("ZZZZ-ZZZZ", "10.0.0.5", "attacker-phone")
    with pytest.raises(Throttled):
        invitations.redeem("ZZZZ-ZZZZ", "10.0.0.5", "attacker-phone")
    good = invitations.create_invitation(actor("sophie"), samir).code
    assert invitations.redeem(good, "10.0.0.5", "samir-phone").actor.id == samir  # same Wi-Fi


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
    her_phone = phone_for("amina")
    invitations.set_pin(actor("amina"), pin)
    assert auth.sign_in("amina", pin, device=her_phone).actor.id == user_id("amina")


def test_wrong_pins_on_her_phone_wait_longer_and_longer_then_her_right_pin_works(demo_db, clock):
    her_phone = phone_for("amina")
    invitations.set_pin(actor("amina"), "4827")
    answers = []
    for _ in range(4):
        try:
            auth.sign_in("amina", "0000", client="203.0.113.9", device=her_phone)
            answers.append("in")
        except SignInThrottled as exc:
            answers.append(exc.details["retry_after"])
        except SignInRefused:
            answers.append("refused")
    assert answers == ["refused", "refused", 2, 2]  # 1 free, then waits that grow
    with pytest.raises(SignInThrottled):  # even the right PIN waits its turn on that phone
        auth.sign_in("amina", "4827", client="203.0.113.9", device=her_phone)
    clock.advance(2)
    assert auth.sign_in("amina", "4827", client="203.0.113.9", device=her_phone).actor.id == user_id("amina")
    auth.sign_in("amina", "4827", device=her_phone)  # a right PIN: no wait left


def test_only_trainees_set_pins(demo_db):
    with pytest.raises(AccessDenied):
        invitations.set_pin(actor("julie"), "1234")


def test_a_code_is_refused_on_a_phone_signed_in_as_staff_and_stays_usable(demo_db):
    samir = _new_trainee()
    code = invitations.create_invitation(actor("sophie"), samir).code
    for staff in ("sophie", "julie", "marc"):
        with pytest.raises(invitations.InvitationRefused) as refused:
            invitations.redeem(code, signed_in=actor(staff))
        assert refused.value.code == "staff_device"
    assert invitations.redeem(code, signed_in=None).actor.id == samir  # not used up, not counted
