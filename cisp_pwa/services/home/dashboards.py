"""What each role sees first after signing in. Plain DTOs, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cisp_pwa.i18n import localised
from cisp_pwa.models import (
    Enrolment, Goal, GoalStatus, Pathway, Role, SelfAssessment, Skill,
    SkillArea, User, Validation,
)

from .. import policy
from ..actor import Actor
from ..conversations import messages
from ..infra import db
from ..people import consent


@dataclass(frozen=True)
class PathwayProgress:
    pathway_id: int
    name: str
    kind: str
    skills_total: int
    skills_validated: int


@dataclass(frozen=True)
class GoalItem:
    id: int
    title: str
    theme: str
    status: str
    target_date: date | None


@dataclass(frozen=True)
class TraineeHome:
    display_name: str
    pathway: PathwayProgress | None
    goals: list[GoalItem]
    skills_to_assess: int
    unread_messages: int


def _current_pathway(s: Session, trainee_id: int) -> Pathway | None:
    return s.scalar(
        select(Pathway)
        .join(Enrolment, Enrolment.pathway_id == Pathway.id)
        .where(Enrolment.trainee_id == trainee_id, Enrolment.ended_on.is_(None))
        .order_by(Enrolment.started_on.desc())
        .limit(1)
    )


def _pathway_progress(s: Session, trainee_id: int, pathway: Pathway, locale: str) -> tuple[PathwayProgress, int]:
    live_skills = (
        select(Skill.id)
        .join(SkillArea, SkillArea.id == Skill.area_id)
        .where(SkillArea.pathway_id == pathway.id, Skill.retired_at.is_(None))
    )
    total = s.scalar(select(func.count()).select_from(live_skills.subquery())) or 0
    assessed = s.scalar(
        select(func.count(func.distinct(SelfAssessment.skill_id))).where(
            SelfAssessment.trainee_id == trainee_id, SelfAssessment.skill_id.in_(live_skills)
        )
    ) or 0
    validated = s.scalar(
        select(func.count(func.distinct(SelfAssessment.skill_id)))
        .join(Validation, Validation.self_assessment_id == SelfAssessment.id)
        .where(SelfAssessment.trainee_id == trainee_id, SelfAssessment.skill_id.in_(live_skills))
    ) or 0
    progress = PathwayProgress(
        pathway.id, localised(pathway.name, locale), pathway.kind.value, total, validated
    )
    return progress, total - assessed


def trainee_home(actor: Actor) -> TraineeHome:
    policy.require_role(actor, Role.trainee)
    with db.reading() as s:
        pathway = _current_pathway(s, actor.id)
        progress, to_assess = (None, 0)
        if pathway is not None:
            progress, to_assess = _pathway_progress(s, actor.id, pathway, actor.locale)
        goals = s.scalars(
            select(Goal)
            .where(Goal.trainee_id == actor.id,
                   Goal.status.in_([GoalStatus.proposed, GoalStatus.in_progress]))
            .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.id)
        ).all()
        return TraineeHome(
            display_name=actor.display_name,
            pathway=progress,
            goals=[GoalItem(g.id, g.title, g.theme.value, g.status.value, g.target_date) for g in goals],
            skills_to_assess=to_assess,
            unread_messages=messages.unread_in(s, actor.id, actor.id),
        )


@dataclass(frozen=True)
class TraineeSummary:
    id: int
    display_name: str
    pathway_name: str
    goals_in_progress: int
    goals_proposed: int
    unread_messages: int
    terms_withdrawn: bool = False  # she took back her yes: the app is paused for her (services/people/consent.py)


def coach_trainees(actor: Actor) -> list[TraineeSummary]:
    """The trainees this coach supports, in their centre, by name."""
    policy.require_role(actor, Role.coach)
    with db.reading() as s:
        trainees = s.scalars(
            select(User).where(User.id.in_(policy.visible_trainees(actor, policy.FILE)))
            .order_by(User.display_name)
        ).all()
        ids = [t.id for t in trainees]
        goal_counts: dict[tuple[int, GoalStatus], int] = {
            (trainee_id, status): n
            for trainee_id, status, n in s.execute(
                select(Goal.trainee_id, Goal.status, func.count())
                .where(Goal.trainee_id.in_(ids))
                .group_by(Goal.trainee_id, Goal.status)
            )
        }
        withdrawn = consent.withdrawn(s, ids)
        summaries = []
        for t in trainees:
            pathway = _current_pathway(s, t.id)
            summaries.append(TraineeSummary(
                t.id, t.display_name, localised(pathway.name, actor.locale) if pathway else "",
                goal_counts.get((t.id, GoalStatus.in_progress), 0),
                goal_counts.get((t.id, GoalStatus.proposed), 0),
                messages.unread_in(s, actor.id, t.id),
                t.id in withdrawn,
            ))
        return summaries


@dataclass(frozen=True)
class AccountItem:
    id: int
    display_name: str
    login: str
    role: str
    is_active: bool
    anonymised: bool = False  # erased by the centre (services/records/privacy.py)
    # Staff whose enrolment link is not used yet: no password (services/people/enrolment.py).
    waiting_link: bool = False


@dataclass(frozen=True)
class PathwayItem:
    id: int
    code: str
    name: str
    kind: str
    skills: int
    enrolled: int


@dataclass(frozen=True)
class CentreOverview:
    centre_name: str
    accounts: list[AccountItem]
    pathways: list[PathwayItem]


def admin_overview(actor: Actor) -> CentreOverview:
    """The admin's own centre: its accounts, and the shared pathways with this centre's enrolments."""
    policy.require_role(actor, Role.admin)
    from cisp_pwa.models import Centre

    with db.reading() as s:
        centre = s.get(Centre, actor.centre_id)
        users = s.scalars(
            select(User).where(User.centre_id == actor.centre_id).order_by(User.role, User.display_name)
        ).all()
        skill_counts = dict(s.execute(
            select(SkillArea.pathway_id, func.count(Skill.id))
            .join(Skill, Skill.area_id == SkillArea.id)
            .where(Skill.retired_at.is_(None))
            .group_by(SkillArea.pathway_id)
        ).all())
        enrolled = dict(s.execute(
            select(Enrolment.pathway_id, func.count(Enrolment.id))
            .join(User, User.id == Enrolment.trainee_id)
            .where(User.centre_id == actor.centre_id, Enrolment.ended_on.is_(None))
            .group_by(Enrolment.pathway_id)
        ).all())
        pathways = s.scalars(select(Pathway).order_by(Pathway.kind, Pathway.code)).all()
        return CentreOverview(
            centre_name=centre.name if centre else "",
            accounts=[AccountItem(u.id, u.display_name, u.login, u.role.value, u.is_active, u.anonymised_at is not None,
                                  u.role != Role.trainee and u.password_hash is None and u.anonymised_at is None)
                      for u in users],
            pathways=[
                PathwayItem(p.id, p.code, localised(p.name, actor.locale), p.kind.value,
                            skill_counts.get(p.id, 0), enrolled.get(p.id, 0))
                for p in pathways
            ],
        )
