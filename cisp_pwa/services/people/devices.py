"""Trusted devices: what makes a trainee's PIN hers on her phone only.

Opening an access code gives the phone a device secret (256 random bits), kept in its local
storage under a key of its own per account (a shared phone keeps one per account); the server
keeps only its SHA-256, with when it was made, last used and revoked. A PIN signs in only
together with a live secret of that account, so a PIN guessed from anywhere else opens nothing.
A staff member's browser gets one at a right password: on it, her sign-in is judged by that
browser's own limit, never slowed by a stranger's wrong passwords on her account.

After MAX_FAILURES wrong PINs (or passwords) in a row on one device, its secret is revoked (a
trainee's phone then needs a new code) and her coaches are told. Opening a new access code
revokes her other phones' secrets: the newest code's phone is hers.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cisp_pwa.models import AuditEvent, Role, TrustedDevice, User

from .. import policy
from ..actor import Actor
from ..infra import db, events, push

PHONE, BROWSER = "phone", "browser"
MAX_FAILURES = 10
SECRET_MAX = 128  # what a phone may send (a secret is 43 characters)
WRONG_PINS, NEW_PHONE = "wrong_pins", "new_phone"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(s: Session, user: User, kind: str, now: datetime) -> str:
    """A new device secret for this account; returned once, kept hashed."""
    secret = secrets.token_urlsafe(32)
    s.add(TrustedDevice(user_id=user.id, secret_hash=secret_hash(secret), kind=kind, created_at=now, failures=0))
    return secret


def find(s: Session, user_id: int, secret: str) -> TrustedDevice | None:
    """The live device of this account that holds this secret, or None."""
    if not isinstance(secret, str) or not secret or len(secret) > SECRET_MAX:
        return None
    return s.scalar(select(TrustedDevice).where(TrustedDevice.secret_hash == secret_hash(secret),
                                                TrustedDevice.user_id == user_id,
                                                TrustedDevice.revoked_at.is_(None)))


def revoke_phones(s: Session, user_id: int, now: datetime, why: str = NEW_PHONE) -> int:
    return s.execute(update(TrustedDevice).where(TrustedDevice.user_id == user_id, TrustedDevice.kind == PHONE,
                                                 TrustedDevice.revoked_at.is_(None))
                     .values(revoked_at=now, revoked_why=why)).rowcount or 0


def used(device_id: int, now: datetime) -> None:
    """A right PIN (or password) on it: its failures start again from none."""
    with db.unit_of_work() as s:
        s.execute(update(TrustedDevice).where(TrustedDevice.id == device_id)
                  .values(last_used_at=now, failures=0))
        events.nobody(s)


def failed(device_id: int, now: datetime) -> bool:
    """One more wrong PIN (or password) on it; True when that revoked it. Her coaches are told
    (their screens, and a push with neutral words: no PIN, no name)."""
    with db.unit_of_work() as s:
        s.execute(update(TrustedDevice).where(TrustedDevice.id == device_id)
                  .values(failures=TrustedDevice.failures + 1))
        device = s.get(TrustedDevice, device_id)
        s.refresh(device)
        user = s.get(User, device.user_id)
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="sign_in_failed"))
        if device.revoked_at is not None or device.failures < MAX_FAILURES:
            events.nobody(s)
            return False
        device.revoked_at, device.revoked_why = now, WRONG_PINS
        s.add(AuditEvent(actor_id=user.id, centre_id=user.centre_id, action="device_blocked",
                         target_type="user", target_id=user.id))
        if Role(user.role) == Role.trainee:
            policy.tell(s, events.SECURITY, user.id, id=user.id, push=push.PHONE_BLOCKED)
        else:
            events.publish(s, events.SECURITY, [user.id], id=user.id)
        return True


@dataclass(frozen=True)
class BlockedPhone:
    trainee_id: int
    trainee_name: str
    at: datetime


def blocked_phones(actor: Actor) -> list[BlockedPhone]:
    """The trainees this coach supports (an admin: of her centre) whose phone was blocked by
    wrong PINs and who have no live phone since: each needs a new access code."""
    policy.require_role(actor, Role.coach, Role.admin)
    with db.reading() as s:
        query = (select(User.id, User.display_name, TrustedDevice.revoked_at)
                 .join(TrustedDevice, TrustedDevice.user_id == User.id)
                 .where(TrustedDevice.revoked_why == WRONG_PINS, User.is_active.is_(True),
                        User.id.in_(policy.visible_trainees(actor, policy.DEVICE)))
                 .order_by(TrustedDevice.revoked_at.desc()))
        rows = s.execute(query).all()
        live = set(s.scalars(select(TrustedDevice.user_id).where(TrustedDevice.revoked_at.is_(None),
                                                                  TrustedDevice.kind == PHONE)))
    seen: dict[int, BlockedPhone] = {}
    for trainee_id, name, at in rows:
        if trainee_id not in live and trainee_id not in seen:
            seen[trainee_id] = BlockedPhone(trainee_id, name, at)
    return list(seen.values())
