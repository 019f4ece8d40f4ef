"""The shared referentials, managed by centre admins: import a file (validated: a bad file
names the line and the field and changes nothing), export one, edit labels and their
translations, retire a skill without losing the assessments that used it."""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from sqlalchemy import select

from cisp_pwa import i18n
from cisp_pwa.models import Pathway, Role, Skill, SkillArea, utcnow

from .. import free_text, policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events
from . import pathways

LABEL_MAX = 200
FILE_MAX_BYTES = 256 * 1024


def import_pathway(actor: Actor, text: str, filename: str) -> pathways.LoadReport:
    policy.require_role(actor, Role.admin)
    if len(text.encode("utf-8")) > FILE_MAX_BYTES:
        raise InvalidInput("file_too_big")
    spec = pathways.parse_pathway_text(text, filename)  # PathwayFileError names line and field
    return pathways.load_pathway_specs([spec], actor)


def export_pathway(actor: Actor, pathway_id: int) -> tuple[str, str]:
    """(file name, YAML text) in the same format the import reads; retired skills left out."""
    policy.require_role(actor, Role.admin)
    with db.reading() as s:
        pathway = s.get(Pathway, pathway_id)
        if pathway is None:
            raise AccessDenied()
        areas = []
        for area in s.scalars(select(SkillArea).where(SkillArea.pathway_id == pathway.id).order_by(SkillArea.position)):
            skills = s.scalars(select(Skill).where(Skill.area_id == area.id, Skill.retired_at.is_(None))
                               .order_by(Skill.position)).all()
            areas.append({"code": area.code, "label": dict(area.label),
                          "skills": [_skill_entry(k) for k in skills]})
        data = {"code": pathway.code, "kind": pathway.kind.value, "name": dict(pathway.name),
                "description": dict(pathway.description), "areas": areas}
        return f"{pathway.code}.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


_KINDS = {"pathway": Pathway, "area": SkillArea, "skill": Skill}


def _skill_entry(skill) -> dict:
    """A skill as the pathway file writes it: its alignments only when it has them."""
    entry = {"code": skill.code, "label": dict(skill.label)}
    if skill.esco:
        entry["esco"] = skill.esco
    if skill.sfmq:
        entry["sfmq"] = dict(skill.sfmq)
    return entry


def set_label(actor: Actor, kind: str, item_id: int, locale: str, text: str) -> None:
    """Change one translation of a pathway's name, an area's label or a skill's label."""
    policy.require_role(actor, Role.admin)
    if kind not in _KINDS:
        raise InvalidInput("kind_unknown")
    if locale not in i18n.LOCALES:
        raise InvalidInput("unknown_locale")
    text = free_text.checked(text, LABEL_MAX, empty="label_empty", too_long="label_too_long", one_line=True)
    with db.unit_of_work() as s:
        item = s.get(_KINDS[kind], item_id)
        if item is None:
            raise AccessDenied()
        field = "name" if kind == "pathway" else "label"
        setattr(item, field, {**getattr(item, field), locale: text})
        audit.record(s, actor, "label_changed", kind, item_id)
        _tell(s, actor, _pathway_of(s, kind, item))


def set_retired(actor: Actor, skill_id: int, retired: bool) -> None:
    """A retired skill is no longer offered; the assessments that used it stay."""
    policy.require_role(actor, Role.admin)
    with db.unit_of_work() as s:
        skill = s.get(Skill, skill_id)
        if skill is None:
            raise AccessDenied()
        skill.retired_at = utcnow() if retired else None
        audit.record(s, actor, "skill_retired" if retired else "skill_restored", "skill", skill_id)
        _tell(s, actor, _pathway_of(s, "skill", skill))


def _pathway_of(s, kind: str, item) -> int:
    if kind == "pathway":
        return item.id
    area = item if kind == "area" else s.get(SkillArea, item.area_id)
    return area.pathway_id


def _tell(s, actor: Actor, pathway_id: int) -> None:
    """Every screen that shows the pathway: its trainees, their staff, the admins."""
    events.publish(s, events.PATHWAY, policy.pathway_audience(s, pathway_id, actor.centre_id),
                   actor_id=actor.id, id=pathway_id)


@dataclass(frozen=True)
class EditorItem:
    kind: str              # pathway | area | skill
    id: int
    labels: dict[str, str]
    retired: bool


def editor_items(actor: Actor, pathway_id: int) -> list[EditorItem]:
    """Every label of a pathway, in order, retired skills included (so they can come back)."""
    policy.require_role(actor, Role.admin)
    with db.reading() as s:
        pathway = s.get(Pathway, pathway_id)
        if pathway is None:
            raise AccessDenied()
        items = [EditorItem("pathway", pathway.id, dict(pathway.name), False)]
        for area in s.scalars(select(SkillArea).where(SkillArea.pathway_id == pathway.id).order_by(SkillArea.position)):
            items.append(EditorItem("area", area.id, dict(area.label), False))
            for skill in s.scalars(select(Skill).where(Skill.area_id == area.id).order_by(Skill.position)):
                items.append(EditorItem("skill", skill.id, dict(skill.label), skill.retired_at is not None))
        return items
