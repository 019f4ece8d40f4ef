"""Push notifications: who may get which kind, and each person's phones (subscriptions).

A trainee may be told about new messages (voice ones and a coach's proposal of a partner's help
follow the same switch) and validated skills, a coach about new messages;
trainers and admins get none. The setting is one on/off per kind and per person: every phone
the person turned notifications on with follows it. What is sent is in push_sender.py.

An endpoint is a secret URL the browser's push service made for one phone: it and the keys come
from the browser, so they are checked before anything is stored. Accepted endpoints are https
on a known push service (CISP_PUSH_HOSTS widens the list). Plain http to this machine
(127.0.0.1, localhost, ::1) is accepted only with CISP_PUSH_ALLOW_LOOPBACK=1, which the tests
set: otherwise a browser could make the server post to its own internal services.
Endpoints and keys are never logged.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa.models import PushSubscription, Role

from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from . import audit, db, events, push_keys

MESSAGE = "message"
VALIDATION = "validation"
VOICE_MESSAGE = "voice_message"  # not a switch of its own: sent to those who turned MESSAGE on
REFERRAL = "referral"  # her coach proposes a partner's help: news from her coach, like a message
ABSENCE = "absence"  # a trainee says she will be absent or late: news for her coach, like a message
# Security news, sent to every phone the person turned notifications on with, whatever her
# switches: a trainee's phone blocked after wrong PINs (to her coaches), wrong authenticator
# codes piling up (to the person and her centre's admins). Neutral words, no name, no code.
PHONE_BLOCKED = "phone_blocked"
CODES_WRONG = "codes_wrong"
ALWAYS = frozenset({PHONE_BLOCKED, CODES_WRONG})
# The kinds a person turns on, for the pushes that follow another's switch.
_SWITCH = {VOICE_MESSAGE: MESSAGE, REFERRAL: MESSAGE, ABSENCE: MESSAGE}
KINDS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.trainee: (MESSAGE, VALIDATION),
    Role.coach: (MESSAGE,),
}
ENDPOINT_MAX = 1024  # the column's size
# The push services of Chrome/Android, Firefox, Safari/iOS and Edge.
DEFAULT_PUSH_HOSTS = ("fcm.googleapis.com", "android.googleapis.com", "push.services.mozilla.com",
                      "push.apple.com", "notify.windows.com")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class PushSettings:
    kinds: tuple[str, ...]    # what this person may turn on, in the screen's order
    enabled: tuple[str, ...]  # what is on
    devices: int              # phones (browsers) that receive them
    public_key: str           # applicationServerKey for pushManager.subscribe


def switch_of(kind: str) -> str:
    """The switch (one of KINDS_BY_ROLE) that turns pushes of this kind on."""
    return _SWITCH.get(kind, kind)


def kinds_for(actor: Actor) -> tuple[str, ...]:
    kinds = KINDS_BY_ROLE.get(actor.role, ())
    if not kinds:
        raise AccessDenied()
    return kinds


def _push_hosts() -> tuple[str, ...]:
    extra = os.environ.get("CISP_PUSH_HOSTS", "")
    return DEFAULT_PUSH_HOSTS + tuple(h.strip().lower() for h in extra.split(",") if h.strip())


def endpoint_allowed(endpoint: str) -> bool:
    """Checked when a phone subscribes and again before each send."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > ENDPOINT_MAX:
        return False
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    if parts.username or parts.password or not host or any(c.isspace() for c in endpoint):
        return False
    if os.environ.get("CISP_PUSH_ALLOW_LOOPBACK") == "1" and host in LOOPBACK:
        return parts.scheme in ("http", "https")
    if parts.scheme != "https":
        return False
    return any(host == h or host.endswith("." + h) for h in _push_hosts())


def _b64url(value: str) -> bytes:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise ValueError
    if any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=" for c in value):
        raise ValueError
    return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))


def _clean_keys(p256dh: str, auth: str) -> tuple[str, str]:
    """The phone's public key (a P-256 point) and its 16-byte auth secret, base64url."""
    try:
        point = _b64url(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        secret = _b64url(auth)
    except (ValueError, binascii.Error, TypeError):
        raise InvalidInput("push_keys_invalid") from None
    if len(point) != 65 or len(secret) != 16:
        raise InvalidInput("push_keys_invalid")
    encode = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")  # noqa: E731
    return encode(point), encode(secret)


def _clean_kinds(actor: Actor, kinds) -> list[str]:
    allowed = kinds_for(actor)
    if not isinstance(kinds, (list, tuple, set)) or any(k not in allowed for k in kinds):
        raise InvalidInput("push_kind_unknown")
    return [k for k in allowed if k in kinds]  # one order, no repeats


def _mine(s: Session, actor: Actor) -> list[PushSubscription]:
    return list(s.scalars(select(PushSubscription).where(PushSubscription.user_id == actor.id)
                          .order_by(PushSubscription.id)))


def _settings(s: Session, actor: Actor) -> PushSettings:
    kinds = kinds_for(actor)
    subscriptions = _mine(s, actor)
    on = {k for sub in subscriptions for k in (sub.kinds or [])}
    return PushSettings(kinds, tuple(k for k in kinds if k in on), len(subscriptions),
                        push_keys.application_server_key())


def settings_for(actor: Actor) -> PushSettings:
    kinds_for(actor)
    with db.reading() as s:
        return _settings(s, actor)


def subscribe(actor: Actor, endpoint: str, p256dh: str, auth: str, kinds) -> PushSettings:
    """This phone receives the person's notifications; `kinds` become the person's setting
    (on every one of their phones). The same endpoint again updates it.

    A phone shared by two trainees has one endpoint: the last person who turned notifications
    on there gets them. Taking an endpoint over needs the same auth secret, which only that
    browser knows: a leaked endpoint URL alone cannot take someone's notifications away."""
    kinds = _clean_kinds(actor, kinds)
    if not endpoint_allowed(endpoint):
        raise InvalidInput("push_endpoint_invalid")
    p256dh, auth = _clean_keys(p256dh, auth)
    with db.unit_of_work() as s:
        row = s.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
        # The person's notification settings, on every screen that shows them (and the former
        # owner's, when a shared phone changes hands).
        events.publish(s, events.ACCOUNT, {actor.id, row.user_id if row else actor.id}, actor_id=actor.id)
        if row is None:
            row = PushSubscription(user_id=actor.id, endpoint=endpoint, p256dh=p256dh, auth=auth, kinds=kinds)
            s.add(row)
            s.flush()
            audit.record(s, actor, "push_subscribed", "push_subscription", row.id)
        else:
            if row.user_id != actor.id:
                if row.auth != auth or row.p256dh != p256dh:
                    raise AccessDenied()
                audit.record(s, actor, "push_taken_over", "push_subscription", row.id)
            row.user_id, row.p256dh, row.auth = actor.id, p256dh, auth
        for sub in _mine(s, actor) + [row]:
            sub.kinds = list(kinds)
        s.flush()
        return _settings(s, actor)


def set_kinds(actor: Actor, kinds) -> PushSettings:
    """Turn kinds on or off for the person (all their phones). Turning one on needs a phone
    that subscribed first (the screen does that); turning off always works."""
    kinds = _clean_kinds(actor, kinds)
    with db.unit_of_work() as s:
        subscriptions = _mine(s, actor)
        if kinds and not subscriptions:
            raise InvalidInput("push_no_device")
        for sub in subscriptions:
            sub.kinds = list(kinds)
        s.flush()
        events.publish(s, events.ACCOUNT, [actor.id], actor_id=actor.id)
        return _settings(s, actor)


def unsubscribe(actor: Actor, endpoint: str) -> None:
    """Forget one of the actor's own phones. Someone else's endpoint, or an unknown one: the
    same refusal, and nothing changes."""
    kinds_for(actor)
    with db.unit_of_work() as s:
        row = s.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
        if row is None or row.user_id != actor.id:
            raise AccessDenied()
        audit.record(s, actor, "push_unsubscribed", "push_subscription", row.id)
        events.publish(s, events.ACCOUNT, [actor.id], actor_id=actor.id)
        s.delete(row)
