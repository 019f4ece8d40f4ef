"""Self-assessment of the pathway's skills. The trainee's own view is never overwritten: each
assessment is a new row, and a trainer's validation is a second, separate record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from cisp_pwa.i18n import localised
from cisp_pwa.models import (
    Enrolment, Level, Pathway, Role, SelfAssessment, Skill, SkillArea, User, Validation, utcnow,
)

from .. import free_text, policy
from ..actor import Actor
from ..conversations.messages import CLIENT_ID
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events

COMMENT_MAX = 500
LEVELS = tuple(level.value for level in Level)

# The state of a skill, from its latest self-assessment.
TO_ASSESS, PENDING, VALIDATED, ADJUSTED = "to_assess", "pending", "validated", "adjusted"


@dataclass(frozen=True)
class SkillView:
    id: int
    label: str
    state: str
    self_level: int | None       # the trainee's latest own level
    trainer_level: int | None    # the trainer's level on that latest assessment
    reason: str                  # the trainer's reason, when adjusted
    assessed_at: datetime | None


@dataclass(frozen=True)
class AreaView:
    id: int
    label: str
    skills: list[SkillView]


@dataclass(frozen=True)
class PathwaySkills:
    pathway_name: str
    areas: list[AreaView]


@dataclass(frozen=True)
class HistoryEntry:
    assessment_id: int
    created_at: datetime
    level: int
    comment: str
    decision: str | None  # confirmed | adjusted | None while waiting
    trainer_level: int | None
    reason: str
    trainer_name: str
    decided_at: datetime | None


def _current_pathway_id(s: Session, trainee_id: int) -> int | None:
    return s.scalar(
        select(Enrolment.pathway_id)
        .where(Enrolment.trainee_id == trainee_id, Enrolment.ended_on.is_(None))
        .order_by(Enrolment.started_on.desc(), Enrolment.id.desc())
        .limit(1)
    )


def _latest_by_skill(s: Session, trainee_id: int) -> dict[int, tuple[SelfAssessment, Validation | None]]:
    rows = s.execute(
        select(SelfAssessment, Validation)
        .outerjoin(Validation, Validation.self_assessment_id == SelfAssessment.id)
        .where(SelfAssessment.trainee_id == trainee_id)
        .order_by(SelfAssessment.created_at, SelfAssessment.id)
    ).all()
    return {a.skill_id: (a, v) for a, v in rows}  # later rows win


def _skill_view(skill: Skill, locale: str, latest: tuple[SelfAssessment, Validation | None] | None) -> SkillView:
    label = localised(skill.label, locale)
    if latest is None:
        return SkillView(skill.id, label, TO_ASSESS, None, None, "", None)
    assessment, validation = latest
    if validation is None:
        state = PENDING
    else:
        state = VALIDATED if validation.decision.value == "confirmed" else ADJUSTED
    return SkillView(
        skill.id, label, state, assessment.level,
        validation.level if validation else None,
        validation.reason if validation and state == ADJUSTED else "",
        assessment.created_at,
    )


def skills_overview(actor: Actor, trainee_id: int) -> PathwaySkills | None:
    """The skills of the trainee's current pathway, by area, each with its state."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.SKILLS, trainee_id)
        pathway_id = _current_pathway_id(s, trainee_id)
        if pathway_id is None:
            return None
        pathway = s.get(Pathway, pathway_id)
        latest = _latest_by_skill(s, trainee_id)
        areas = []
        for area in s.scalars(select(SkillArea).where(SkillArea.pathway_id == pathway_id)
                              .order_by(SkillArea.position)):
            skills = s.scalars(select(Skill).where(Skill.area_id == area.id, Skill.retired_at.is_(None))
                               .order_by(Skill.position)).all()
            areas.append(AreaView(area.id, localised(area.label, actor.locale),
                                  [_skill_view(k, actor.locale, latest.get(k.id)) for k in skills]))
        return PathwaySkills(localised(pathway.name, actor.locale), areas)


def _skill_of_own_pathway(s: Session, trainee_id: int, skill_id: int) -> Skill:
    skill = s.get(Skill, skill_id)
    if skill is None or skill.retired_at is not None:
        raise AccessDenied()
    area = s.get(SkillArea, skill.area_id)
    if area is None or area.pathway_id != _current_pathway_id(s, trainee_id):
        raise AccessDenied()
    return skill


def self_assess(actor: Actor, skill_id: int, level: int, comment: str = "",
                client_id: str | None = None) -> SkillView:
    """A new self-assessment of one skill of the trainee's own pathway; the history stays.

    `client_id` is the id the phone gave an assessment made offline: the same id sent again
    (the network came back twice) returns the assessment already kept."""
    policy.require_role(actor, Role.trainee)
    if level not in LEVELS:
        raise InvalidInput("level_unknown")
    comment = free_text.checked(comment, COMMENT_MAX, too_long="comment_too_long")
    if client_id is not None and not CLIENT_ID.match(client_id):
        raise InvalidInput("client_id_invalid")
    with db.unit_of_work() as s:
        skill = _skill_of_own_pathway(s, actor.id, skill_id)
        same = (select(SelfAssessment)
                .where(SelfAssessment.trainee_id == actor.id, SelfAssessment.client_id == client_id))
        assessment = s.scalar(same) if client_id else None
        if assessment is None:
            try:
                with s.begin_nested():
                    assessment = SelfAssessment(trainee_id=actor.id, skill_id=skill.id, level=level,
                                                comment=comment, client_id=client_id, created_at=utcnow())
                    s.add(assessment)
            except IntegrityError:  # the same draft, arrived twice at the same moment
                assessment = s.scalar(same)
            else:
                audit.record(s, actor, "self_assessed", "self_assessment", assessment.id)
                # Her own screens, her coaches' file, her trainers' queues.
                policy.tell(s, events.ASSESSMENT, actor.id, actor_id=actor.id, id=assessment.id)
        if assessment.skill_id != skill.id:
            raise InvalidInput("client_id_reused")
        if not events.announced(s):  # the same draft again: nothing new
            events.nobody(s)
        validation = s.scalar(select(Validation).where(Validation.self_assessment_id == assessment.id))
        return _skill_view(skill, actor.locale, (assessment, validation))


def skill_history(actor: Actor, trainee_id: int, skill_id: int) -> list[HistoryEntry]:
    """Every self-assessment of one skill, newest first, with the trainer's answers."""
    trainer = aliased(User)
    with db.reading() as s:
        policy.trainee(s, actor, policy.SKILLS, trainee_id)
        rows = s.execute(
            select(SelfAssessment, Validation, trainer.display_name)
            .outerjoin(Validation, Validation.self_assessment_id == SelfAssessment.id)
            .outerjoin(trainer, trainer.id == Validation.trainer_id)
            .where(SelfAssessment.trainee_id == trainee_id, SelfAssessment.skill_id == skill_id)
            .order_by(SelfAssessment.created_at.desc(), SelfAssessment.id.desc())
        ).all()
        return [
            HistoryEntry(
                a.id, a.created_at, a.level, a.comment,
                v.decision.value if v else None, v.level if v else None,
                v.reason if v else "", name or "", v.created_at if v else None,
            )
            for a, v, name in rows
        ]
