"""The directory of help: shared by a region's centres, each choosing its own; admins create,
edit, retire, import (checked: line, service and field named, nothing half done) and export."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from pydantic import ValidationError
import yaml
from sqlalchemy import func, select

from cisp_pwa import i18n
from cisp_pwa.models import AuditEvent, Centre, PartnerService
from cisp_pwa.services.errors import AccessDenied, InvalidInput, PartnerFileError
from cisp_pwa.services.help import partners
from cisp_pwa.services.infra import db
from cisp_pwa.state.file_errors import PARTNERS, describe

from ..helpers import actor


def _count() -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(PartnerService.id)))


def _form(**changes) -> dict:
    values = {"code": "aide-logement-bis", "name": "Logement pour tous", "category": "housing",
              "description": {"fr": "Trouver un logement."}, "address": "Rue Haute 1, 5000 Namur",
              "phone": "081 00 00 01", "email": "", "website": "", "hours": "mo-fr 09:00-12:00",
              "languages": ["fr", "ar"], "bring": ["id_card"], "access": ["walk_in"], "cost": "free"}
    return {**values, **changes}


def test_each_centre_sees_the_network_it_chose_in_the_readers_language(demo_db):
    namur = partners.directory(actor("amina"))
    liege = partners.directory(actor("youssef"))
    assert {v.category for v in namur} >= {"housing", "cpas", "debts", "mental_health", "food"}
    assert not {v.id for v in namur} & {v.id for v in liege}  # each its region's
    housing = next(v for v in liege if v.category == "housing")
    assert housing.description.startswith("مساعدة")  # youssef reads Arabic
    assert housing.hours_lines and housing.phone and housing.address
    assert "arabe" in [name.lower() for name in next(v for v in namur if v.category == "housing").languages]
    # Tiles come in their fixed order: housing first.
    assert [v.category for v in namur][0] == "housing"


def test_a_centre_leaves_a_service_and_its_people_no_longer_see_it(demo_db):
    sophie = actor("sophie")
    service = next(v for v in partners.directory(sophie) if v.category == "food")
    partners.set_chosen(sophie, service.id, False)
    assert service.id not in {v.id for v in partners.directory(actor("amina"))}
    listed = next(v for v in partners.region_services(sophie) if v.id == service.id)
    assert not listed.chosen
    partners.set_chosen(sophie, service.id, True)
    assert service.id in {v.id for v in partners.directory(actor("amina"))}


def test_a_retired_service_leaves_every_directory_and_comes_back(demo_db):
    sophie = actor("sophie")
    service = partners.directory(sophie)[0]
    partners.set_retired(sophie, service.id, True)
    assert service.id not in {v.id for v in partners.directory(actor("julie"))}
    assert next(v for v in partners.region_services(sophie) if v.id == service.id).retired
    partners.set_retired(sophie, service.id, False)
    assert service.id in {v.id for v in partners.directory(actor("julie"))}
    with db.reading() as s:
        actions = set(s.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "partner_service")))
    assert {"partner_service_retired", "partner_service_restored"} <= actions


@pytest.mark.parametrize("login", ["amina", "julie", "marc"])
def test_only_admins_manage_the_directory(demo_db, login):
    service = partners.directory(actor("sophie"))[0]
    with pytest.raises(AccessDenied):
        partners.set_retired(actor(login), service.id, True)
    with pytest.raises(AccessDenied):
        partners.set_chosen(actor(login), service.id, False)
    with pytest.raises(AccessDenied):
        partners.save_service(actor(login), 0, _form())
    with pytest.raises(AccessDenied):
        partners.export_services(actor(login))


def test_an_admin_never_touches_another_regions_service(demo_db):
    liege_service = partners.directory(actor("youssef"))[0]
    with pytest.raises(AccessDenied):
        partners.set_retired(actor("sophie"), liege_service.id, True)
    with pytest.raises(AccessDenied):
        partners.set_chosen(actor("sophie"), liege_service.id, True)
    with pytest.raises(AccessDenied):
        partners.save_service(actor("sophie"), liege_service.id, _form())


def test_an_admin_creates_and_edits_a_service_checked_like_a_file(demo_db):
    sophie = actor("sophie")
    created = partners.save_service(sophie, 0, _form())
    assert created.chosen and created.id in {v.id for v in partners.directory(actor("amina"))}
    arabic = dataclasses.replace(actor("amina"), locale="ar")
    assert next(v for v in partners.directory(arabic) if v.id == created.id).description == "Trouver un logement."
    in_arabic = partners.save_service(dataclasses.replace(sophie, locale="ar"), 0,
                                      _form(code="sakan", description={"ar": "إيجاد سكن."}))
    assert next(v for v in partners.directory(actor("amina")) if v.id == in_arabic.id).description == "إيجاد سكن."
    edited = partners.save_service(sophie, created.id, _form(name="Logement pour toutes et tous", hours=""))
    assert edited.name == "Logement pour toutes et tous" and edited.open_now is None
    before = _count()
    for bad, field in ((_form(hours="lundi 9h"), "hours"), (_form(phone="appelez-nous"), "phone"),
                       (_form(category="tout"), "category"), (_form(website="http://x.example"), "website"),
                       (_form(languages=["zz"]), "languages"), (_form(bring=["passport"]), "bring[0]"),
                       (_form(code="ssm-escale"), "code")):
        with pytest.raises(InvalidInput) as err:
            partners.save_service(sophie, 0, bad)
        assert err.value.details["field"] == field, bad
    assert _count() == before


BAD_EMAILS = [
    "a?bcc=espion@x.be", "accueil@service.be?bcc=espion@x.be", "a&b@x.be", "a b@x.be", "a\x00@x.be",
    "a\r\nBcc: espion@x.be", "accueil@service.be\nBcc: espion@x.be", "a%0Abcc@x.be", "<accueil@service.be>",
    "a@@x.be", "a@b@x.be", "a@localhost", "a@x", "a@-x.be", "a@x-.be", "a@x..be", ".a@x.be", "a.@x.be",
    "a..b@x.be", "a@x.b", "a@x.be.", "a@.x.be", "\"a\"@x.be", "a#b@x.be", "a/b@x.be", "accueil@service.be,b@x.be",
    "x" * 65 + "@x.be", "a@" + "b" * 250 + ".be", "a@x.123", "mailto:a@x.be", "a@x_y.be",
]
GOOD_EMAILS = ["accueil@service.be", "info.logement+namur@cpas-namur.be", "a_b-c@sub.domain.example.org",
               "  ACCUEIL@Service.BE  "]


def _email_errors(email: str) -> list[str]:
    try:
        partners.ServiceSpec.model_validate(_form(email=email))
    except ValidationError as exc:  # the form has one language where a file has all: not this test's
        return [e["type"] for e in exc.errors() if e["loc"] == ("email",)]
    return []


def test_a_partner_address_is_a_plain_address_and_nothing_more():
    for bad in BAD_EMAILS:
        assert _email_errors(bad) == ["email_invalid"], bad
    for good in GOOD_EMAILS:
        assert _email_errors(good) == [], good


def test_an_address_that_would_copy_a_stranger_is_refused_on_the_screen(demo_db):
    before = _count()
    with pytest.raises(InvalidInput) as err:
        partners.save_service(actor("sophie"), 0, _form(email="a?bcc=espion@x.be"))
    assert (err.value.details["field"], err.value.details["problem"]) == ("email", "email_invalid")
    assert _count() == before


def test_export_then_import_round_trips_and_changes_nothing(demo_db):
    sophie = actor("sophie")
    name, text = partners.export_services(sophie)
    assert name == "partenaires-namur.yaml"
    report = partners.import_services(sophie, text, name)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(yaml.safe_load(text)["services"]))
    data = yaml.safe_load(text)
    data["services"][0]["name"] = "Nouveau nom"
    data["services"].append({**copy.deepcopy(data["services"][1]), "code": "un-nouveau-service"})
    report = partners.import_services(sophie, yaml.safe_dump(data, allow_unicode=True), name)
    assert (report.created, report.updated) == (1, 1)


def test_a_broken_file_names_line_service_and_field_and_loads_nothing(demo_db):
    sophie = actor("sophie")
    _, text = partners.export_services(sophie)
    data = yaml.safe_load(text)
    data["services"].append({**copy.deepcopy(data["services"][0]), "code": "tout-neuf"})
    data["services"][2]["hours"] = "lu-ve 9h-17h"
    broken = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    before = _count()
    with pytest.raises(PartnerFileError) as err:
        partners.import_services(sophie, broken, "namur.yaml")
    details = err.value.details
    assert (details["field"], details["service"], details["within"], details["problem"]) == \
        ("services[2].hours", 3, "hours", "hours_invalid")
    assert "hours:" in broken.splitlines()[details["line"] - 1]
    assert _count() == before  # the new service of the same file is not loaded either
    said = describe(details, "fr", PARTNERS)
    assert said.startswith(f"Ligne {details['line']} · Service 3 « {data['services'][2]['name']} »")
    assert "9h-17h" in said


def test_a_number_too_long_to_read_is_refused_with_its_line_and_field(demo_db):
    # Python reads at most 4,300 digits: the YAML loader's ValueError was uncaught ("failed").
    _, text = partners.export_services(actor("sophie"))
    data = yaml.safe_load(text)
    data["services"][1]["phone"] = "TOO_LONG_HERE"
    broken = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace("TOO_LONG_HERE", "9" * 5000)
    before = _count()
    with pytest.raises(PartnerFileError) as err:
        partners.import_services(actor("sophie"), broken, "namur.yaml")
    details = err.value.details
    assert (details["field"], details["service"], details["within"], details["problem"]) == \
        ("services[1].phone", 2, "phone", "number_too_long")
    assert "phone: 999" in broken.splitlines()[details["line"] - 1]
    assert _count() == before
    said = describe(details, "fr", PARTNERS)
    assert said.startswith(f"Ligne {details['line']} · Service 2") and "9999" not in said


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["services"][0]["description"].pop("fa"), "translation_missing"),
    (lambda d: d["services"][0].update(cost="cher"), "literal_error"),
    (lambda d: d["services"].append(copy.deepcopy(d["services"][0])), "code_twice"),
    (lambda d: d.update(region="liege"), "region_not_yours"),
])
def test_each_kind_of_mistake_is_named(demo_db, change, problem):
    _, text = partners.export_services(actor("sophie"))
    data = yaml.safe_load(text)
    change(data)
    with pytest.raises(PartnerFileError) as err:
        partners.import_services(actor("sophie"), yaml.safe_dump(data, allow_unicode=True), "f.yaml")
    assert err.value.details["problem"] == problem
    for locale in i18n.LOCALES:  # worded in every language, never the fallback
        assert describe(err.value.details, locale, PARTNERS) != describe({"problem": "?"}, locale, PARTNERS)


def test_a_file_that_is_not_yaml_or_too_deep_is_refused_before_parsing(demo_db):
    with pytest.raises(PartnerFileError) as err:
        partners.import_services(actor("sophie"), "region: namur\nservices: [" * 1 + "\n  - a: [[[[[[[[[[[[[[x]]]]]]]]]]]]]]]",
                                 "deep.yaml")
    assert err.value.details["problem"] in ("too_deep", "yaml_invalid")
    with pytest.raises(PartnerFileError) as err:
        partners.import_services(actor("sophie"), "region: &a namur\nservices: *a", "alias.yaml")
    assert err.value.details["problem"] == "aliases"
    with pytest.raises(PartnerFileError) as err:
        partners.import_services(actor("sophie"), "- une liste\n- pas un fichier de services", "list.yaml")
    said = describe(err.value.details, "fr", PARTNERS)
    assert "fichier de services" in said and "parcours" not in said


def test_the_demo_centres_have_their_region(demo_db):
    with db.reading() as s:
        assert dict(s.execute(select(Centre.code, Centre.region)).all()) == \
            {"namur-passerelle": "namur", "liege-horizon": "liege"}


def test_an_uploaded_file_goes_in_whole_or_says_why_in_the_admins_language(demo_db):
    """The admin screens' upload (state/file_errors.import_upload): bytes that are not UTF-8,
    a broken file and a good one."""
    import asyncio
    import io
    from pathlib import Path

    from reflex_components_core.core._upload import UploadFile

    from cisp_pwa.state.file_errors import import_upload

    sophie = actor("sophie")
    _, text = partners.export_services(sophie)
    load = lambda t, n: partners.import_services(sophie, t, n)  # noqa: E731

    def upload(data: bytes) -> list:
        return [UploadFile(file=io.BytesIO(data), path=Path("namur.yaml"))]

    before = _count()
    assert asyncio.run(import_upload(upload(text.encode("latin-1", "replace") + b"\xe9\xff"), load,
                                     "x.yaml", "fr", PARTNERS)) == ("not_text", "", None)
    error, detail, report = asyncio.run(import_upload(upload(text.replace("mo-", "lu-", 1).encode()), load,
                                                      "x.yaml", "nl", PARTNERS))
    assert (error, report) == ("invalid", None) and detail.startswith("Regel ")
    assert _count() == before
    error, detail, report = asyncio.run(import_upload(upload(text.encode()), load, "x.yaml", "fr", PARTNERS))
    assert (error, detail, report.unchanged) == ("", "", len(yaml.safe_load(text)["services"]))
