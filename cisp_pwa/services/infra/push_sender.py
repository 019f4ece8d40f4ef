"""Sending push notifications, in the background: a message or a validation never waits for a
push service, and never fails because of one.

What a phone shows is neutral, in the recipient's language: "Nouveau message", "Une compétence
a été validée" — never the message, never a name (phones are shared, lock screens are seen).
A subscription the push service says is gone (404, 410) is removed. Logs say how many and which
status, never an endpoint, a key or a word of content.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait

import requests
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, select

from cisp_pwa import i18n, routes
from cisp_pwa.models import PushSubscription, Role, User

from . import db, events, push, push_keys

HTTP_TIMEOUT = 10      # seconds to connect, and again to read: a hung push service lets go
TTL = 24 * 3600        # a phone that is off gets it when it comes back, within a day
GONE = frozenset({404, 410})
WORKERS = 4

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pending: set[Future] = set()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:  # made on first use: each worker process gets its own
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="cisp-push")
        return _pool


def wire() -> None:
    """At start: the pushes that actions queue (services/infra/events.py) are sent from here."""
    events.on_push(_queue)


def _queue(user_ids: Iterable[int], kind: str) -> None:
    notify(user_ids, kind)  # looked up at each call (the tests put a recorder in its place)


def notify(user_ids: Iterable[int], kind: str) -> None:
    """Queue one notification of `kind` for each person and return at once. Call it after the
    transaction committed. Never raises: a push is a courtesy, the data is already saved."""
    try:
        for user_id in sorted(set(user_ids)):
            future = _executor().submit(_deliver, user_id, kind)
            with _lock:
                _pending.add(future)
            future.add_done_callback(_forget)
    except Exception as exc:  # noqa: BLE001 - the caller's work is done; say so and go on
        logger.error("push not queued: %s", type(exc).__name__)


def _forget(future: Future) -> None:
    with _lock:
        _pending.discard(future)


def wait_idle(timeout: float | None) -> bool:
    """True when every queued send has finished (within `timeout`). For tests and shutdown."""
    with _lock:
        pending = list(_pending)
    return not wait(pending, timeout=timeout).not_done


def payload_for(kind: str, role: Role, locale: str) -> dict[str, str]:
    """What the phone shows, and which screen a tap opens. No id, no name, no content."""
    locale = i18n.normalise(locale)
    _ = i18n.gettext_for(locale)
    if kind == push.PHONE_BLOCKED:
        title, body, page = _("Un téléphone est bloqué"), _("Ouvrez CISP Parcours pour voir quoi faire."), routes.TRAINEES
    elif kind == push.CODES_WRONG:
        title, body = _("Alerte de sécurité"), _("Ouvrez CISP Parcours pour voir quoi faire.")
        page = routes.CENTRE if role == Role.admin else routes.SECURITY
    elif kind == push.VALIDATION:
        title, body, page = _("Une compétence a été validée"), _("Ouvrez CISP Parcours pour la voir."), routes.SKILLS
    elif kind == push.REFERRAL:
        title, body, page = _("Une proposition d'aide"), _("Ouvrez CISP Parcours pour la lire."), routes.HELP
    elif kind == push.ABSENCE:
        title, body, page = _("Une absence annoncée"), _("Ouvrez CISP Parcours pour la voir."), routes.TRAINEES
    elif kind == push.VOICE_MESSAGE:
        title, body = _("Nouveau message vocal"), _("Ouvrez CISP Parcours pour l'écouter.")
        page = routes.MESSAGES if role == Role.trainee else routes.TRAINEES
    else:
        title, body = _("Nouveau message"), _("Ouvrez CISP Parcours pour le lire.")
        page = routes.MESSAGES if role == Role.trainee else routes.TRAINEES
    return {"title": title, "body": body, "url": routes.path(locale, page), "tag": f"cisp-{kind}",
            "lang": locale, "dir": i18n.direction(locale)}


def _subject() -> str:
    # Push services may write to this contact about this server. Apple refuses "localhost":
    # production sets a real one.
    return os.environ.get("CISP_VAPID_SUBJECT", "mailto:admin@localhost")


def _send(endpoint: str, p256dh: str, auth: str, data: str, kind: str) -> int | None:
    """One POST to one push service: its status, or None when it could not be reached."""
    if not push.endpoint_allowed(endpoint):  # the rule may have changed since it was stored
        return None
    with requests.Session() as session:
        session.max_redirects = 0  # a push service answers, it does not send us elsewhere
        try:
            response = webpush(
                {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}, data=data,
                vapid_private_key=Vapid(push_keys.private_key()), vapid_claims={"sub": _subject()},
                ttl=TTL, timeout=HTTP_TIMEOUT, headers={"Topic": f"cisp-{kind}", "Urgency": "normal"},
                requests_session=session,
            )
        except WebPushException as exc:  # its text holds the service's answer: not logged
            return exc.status_code
        except requests.RequestException as exc:
            logger.warning("push service not reached: %s", type(exc).__name__)
            return None
    return response.status_code


def _deliver(user_id: int, kind: str) -> None:
    try:
        with db.reading() as s:
            user = s.get(User, user_id)
            switch = push.switch_of(kind)
            always = kind in push.ALWAYS
            if user is None or not user.is_active or not (always or switch in push.KINDS_BY_ROLE.get(Role(user.role), ())):
                return
            targets = [(sub.id, sub.endpoint, sub.p256dh, sub.auth) for sub in s.scalars(
                select(PushSubscription).where(PushSubscription.user_id == user_id))
                if always or switch in (sub.kinds or [])]
            data = json.dumps(payload_for(kind, Role(user.role), user.locale), ensure_ascii=False)
        # No database connection is held while waiting for push services.
        statuses = {sub_id: _send(endpoint, p256dh, auth, data, kind) for sub_id, endpoint, p256dh, auth in targets}
        gone = [sub_id for sub_id, status in statuses.items() if status in GONE]
        if gone:
            with db.unit_of_work() as s:
                s.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
                events.publish(s, events.ACCOUNT, [user_id])  # one phone fewer in the settings
        failed = [status for status in statuses.values() if status is None or status >= 300 and status not in GONE]
        if gone or failed:
            logger.info("push %s: %d sent, %d gone and removed, %d failed %s", kind,
                        len(statuses) - len(gone) - len(failed), len(gone), len(failed), sorted(map(str, failed)))
    except Exception as exc:  # noqa: BLE001 - a background job must say it failed, without data
        logger.error("push delivery failed: %s", type(exc).__name__)
