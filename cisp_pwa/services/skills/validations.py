"""Trainers' answers to self-assessments: confirm in one tap, or adjust with a reason.

A validation is a second, separate record: the trainee's own level is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from cisp_pwa.i18n import localised
from cisp_pwa.models import (
    Decision, Enrolment, Pathway, Role, SelfAssessment, Skill, SkillArea, User,
    Validation, utcnow,
)

from .. import free_text, policy
from ..credentials import badges
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events, push
from .assessments import LEVELS

REASON_MAX = 500


@dataclass(frozen=True)
class EarlierAnswer:
    created_at: datetime
    level: int
    decision: str | None
    trainer_level: int | None


@dataclass(frozen=True)
class QueueItem:
    id: int
    trainee_id: int
    trainee_name: str
    pathway_id: int
    pathway_name: str
    area_label: str
    skill_label: str
    level: int
    comment: str
    created_at: datetime
    earlier: list[EarlierAnswer]


def _assessment_for(s: Session, actor, assessment_id: int) -> SelfAssessment:
    """A self-assessment of a trainee assigned to this trainer, in their centre."""
    policy.require_role(actor, Role.trainer)
    row = s.execute(
        select(SelfAssessment)
        .where(SelfAssessment.id == assessment_id,
               SelfAssessment.trainee_id.in_(policy.visible_trainees(actor, policy.SKILLS, acting=True)))
    ).scalar_one_or_none()
    if row is None:
        raise AccessDenied()
    return row


def queue(actor, pathway_id: int | None = None, trainee_id: int | None = None) -> list[QueueItem]:
    """Pending self-assessments of the trainer's trainees, oldest first, optionally filtered."""
    policy.require_role(actor, Role.trainer)
    trainee = aliased(User)
    with db.reading() as s:
        query = (
            select(SelfAssessment, trainee, Skill, SkillArea, Pathway)
            .join(trainee, trainee.id == SelfAssessment.trainee_id)
            .join(Skill, Skill.id == SelfAssessment.skill_id)
            .join(SkillArea, SkillArea.id == Skill.area_id)
            .join(Pathway, Pathway.id == SkillArea.pathway_id)
            .outerjoin(Validation, Validation.self_assessment_id == SelfAssessment.id)
            .where(Validation.id.is_(None), trainee.id.in_(policy.visible_trainees(actor, policy.SKILLS, acting=True)))
            .order_by(SelfAssessment.created_at, SelfAssessment.id)
        )
        if pathway_id:
            query = query.where(Pathway.id == pathway_id)
        if trainee_id:
            query = query.where(trainee.id == trainee_id)
        items = []
        for a, t, skill, area, p in s.execute(query).all():
            earlier = s.execute(
                select(SelfAssessment, Validation)
                .outerjoin(Validation, Validation.self_assessment_id == SelfAssessment.id)
                .where(SelfAssessment.trainee_id == t.id, SelfAssessment.skill_id == skill.id,
                       SelfAssessment.id != a.id, SelfAssessment.created_at <= a.created_at)
                .order_by(SelfAssessment.created_at.desc())
            ).all()
            items.append(QueueItem(
                a.id, t.id, t.display_name, p.id, localised(p.name, actor.locale),
                localised(area.label, actor.locale), localised(skill.label, actor.locale),
                a.level, a.comment, a.created_at,
                [EarlierAnswer(e.created_at, e.level, v.decision.value if v else None, v.level if v else None)
                 for e, v in earlier],
            ))
        return items


def _decide(s: Session, actor, assessment: SelfAssessment, decision: Decision, level: int, reason: str) -> None:
    if s.scalar(select(Validation.id).where(Validation.self_assessment_id == assessment.id)) is not None:
        raise InvalidInput("already_answered")
    validation = Validation(self_assessment_id=assessment.id, trainer_id=actor.id, decision=decision,
                            level=level, reason=reason, created_at=utcnow())
    s.add(validation)
    s.flush()
    audit.record(s, actor, f"assessment_{decision.value}", "self_assessment", assessment.id)
    badges.after_validation(s, actor, assessment.trainee_id, assessment.skill_id)  # a newer answer
    # The trainee (and a push: "Une compétence a été validée"), her coaches, and her trainers,
    # whose queues lose the item.
    policy.tell(s, events.VALIDATION, assessment.trainee_id, actor_id=actor.id, id=assessment.id,
                push=push.VALIDATION)


def confirm(actor, assessment_id: int) -> None:
    """The trainer agrees with the trainee's own level."""
    with db.unit_of_work() as s:
        assessment = _assessment_for(s, actor, assessment_id)
        _decide(s, actor, assessment, Decision.confirmed, assessment.level, "")


def adjust(actor, assessment_id: int, level: int, reason: str) -> None:
    """Another level than the trainee's: a reason is required, in plain words."""
    if level not in LEVELS:
        raise InvalidInput("level_unknown")
    reason = free_text.checked(reason, REASON_MAX, empty="reason_required", too_long="reason_too_long")
    with db.unit_of_work() as s:
        assessment = _assessment_for(s, actor, assessment_id)
        if level == assessment.level:
            raise InvalidInput("same_level")
        _decide(s, actor, assessment, Decision.adjusted, level, reason)


def bulk_confirm(actor, assessment_ids: list[int]) -> int:
    """Confirm a selection, all or nothing: one id out of reach and nothing is confirmed."""
    ids = sorted(set(assessment_ids))
    if not ids:
        return 0
    with db.unit_of_work() as s:
        assessments = [_assessment_for(s, actor, i) for i in ids]
        for assessment in assessments:
            _decide(s, actor, assessment, Decision.confirmed, assessment.level, "")
    return len(assessments)


def trainer_filters(actor) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The pathways and trainees the trainer may filter the queue by."""
    policy.require_role(actor, Role.trainer)
    with db.reading() as s:
        trainees = s.execute(
            select(User.id, User.display_name)
            .where(User.id.in_(policy.visible_trainees(actor, policy.SKILLS, acting=True)))
            .order_by(User.display_name)
        ).all()
        pathways = s.scalars(
            select(Pathway).where(Pathway.id.in_(
                select(Enrolment.pathway_id).where(Enrolment.trainee_id.in_([t[0] for t in trainees]),
                                                   Enrolment.ended_on.is_(None))
            )).order_by(Pathway.code)
        ).all()
        return ([(p.id, localised(p.name, actor.locale)) for p in pathways],
                [(t[0], t[1]) for t in trainees])
