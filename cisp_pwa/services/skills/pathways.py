"""The shared referentials: pathway files (YAML) validated by pydantic, loaded idempotently.

A broken file gives an error that names the file and the field, and nothing is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa import settings
from cisp_pwa.models import Pathway, PathwayKind, Skill, SkillArea

from .. import policy
from ..actor import Actor
from ..errors import PathwayFileError
from ..infra import audit, db, events, yaml_files
from ..infra.yaml_files import Code, LoadReport, Strict, check_translations, no_duplicates

SHIPPED_DIR = settings.PACKAGE_DIR / "pathways"

# An ESCO skill concept (https://esco.ec.europa.eu), by its persistent URI; an SFMQ code.
ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SFMQ_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")


def _esco(value: str) -> str:
    if not ESCO_URI.match(value):  # typed: the admin's screen says what an ESCO URI looks like
        raise PydanticCustomError("esco_uri_invalid", "not an ESCO skill concept URI")
    return value


def _sfmq(value: str) -> str:
    if not SFMQ_CODE.match(value):
        raise PydanticCustomError("sfmq_code_invalid", "not an SFMQ code")
    return value


EscoUri = Annotated[str, AfterValidator(_esco)]
SfmqCode = Annotated[str, AfterValidator(_sfmq)]


class SfmqSpec(Strict):
    """The SFMQ training profile a skill belongs to, and its learning units (UAA)."""

    profile: SfmqCode
    uaa: list[SfmqCode] = Field(min_length=1, max_length=10)


class SkillSpec(Strict):
    code: Code
    label: dict[str, Annotated[str, StringConstraints(max_length=200)]]
    # Optional alignments, given only where they truly match (an employer's tools read them).
    esco: EscoUri | None = None
    sfmq: SfmqSpec | None = None

    _labels = field_validator("label")(check_translations)


class AreaSpec(Strict):
    code: Code
    label: dict[str, Annotated[str, StringConstraints(max_length=120)]]
    skills: list[SkillSpec] = Field(min_length=1)

    _labels = field_validator("label")(check_translations)

    @field_validator("skills")
    @classmethod
    def _unique_skills(cls, skills: list[SkillSpec]) -> list[SkillSpec]:
        no_duplicates([s.code for s in skills])
        return skills


class PathwaySpec(Strict):
    code: Code
    kind: Literal["EFT", "DEFI"]
    name: dict[str, Annotated[str, StringConstraints(max_length=120)]]
    description: dict[str, Annotated[str, StringConstraints(max_length=600)]]
    areas: list[AreaSpec] = Field(min_length=1, max_length=10)

    _texts = field_validator("name", "description")(check_translations)

    @field_validator("areas")
    @classmethod
    def _unique_areas(cls, areas: list[AreaSpec]) -> list[AreaSpec]:
        no_duplicates([a.code for a in areas])
        return areas

    @property
    def skill_count(self) -> int:
        return sum(len(a.skills) for a in self.areas)


def parse_pathway_text(text: str, source: str) -> PathwaySpec:
    """A pathway file checked (services/infra/yaml_files.py); an error names the area and skill."""
    return yaml_files.parse(text, source, PathwaySpec, PathwayFileError, nested=("area", "skill"))


def parse_pathway_file(path: Path) -> PathwaySpec:
    spec = parse_pathway_text(path.read_text(encoding="utf-8"), path.name)
    if spec.code != path.stem:
        raise PathwayFileError(file=path.name, field="code", message="must match the file name",
                               problem="code_not_file_name")
    return spec


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def _upsert(s: Session, spec: PathwaySpec) -> str:
    """Create or bring up to date one pathway. Returns 'created', 'updated' or 'unchanged'."""
    pathway = s.scalar(select(Pathway).where(Pathway.code == spec.code))
    outcome = "unchanged"
    if pathway is None:
        pathway = Pathway(code=spec.code, kind=PathwayKind(spec.kind), name={}, description={})
        s.add(pathway)
        s.flush()
        outcome = "created"
    elif (pathway.kind.value, pathway.name, pathway.description) != (
        spec.kind, spec.name, spec.description
    ):
        outcome = "updated"
    pathway.kind, pathway.name, pathway.description = PathwayKind(spec.kind), spec.name, spec.description

    areas = {a.code: a for a in s.scalars(select(SkillArea).where(SkillArea.pathway_id == pathway.id))}
    for position, area_spec in enumerate(spec.areas):
        area = areas.get(area_spec.code)
        if area is None:
            area = SkillArea(pathway_id=pathway.id, code=area_spec.code, position=position, label={})
            s.add(area)
            s.flush()
            outcome = "created" if outcome == "created" else "updated"
        elif (area.position, area.label) != (position, area_spec.label):
            outcome = "created" if outcome == "created" else "updated"
        area.position, area.label = position, area_spec.label
        skills = {k.code: k for k in s.scalars(select(Skill).where(Skill.area_id == area.id))}
        for skill_position, skill_spec in enumerate(area_spec.skills):
            skill = skills.get(skill_spec.code)
            esco = skill_spec.esco or ""
            sfmq = skill_spec.sfmq.model_dump() if skill_spec.sfmq else {}
            if skill is None:
                s.add(Skill(area_id=area.id, code=skill_spec.code, position=skill_position,
                            label=skill_spec.label, esco=esco, sfmq=sfmq))
                outcome = "created" if outcome == "created" else "updated"
            elif (skill.position, skill.label, skill.esco, skill.sfmq) != (skill_position, skill_spec.label, esco, sfmq):
                skill.position, skill.label, skill.esco, skill.sfmq = skill_position, skill_spec.label, esco, sfmq
                outcome = "created" if outcome == "created" else "updated"
    return outcome


def load_pathway_specs(specs: list[PathwaySpec], actor: Actor | None = None) -> LoadReport:
    """Load in one transaction; `actor`: the admin who imported them (audited)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with db.unit_of_work() as s:
        for spec in specs:
            outcome = _upsert(s, spec)
            counts[outcome] += 1
            pathway_id = s.scalar(select(Pathway.id).where(Pathway.code == spec.code))
            if actor is not None:
                audit.record(s, actor, "pathway_imported", "pathway", pathway_id)
            if outcome == "updated":  # a new pathway is on nobody's screen yet
                events.publish(s, events.PATHWAY, policy.pathway_audience(s, pathway_id),
                               actor_id=actor.id if actor else 0, id=pathway_id)
        if not events.announced(s):
            events.nobody(s)
    return LoadReport(**counts)


def load_pathway_files(paths: list[Path] | None = None) -> LoadReport:
    """Validate every file first, then load them all in one transaction: all or nothing."""
    specs = [parse_pathway_file(p) for p in (paths if paths is not None else shipped_files())]
    return load_pathway_specs(specs)
