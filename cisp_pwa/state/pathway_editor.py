"""Edit a pathway's labels in every language, retire or bring back a skill."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied
from cisp_pwa.services.skills import pathway_admin

from .session import SessionState, screen, signed_in


@dataclasses.dataclass
class LabelItem:
    key: str               # "<kind>-<id>"
    kind: str
    id: int
    text: str              # in the admin's language
    translations: list[list[str]]  # [[locale, language name, text], ...]
    retired: bool


class PathwayEditorState(SessionState):
    loaded: bool = False
    missing: bool = False
    pathway_id: int = 0
    items: list[LabelItem] = []
    editing_key: str = ""
    error: str = ""
    saved_key: str = ""

    @rx.event
    @screen(Role.admin, routes.PATHWAY_EDITOR)
    def load(self, actor: Actor):
        self.editing_key, self.error, self.saved_key, self.missing = "", "", "", False
        raw = self.router.url.query_parameters.get("id", "")
        self.pathway_id = int(raw) if raw.isdigit() else 0
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        try:
            items = pathway_admin.editor_items(actor, self.pathway_id)
        except AccessDenied:
            self.items, self.missing, self.loaded = [], True, True
            return
        self.items = [
            LabelItem(f"{i.kind}-{i.id}", i.kind, i.id, i.labels.get(actor.locale) or i.labels.get("fr", ""),
                      [[loc, i18n.language_name(loc), i.labels.get(loc, "")] for loc in i18n.LOCALES], i.retired)
            for i in items
        ]
        self.loaded = True

    @rx.event
    def edit(self, key: str):
        self.editing_key, self.error, self.saved_key = key, "", ""

    @rx.event
    def cancel(self):
        self.editing_key, self.error = "", ""

    @rx.event
    @signed_in(Role.admin)  # refused: the reason in `error`, in the open label
    def save(self, actor: Actor, form: dict):
        item = next((i for i in self.items if i.key == self.editing_key), None)
        if item is None:
            return
        for loc in i18n.LOCALES:
            text = str(form.get(f"label_{loc}", ""))
            current = next(t[2] for t in item.translations if t[0] == loc)
            if text.strip() != current:
                pathway_admin.set_label(actor, item.kind, item.id, loc, text)
        self.saved_key, self.editing_key, self.error = item.key, "", ""
        self._load(actor)

    @rx.event
    @signed_in(Role.admin)
    def set_retired(self, actor: Actor, skill_id: int, retired: bool):
        try:
            pathway_admin.set_retired(actor, skill_id, retired)
        except AccessDenied:  # not this centre's skill: nothing changes, nothing to say
            return
        self._load(actor)
