"""Services partenaires (centre admin): the region's directory, which of it her centre works
with, create / edit / retire, import and export a file; referral counts (never contents)."""

from __future__ import annotations

import dataclasses
from contextlib import suppress
from typing import ClassVar

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.help import partners, referrals
from cisp_pwa.services.infra import events

from . import file_errors
from .file_import import FileImportMixin
from .live import LiveState
from .session import screen, signed_in


@dataclasses.dataclass
class PartnerRow:
    id: int
    name: str
    category: str
    address: str
    phone: str
    chosen: bool
    retired: bool


@dataclasses.dataclass
class CountRow:
    status: str
    count: int


_EMPTY_FORM = {"code": "", "name": "", "category": "housing", "description": "", "address": "", "phone": "",
               "email": "", "website": "", "hours": "", "languages": "fr", "cost": "free"}


def _translations(own: str, texts: dict[str, str]) -> list[list[str]]:
    """The form's boxes for the description in every language but the admin's own."""
    return [[code, i18n.language_name(code), texts.get(code, "")] for code in i18n.LOCALES if code != own]


class PartnersAdminState(FileImportMixin, LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.PARTNERS, events.REFERRAL})
    loaded: bool = False
    rows: list[PartnerRow] = []
    counts: list[CountRow] = []
    form_open: bool = False
    editing_id: int = 0
    form: dict[str, str] = dict(_EMPTY_FORM)
    form_bring: list[str] = []
    form_access: list[str] = []
    form_translations: list[list[str]] = []  # [code, language name, text]: the description in the other languages
    form_version: int = 0
    form_error: str = ""         # a message id, or "invalid" with the words in form_error_detail
    form_error_detail: str = ""
    # The services' import (FileImportMixin).
    IMPORT_FILE_NAME: ClassVar[str] = "partenaires.yaml"
    IMPORT_KIND: ClassVar[str] = file_errors.PARTNERS
    notice: str = ""             # "saved"

    @rx.event
    @screen(Role.admin, routes.PARTNERS_ADMIN)
    def load(self, actor: Actor):
        self.form_open, self.editing_id, self.form_error, self.import_error, self.import_notice = False, 0, "", "", ""
        self.notice = ""
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        self.rows = [PartnerRow(v.id, v.name, v.category, v.address, v.phone, v.chosen, v.retired)
                     for v in partners.region_services(actor)]
        self.counts = [CountRow(status, n) for status, n in referrals.counts(actor).items()]
        self.loaded = True

    @rx.event
    @signed_in(Role.admin)
    def choose(self, actor: Actor, service_id: int, chosen: bool):
        with suppress(AccessDenied):  # gone meanwhile: the list shown again says what is true
            partners.set_chosen(actor, service_id, chosen)
        self._load(actor)

    @rx.event
    @signed_in(Role.admin)
    def retire(self, actor: Actor, service_id: int, retired: bool):
        with suppress(AccessDenied):  # likewise
            partners.set_retired(actor, service_id, retired)
        self._load(actor)

    @rx.event
    @signed_in(Role.admin)
    def open_form(self, actor: Actor, service_id: int):
        view = next((v for v in partners.region_services(actor) if v.id == service_id), None)
        self.form = dict(_EMPTY_FORM) if view is None else {
            "code": view.code, "name": view.name, "category": view.category,
            "description": view.descriptions.get(actor.locale, ""),  # hers only: never French saved as hers
            "address": view.address, "phone": view.phone, "email": view.email, "website": view.website,
            "hours": view.hours, "languages": ", ".join(view.language_codes), "cost": view.cost}
        self.form_bring, self.form_access = (view.bring, view.access) if view else ([], [])
        self.form_translations = _translations(actor.locale, view.descriptions if view else {})
        self.form_open, self.editing_id = True, view.id if view else 0
        self.form_error = self.form_error_detail = self.notice = ""
        self.form_version += 1

    @rx.event
    def close_form(self):
        self.form_open, self.editing_id, self.form_error = False, 0, ""

    @rx.event
    @signed_in(Role.admin, error="form_error")
    def save(self, actor: Actor, form: dict):
        picked = {key: [code for code in codes if form.get(f"{key}_{code}")]
                  for key, codes in (("bring", partners.BRING), ("access", partners.ACCESS))}
        values = {key: str(form.get(key, "")) for key in ("code", "name", "category", "address", "phone", "email",
                                                           "website", "hours", "cost")}
        values["languages"] = [c.strip().lower() for c in str(form.get("languages", "")).split(",") if c.strip()]
        others = {code: str(form.get(f"description_{code}", "")) for code in i18n.LOCALES if code != actor.locale}
        values["description"] = {actor.locale: str(form.get("description", "")), **others}
        self.form_translations = _translations(actor.locale, others)
        values.update(picked)
        # Keep what was typed: a refused form shows again as it was.
        self.form = {**{k: v for k, v in values.items() if isinstance(v, str)},
                     "description": str(form.get("description", "")), "languages": str(form.get("languages", ""))}
        self.form_bring, self.form_access = picked["bring"], picked["access"]
        try:
            partners.save_service(actor, self.editing_id, values)
        except InvalidInput as exc:
            if exc.code != "service_invalid":
                raise
            self.form_error = "invalid"
            self.form_error_detail = file_errors.describe({"within": exc.details.get("field", ""),
                                                           "problem": exc.details.get("problem", ""),
                                                           "context": exc.details.get("context") or {}},
                                                          actor.locale, file_errors.PARTNERS)
            return
        self.form_open, self.editing_id, self.form_error, self.notice = False, 0, "", "saved"
        self._load(actor)

    def _import_text(self, actor: Actor, text: str, name: str) -> partners.LoadReport:
        return partners.import_services(actor, text, name)

    def _import_notice(self, report: partners.LoadReport) -> str:
        return "imported"

    @rx.event
    @signed_in(Role.admin)
    def export(self, actor: Actor):
        try:
            name, text = partners.export_services(actor)
        except (AccessDenied, InvalidInput):
            return
        return rx.download(data=text, filename=name, mime_type="application/yaml")
