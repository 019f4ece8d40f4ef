"""Push notifications: who may have which kind, input checks, one's own phones only, and real
pushes to a push service on 127.0.0.1 that the test decrypts like a phone."""

from __future__ import annotations

import base64
import json
import os
import stat
import threading
import uuid

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from sqlalchemy import func, select

from cisp_pwa import i18n, settings
from cisp_pwa.models import Message, PushSubscription, Role
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.infra import db, push, push_keys, push_sender
from cisp_pwa.services.people import accounts
from cisp_pwa.services.skills import assessments, validations

from ..helpers import actor, skill_ids
from ..push_receiver import Phone, PushReceiver, b64url

FCM = "https://fcm.googleapis.com/fcm/send/"
WAIT = 20  # seconds a test waits for background work before it calls it failed (never asserted)


@pytest.fixture(autouse=True)
def push_setup(monkeypatch, tmp_path):
    """The VAPID key in a fresh data folder; http on 127.0.0.1 accepted (test push services)."""
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.setenv("CISP_PUSH_ALLOW_LOOPBACK", "1")
    yield
    assert push_sender.wait_idle(WAIT)  # nothing left running into the next test


@pytest.fixture
def receiver():
    r = PushReceiver()
    yield r
    r.close()


def _subscriptions() -> list[tuple[int, str, list]]:
    with db.reading() as s:
        return [(p.user_id, p.endpoint, p.kinds) for p in s.scalars(select(PushSubscription).order_by(PushSubscription.id))]


def _cid() -> str:
    return str(uuid.uuid4())


# --- who may have which kind -------------------------------------------------------------------

def test_kinds_per_role(demo_db):
    assert push.settings_for(actor("amina")).kinds == ("message", "validation")
    assert push.settings_for(actor("julie")).kinds == ("message",)
    phone = Phone()
    for login in ("marc", "sophie"):  # trainers and admins get no notifications
        someone = actor(login)
        for call in (lambda: push.settings_for(someone), lambda: push.set_kinds(someone, []),
                     lambda: push.subscribe(someone, FCM + "x", phone.p256dh, phone.auth, []),
                     lambda: push.unsubscribe(someone, FCM + "x")):
            with pytest.raises(AccessDenied):
                call()
    assert _subscriptions() == []


def test_a_coach_cannot_turn_on_validations(demo_db):
    julie, phone = actor("julie"), Phone()
    with pytest.raises(InvalidInput) as err:
        push.subscribe(julie, FCM + "julie", phone.p256dh, phone.auth, ["message", "validation"])
    assert err.value.code == "push_kind_unknown" and _subscriptions() == []
    push.subscribe(julie, FCM + "julie", phone.p256dh, phone.auth, ["message"])
    with pytest.raises(InvalidInput):
        push.set_kinds(julie, ["validation"])
    assert push.settings_for(julie).enabled == ("message",)


def test_one_setting_per_kind_for_all_of_ones_phones(demo_db):
    amina, one, two = actor("amina"), Phone(), Phone()
    assert push.settings_for(amina).enabled == () and push.settings_for(amina).devices == 0
    with pytest.raises(InvalidInput) as err:  # turning on needs a phone that subscribed
        push.set_kinds(amina, ["message"])
    assert err.value.code == "push_no_device"
    assert push.set_kinds(amina, []).enabled == ()  # turning off always works
    done = push.subscribe(amina, FCM + "one", one.p256dh, one.auth, ["message"])
    assert (done.enabled, done.devices) == (("message",), 1)
    done = push.subscribe(amina, FCM + "two", two.p256dh, two.auth, ["validation", "message", "message"])
    assert (done.enabled, done.devices) == (("message", "validation"), 2)
    assert push.set_kinds(amina, ["validation"]).enabled == ("validation",)
    assert [kinds for _u, _e, kinds in _subscriptions()] == [["validation"], ["validation"]]
    assert push.set_kinds(amina, []).enabled == ()
    assert push.settings_for(amina).devices == 2  # the phones stay, silent


def test_the_public_key_is_made_once_and_kept_private(demo_db):
    key = push.settings_for(actor("amina")).public_key
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4  # an uncompressed P-256 point, as pushManager wants
    path = settings.DATA_DIR / push_keys.KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    push_keys._keys.clear()  # a restart reads the same file
    assert push_keys.application_server_key() == key


# --- input checks ------------------------------------------------------------------------------

GOOD = Phone()


@pytest.mark.parametrize("endpoint", [
    "", "fcm.googleapis.com/fcm/send/x", "http://fcm.googleapis.com/fcm/send/x",  # not https
    "https://evil.example/push", "https://fcm.googleapis.com.evil.example/x",  # not a push service
    "https://user:pw@fcm.googleapis.com/x", "javascript:alert(1)", "https://fcm.googleapis.com/a b",
    FCM + "x" * push.ENDPOINT_MAX, "http://10.0.0.5/push", "http://127.0.0.1:notaport/x", None, 42,
])
def test_bad_endpoints_are_refused(demo_db, endpoint):
    with pytest.raises(InvalidInput) as err:
        push.subscribe(actor("amina"), endpoint, GOOD.p256dh, GOOD.auth, ["message"])
    assert err.value.code == "push_endpoint_invalid" and _subscriptions() == []


def test_this_machine_is_refused_unless_the_tests_allow_it(demo_db, monkeypatch):
    monkeypatch.delenv("CISP_PUSH_ALLOW_LOOPBACK")
    for endpoint in ("http://127.0.0.1:8080/push", "https://localhost/push", "http://[::1]/push"):
        with pytest.raises(InvalidInput):
            push.subscribe(actor("amina"), endpoint, GOOD.p256dh, GOOD.auth, ["message"])
    assert _subscriptions() == []


NOT_ON_THE_CURVE = b64url(b"\x04" + b"\x01" * 64)


@pytest.mark.parametrize("p256dh,auth", [
    ("", GOOD.auth), (GOOD.p256dh, ""), (GOOD.p256dh[:-4], GOOD.auth), (NOT_ON_THE_CURVE, GOOD.auth),
    ("not base64!", GOOD.auth), (GOOD.p256dh, b64url(b"short")), (GOOD.p256dh, b64url(os.urandom(32))),
    (GOOD.p256dh, GOOD.auth + "<script>"), (None, GOOD.auth), ("A" * 500, GOOD.auth),
], ids=["no-key", "no-auth", "cut-key", "off-curve", "not-base64", "short-auth", "long-auth", "script",
        "none", "too-long"])  # the keys are random: names that two collections agree on
def test_bad_keys_are_refused(demo_db, p256dh, auth):
    with pytest.raises(InvalidInput) as err:
        push.subscribe(actor("amina"), FCM + "x", p256dh, auth, ["message"])
    assert err.value.code == "push_keys_invalid" and _subscriptions() == []


@pytest.mark.parametrize("kinds", [["everything"], "message", None, [["message"]]])
def test_bad_kinds_are_refused(demo_db, kinds):
    with pytest.raises(InvalidInput):
        push.subscribe(actor("amina"), FCM + "x", GOOD.p256dh, GOOD.auth, kinds)
    assert _subscriptions() == []


# --- one's own phones only ---------------------------------------------------------------------

def test_only_ones_own_phone_can_be_removed(demo_db):
    amina, julie, kevin = actor("amina"), actor("julie"), actor("kevin")
    push.subscribe(amina, FCM + "amina", GOOD.p256dh, GOOD.auth, ["message"])
    for who, endpoint in ((julie, FCM + "amina"), (kevin, FCM + "amina"), (amina, FCM + "nobody")):
        with pytest.raises(AccessDenied):  # someone else's, or unknown: the same answer
            push.unsubscribe(who, endpoint)
    assert _subscriptions() == [(amina.id, FCM + "amina", ["message"])]
    push.unsubscribe(amina, FCM + "amina")
    assert _subscriptions() == []


def test_a_shared_phone_goes_to_the_last_person_only_with_its_own_keys(demo_db):
    amina, kevin, stranger = actor("amina"), actor("kevin"), Phone()
    push.subscribe(amina, FCM + "shared", GOOD.p256dh, GOOD.auth, ["message", "validation"])
    with pytest.raises(AccessDenied):  # the endpoint URL alone takes nothing away
        push.subscribe(kevin, FCM + "shared", stranger.p256dh, stranger.auth, ["message"])
    assert _subscriptions() == [(amina.id, FCM + "shared", ["message", "validation"])]
    # The same browser (same keys), now with Kevin signed in: his notifications, not Amina's.
    push.subscribe(kevin, FCM + "shared", GOOD.p256dh, GOOD.auth, ["message"])
    assert _subscriptions() == [(kevin.id, FCM + "shared", ["message"])]
    assert push.settings_for(amina).devices == 0


# --- real pushes -------------------------------------------------------------------------------

def _verify_vapid(request, audience: str) -> None:
    """The Authorization header is a JWT signed with the server's key, for this push service."""
    scheme, _, params = request.headers["authorization"].partition(" ")
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and values["k"] == push_keys.application_server_key()
    head, claims, signature = values["t"].split(".")
    pad = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))  # noqa: E731
    raw = pad(signature)
    push_keys.private_key().public_key().verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    assert json.loads(pad(claims))["aud"] == audience


def test_a_coachs_message_reaches_the_trainees_phone_neutral_and_in_her_language(demo_db, receiver):
    amina, julie, phone = actor("amina"), actor("julie"), Phone()
    amina = accounts.set_locale(amina, "ar")
    endpoint = receiver.endpoint()
    push.subscribe(amina, endpoint, phone.p256dh, phone.auth, ["message"])
    messages.send_message(julie, amina.id, _cid(), "Rendez-vous au CPAS mardi, pour ton loyer impayé")
    assert receiver.received.wait(WAIT)
    assert push_sender.wait_idle(WAIT)
    [request] = receiver.requests
    assert request.path == endpoint.split(receiver.origin)[1]
    assert request.headers["content-encoding"] == "aes128gcm" and int(request.headers["ttl"]) > 0
    _verify_vapid(request, receiver.origin)
    assert b"CPAS" not in request.body  # encrypted on the wire
    payload = phone.decrypt(request.body)
    ar = i18n.gettext_for("ar")
    assert payload["title"] == ar("Nouveau message") != "Nouveau message"
    assert payload["url"] == "/ar/messages/" and payload["dir"] == "rtl" and payload["lang"] == "ar"
    text = json.dumps(payload, ensure_ascii=False)
    for secret in ("CPAS", "loyer", "Rendez-vous", "Julie", "Amina", "Benali", str(amina.id), str(julie.id)):
        assert secret not in text


def test_a_trainees_message_reaches_her_coach_and_nobody_else(demo_db, receiver):
    amina, julie, luc = actor("amina"), actor("julie"), actor("luc")
    julies_phone, amina_phone, lucs_phone = Phone(), Phone(), Phone()
    push.subscribe(julie, receiver.endpoint(), julies_phone.p256dh, julies_phone.auth, ["message"])
    push.subscribe(amina, receiver.endpoint(), amina_phone.p256dh, amina_phone.auth, ["message"])
    push.subscribe(luc, receiver.endpoint(), lucs_phone.p256dh, lucs_phone.auth, ["message"])  # other centre
    messages.send_message(amina, amina.id, _cid(), "Je serai en retard")
    assert push_sender.wait_idle(WAIT)
    [request] = receiver.requests  # not the sender herself, not another centre's coach
    payload = julies_phone.decrypt(request.body)
    assert payload["title"] == "Nouveau message" and payload["url"] == "/fr/trainees/"
    assert "retard" not in json.dumps(payload) and "Amina" not in json.dumps(payload)


def test_a_retried_send_and_a_kind_turned_off_push_nothing(demo_db, receiver):
    amina, julie, phone = actor("amina"), actor("julie"), Phone()
    push.subscribe(amina, receiver.endpoint(), phone.p256dh, phone.auth, ["message"])
    client_id = _cid()
    messages.send_message(julie, amina.id, client_id, "Bonjour")
    assert push_sender.wait_idle(WAIT) and len(receiver.requests) == 1
    messages.send_message(julie, amina.id, client_id, "Bonjour")  # the same retry: stored once, told once
    push.set_kinds(amina, ["validation"])
    messages.send_message(julie, amina.id, _cid(), "Encore")
    assert push_sender.wait_idle(WAIT) and len(receiver.requests) == 1


def test_a_validation_reaches_the_trainee(demo_db, receiver):
    amina, marc, phone = actor("amina"), actor("marc"), Phone()
    push.subscribe(amina, receiver.endpoint(), phone.p256dh, phone.auth, ["validation"])
    messages.send_message(actor("julie"), amina.id, _cid(), "Pas pour ce téléphone")  # messages are off
    assert push_sender.wait_idle(WAIT) and receiver.requests == []
    assessments.self_assess(amina, skill_ids("defi-fle-alpha")[2], 3, "Je lis les horaires")
    item = next(i for i in validations.queue(marc) if i.trainee_id == amina.id)
    validations.confirm(marc, item.id)
    assert push_sender.wait_idle(WAIT)
    [request] = receiver.requests
    payload = phone.decrypt(request.body)
    assert payload["title"] == "Une compétence a été validée" and payload["url"] == "/fr/skills/"
    assert "horaires" not in json.dumps(payload, ensure_ascii=False)


def test_a_phone_the_push_service_says_is_gone_is_removed(demo_db):
    amina, julie = actor("amina"), actor("julie")
    gone, alive = PushReceiver(status=410), PushReceiver(status=201)
    try:
        for r, p in ((gone, Phone()), (alive, Phone())):
            push.subscribe(amina, r.endpoint(), p.p256dh, p.auth, ["message"])
        messages.send_message(julie, amina.id, _cid(), "Bonjour")
        assert push_sender.wait_idle(WAIT)
        assert len(gone.requests) == 1 and len(alive.requests) == 1
        assert [e.startswith(alive.origin) for _u, e, _k in _subscriptions()] == [True]
    finally:
        gone.close()
        alive.close()


def test_a_push_service_that_hangs_does_not_hold_the_message(demo_db):
    amina, julie, phone = actor("amina"), actor("julie"), Phone()
    release = threading.Event()
    hung = PushReceiver(hold=release)
    try:
        push.subscribe(amina, hung.endpoint(), phone.p256dh, phone.auth, ["message"])
        sent = messages.send_message(julie, amina.id, _cid(), "Bonjour, tu viens ?")
        with db.reading() as s:  # saved and answered...
            assert s.scalar(select(func.count(Message.id)).where(Message.id == sent.id)) == 1
        assert hung.received.wait(WAIT)
        assert not push_sender.wait_idle(0)  # ...while the push service still holds the push
        release.set()
        assert push_sender.wait_idle(WAIT)
    finally:
        hung.close()


def test_an_unreachable_push_service_changes_nothing(demo_db):
    amina, julie, phone = actor("amina"), actor("julie"), Phone()
    closed = PushReceiver()
    endpoint = closed.endpoint()
    closed.close()  # nothing listens there any more
    push.subscribe(amina, endpoint, phone.p256dh, phone.auth, ["message"])
    messages.send_message(julie, amina.id, _cid(), "Bonjour")
    assert push_sender.wait_idle(WAIT)
    assert len(_subscriptions()) == 1  # not "gone": it may come back


def test_the_payload_is_neutral_in_every_language():
    for locale in i18n.LOCALES:
        for kind, role in (("message", Role.trainee), ("message", Role.coach),
                           ("validation", Role.trainee)):
            payload = push_sender.payload_for(kind, role, locale)
            assert set(payload) == {"title", "body", "url", "tag", "lang", "dir"}
            assert payload["url"].startswith(f"/{locale}/") and payload["url"].count("/") == 3
            if locale != "fr":
                assert payload["title"] != push_sender.payload_for(kind, role, "fr")["title"]
