"""Passwords, sessions (idle and absolute expiry, revocation) and sign-in throttling."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from cisp_pwa import settings
from cisp_pwa.models import AuthSession, Role, User, utcnow
from cisp_pwa.services import auth, db
from cisp_pwa.services.errors import SignInRefused, SignInThrottled

from .helpers import user_id


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


def test_failed_attempts_are_throttled_per_account(demo_db):
    now = utcnow()
    for _ in range(settings.SIGN_IN_FREE_ATTEMPTS - 1):
        with pytest.raises(SignInRefused):
            auth.sign_in("amina", "wrong-password", now=now)
    # Another account is not affected by amina's failures.
    assert auth.sign_in("kevin", "parcours-kevin", now=now)
    with pytest.raises(SignInRefused):
        auth.sign_in("amina", "wrong-password", now=now)  # the last free attempt: now locked
    with pytest.raises(SignInThrottled) as throttled:
        auth.sign_in("amina", "parcours-amina", now=now + timedelta(seconds=5))
    assert 0 < throttled.value.details["retry_after"] <= 30
    # Once the wait is over the right password works and the counter starts again.
    signed = auth.sign_in("amina", "parcours-amina", now=now + timedelta(seconds=31))
    assert signed.actor.display_name == "Amina Benali"
    with db.reading() as s:
        amina = s.scalar(select(User).where(User.login == "amina"))
        assert (amina.failed_sign_ins, amina.locked_until) == (0, None)


def test_waits_double_and_stop_at_the_maximum(demo_db):
    now = utcnow()
    waits = []
    for _ in range(settings.SIGN_IN_FREE_ATTEMPTS + 8):
        try:
            auth.sign_in("marc", "wrong-password", now=now)
        except SignInThrottled:
            pytest.fail("throttled while the clock was moved past each lock")
        except SignInRefused:
            pass
        with db.reading() as s:
            locked = s.scalar(select(User.locked_until).where(User.login == "marc"))
        waits.append((locked - now) if locked else timedelta(0))
        now = locked or now
    assert waits[: settings.SIGN_IN_FREE_ATTEMPTS - 1] == [timedelta(0)] * (settings.SIGN_IN_FREE_ATTEMPTS - 1)
    assert waits[settings.SIGN_IN_FREE_ATTEMPTS - 1] == timedelta(seconds=30)
    assert waits[settings.SIGN_IN_FREE_ATTEMPTS] == timedelta(seconds=60)
    assert waits[-1] == settings.SIGN_IN_MAX_LOCK


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
    auth.sign_out(signed.token)
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
