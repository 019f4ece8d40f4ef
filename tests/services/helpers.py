"""Look-ups for service tests: the actor of a demo login, ids by code."""

from __future__ import annotations

from sqlalchemy import select

from cisp_pwa.models import Pathway, Skill, SkillArea, User
from cisp_pwa.services import db
from cisp_pwa.services.actor import Actor


def actor(login: str) -> Actor:
    with db.reading() as s:
        return Actor.of(s.scalar(select(User).where(User.login == login)))


def user_id(login: str) -> int:
    return actor(login).id


def skill_ids(pathway_code: str) -> list[int]:
    with db.reading() as s:
        return list(s.scalars(
            select(Skill.id).join(SkillArea, SkillArea.id == Skill.area_id)
            .join(Pathway, Pathway.id == SkillArea.pathway_id)
            .where(Pathway.code == pathway_code).order_by(SkillArea.position, Skill.position)
        ))
