"""Mon passeport: the skills trainers validated, which of them go in the PDF, the download; her
share link (with its QR code) and the badges it shows."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx
import segno

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.credentials import badges, passport
from cisp_pwa.services.infra import events

from .live import LiveState
from .session import screen, signed_in


@dataclasses.dataclass
class PassportSkillRow:
    id: int
    label: str
    trainer_level: int
    trainer_name: str
    validated_on: str  # already in her language
    self_level: int


@dataclasses.dataclass
class BadgeRow:
    id: int
    label: str
    pathway: bool


@dataclasses.dataclass
class PassportAreaBlock:
    id: int
    label: str
    skills: list[PassportSkillRow]


class PassportState(LiveState):
    # A validation, her own new level, a pathway changed, her share link: the screen loads again.
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.ASSESSMENT, events.VALIDATION, events.SUPPORT,
                                                   events.PATHWAY, events.SHARE})
    loaded: bool = False
    centre_name: str = ""
    pathway_names: list[str] = []
    areas: list[PassportAreaBlock] = []
    left_out: list[int] = []  # the validated skills she unticked (default: all go in the PDF)
    error: str = ""
    # Her share link as the screen shows it (the link, its QR code, since when) and its badges.
    share_url: str = ""
    share_qr: str = ""
    share_since: str = ""
    badges: list[BadgeRow] = []
    share_error: str = ""

    @rx.var
    def chosen_count(self) -> int:
        return sum(1 for a in self.areas for k in a.skills if k.id not in self.left_out)

    @rx.event
    @screen(Role.trainee)
    def load(self, actor: Actor):
        self.error, self.left_out = "", []
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        p = passport.passport_for(actor)
        loc = actor.locale
        self.centre_name = p.centre_name
        self.pathway_names = [pw.name for pw in p.pathways]
        self.areas = [
            PassportAreaBlock(a.id, a.label, [
                PassportSkillRow(k.id, k.label, k.trainer_level, k.trainer_name,
                                 i18n.format_date(k.validated_on, loc, "long"), k.self_level)
                for k in a.skills
            ])
            for pw in p.pathways for a in pw.areas
        ]
        shown = {k.id for a in self.areas for k in a.skills}
        self.left_out = [i for i in self.left_out if i in shown]
        self._show_share(actor, badges.my_share(actor))
        self.loaded = True

    def _show_share(self, actor: Actor, share: badges.MyShare | None) -> None:
        if share is None:
            self.share_url = self.share_qr = self.share_since = ""
            self.badges = []
            return
        if share.url != self.share_url:
            self.share_qr = segno.make(share.url, error="m").svg_data_uri(scale=4, border=2)
        self.share_url = share.url
        self.share_since = i18n.format_date(share.created_at.date(), actor.locale, "long")
        self.badges = [BadgeRow(b.id, b.label, b.pathway) for b in share.badges]

    def _chosen(self) -> list[int]:
        return [k.id for a in self.areas for k in a.skills if k.id not in self.left_out]

    @rx.event
    def choose(self, skill_id: int, chosen: bool):
        """Tick or untick one validated skill for the PDF."""
        self.error = ""
        if chosen:
            self.left_out = [i for i in self.left_out if i != skill_id]
        elif skill_id not in self.left_out:
            self.left_out = [*self.left_out, skill_id]

    @rx.event
    @signed_in(Role.trainee)
    def download(self, actor: Actor):
        chosen = self._chosen()
        if not chosen:
            self.error = "nothing_chosen"
            return
        pdf = passport.passport_pdf(actor, actor.locale, chosen)
        self.error = ""
        return rx.download(data=pdf, filename=passport.passport_filename(), mime_type="application/pdf")

    @rx.event
    @signed_in(Role.trainee, error="share_error")
    def share(self, actor: Actor):
        """Make her share link for the ticked skills (those she does on her own go in)."""
        self.share_error = ""
        if self.share_url:  # a second tap: the link is already there
            return
        if not self._chosen():
            self.share_error = "nothing_chosen"
            return
        self._show_share(actor, badges.share(actor, self._chosen()))

    @rx.event
    @signed_in(Role.trainee, error="share_error")
    def withdraw(self, actor: Actor):
        """Withdraw her share link: the link says so, its badges are revoked."""
        self.share_error = ""
        badges.withdraw(actor)
        self._show_share(actor, None)

    @rx.event
    @signed_in(Role.trainee, error="share_error")
    def download_badge(self, actor: Actor, badge_id: int):
        filename, token = badges.badge_file(actor, badge_id)
        return rx.download(data=token, filename=filename, mime_type=badges.MEDIA_TYPE)
