"""Mon passeport (issue 14, first slice): the skills a trainer has confirmed or adjusted, for the
trainee herself, on screen and as a PDF she downloads (documents/passport_pdf.py).

Only what a trainer validated goes in: per skill, the LATEST validation (the trainer's level,
its date, the trainer's name), and beside it her own latest self-assessed level, never merged.
Nothing else of her file: no goals, messages or notes, never her comments nor the trainer's
reasons. Labels in her language and in French. The PDF is made on demand and never stored; while
she has a share link (badges.py), it carries that link and its QR code, for an employer to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from cisp_pwa import i18n
from cisp_pwa.documents import passport_pdf as pdf_document
from cisp_pwa.i18n import localised
from cisp_pwa.models import (
    Centre, Enrolment, Pathway, Role, SelfAssessment, Skill, SkillArea, User, Validation, utcnow,
)

from .. import policy
from ..actor import Actor
from ..infra import db
from . import badges

FRENCH = i18n.DEFAULT_LOCALE


@dataclass(frozen=True)
class PassportSkill:
    id: int
    label: str          # in her language
    label_fr: str
    trainer_level: int  # the level of the latest validation
    decision: str       # confirmed | adjusted
    validated_on: date
    trainer_name: str
    self_level: int     # her own latest self-assessed level


@dataclass(frozen=True)
class PassportArea:
    id: int
    label: str
    label_fr: str
    skills: list[PassportSkill]


@dataclass(frozen=True)
class PassportPathway:
    id: int
    name: str
    name_fr: str
    current: bool
    areas: list[PassportArea]  # only the areas with a validated skill


@dataclass(frozen=True)
class Passport:
    trainee_name: str
    centre_name: str
    locale: str
    pathways: list[PassportPathway]  # her pathways, the current ones first

    @property
    def skills(self) -> list[PassportSkill]:
        return [k for p in self.pathways for a in p.areas for k in a.skills]


def passport_for(actor: Actor) -> Passport:
    """The trainee's own passport. Nobody else's: a coach, a trainer or an admin is refused."""
    policy.require_role(actor, Role.trainee)
    loc = actor.locale
    with db.reading() as s:
        me = s.get(User, actor.id)
        centre = s.get(Centre, me.centre_id)
        # Her latest self-assessment of each skill (later rows win), and the latest validation.
        own_level: dict[int, int] = {
            skill_id: level for skill_id, level in s.execute(
                select(SelfAssessment.skill_id, SelfAssessment.level)
                .where(SelfAssessment.trainee_id == actor.id)
                .order_by(SelfAssessment.created_at, SelfAssessment.id))
        }
        latest: dict[int, tuple[Validation, str]] = {
            skill_id: (v, name) for skill_id, v, name in s.execute(
                select(SelfAssessment.skill_id, Validation, User.display_name)
                .join(Validation, Validation.self_assessment_id == SelfAssessment.id)
                .join(User, User.id == Validation.trainer_id)
                .where(SelfAssessment.trainee_id == actor.id)
                .order_by(Validation.created_at, Validation.id))
        }
        skills = s.execute(
            select(Skill, SkillArea).join(SkillArea, SkillArea.id == Skill.area_id)
            .where(Skill.id.in_(latest)).order_by(SkillArea.position, Skill.position)
        ).all() if latest else []
        enrolments = s.execute(
            select(Enrolment.pathway_id, Enrolment.ended_on).where(Enrolment.trainee_id == actor.id)
            .order_by(Enrolment.ended_on.is_not(None), Enrolment.started_on.desc(), Enrolment.id.desc())
        ).all()
        pathway_ids: list[int] = []
        current: set[int] = set()
        for pathway_id, ended_on in enrolments:
            if ended_on is None:
                current.add(pathway_id)
            if pathway_id not in pathway_ids:
                pathway_ids.append(pathway_id)
        for _skill, area in skills:  # a validated skill of a pathway she is no longer enrolled in
            if area.pathway_id not in pathway_ids:
                pathway_ids.append(area.pathway_id)
        pathways = {p.id: p for p in s.scalars(select(Pathway).where(Pathway.id.in_(pathway_ids)))}

        areas: dict[int, PassportArea] = {}
        for skill, area in skills:
            validation, trainer_name = latest[skill.id]
            if area.id not in areas:
                areas[area.id] = PassportArea(area.id, localised(area.label, loc), localised(area.label, FRENCH), [])
            areas[area.id].skills.append(PassportSkill(
                skill.id, localised(skill.label, loc), localised(skill.label, FRENCH), validation.level,
                validation.decision.value, validation.created_at.date(), trainer_name, own_level[skill.id],
            ))
        area_pathway = {area.id: area.pathway_id for _skill, area in skills}
        return Passport(
            trainee_name=me.display_name,
            centre_name=centre.name if centre else "",
            locale=loc,
            pathways=[
                PassportPathway(
                    pid, localised(pathways[pid].name, loc), localised(pathways[pid].name, FRENCH), pid in current,
                    [a for a in areas.values() if area_pathway[a.id] == pid],
                )
                for pid in pathway_ids
            ],
        )


# --- the PDF ------------------------------------------------------------------------------------

def passport_filename() -> str:
    return f"cisp-parcours-passeport-{utcnow().date().isoformat()}.pdf"


def passport_pdf(actor: Actor, locale: str, skill_ids: list[int] | None = None) -> bytes:
    """Her passport as an A4 PDF (documents/passport_pdf.py), its labels in `locale` beside
    French. `skill_ids`: the validated skills she chose to put in (None: all); an id that is not
    one of her validated skills is left out. Raises pdf_document.FontMissing without its font."""
    locale = i18n.normalise(locale)
    passport = passport_for(actor)
    if locale != passport.locale:  # the labels of the data in the language asked for
        passport = passport_for(Actor(actor.id, actor.role, actor.centre_id, actor.display_name, locale))
    share = badges.my_share(actor)
    return pdf_document.build(passport, skill_ids, share.url if share is not None else None)
