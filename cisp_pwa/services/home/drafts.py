"""Drafts made offline on a phone (messages, self-assessments) or on the centre's tablet (an
attendance sheet), delivered when it is back online.

The phone sends its whole outbox, oldest first; each draft is one service call of its own (one
transaction), in that order. Each carries the id the phone gave it, so a draft sent twice (the
connection came back twice) is kept once. A draft refused for good (not this person's, a skill
no longer in the pathway, a message too long) is reported, so the phone stops sending it.
A voice message made offline waits in the same outbox, but its recording goes over HTTP
(endpoints/voice.py): delivery stops at it, so the drafts after it wait and keep their order.
"""

from __future__ import annotations

from dataclasses import dataclass

from cisp_pwa.models import Role

from ..actor import Actor
from ..conversations import messages
from ..errors import AccessDenied, InvalidInput, Throttled
from ..hours import ledger
from ..skills import assessments

# One delivery handles this many drafts; the rest stays on the phone for the next one.
BATCH_MAX = 50
SENT, REFUSED = "sent", "refused"
VOICE = "voice"  # a voice message's place in the outbox: sent by the phone to POST /voice


@dataclass(frozen=True)
class DraftOutcome:
    id: str
    outcome: str     # SENT or REFUSED
    reason: str = ""  # why it was refused: a message id


def deliver(actor: Actor, drafts: list[dict]) -> list[DraftOutcome]:
    """Deliver the phone's drafts in their order. Failures of the database are not caught: the
    phone then keeps every draft and sends them again later. Past the message limit, the rest
    waits on the phone for the next delivery."""
    outcomes = []
    for draft in drafts[:BATCH_MAX]:
        if not isinstance(draft, dict):
            continue
        if draft.get("kind") == VOICE:
            break  # its turn comes over HTTP; what follows it goes after it
        try:
            outcomes.append(_deliver_one(actor, draft))
        except Throttled:
            break
    return outcomes


def _deliver_one(actor: Actor, draft: dict) -> DraftOutcome:
    client_id = str(draft.get("id", ""))
    # Drafts wait on a shared phone: only their own author may send them.
    if draft.get("owner") != actor.id:
        return DraftOutcome(client_id, REFUSED, "not_allowed")
    try:
        kind = draft.get("kind")
        if kind == "message":
            # A trainee writes in their own conversation; a coach names the trainee's.
            trainee_id = actor.id if actor.role == Role.trainee else int(draft.get("trainee") or 0)
            messages.send_message(actor, trainee_id, client_id, str(draft.get("body", "")))
        elif kind == "assessment":
            assessments.self_assess(actor, int(draft["skill"]), int(draft["level"]),
                                    str(draft.get("comment", "")), client_id=client_id)
        elif kind == "attendance":
            # Staff: a session's sheet; each mark carries its own client id (written once).
            ledger.take_sent(actor, draft)
        else:
            return DraftOutcome(client_id, REFUSED, "draft_invalid")
    except InvalidInput as exc:
        return DraftOutcome(client_id, REFUSED, exc.code)
    except AccessDenied:
        return DraftOutcome(client_id, REFUSED, "not_allowed")
    except (KeyError, TypeError, ValueError):
        return DraftOutcome(client_id, REFUSED, "draft_invalid")
    return DraftOutcome(client_id, SENT)
