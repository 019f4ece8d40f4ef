"""Private coach notes: visible to the trainee's coaches only, never to the trainee or trainers.
Each note is dated and signed. Their content is sensitive: never logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from cisp_pwa.models import CoachNote, User, utcnow

from .. import free_text, policy
from ..actor import Actor
from ..infra import audit, db, events

NOTE_MAX = 2000


@dataclass(frozen=True)
class NoteView:
    id: int
    author_name: str
    body: str
    created_at: datetime


def list_notes(actor: Actor, trainee_id: int) -> list[NoteView]:
    with db.reading() as s:
        policy.trainee(s, actor, policy.COACH_NOTES, trainee_id)
        rows = s.execute(
            select(CoachNote, User.display_name).join(User, User.id == CoachNote.author_id)
            .where(CoachNote.trainee_id == trainee_id).order_by(CoachNote.created_at.desc(), CoachNote.id.desc())
        ).all()
        return [NoteView(n.id, name, n.body, n.created_at) for n, name in rows]


def add_note(actor: Actor, trainee_id: int, body: str) -> NoteView:
    body = free_text.checked(body, NOTE_MAX, empty="note_empty", too_long="note_too_long")
    with db.unit_of_work() as s:
        policy.trainee(s, actor, policy.COACH_NOTES, trainee_id)
        note = CoachNote(trainee_id=trainee_id, author_id=actor.id, body=body, created_at=utcnow())
        s.add(note)
        s.flush()
        audit.record(s, actor, "coach_note_added", "trainee", trainee_id)
        # The trainee's coaches only: notes are never shown to the trainee or trainers.
        policy.tell(s, events.COACH_NOTE, trainee_id, actor_id=actor.id, id=note.id)
        return NoteView(note.id, actor.display_name, note.body, note.created_at)
