"""One cheap read that tells an open screen whether anything it shows has changed.

Open screens compare it every second (see state/live.py): a new message, a read mark, a goal
change or a trainer's answer makes them reload. The database is the one source of truth, so it
works the same with one process or several workers behind Redis.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from cisp_pwa.models import Conversation, Goal, Message, ReadMarker, Role, SelfAssessment, Validation

from . import access, db
from .actor import Actor


@dataclass(frozen=True)
class Marker:
    last_message_id: int = 0
    others_read_id: int = 0
    unread: int = 0
    goals_version: str = ""
    last_validation_id: int = 0


def marker(actor: Actor, trainee_id: int) -> Marker:
    with db.unit_of_work() as s:
        access.trainee_for(s, actor, trainee_id)
        last_validation = s.scalar(
            select(func.max(Validation.id))
            .join(SelfAssessment, SelfAssessment.id == Validation.self_assessment_id)
            .where(SelfAssessment.trainee_id == trainee_id)
        ) or 0
        if actor.role not in (Role.trainee, Role.coach):  # no messages, no goals for them
            return Marker(last_validation_id=last_validation)
        goals = s.execute(select(func.count(Goal.id), func.max(Goal.updated_at))
                          .where(Goal.trainee_id == trainee_id)).one()
        conversation_id = s.scalar(select(Conversation.id).where(Conversation.trainee_id == trainee_id))
        last = others_read = unread = 0
        if conversation_id is not None:
            last = s.scalar(select(func.max(Message.id)).where(Message.conversation_id == conversation_id)) or 0
            markers = dict(s.execute(select(ReadMarker.user_id, ReadMarker.last_read_message_id)
                                     .where(ReadMarker.conversation_id == conversation_id)).all())
            others_read = max((v for k, v in markers.items() if k != actor.id), default=0)
            unread = s.scalar(select(func.count(Message.id)).where(
                Message.conversation_id == conversation_id, Message.sender_id != actor.id,
                Message.id > markers.get(actor.id, 0))) or 0
        return Marker(last, others_read, unread, f"{goals[0]}:{goals[1]}", last_validation)


def inbox_marker(actor: Actor) -> tuple[int, int]:
    """For a coach's inbox: the newest message and the unread total over their trainees."""
    from .messages import coach_inbox

    items = coach_inbox(actor)
    with db.unit_of_work() as s:
        conversations = select(Conversation.id).where(Conversation.trainee_id.in_([i.trainee_id for i in items]))
        last = s.scalar(select(func.max(Message.id)).where(Message.conversation_id.in_(conversations))) or 0
    return last, sum(i.unread for i in items)
