"""The directory of help: partner services shared by the centres of a region, each centre
choosing the ones it works with (CentrePartner). Admins create, edit, retire, import and export
them (a file is checked like a pathway file: an error names the line, the service and the field,
and nothing is loaded). Everyone of a centre reads its network; the trainee in her language.

Codes (category, documents to bring, access, cost) are worded by the catalogs
(cisp_pwa/words.py); the description is data, one text per locale, like pathway labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from babel import Locale, UnknownLocaleError
from pydantic import Field, StringConstraints, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa import i18n, settings
from cisp_pwa.i18n import localised
from cisp_pwa.models import Centre, CentrePartner, PartnerService, Role, utcnow

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput, PartnerFileError
from ..infra import audit, db, events, yaml_files
from ..infra.yaml_files import Code, LoadReport, Strict, check_translations, no_duplicates
from . import opening_hours

SHIPPED_DIR = settings.PACKAGE_DIR / "partners"

# In the order the trainee's tiles show them: the most asked for first.
CATEGORIES = ("housing", "health", "mental_health", "debts", "cpas", "food", "employment", "training",
              "paperwork", "childcare", "mobility", "culture")
BRING = ("id_card", "residence_permit", "income_proof", "rent_contract", "bills", "bank_statements",
         "health_card", "letters", "cv")
ACCESS = ("walk_in", "appointment", "wheelchair", "interpreter")
COSTS = ("free", "low_cost", "paid")

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
# Each contact field: its pattern (empty: not given) and the problem a mismatch is named by.
CONTACT = {
    "phone": (re.compile(r"^\+?[0-9][0-9 ./()-]{5,24}$"), "phone_invalid"),
    # A plain address and nothing else: one @, a local part of letters, digits and . _ + -
    # (no dot at either end or twice), a dotted domain of letters, digits and inner hyphens. No
    # ?, &, %, space or control character: the address goes into mailto: links, where
    # `a?bcc=someone@x.be` would copy a stranger into every mail sent to the service.
    "email": (re.compile(r"(?=[^@]{1,64}@)(?=.{6,254}\Z)[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
                         r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"), "email_invalid"),
    "website": (re.compile(r"^https://[A-Za-z0-9.-]+(/[^\s<>\"']{0,200})?$"), "website_invalid"),
}


class ServiceSpec(Strict):
    code: Code
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
    category: Category
    description: dict[str, Annotated[str, StringConstraints(max_length=600)]]
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]] = Field(default=[], max_length=20)
    bring: list[Literal[BRING]] = Field(default=[], max_length=len(BRING))  # type: ignore[valid-type]
    access: list[Literal[ACCESS]] = Field(default=[], max_length=len(ACCESS))  # type: ignore[valid-type]
    cost: Literal[COSTS] = "free"  # type: ignore[valid-type]

    _texts = field_validator("description")(check_translations)

    @field_validator("phone", "email", "website")
    @classmethod
    def _contact(cls, text: str, info) -> str:
        text = text.strip()
        pattern, problem = CONTACT[info.field_name]
        if text and not pattern.fullmatch(text):
            raise PydanticCustomError(problem, "{field} not readable", {"field": info.field_name})
        return text

    @field_validator("hours")
    @classmethod
    def _hours(cls, text: str) -> str:
        try:
            return opening_hours.normalise(text)
        except opening_hours.HoursInvalid as exc:
            raise PydanticCustomError("hours_invalid", "opening hours not readable near {part}",
                                      {"part": exc.part}) from None

    @field_validator("languages")
    @classmethod
    def _languages(cls, codes: list[str]) -> list[str]:
        for code in codes:
            try:
                Locale.parse(code)
            except (UnknownLocaleError, ValueError):
                raise PydanticCustomError("language_code_unknown", "unknown language code {code}",
                                          {"code": code}) from None
        return list(dict.fromkeys(codes))


class PartnerFile(Strict):
    region: Code
    services: list[ServiceSpec] = Field(min_length=1, max_length=500)

    @field_validator("services")
    @classmethod
    def _unique(cls, services: list[ServiceSpec]) -> list[ServiceSpec]:
        no_duplicates([s.code for s in services])
        return services


@dataclass(frozen=True)
class ServiceView:
    id: int
    code: str
    name: str
    category: str
    description: str          # in the reader's language (else French)
    address: str
    phone: str
    email: str
    website: str
    hours: str                # the stored text (the admin's form)
    hours_lines: list[str]    # one line per opening day, in the reader's language
    open_now: bool | None     # None: hours unknown
    changes_at: datetime | None  # when it next opens or closes (None: hours unknown)
    languages: list[str]      # the languages spoken there, named in the reader's language
    language_codes: list[str]
    bring: list[str]
    access: list[str]
    cost: str
    chosen: bool              # the reader's centre works with it
    retired: bool
    descriptions: dict[str, str]  # every language's text, as stored (the admin's form)


def _language_names(codes: list[str], locale: str) -> list[str]:
    out = []
    for code in codes:
        try:
            name = Locale.parse(code).get_display_name(i18n.babel_locale(i18n.normalise(locale)))
        except (UnknownLocaleError, ValueError):
            name = code
        out.append(i18n.language_name(code) if code == "fa" else (name or code))
    return out


def _view(service: PartnerService, locale: str, chosen: bool, now: datetime) -> ServiceView:
    return ServiceView(
        id=service.id, code=service.code, name=service.name, category=service.category,
        description=localised(service.description or {}, locale), address=service.address,
        phone=service.phone, email=service.email, website=service.url, hours=service.hours,
        hours_lines=opening_hours.lines(service.hours, locale), open_now=opening_hours.is_open(service.hours, now),
        changes_at=opening_hours.next_change(service.hours, now),
        languages=_language_names(list(service.languages or []), locale), language_codes=list(service.languages or []),
        bring=[c for c in service.bring or [] if c in BRING], access=[c for c in service.access or [] if c in ACCESS],
        cost=service.cost, chosen=chosen, retired=service.retired_at is not None,
        descriptions=dict(service.description or {}),
    )


def _order(view: ServiceView) -> tuple:
    return (CATEGORIES.index(view.category) if view.category in CATEGORIES else len(CATEGORIES), view.name.lower())


def region_of(s: Session, centre_id: int) -> str:
    return s.scalar(select(Centre.region).where(Centre.id == centre_id)) or ""


def _chosen_ids(s: Session, centre_id: int) -> set[int]:
    return set(s.scalars(select(CentrePartner.service_id).where(CentrePartner.centre_id == centre_id)))


def directory(actor: Actor, now: datetime | None = None) -> list[ServiceView]:
    """The services the actor's centre works with, open ones only: what its trainees see."""
    now = now or utcnow()
    with db.reading() as s:
        services = s.scalars(
            select(PartnerService).join(CentrePartner, CentrePartner.service_id == PartnerService.id)
            .where(CentrePartner.centre_id == actor.centre_id, PartnerService.retired_at.is_(None))
        ).all()
        return sorted((_view(p, actor.locale, True, now) for p in services), key=_order)


def service_in_network(s: Session, centre_id: int, service_id: int) -> PartnerService:
    """A service of this centre's network (an id from a browser: checked here)."""
    service = s.get(PartnerService, service_id)
    if service is None or service.retired_at is not None or service.id not in _chosen_ids(s, centre_id):
        raise AccessDenied()
    return service


# --- the centre admin ------------------------------------------------------------------------

def region_services(actor: Actor, now: datetime | None = None) -> list[ServiceView]:
    """Every service of the admin's region, retired ones too, with her centre's choice."""
    policy.require_role(actor, Role.admin)
    now = now or utcnow()
    with db.reading() as s:
        region = region_of(s, actor.centre_id)
        chosen = _chosen_ids(s, actor.centre_id)
        services = s.scalars(select(PartnerService).where(PartnerService.region == region)).all() if region else []
        return sorted((_view(p, actor.locale, p.id in chosen, now) for p in services),
                      key=lambda v: (v.retired, *_order(v)))


def _service_of_region(s: Session, actor: Actor, service_id: int) -> PartnerService:
    policy.require_role(actor, Role.admin)
    service = s.get(PartnerService, service_id)
    region = region_of(s, actor.centre_id)
    if service is None or not region or service.region != region:
        raise AccessDenied()
    return service


def _tell(s: Session, actor: Actor, service_ids: set[int], region: str) -> None:
    events.publish(s, events.PARTNERS, policy.partner_audience(s, service_ids, region), actor_id=actor.id,
                   id=next(iter(service_ids)) if len(service_ids) == 1 else 0)


def _apply(service: PartnerService, spec: ServiceSpec) -> bool:
    """Copy a checked spec onto a row; whether anything changed."""
    values = dict(code=spec.code, name=spec.name, category=spec.category, description=spec.description,
                  address=spec.address, phone=spec.phone, email=spec.email, url=spec.website, hours=spec.hours,
                  languages=spec.languages, bring=list(spec.bring), access=list(spec.access), cost=spec.cost)
    changed = any(getattr(service, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(service, key, value)
    return changed


def _spec(values: dict) -> ServiceSpec:
    """A form's values checked like a file's: InvalidInput naming the problem and the field."""
    try:
        return ServiceSpec.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput("service_invalid", problem=first["type"], field=yaml_files.field_path(first["loc"]),
                           context={k: str(v) for k, v in (first.get("ctx") or {}).items()}) from None


def save_service(actor: Actor, service_id: int, values: dict) -> ServiceView:
    """Create (service_id 0) or edit a service of the admin's region. A new one joins her
    centre's network. The description's other languages are kept when she edits hers; a new
    service reads in her language (French first) where it has no translation yet."""
    policy.require_role(actor, Role.admin)
    with db.unit_of_work() as s:
        region = region_of(s, actor.centre_id)
        if not region:
            raise InvalidInput("no_region")
        service = _service_of_region(s, actor, service_id) if service_id else None
        texts = dict(service.description) if service else {}
        texts.update({k: v for k, v in (values.get("description") or {}).items() if isinstance(v, str) and v.strip()})
        # The file format wants every language; a form gives the admin's: it stands in for the
        # others (French first) until a file brings their translations.
        fallback = texts.get(i18n.DEFAULT_LOCALE) or next((t for t in texts.values() if t.strip()), "")
        for locale in i18n.LOCALES:
            texts.setdefault(locale, fallback)
        spec = _spec({**values, "description": texts})
        clash = s.scalar(select(PartnerService.id).where(PartnerService.region == region,
                                                         PartnerService.code == spec.code))
        if clash is not None and clash != service_id:
            raise InvalidInput("service_invalid", problem="code_twice", field="code", context={"code": spec.code})
        if service is None:
            service = PartnerService(region=region)
            s.add(service)
        _apply(service, spec)
        s.flush()
        if not service_id:
            s.add(CentrePartner(centre_id=actor.centre_id, service_id=service.id))
        audit.record(s, actor, "partner_service_saved", "partner_service", service.id)
        _tell(s, actor, {service.id}, region)
        return _view(service, actor.locale, True, utcnow())


def set_retired(actor: Actor, service_id: int, retired: bool) -> None:
    """A retired service leaves every directory; referrals made to it stay as they are."""
    with db.unit_of_work() as s:
        service = _service_of_region(s, actor, service_id)
        service.retired_at = utcnow() if retired else None
        audit.record(s, actor, "partner_service_retired" if retired else "partner_service_restored",
                     "partner_service", service.id)
        _tell(s, actor, {service.id}, service.region)


def set_chosen(actor: Actor, service_id: int, chosen: bool) -> None:
    """The admin's centre works with this service (its trainees and coaches see it), or not."""
    with db.unit_of_work() as s:
        service = _service_of_region(s, actor, service_id)
        link = s.scalar(select(CentrePartner).where(CentrePartner.centre_id == actor.centre_id,
                                                    CentrePartner.service_id == service.id))
        readers = policy.centre_members(s, actor.centre_id)
        if chosen and link is None:
            s.add(CentrePartner(centre_id=actor.centre_id, service_id=service.id))
        elif not chosen and link is not None:
            s.delete(link)
        audit.record(s, actor, "partner_chosen" if chosen else "partner_left", "partner_service", service.id)
        events.publish(s, events.PARTNERS, readers, actor_id=actor.id, id=service.id)


# --- files -----------------------------------------------------------------------------------

FILE_MAX_BYTES = 512 * 1024


def parse_file_text(text: str, source: str) -> PartnerFile:
    return yaml_files.parse(text, source, PartnerFile, PartnerFileError, nested=("service",))


def _load(s: Session, spec: PartnerFile, actor: Actor | None) -> tuple[LoadReport, set[int]]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    touched: set[int] = set()
    existing = {p.code: p for p in s.scalars(select(PartnerService).where(PartnerService.region == spec.region))}
    for service_spec in spec.services:
        service = existing.get(service_spec.code)
        if service is None:
            service = PartnerService(region=spec.region)
            s.add(service)
            _apply(service, service_spec)
            outcome = "created"
        else:
            outcome = "updated" if _apply(service, service_spec) else "unchanged"
        s.flush()
        counts[outcome] += 1
        if outcome == "updated":
            touched.add(service.id)
        if actor is not None:
            audit.record(s, actor, "partner_service_imported", "partner_service", service.id)
    return LoadReport(**counts), touched


def import_services(actor: Actor, text: str, filename: str) -> LoadReport:
    """Load a file of the admin's region: all or nothing, idempotent (by code)."""
    policy.require_role(actor, Role.admin)
    if len(text.encode("utf-8")) > FILE_MAX_BYTES:
        raise InvalidInput("file_too_big")
    spec = parse_file_text(text, filename)
    with db.unit_of_work() as s:
        region = region_of(s, actor.centre_id)
        if spec.region != region:
            raise PartnerFileError(file=filename, field="region", message="not the centre's region",
                                   line=1, problem="region_not_yours", context={"region": region}, within="region")
        report, touched = _load(s, spec, actor)
        _tell(s, actor, touched, region)  # the region's admins see the new ones in their list
        return report


def export_services(actor: Actor) -> tuple[str, str]:
    """(file name, YAML text) of the region's open services, in the format the import reads."""
    policy.require_role(actor, Role.admin)
    with db.reading() as s:
        region = region_of(s, actor.centre_id)
        if not region:
            raise InvalidInput("no_region")
        services = s.scalars(select(PartnerService).where(PartnerService.region == region,
                                                          PartnerService.retired_at.is_(None))
                             .order_by(PartnerService.code)).all()
        data = {"region": region, "services": [
            {"code": p.code, "name": p.name, "category": p.category, "description": dict(p.description),
             "address": p.address, "phone": p.phone, "email": p.email, "website": p.url, "hours": p.hours,
             "languages": list(p.languages), "bring": list(p.bring), "access": list(p.access), "cost": p.cost}
            for p in services]}
        return f"partenaires-{region}.yaml", yaml_files.dump(data)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def load_shipped(s: Session) -> dict[str, list[int]]:
    """The shipped demo directories (set-up, within the caller's unit of work): region -> the
    ids of its services."""
    out: dict[str, list[int]] = {}
    for path in shipped_files():
        spec = parse_file_text(path.read_text(encoding="utf-8"), path.name)
        _load(s, spec, None)
        out[spec.region] = list(s.scalars(select(PartnerService.id).where(PartnerService.region == spec.region)))
    return out
