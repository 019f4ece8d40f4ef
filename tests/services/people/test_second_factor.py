"""The second factor, written as the attacks it stops: a stolen admin password, a replayed
code, guessing codes, a lost phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cisp_pwa.models import AuditEvent, AuthSession, RecoveryCode, SecondFactor, utcnow
from cisp_pwa.services.errors import AccessDenied, InvalidInput, Throttled
from cisp_pwa.services.infra import db, events, push
from cisp_pwa.services.people import auth, second_factor

from ..helpers import actor, code_for, signed_in, user_id


def _set_up(login: str) -> tuple[auth.SignedIn, str, list[str]]:
    signed = auth.sign_in(login, f"parcours-{login}")
    hashed = auth.token_hash(signed.token)
    setup = second_factor.start_setup_signing_in(hashed)
    codes = second_factor.confirm_setup_signing_in(hashed, code_for(setup.secret))
    return signed, setup.secret, codes


def test_an_admin_password_alone_signs_nobody_in(demo_db):
    signed = auth.sign_in("sophie", "parcours-sophie")
    assert signed.second_factor == second_factor.SET_UP
    assert auth.actor_for_token(signed.token) is None  # the token opens nothing yet
    with db.reading() as s:
        waiting = s.scalar(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(signed.token)))
    assert waiting.second_factor_due and waiting.expires_at <= utcnow() + second_factor.WAIT_FOR_CODE


def test_setting_up_the_app_opens_the_session_and_gives_ten_recovery_codes(demo_db):
    signed, secret, codes = _set_up("sophie")
    assert auth.actor_for_token(signed.token).id == user_id("sophie")
    assert len(codes) == 10 and len(set(codes)) == 10
    with db.reading() as s:
        stored = s.scalars(select(RecoveryCode.code_hash)).all()
        factor = s.scalar(select(SecondFactor))
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)  # kept hashed only
    assert factor.confirmed_at is not None and factor.secret == secret


def test_after_set_up_the_password_asks_for_the_code(demo_db):
    _signed, secret, _codes = _set_up("sophie")
    again = auth.sign_in("sophie", "parcours-sophie")
    assert again.second_factor == second_factor.CODE and auth.actor_for_token(again.token) is None
    hashed = auth.token_hash(again.token)
    with pytest.raises(InvalidInput) as wrong:
        second_factor.verify_signing_in(hashed, "000000" if code_for(secret, step_offset=1) != "000000" else "111111")
    assert wrong.value.code == "second_factor_wrong" and auth.actor_for_token(again.token) is None
    assert second_factor.verify_signing_in(hashed, code_for(secret, step_offset=1)).id == user_id("sophie")
    assert auth.actor_for_token(again.token).id == user_id("sophie")


def test_a_code_seen_once_is_never_taken_again(demo_db):
    _signed, secret, _codes = _set_up("sophie")  # took the code of this step
    again = auth.sign_in("sophie", "parcours-sophie")
    with pytest.raises(InvalidInput):  # someone who saw it over her shoulder
        second_factor.verify_signing_in(auth.token_hash(again.token), code_for(secret))
    assert auth.actor_for_token(again.token) is None


def test_a_recovery_code_works_once(demo_db):
    _signed, _secret, codes = _set_up("sophie")
    first = auth.sign_in("sophie", "parcours-sophie")
    second_factor.verify_signing_in(auth.token_hash(first.token), codes[0].lower().replace("-", " "))
    assert auth.actor_for_token(first.token) is not None
    second = auth.sign_in("sophie", "parcours-sophie")
    with pytest.raises(InvalidInput):
        second_factor.verify_signing_in(auth.token_hash(second.token), codes[0])
    assert second_factor.status(actor("sophie")).recovery_codes_left == 9


def _wrong_codes(secret: str, count: int) -> list[str]:
    right = {code_for(secret, step_offset=k) for k in (-1, 0, 1, 2)}
    return [c for c in (f"{n:06d}" for n in range(200)) if c not in right][:count]


def test_guessing_codes_waits_longer_and_longer_and_the_owner_gets_in(demo_db, clock):
    _signed, secret, _codes = _set_up("sophie")
    thief = auth.sign_in("sophie", "parcours-sophie", client="10.0.0.66")
    hashed = auth.token_hash(thief.token)
    waits = []
    for guess in _wrong_codes(secret, 5):
        while True:
            try:
                second_factor.verify_signing_in(hashed, guess, client="10.0.0.66")
            except Throttled as exc:
                waits.append(exc.details["retry_after"])
                clock.advance(exc.details["retry_after"])
                continue
            except InvalidInput:
                break
    assert waits == [2, 4]  # 2 free, then waits that grow (per account, from every address)
    with pytest.raises(Throttled):  # 5 from that client: it stops there, even the right code
        second_factor.verify_signing_in(hashed, code_for(secret, step_offset=1), client="10.0.0.66")
    assert auth.actor_for_token(thief.token) is None
    clock.advance(16)  # the account's wait after 5 wrong codes
    owner = auth.sign_in("sophie", "parcours-sophie", client="192.168.1.20")
    assert second_factor.verify_signing_in(auth.token_hash(owner.token), code_for(secret, step_offset=1),
                                           client="192.168.1.20").id == user_id("sophie")
    with db.reading() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "second_factor_failed")) is not None


def test_ten_wrong_codes_tell_the_person_and_her_admins(demo_db, clock, monkeypatch):
    """Whoever types codes has her password: at the 10th wrong code in a row, she and her
    centre's admins hear of it (their screens, a push), and it is audited; the waits never
    grow past 15 minutes."""
    from cisp_pwa.services.infra import bus, push_sender

    told, pushed = [], []
    monkeypatch.setattr(bus.Hub, "publish", lambda self, ids, event: told.append((set(ids), event["kind"])))
    monkeypatch.setattr(push_sender, "notify", lambda ids, kind: pushed.append((set(ids), kind)))
    julie = actor("julie")
    setup = second_factor.start_setup(julie)
    second_factor.confirm_setup(julie, code_for(setup.secret))
    assert second_factor.last_alert(julie) is None
    longest = 0
    for n, guess in enumerate(_wrong_codes(setup.secret, 10)):
        client = f"198.51.100.{n}"  # from ten addresses: the account counts them together
        signed = auth.sign_in("julie", "parcours-julie", client=client)
        while True:
            try:
                second_factor.verify_signing_in(auth.token_hash(signed.token), guess, client=client)
            except Throttled as exc:
                longest = max(longest, exc.details["retry_after"])
                clock.advance(exc.details["retry_after"])
                continue
            except InvalidInput:
                break
        if n < 9:
            assert not [k for _ids, k in told if k == events.SECURITY]
    assert longest <= 15 * 60
    admins = {user_id("sophie")}
    assert (admins | {julie.id}, events.SECURITY) in told
    assert (admins | {julie.id}, push.CODES_WRONG) in pushed
    assert second_factor.last_alert(julie) is not None
    assert julie.id in second_factor.alerts_in_centre(actor("sophie"))
    assert julie.id not in second_factor.alerts_in_centre(actor("claire"))  # another centre's admin
    with db.reading() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == second_factor.ALERT,
                                                 AuditEvent.target_id == julie.id)) is not None


def test_the_waiting_session_expires(demo_db):
    signed = auth.sign_in("sophie", "parcours-sophie")
    later = utcnow() + second_factor.WAIT_FOR_CODE + timedelta(seconds=1)
    with pytest.raises(AccessDenied):
        second_factor.start_setup_signing_in(auth.token_hash(signed.token), now=later)


def test_a_signed_in_session_cannot_be_used_to_set_up_again(demo_db):
    signed, _secret, _codes = _set_up("sophie")
    with pytest.raises(AccessDenied):  # only a waiting session goes through the sign-in steps
        second_factor.start_setup_signing_in(auth.token_hash(signed.token))
    with pytest.raises(InvalidInput):  # and the settings screen does not replace a working app
        second_factor.start_setup(actor("sophie"))


def test_coaches_and_trainers_may_turn_it_on_and_off_trainees_never(demo_db):
    julie = actor("julie")
    assert auth.sign_in("julie", "parcours-julie").second_factor == ""
    assert not second_factor.status(julie).on and not second_factor.status(julie).required
    setup = second_factor.start_setup(julie)
    codes = second_factor.confirm_setup(julie, code_for(setup.secret))
    assert len(codes) == 10 and second_factor.status(julie).on
    assert auth.sign_in("julie", "parcours-julie").second_factor == second_factor.CODE
    with pytest.raises(InvalidInput):
        second_factor.turn_off(julie, "not a code")
    second_factor.turn_off(julie, codes[3])
    assert not second_factor.status(julie).on
    assert auth.sign_in("julie", "parcours-julie").second_factor == ""
    with pytest.raises(AccessDenied):
        second_factor.start_setup(actor("amina"))


def test_new_recovery_codes_replace_the_old_ones(demo_db):
    _signed, secret, old = _set_up("sophie")
    new = second_factor.new_recovery_codes(actor("sophie"), code_for(secret, step_offset=1))
    assert not set(new) & set(old)
    later = auth.sign_in("sophie", "parcours-sophie")
    with pytest.raises(InvalidInput):
        second_factor.verify_signing_in(auth.token_hash(later.token), old[0])
    second_factor.verify_signing_in(auth.token_hash(later.token), new[0])


def test_an_admin_who_turns_it_off_sets_up_another_app_at_the_next_sign_in(demo_db):
    _signed, secret, _codes = _set_up("sophie")
    second_factor.turn_off(actor("sophie"), code_for(secret, step_offset=1))
    assert auth.sign_in("sophie", "parcours-sophie").second_factor == second_factor.SET_UP


def test_the_helper_signs_an_admin_in_twice_in_a_row(demo_db):
    assert auth.actor_for_token(signed_in("claire").token) is not None
    assert auth.actor_for_token(signed_in("claire").token) is not None
