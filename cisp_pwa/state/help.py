"""Trouver de l'aide: the partner services of the trainee's centre, by category, and her
referrals (say yes or no, take her yes back)."""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar
from urllib.parse import quote

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.help import partners, referrals
from cisp_pwa.services.help.partners import ServiceView
from cisp_pwa.services.infra import events

from . import offline_copy
from .live import LiveState
from .referral_rows import ReferralRow, shared
from .session import screen, signed_in


@dataclasses.dataclass
class CategoryTile:
    code: str
    count: int


@dataclasses.dataclass
class ServiceCard:
    id: int
    name: str
    category: str
    description: str
    address: str
    phone: str
    tel_href: str      # "tel:+3281..." ("" without a phone)
    geo_href: str      # the phone's own maps app (Android: geo:)
    map_href: str      # a map on the web (iPhone and computers)
    open_now: str      # "open" | "closed" | "" (hours unknown)
    hours_lines: list[str]
    languages: str
    bring: list[str]
    access: list[str]
    cost: str
    website: str


@dataclasses.dataclass
class ReferralCard(ReferralRow):
    consent_text: str
    tel_href: str
    phone: str
    can_answer: bool
    can_withdraw: bool


def tel_href(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone or "")
    return f"tel:{digits}" if len(digits) >= 6 else ""


def map_links(address: str) -> tuple[str, str]:
    """(geo: link for the phone's maps app, https link to a web map); both "" without address."""
    if not address:
        return "", ""
    query = quote(address)
    return f"geo:0,0?q={query}", f"https://www.openstreetmap.org/search?query={query}"


def service_card(view: ServiceView) -> ServiceCard:
    geo, web = map_links(view.address)
    return ServiceCard(
        id=view.id, name=view.name, category=view.category, description=view.description, address=view.address,
        phone=view.phone, tel_href=tel_href(view.phone), geo_href=geo, map_href=web,
        open_now="" if view.open_now is None else ("open" if view.open_now else "closed"),
        hours_lines=view.hours_lines, languages=", ".join(view.languages), bring=view.bring, access=view.access,
        cost=view.cost, website=view.website,
    )


class HelpState(LiveState):
    LISTENS: ClassVar[frozenset[str]] = frozenset({events.PARTNERS, events.REFERRAL})
    loaded: bool = False
    tiles: list[CategoryTile] = []
    services: list[ServiceCard] = []
    referrals: list[ReferralCard] = []
    category: str = ""          # the tile she opened ("" : the tiles)
    confirm_withdraw_id: int = 0
    error: str = ""             # a message id the page translates
    notice: str = ""            # "accepted" | "refused" | "withdrawn"
    offline_copy: list[dict] = []
    _hours_change: float = 0.0  # when one of her services next opens or closes (epoch seconds)

    @rx.var
    def shown(self) -> list[ServiceCard]:
        return [c for c in self.services if c.category == self.category]

    @rx.event
    @screen(Role.trainee, routes.HELP)
    def load(self, actor: Actor):
        self.category, self.confirm_withdraw_id, self.error, self.notice = "", 0, "", ""
        self._load(actor)

    def _wakes_at(self) -> float:
        return self._hours_change

    def _load(self, actor: Actor) -> None:
        loc = actor.locale
        views = partners.directory(actor)
        self.services = [service_card(v) for v in views]
        changes = [v.changes_at for v in views if v.changes_at]
        self._hours_change = min(changes).timestamp() if changes else 0.0
        counts: dict[str, int] = {}
        for card in self.services:
            counts[card.category] = counts.get(card.category, 0) + 1
        self.tiles = [CategoryTile(code, counts[code]) for code in partners.CATEGORIES if code in counts]
        if self.category not in counts:
            self.category = ""
        self.referrals = [
            ReferralCard(
                **shared(r, i18n.format_day_time(r.appointment_on, loc)
                         if r.appointment_on and r.status == "appointment" else ""),
                consent_text=r.consent_text, tel_href=tel_href(r.phone), phone=r.phone,
                can_answer="accepted" in r.steps, can_withdraw="withdrawn" in r.steps,
            )
            for r in referrals.list_referrals(actor, actor.id)
        ]
        self._keep_copy(loc)
        self.loaded = True

    def _keep_copy(self, loc: str) -> None:
        """What the phone keeps: her referrals, then every service by category, with its phone."""
        _ = i18n.gettext_for(loc)
        categories = words.partner_categories(loc)
        statuses = words.referral_statuses(loc, for_trainee=True)
        copy = []
        if self.referrals:
            copy.append(offline_copy.section(_("Mes orientations"), [
                offline_copy.item(r.service_name, statuses.get(r.status, "") + (f" · {r.appointment}" if r.appointment
                                                                                else ""),
                                  icon=words.REFERRAL_STATUS_ICONS.get(r.status, ""), tel=r.phone)
                for r in self.referrals]))
        for tile in self.tiles:
            copy.append(offline_copy.section(categories[tile.code][0], [
                offline_copy.item(c.name, " · ".join(x for x in (c.address, "; ".join(c.hours_lines)) if x),
                                  icon="map-pin" if c.address else "", tel=c.phone)
                for c in self.services if c.category == tile.code], icon=categories[tile.code][1]))
        self.offline_copy = copy

    @rx.event
    def open_category(self, code: str):
        if code in {t.code for t in self.tiles}:
            self.category, self.notice = code, ""

    @rx.event
    def all_categories(self):
        self.category = ""

    @rx.event
    @signed_in(Role.trainee)
    def answer(self, actor: Actor, referral_id: int, agree: bool, version: str):
        """Her yes or no to a proposed referral."""
        referrals.answer(actor, referral_id, agree, version)
        self.notice, self.error = "accepted" if agree else "refused", ""
        self._load(actor)

    @rx.event
    def ask_withdraw(self, referral_id: int):
        self.confirm_withdraw_id, self.notice = referral_id, ""

    @rx.event
    def cancel_withdraw(self):
        self.confirm_withdraw_id = 0

    @rx.event
    @signed_in(Role.trainee)
    def withdraw(self, actor: Actor, referral_id: int, version: str):
        self.confirm_withdraw_id = 0
        referrals.withdraw(actor, referral_id, version)
        self.notice, self.error = "withdrawn", ""
        self._load(actor)
