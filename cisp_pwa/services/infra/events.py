"""Events: every service action that changes what someone sees tells exactly those people.

Within its unit of work, an action calls `policy.tell(s, kind, trainee_id, ...)` for a trainee's
things (who is told follows from services/policy.py) or `publish(s, kind, user_ids, ...)` for
the rest; once the transaction
commits (never before, never after a rollback), one small event goes to each of those users'
open screens through the bus, and the pushes of the same action are queued. An event holds a
kind and ids, never content: a screen that receives it fetches what changed, with its own
access checks. A write that changes no open screen says so with `nobody(s)`; a write that does
neither is reported in the log (db.py).

This module sits under the domain: it registers with the unit of work's commit hooks (db.py),
and the phones' notifications listen to it (`on_push`, wired at start by services/infra/push_sender).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from . import bus, db

logger = logging.getLogger(__name__)

# The kinds, and what a screen that receives one fetches again.
MESSAGE = "message"        # a message in the trainee's conversation (id: the message)
READ = "read"              # someone read the trainee's conversation further
LISTENED = "listened"      # the other side started to listen to a voice message (id: the message)
GOALS = "goals"            # a goal of the trainee, or its notes (id: the goal)
COACH_NOTE = "coach_note"  # a private note on the trainee (coaches only)
ASSESSMENT = "assessment"  # the trainee self-assessed a skill (id: the self-assessment)
VALIDATION = "validation"  # a trainer answered a self-assessment (id: the self-assessment)
SUPPORT = "support"        # who supports the trainee, or their pathway, changed
PATHWAY = "pathway"        # labels or skills of a pathway changed (id: the pathway)
ACCOUNTS = "accounts"      # the centre's accounts changed (admins)
ACCOUNT = "account"        # one's own settings (language, notifications)
SESSION = "session"        # sessions of this user ended: open screens check theirs again
SHARE = "share"            # the trainee made or withdrew her passport's share link (id: the share)
PARTNERS = "partners"      # the directory of help of the user's centre changed (id: the service)
REFERRAL = "referral"      # a referral of the trainee moved (id: the referral)
SECURITY = "security"      # an account's phone was blocked (wrong PINs), or wrong authenticator
                           # codes piled up (id: the account)
HOURS = "hours"            # the trainee's attendance or her absence notices changed (id: the row)
GROUPS = "groups"          # a centre's groups, timetables, closures, rates or closed months changed
KINDS = (MESSAGE, READ, LISTENED, GOALS, COACH_NOTE, ASSESSMENT, VALIDATION, SUPPORT, PATHWAY, ACCOUNTS, ACCOUNT,
         SESSION, SHARE, PARTNERS, REFERRAL, SECURITY, HOURS, GROUPS)

_QUEUE = "cisp_events"     # Session.info keys
_PUSHES = "cisp_pushes"
_NOBODY = "cisp_nobody"


def publish(s: Session, kind: str, user_ids: Iterable[int], *, actor_id: int = 0, trainee_id: int = 0,
            id: int = 0, push: str | None = None, push_to: Iterable[int] = ()) -> None:
    """Queue one event for these users, sent once the unit of work commits. `push` (a kind of
    services.infra.push) also notifies `push_to` on their phones, after the commit too."""
    assert kind in KINDS, kind
    event = {"kind": kind, "actor": actor_id, "trainee": trainee_id, "id": id}
    s.info.setdefault(_QUEUE, []).append((frozenset(user_ids), event))
    if push:
        s.info.setdefault(_PUSHES, []).append((push, frozenset(push_to)))


def nobody(s: Session) -> None:
    """This unit of work writes what no open screen shows (a sign-in, an audit row, a code)."""
    s.info[_NOBODY] = True


def announced(s: Session) -> bool:
    return bool(s.info.get(_QUEUE) or s.info.get(_NOBODY))


# Who sends the pushes: push_sender.wire() at start (a process that never wires, such as a
# command line tool, sends none).
_push_listeners: list[Callable[[set[int], str], None]] = []


def on_push(listener: Callable[[set[int], str], None]) -> None:
    if listener not in _push_listeners:
        _push_listeners.append(listener)


def after_commit(s: Session) -> None:
    """Called by the unit of work once its transaction committed."""
    queued, pushes = s.info.pop(_QUEUE, []), s.info.pop(_PUSHES, [])
    s.info.pop(_NOBODY, None)
    hub = bus.hub()
    for user_ids, event in queued:
        hub.publish(user_ids, event)
    by_kind: dict[str, set[int]] = {}  # one push per person and kind (a bulk confirm: one)
    for kind, user_ids in pushes:
        by_kind.setdefault(kind, set()).update(user_ids)
    for kind, user_ids in by_kind.items():
        for listener in _push_listeners:
            listener(user_ids, kind)


def after_rollback(s: Session) -> None:
    """Nothing happened: nobody is told."""
    for key in (_QUEUE, _PUSHES, _NOBODY):
        s.info.pop(key, None)


db.listen(committed=after_commit, rolled_back=after_rollback, announced=announced)
