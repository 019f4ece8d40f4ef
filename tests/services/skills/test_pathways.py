"""Pathway files: the shipped ones are complete; a broken one names file and field and
loads nothing; loading is idempotent."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from cisp_pwa import i18n
from cisp_pwa.models import Pathway, Skill
from cisp_pwa.services.errors import PathwayFileError
from cisp_pwa.services.infra import db, yaml_files
from cisp_pwa.services.skills import pathways

SHIPPED = pathways.shipped_files()


def test_at_least_four_pathways_two_of_each_kind():
    kinds = [pathways.parse_pathway_file(p).kind for p in SHIPPED]
    assert kinds.count("EFT") >= 2 and kinds.count("DEFI") >= 2


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_pathway_is_complete(path):
    spec = pathways.parse_pathway_file(path)
    assert 2 <= len(spec.areas) <= 4
    assert spec.skill_count >= 10
    for area in spec.areas:
        for skill in area.skills:
            assert set(skill.label) == set(i18n.LOCALES)
            assert skill.label["fr"].endswith(".")  # a short sentence: an observable behaviour


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _valid(code: str = "test-pathway") -> dict:
    def label() -> dict:
        return {loc: f"Texte {loc}" for loc in i18n.LOCALES}

    return {
        "code": code, "kind": "EFT", "name": label(), "description": label(),
        "areas": [{"code": "area-one", "label": label(),
                   "skills": [{"code": "skill-one", "label": label()},
                              {"code": "skill-two", "label": label()}]}],
    }


def _pathway_count() -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(Pathway.id)))


def test_a_missing_translation_names_file_and_field_and_loads_nothing(empty_db, tmp_path):
    good = _write(tmp_path, "good-one", _valid("good-one"))
    broken_data = _valid("broken-one")
    del broken_data["areas"][0]["skills"][1]["label"]["ar"]
    broken = _write(tmp_path, "broken-one", broken_data)
    with pytest.raises(PathwayFileError) as err:
        pathways.load_pathway_files([good, broken])
    assert err.value.details["file"] == "broken-one.yaml"
    assert err.value.details["field"] == "areas[0].skills[1].label"
    assert "ar" in err.value.details["message"]
    assert _pathway_count() == 0
    # Where, for a person: positions from 1, names, the field within; what, as a kind to word.
    details = err.value.details
    assert (details["area"], details["skill"], details["within"]) == (1, 2, "label")
    assert details["skill_names"]["fr"] == broken_data["areas"][0]["skills"][1]["label"]["fr"]
    assert details["problem"] == "translation_missing" and details["context"] == {"langs": "ar"}
    assert isinstance(details["line"], int)


def test_the_admin_reads_where_and_what_in_her_language(tmp_path):
    from cisp_pwa.state.file_errors import describe

    data = _valid("test-pathway")
    data["areas"][0]["skills"][1]["code"] = "Pas Un Code"
    with pytest.raises(PathwayFileError) as err:
        pathways.parse_pathway_file(_write(tmp_path, "test-pathway", data))
    said = describe(err.value.details, "fr")
    assert said.startswith("Ligne ") and "Domaine 1" in said and "Compétence 2" in said
    assert "champ « code »" in said and "minuscules" in said and "String should" not in said


@pytest.mark.parametrize("mutate,field", [
    (lambda d: d.update(kind="CDI"), "kind"),
    (lambda d: d["areas"][0]["skills"].append(copy.deepcopy(d["areas"][0]["skills"][0])), "areas[0].skills"),
    (lambda d: d["areas"][0].update(code="Not A Code"), "areas[0].code"),
    (lambda d: d.update(colour="red"), "colour"),
    (lambda d: d.update(areas=[]), "areas"),
    # Alignments: an ESCO skill concept URI, an SFMQ profile with at least one UAA code.
    (lambda d: d["areas"][0]["skills"][0].update(esco="https://example.org/not-esco"), "areas[0].skills[0].esco"),
    (lambda d: d["areas"][0]["skills"][0].update(sfmq={"profile": "P1", "uaa": []}), "areas[0].skills[0].sfmq.uaa"),
    (lambda d: d["areas"][0]["skills"][0].update(sfmq={"uaa": ["UAA1"]}), "areas[0].skills[0].sfmq.profile"),
])
def test_each_kind_of_mistake_is_named(empty_db, tmp_path, mutate, field):
    data = _valid()
    mutate(data)
    with pytest.raises(PathwayFileError) as err:
        pathways.load_pathway_files([_write(tmp_path, "test-pathway", data)])
    assert err.value.details["field"] == field
    assert _pathway_count() == 0


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad-yaml.yaml"
    path.write_text("code: bad-yaml\nkind: [EFT\n", encoding="utf-8")
    with pytest.raises(PathwayFileError) as err:
        pathways.parse_pathway_file(path)
    assert err.value.details["file"] == "bad-yaml.yaml"
    assert "line" in err.value.details["message"]


def test_code_must_match_the_file_name(tmp_path):
    with pytest.raises(PathwayFileError) as err:
        pathways.parse_pathway_file(_write(tmp_path, "other-name", _valid("test-pathway")))
    assert err.value.details["field"] == "code"


def test_loading_twice_changes_nothing_and_edits_are_applied(empty_db, tmp_path):
    first = pathways.load_pathway_files()
    assert (first.created, first.updated) == (len(SHIPPED), 0)
    with db.reading() as s:
        skills_before = s.scalar(select(func.count(Skill.id)))
    again = pathways.load_pathway_files()
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(SHIPPED))

    data = yaml.safe_load(SHIPPED[0].read_text(encoding="utf-8"))
    data["areas"][0]["skills"][0]["label"]["fr"] = "Un libellé revu."
    edited = pathways.load_pathway_files([_write(tmp_path, SHIPPED[0].stem, data)])
    assert (edited.created, edited.updated) == (0, 1)
    with db.reading() as s:
        assert s.scalar(select(func.count(Skill.id))) == skills_before
        labels = s.scalars(select(Skill.label)).all()
    assert any(label["fr"] == "Un libellé revu." for label in labels)


@pytest.mark.parametrize("text, why", [
    ("code: deep\nareas: " + "[" * 500 + "]" * 500, "nested too deep"),  # the parser would recurse 500 deep
    ("code: deep\nareas:\n" + "".join("  " * i + "- \n" for i in range(40)), "nested too deep"),
    ("code: bomb\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "anchors and aliases are not allowed"),
    ("code: big\nnote: " + "x" * (yaml_files.FILE_MAX + 1), "file too large"),
])
def test_a_file_made_to_exhaust_the_parser_is_refused_before_parsing(text, why):
    with pytest.raises(PathwayFileError) as err:
        pathways.parse_pathway_text(text, "attack.yaml")
    assert err.value.details["message"] == why


def test_the_shipped_pathways_pass_the_shape_bounds():
    for path in SHIPPED:
        assert pathways.parse_pathway_text(path.read_text(encoding="utf-8"), path.name).code == path.stem


ESCO_SORT_WASTE = "http://data.europa.eu/esco/skill/110d7aa3-e44e-4cce-a927-8d4de615f3d9"


def test_alignments_are_loaded_and_changed_like_the_rest(empty_db, tmp_path):
    data = _valid()
    data["areas"][0]["skills"][0].update(esco=ESCO_SORT_WASTE, sfmq={"profile": "P-123", "uaa": ["UAA1", "UAA2"]})
    pathways.load_pathway_files([_write(tmp_path, "test-pathway", data)])
    with db.reading() as s:
        first = s.scalar(select(Skill).order_by(Skill.id))
        assert (first.esco, first.sfmq) == (ESCO_SORT_WASTE, {"profile": "P-123", "uaa": ["UAA1", "UAA2"]})
    del data["areas"][0]["skills"][0]["esco"]
    report = pathways.load_pathway_files([_write(tmp_path, "test-pathway", data)])
    assert report.updated == 1
    with db.reading() as s:
        assert s.scalar(select(Skill).order_by(Skill.id)).esco == ""  # left unaligned


def test_the_shipped_pathways_carry_esco_concepts_only_where_given():
    aligned = {k.code: k.esco for path in pathways.shipped_files()
               for a in pathways.parse_pathway_file(path).areas for k in a.skills if k.esco}
    assert aligned["trier-dechets"] == ESCO_SORT_WASTE
    assert "recopier" not in aligned and "etiqueter-date" not in aligned  # no concept truly matches


def test_a_wrong_alignment_is_said_in_the_admins_words(tmp_path):
    from cisp_pwa.state.file_errors import describe

    data = _valid()
    data["areas"][0]["skills"][0]["esco"] = "https://esco.example/skill"
    with pytest.raises(PathwayFileError) as err:
        pathways.parse_pathway_file(_write(tmp_path, "test-pathway", data))
    assert err.value.details["problem"] == "esco_uri_invalid"
    assert "compétence ESCO" in describe(err.value.details, "fr")
    data["areas"][0]["skills"][0].update(esco=ESCO_SORT_WASTE, sfmq={"profile": "P 1!", "uaa": ["UAA1"]})
    with pytest.raises(PathwayFileError) as err:
        pathways.parse_pathway_file(_write(tmp_path, "test-pathway", data))
    assert err.value.details["problem"] == "sfmq_code_invalid" and "SFMQ" in describe(err.value.details, "fr")
