"""Passwords, sessions (idle and absolute expiry, revocation) and sign-in throttling."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from cisp_pwa import settings
from cisp_pwa.models import AuthSession, Role, User, utcnow
from cisp_pwa.services.errors import SignInRefused, SignInThrottled
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import auth

from ..helpers import actor, phone_for, user_id


def test_sign_in_opens_a_session_stored_only_as_a_hash(demo_db):
    signed = auth.sign_in("amina", "parcours-amina")
    assert signed.actor.role == Role.trainee and signed.actor.display_name == "Amina Benali"
    assert len(signed.token) >= 43  # 32 random bytes, url-safe
    with db.reading() as s:
        stored = s.scalars(select(AuthSession.token_hash)).all()
    assert signed.token not in stored
    assert hashlib.sha256(signed.token.encode()).hexdigest() in stored
    assert auth.actor_for_token(signed.token).id == user_id("amina")


def test_login_is_case_and_space_insensitive(demo_db):
    assert auth.sign_in("  Julie ", "parcours-julie").actor.role == Role.coach


def test_unknown_login_and_wrong_password_get_the_same_answer(demo_db):
    with pytest.raises(SignInRefused) as unknown:
        auth.sign_in("nobody", "parcours-amina")
    with pytest.raises(SignInRefused) as wrong:
        auth.sign_in("amina", "not-her-password")
    assert type(unknown.value) is type(wrong.value)
    assert str(unknown.value) == str(wrong.value)
    assert unknown.value.details == wrong.value.details == {}


def test_deactivated_account_is_refused_like_a_wrong_password(demo_db):
    with db.unit_of_work() as s:
        s.scalar(select(User).where(User.login == "kevin")).is_active = False
    with pytest.raises(SignInRefused):
        auth.sign_in("kevin", "parcours-kevin")


STRANGER, OWNER = "203.0.113.9", "198.51.100.7"  # two client addresses


def test_a_password_spray_slows_the_stranger_and_never_the_owner(demo_db, clock):
    """50 wrong passwords over 10 logins from one client, one a second: that address is stopped
    for the sprayed logins; owners whose accounts were not sprayed sign in at once from that very
    address, the sprayed ones at once from their own phone."""
    logins = ["amina", "kevin", "fatou", "julie", "marc", "sophie", "youssef", "luc", "nobody", "ghost"]
    answers = []
    for attempt in range(50):
        clock.advance(1)
        try:
            auth.sign_in(logins[attempt % 10], f"guess-{attempt}", client=STRANGER)
        except SignInThrottled:
            answers.append("throttled")
        except SignInRefused:
            answers.append("refused")
    assert answers[:30] == ["refused"] * 30 and answers[40:] == ["throttled"] * 10
    for login in ("claire", "ines"):  # not sprayed: the busy address is no reason to refuse them
        assert auth.sign_in(login, f"parcours-{login}", client=STRANGER).actor.display_name
    for login in ("amina", "julie", "sophie"):
        assert auth.sign_in(login, f"parcours-{login}", client=OWNER).actor.display_name
    with pytest.raises(SignInThrottled):  # the right password from the stranger's client: still no
        auth.sign_in("kevin", "parcours-kevin", client=STRANGER)


def test_tries_on_one_login_are_slowed_the_same_known_or_not(demo_db, clock):
    seen = {}
    for login in ("amina", "nobody"):  # an unknown login gets the very same answers
        answers = []
        for _ in range(6):
            try:
                auth.sign_in(login, "wrong-password", client=STRANGER)
            except SignInThrottled as exc:
                answers.append(("throttled", exc.details["retry_after"]))
                clock.advance(exc.details["retry_after"])
            except SignInRefused:
                answers.append(("refused", 0))
        seen[login] = answers
    assert seen["amina"] == seen["nobody"]
    assert seen["amina"][:3] == [("refused", 0), ("refused", 0), ("throttled", 2)]
    clock.advance(60)
    assert auth.sign_in("amina", "parcours-amina", client=OWNER).actor.display_name == "Amina Benali"


def test_unknown_login_and_wrong_secret_cost_one_argon2_each_refusals_before_it_none(demo_db, monkeypatch, clock):
    from cisp_pwa.services.people import invitations, passwords

    her_phone = phone_for("amina")
    invitations.set_pin(actor("amina"), "4827")
    calls = []

    class Counting:  # the real hasher, counting its verifications
        def __init__(self, real):
            self.real = real

        def verify(self, *args):
            calls.append(1)
            return self.real.verify(*args)

        def __getattr__(self, name):
            return getattr(self.real, name)

    monkeypatch.setattr(passwords, "_hasher", Counting(passwords._hasher))
    attempts = [("nobody", "parcours-amina", "", 1), ("amina", "wrong-password", "", 1),
                ("amina", "4827", her_phone, 1), ("julie", "parcours-julie", "", 1),
                ("kevin", "wrong-password", "", 1),
                ("kevin", "wrong-password", "", 1),
                ("kevin", "wrong-password", "", 0),  # throttled: refused before the work
                ("amina", "4827", "", 0), ("nobody", "4827", "", 0)]  # a PIN off her phone: never checked
    for login, secret, device, work in attempts:
        calls.clear()
        try:
            auth.sign_in(login, secret, client=STRANGER, device=device)
        except (SignInRefused, SignInThrottled):
            pass
        assert len(calls) == work, (login, secret, device)


def test_idle_session_expires(demo_db):
    now = utcnow()
    signed = auth.sign_in("julie", "parcours-julie", now=now)
    assert auth.actor_for_token(signed.token, now=now + settings.SESSION_IDLE - timedelta(seconds=1))
    later = now + settings.SESSION_IDLE - timedelta(seconds=1)
    # Activity moved last_seen forward: still valid one idle period after that activity...
    assert auth.actor_for_token(signed.token, now=later + settings.SESSION_IDLE - timedelta(seconds=1))
    # ...and gone after a full idle period with nothing.
    assert auth.actor_for_token(signed.token, now=later + 2 * settings.SESSION_IDLE) is None


def test_active_session_still_ends_at_the_absolute_expiry(demo_db):
    now = utcnow()
    signed = auth.sign_in("julie", "parcours-julie", now=now)
    moment = now
    while moment < now + settings.SESSION_ABSOLUTE - settings.SESSION_IDLE:
        moment += settings.SESSION_IDLE / 2
        assert auth.actor_for_token(signed.token, now=moment) is not None
    assert auth.actor_for_token(signed.token, now=now + settings.SESSION_ABSOLUTE) is None


def test_sign_out_revokes_the_session(demo_db):
    signed = auth.sign_in("marc", "parcours-marc")
    other_device = auth.sign_in("marc", "parcours-marc")
    auth.sign_out(auth.token_hash(signed.token))
    assert auth.actor_for_token(signed.token) is None
    assert auth.actor_for_token(other_device.token) is not None


def test_revoke_all_sessions_and_deactivation_end_every_device(demo_db):
    a = auth.sign_in("sophie", "parcours-sophie")
    b = auth.sign_in("sophie", "parcours-sophie")
    assert auth.open_sessions(user_id("sophie")) == 2
    assert auth.revoke_all_sessions(user_id("sophie")) == 2
    assert auth.actor_for_token(a.token) is None and auth.actor_for_token(b.token) is None
    c = auth.sign_in("sophie", "parcours-sophie")
    with db.unit_of_work() as s:
        s.scalar(select(User).where(User.login == "sophie")).is_active = False
    assert auth.actor_for_token(c.token) is None


@pytest.mark.parametrize("token", ["", "x", "not-a-real-token-" * 3])
def test_unknown_tokens_sign_nobody_in(demo_db, token):
    assert auth.actor_for_token(token) is None


def test_set_password_refuses_short_ones(demo_db):
    from cisp_pwa.services.errors import InvalidInput

    with pytest.raises(InvalidInput):
        auth.set_password(user_id("marc"), "short")
    auth.set_password(user_id("marc"), "a-longer-secret")
    assert auth.sign_in("marc", "a-longer-secret")
