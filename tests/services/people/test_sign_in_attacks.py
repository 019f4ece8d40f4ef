"""The sign-in attacks of "Security, second round", replayed: PINs guessed from many addresses,
a password spray from a centre's shared address, parallel guesses, a thief with her phone."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from cisp_pwa.models import AuditEvent, TrustedDevice
from cisp_pwa.services.errors import DeviceUnknown, SignInRefused, SignInThrottled
from cisp_pwa.services.infra import bus, db, events, push, push_sender, throttle
from cisp_pwa.services.people import auth, centre_admin, devices, invitations, passwords
from tests.conftest import unavailable

from ..helpers import actor, phone_for, signed_in, user_id

CENTRE_WIFI = "198.51.100.20"  # one public address for a whole centre


def _trainee_with_phone(login: str, pin: str = "4827") -> str:
    """A new trainee of La Passerelle, coached by julie, who opened her code on her phone and
    chose her PIN; the secret her phone keeps."""
    trainee = centre_admin.create_account(actor("sophie"), role="trainee", display_name=login.title(), login=login)
    centre_admin.set_assignment(actor("sophie"), trainee, user_id("julie"), True)
    signed = invitations.redeem(invitations.create_invitation(actor("julie"), trainee).code)
    invitations.set_pin(signed.actor, pin)
    return signed.device_secret


@pytest.fixture
def told(monkeypatch):
    """Events and pushes, recorded instead of sent."""
    seen = {"events": [], "pushes": []}
    monkeypatch.setattr(bus.Hub, "publish", lambda self, ids, event: seen["events"].append((set(ids), event)))
    monkeypatch.setattr(push_sender, "notify", lambda ids, kind: seen["pushes"].append((set(ids), kind)))
    return seen


def test_200_pins_from_40_addresses_without_her_phone_open_nothing_and_she_gets_in_at_once(demo_db):
    her_phone = _trainee_with_phone("samira", "4827")
    guesses = [f"{n:04d}" for n in range(4800, 5000)]  # 200 guesses, hers among them
    assert "4827" in guesses
    opened = 0
    for n, pin in enumerate(guesses):
        for device in ("", "a-made-up-secret"):  # no secret, or one of his own making
            try:
                auth.sign_in("samira", pin, client=f"203.0.113.{n % 40}", device=device)
                opened += 1
            except DeviceUnknown:
                pass
    assert opened == 0
    # An unknown login gets the very same answer: the refusal says nothing about the account.
    with pytest.raises(DeviceUnknown):
        auth.sign_in("nobody-here", "4827", client="203.0.113.1")
    # Nothing counted against her: on her phone she signs in at once.
    assert auth.sign_in("samira", "4827", client="203.0.113.1", device=her_phone).actor.display_name == "Samira"


def test_a_spray_from_the_centres_address_then_everyone_there_signs_in_at_once(demo_db):
    choosable = [p for p in (f"{k}" for k in range(4827, 9999, 37)) if not invitations.pin_problem(p)][:20]
    pins = {f"stagiaire{n:02d}": pin for n, pin in enumerate(choosable)}
    trainees = {login: _trainee_with_phone(login, pin) for login, pin in pins.items()}
    marc_browser = signed_in("marc").device_secret  # a trainer's own browser, known since last time
    assert marc_browser
    sprayed = ["stagiaire00", "stagiaire01", "stagiaire02", "kevin", "fatou", "marc", "youssef", "nobody", "ghost"]
    answers = []
    for attempt in range(50):  # a stranger on the same Wi-Fi, as fast as he can
        try:
            auth.sign_in(sprayed[attempt % 9], f"guess-{attempt}", client=CENTRE_WIFI)
            answers.append("in")
        except SignInThrottled:
            answers.append("throttled")
        except SignInRefused:
            answers.append("refused")
    assert "in" not in answers and answers.count("throttled") >= 30  # he is slowed at once
    # 9:00, the same address: 20 trainees on their phones, sprayed or not, all in at once...
    for login, secret in trainees.items():
        assert auth.sign_in(login, pins[login], client=CENTRE_WIFI, device=secret).actor.role.value == "trainee"
    # ...the coach and the admin with their right passwords (their accounts were not sprayed)...
    assert auth.sign_in("julie", "parcours-julie", client=CENTRE_WIFI).second_factor == ""
    assert auth.sign_in("sophie", "parcours-sophie", client=CENTRE_WIFI).second_factor  # on to her app
    # ...and the trainer whose account was sprayed, on his own browser.
    assert auth.sign_in("marc", "parcours-marc", client=CENTRE_WIFI, device=marc_browser).actor.display_name
    # The stranger, still: his next try on a sprayed account waits.
    with pytest.raises(SignInThrottled):
        auth.sign_in("kevin", "parcours-kevin", client=CENTRE_WIFI)


def _parallel(n: int, attempt) -> list[str]:
    start = threading.Barrier(n)

    def one(_):
        start.wait()
        try:
            attempt()
            return "in"
        except SignInThrottled:
            return "throttled"
        except SignInRefused:
            return "refused"

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_25_parallel_wrong_passwords_from_one_address_count_25(demo_db, monkeypatch):
    checked = []
    real = passwords.verify_secret
    monkeypatch.setattr(passwords, "verify_secret", lambda *a: (checked.append(1), real(*a))[1])
    answers = _parallel(25, lambda: auth.sign_in("kevin", "wrong-password", client=CENTRE_WIFI))
    assert throttle.taken("sign_in_login", "kevin", CENTRE_WIFI) == 25  # every one counted
    assert len(checked) == answers.count("refused") <= 2  # 1 free try, then the account waits
    assert answers.count("throttled") >= 23


def test_25_parallel_wrong_pins_on_her_phone_check_at_most_2(demo_db, monkeypatch):
    her_phone = _trainee_with_phone("samira")
    checked = []
    real = passwords.verify_secret
    monkeypatch.setattr(passwords, "verify_secret", lambda *a: (checked.append(1), real(*a))[1])
    answers = _parallel(25, lambda: auth.sign_in("samira", "5190", client=CENTRE_WIFI, device=her_phone))
    assert len(checked) == answers.count("refused") <= 2 and "in" not in answers


def test_ten_wrong_pins_block_that_phone_and_tell_her_coaches_and_admin(demo_db, clock, told):
    """A thief with her phone: the waits grow, and at the 10th wrong PIN the phone's secret is
    revoked (her right PIN no longer opens anything there) and her coach is told: on his
    screens, and a push that names nobody."""
    her_phone = _trainee_with_phone("samira", "4827")
    her = user_id("samira")
    told["events"].clear()
    waited = 0
    wrong = 0
    while wrong < 10:
        try:
            auth.sign_in("samira", f"{5000 + wrong}", device=her_phone)
        except SignInThrottled as exc:
            waited += exc.details["retry_after"]
            clock.advance(exc.details["retry_after"])
        except DeviceUnknown:
            pytest.fail("blocked before the 10th")
        except SignInRefused:
            wrong += 1
    assert waited >= 2 + 4 + 8 + 16 + 32  # he waited minutes for 10 tries
    with pytest.raises(DeviceUnknown):  # even her right PIN: this phone needs a new code
        auth.sign_in("samira", "4827", device=her_phone)
    # Her coach and her centre's admin, who both list blocked phones (services/policy.py: DEVICE).
    julie, sophie = user_id("julie"), user_id("sophie")
    assert [(ids, e["kind"], e["trainee"]) for ids, e in told["events"] if e["kind"] == events.SECURITY] == \
        [({julie, sophie}, events.SECURITY, her)]
    assert told["pushes"] == [({julie, sophie}, push.PHONE_BLOCKED)]
    assert push_sender.payload_for(push.PHONE_BLOCKED, actor("julie").role, "fr")["body"].find("Samira") < 0
    with db.reading() as s:
        device = s.scalar(select(TrustedDevice).where(TrustedDevice.user_id == her))
        assert device.revoked_why == devices.WRONG_PINS and device.failures == 10
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "device_blocked")) is not None
    assert [b.trainee_id for b in devices.blocked_phones(actor("julie"))] == [her]
    assert devices.blocked_phones(actor("luc")) == []  # another centre's coach
    # Her coach gives her a new code: the new phone works, and the alert is gone.
    again = invitations.redeem(invitations.create_invitation(actor("julie"), her).code)
    assert auth.sign_in("samira", "4827", device=again.device_secret).actor.id == her
    assert devices.blocked_phones(actor("julie")) == []


def test_a_shared_phone_keeps_one_secret_per_account(demo_db):
    first = _trainee_with_phone("samira", "4827")
    second = _trainee_with_phone("nadia", "5938")
    assert first != second
    with pytest.raises(DeviceUnknown):  # her friend's secret is no key to her account
        auth.sign_in("samira", "4827", device=second)
    assert auth.sign_in("samira", "4827", device=first).actor.display_name == "Samira"
    assert auth.sign_in("nadia", "5938", device=second).actor.display_name == "Nadia"


def test_sign_out_keeps_the_phone_known(demo_db):
    her_phone = _trainee_with_phone("samira", "4827")
    signed = auth.sign_in("samira", "4827", device=her_phone)
    auth.sign_out(auth.token_hash(signed.token))
    assert auth.sign_in("samira", "4827", device=her_phone).actor.display_name == "Samira"


def test_the_server_keeps_only_the_hash_of_a_device_secret(demo_db):
    her_phone = _trainee_with_phone("samira")
    with db.reading() as s:
        stored = s.scalars(select(TrustedDevice.secret_hash)).all()
    assert her_phone not in stored and devices.secret_hash(her_phone) in stored
    assert len(her_phone) >= 43  # 256 random bits


def test_the_limits_in_redis_count_parallel_tries_once_each(monkeypatch):
    """With REDIS_URL (several workers), the same atomic steps."""
    url = os.environ.get("CISP_TEST_PRODUCTION_REDIS_URL", "redis://127.0.0.1:6379/6")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis is not reachable at {url}: {exc}")
    monkeypatch.setenv("REDIS_URL", url)
    throttle.reset()
    try:
        key = f"parallel-{os.getpid()}"
        with ThreadPoolExecutor(max_workers=25) as pool:
            claims = list(pool.map(lambda _: throttle.claim("password_account", key), range(25)))
            takes = list(pool.map(lambda _: throttle.take("sign_in_login", key, "x"), range(25)))
        assert sum(c.allowed for c in claims) == 2  # 1 free, the 2nd starts the wait
        assert throttle.taken("sign_in_login", key, "x") == 25 and takes.count(True) == 5
        assert throttle.failures("password_account", key) == 2
        throttle.release("password_account", key)
        assert throttle.failures("password_account", key) == 1 and throttle.claim("password_account", key).allowed
        throttle.give_back("sign_in_login", key, "x")
        assert throttle.taken("sign_in_login", key, "x") == 24
    finally:
        throttle.reset()
        monkeypatch.delenv("REDIS_URL")
        throttle.reset()


def test_a_stopped_address_learns_nothing_about_which_logins_exist(demo_db):
    for attempt in range(60):  # the address is past its limit for the logins it hammers
        try:
            auth.sign_in(f"made-up-{attempt % 3}", "guess", client=CENTRE_WIFI)
        except SignInRefused:
            pass
        except SignInThrottled:
            pass
    answers = {}
    for login in ("kevin", "not-an-account"):  # a first try on each: the same answer
        try:
            auth.sign_in(login, "wrong-password", client=CENTRE_WIFI)
        except (SignInRefused, SignInThrottled) as exc:
            answers[login] = type(exc)
    assert answers["kevin"] is answers["not-an-account"] is SignInRefused
