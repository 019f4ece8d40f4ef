"""The centre admin: accounts (create, assign, enrol, invite, reset, deactivate) and the pathways."""

from __future__ import annotations

import asyncio

from typing import ClassVar

import dataclasses

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.infra import audit
from cisp_pwa.services.people import centre_admin, second_factor
from cisp_pwa.services.records import privacy, retention
from cisp_pwa.services.skills import pathway_admin

from .file_import import FileImportMixin
from .invitation import InvitationMixin
from .reveal import reveal_link
from .session import SessionState, screen, signed_in


@dataclasses.dataclass
class AccountRow:
    id: int
    display_name: str
    login: str
    role: str
    is_active: bool
    anonymised: bool = False  # erased (services/records/privacy.py): never reactivated
    waiting_link: bool = False  # staff whose enrolment link is not used yet
    codes_alert: str = ""  # wrong authenticator codes piled up on it lately: said in the admin's language


@dataclasses.dataclass
class PathwayRow:
    id: int
    name: str
    kind: str
    skills_text: str
    enrolled_text: str


@dataclasses.dataclass
class StaffChoice:
    id: int
    display_name: str
    role: str
    assigned: bool


@dataclasses.dataclass
class DueRow:
    id: int
    display_name: str
    on: str


class AdminHomeState(FileImportMixin, InvitationMixin, SessionState):
    loaded: bool = False
    locale: str = "fr"
    centre_name: str = ""
    accounts: list[AccountRow] = []
    pathways: list[PathwayRow] = []
    # Trainees the retention rule anonymises within 30 days (services/records/retention.py): she sees
    # it coming, and can say so to whoever still needs something.
    retention_due: list[DueRow] = []
    # Create an account.
    create_error: str = ""
    ERROR_VAR: ClassVar[str] = "create_error"  # where a refused event says why (guard.py)
    create_role: str = "trainee"
    form_version: int = 0
    notice: str = ""
    # One trainee's set-up, open below the list.
    setup_id: int = 0
    setup_name: str = ""
    setup_pathway: str = ""
    setup_has_pin: bool = False
    staff: list[StaffChoice] = []
    # Deactivation asks first.
    confirm_deactivate_id: int = 0
    # Resetting a coach's or a trainer's access asks first.
    confirm_reset_id: int = 0
    # The enrolment link just made (another admin, or a reset): for whom. The link itself never
    # enters the state (state/reveal.py).
    enrol_for: str = ""
    enrol_reset: bool = False
    # Erasing the open trainee's data asks first, with the reason (privacy.REASONS).
    confirm_erase: bool = False
    erase_reason: str = ""
    erase_error: str = ""
    IMPORT_FILE_NAME: ClassVar[str] = "pathway.yaml"  # the pathway import (FileImportMixin)

    @rx.event
    @screen(Role.admin)
    def load(self, actor: Actor):
        self.locale = actor.locale
        self.create_error = self.notice = self.import_error = self.import_notice = ""
        self.setup_id, self.confirm_deactivate_id, self.invite_code = 0, 0, ""
        self.confirm_reset_id, self.enrol_for, self.enrol_reset = 0, "", False
        self._close_erase()
        self._load(actor)

    def _load(self, actor: Actor) -> None:
        loc = actor.locale
        overview = dashboards.admin_overview(actor)
        self.centre_name = overview.centre_name
        _ = i18n.gettext_for(loc)
        alerts = {user_id: _("Le %(date)s, 10 codes faux après le bon mot de passe. Parlez-en avec cette personne : "
                             "elle doit changer son mot de passe.") % {"date": i18n.format_datetime(at, loc)}
                  for user_id, at in second_factor.alerts_in_centre(actor).items()}
        self.accounts = [AccountRow(a.id, a.display_name, a.login, a.role, a.is_active, a.anonymised, a.waiting_link,
                                    alerts.get(a.id, "")) for a in overview.accounts]
        self.retention_due = [DueRow(d.trainee_id, d.display_name, i18n.format_date(d.on, loc))
                              for d in retention.due(actor)]
        self.pathways = [
            PathwayRow(p.id, p.name, p.kind,
                       i18n.ngettext(loc, "%(n)s compétence", "%(n)s compétences", p.skills),
                       i18n.ngettext(loc, "%(n)s stagiaire dans ce parcours", "%(n)s stagiaires dans ce parcours", p.enrolled))
            for p in overview.pathways
        ]
        if self.setup_id:
            self._load_setup(actor, self.setup_id)
        self.loaded = True

    @rx.event
    def choose_role(self, role: str):
        self.create_role = role

    @rx.event
    @signed_in(Role.admin)  # refused: the reason in create_error (ERROR_VAR)
    def create(self, actor: Actor, form: dict):
        if self.create_role == Role.admin.value:
            # Another admin: no password typed for her; her enrolment link shows here.
            link = centre_admin.create_admin(actor, display_name=str(form.get("display_name", "")),
                                             login=str(form.get("login", "")), locale=str(form.get("locale", "fr")))
            self.create_error, self.notice = "", "admin_created"
            self.form_version += 1
            self.setup_id, self.invite_code = 0, ""
            self.enrol_for, self.enrol_reset = link.display_name, False
            self._load(actor)
            return reveal_link(link)
        new_id = centre_admin.create_account(
            actor, role=self.create_role, display_name=str(form.get("display_name", "")),
            login=str(form.get("login", "")), password=str(form.get("password", "")),
            locale=str(form.get("locale", "fr")),
        )
        self.create_error, self.notice = "", "created"
        self.form_version += 1
        self._load(actor)
        if self.create_role == Role.trainee.value:
            # A new trainee gets an invitation at once: the phone in front of the admin scans it.
            self.open_setup(new_id)
            return AdminHomeState.invite

    @rx.event
    @signed_in(Role.admin)
    def open_setup(self, actor: Actor, trainee_id: int):
        self.invite_code = ""
        self._close_erase()
        self._load_setup(actor, trainee_id)
        if self.setup_id:
            audit.opened(actor, "account", self.setup_id)  # she sees who opened her account

    def _load_setup(self, actor: Actor, trainee_id: int) -> None:
        try:
            setup = centre_admin.trainee_setup(actor, trainee_id)
        except (AccessDenied, InvalidInput):
            self.setup_id = 0
            return
        self.setup_id, self.setup_name, self.setup_has_pin = setup.id, setup.display_name, setup.has_pin
        self.setup_pathway = str(setup.pathway_id or "")
        assigned = set(setup.coach_ids) | set(setup.trainer_ids)
        self.staff = [StaffChoice(a.id, a.display_name, a.role, a.id in assigned)
                      for a in self.accounts if a.role in ("coach", "trainer") and a.is_active]

    @rx.event
    def close_setup(self):
        self.setup_id, self.invite_code = 0, ""
        self._close_erase()

    def _close_erase(self) -> None:
        self.confirm_erase, self.erase_reason, self.erase_error = False, "", ""

    @rx.event
    def ask_erase(self):
        self.confirm_erase, self.erase_reason, self.erase_error = True, "", ""

    @rx.event
    def choose_erase_reason(self, reason: str):
        if reason in privacy.REASONS:
            self.erase_reason, self.erase_error = reason, ""

    @rx.event
    def cancel_erase(self):
        self._close_erase()

    @rx.event
    @signed_in(Role.admin, error="erase_error")  # refused: the reason beside the confirm button
    async def erase(self, actor: Actor):
        # Off the event loop: after the erasure the freed space is scrubbed (a VACUUM, a WAL
        # checkpoint), which may wait on a busy database; other screens of this worker go on.
        await asyncio.to_thread(privacy.erase, actor, self.setup_id, self.erase_reason)
        self.setup_id, self.invite_code = 0, ""
        self._close_erase()
        self.notice = "erased"
        self._load(actor)

    @rx.event
    @signed_in(Role.admin)
    def enrol(self, actor: Actor, pathway_id: str):
        if pathway_id.isdigit():
            try:  # refused: no notice, and the set-up shows again as it is
                centre_admin.enrol(actor, self.setup_id, int(pathway_id))
                self.notice = "enrolled"
            except (AccessDenied, InvalidInput):
                self.notice = ""
        self._load(actor)

    @rx.event
    @signed_in(Role.admin)
    def toggle_staff(self, actor: Actor, staff_id: int):
        current = next((s for s in self.staff if s.id == staff_id), None)
        if current is None:
            return
        try:  # refused: the box stays as it was, with no word under the create form
            centre_admin.set_assignment(actor, self.setup_id, staff_id, not current.assigned)
        except (AccessDenied, InvalidInput):
            return
        self._load(actor)

    @rx.event
    @signed_in(Role.admin)
    def invite(self, actor: Actor):
        self._make_invitation(actor, self.setup_id)

    @rx.event
    def ask_reset(self, user_id: int):
        self.confirm_reset_id, self.confirm_deactivate_id = user_id, 0

    @rx.event
    def cancel_reset(self):
        self.confirm_reset_id = 0

    @rx.event
    @signed_in(Role.admin)
    def reset_access(self, actor: Actor, user_id: int):
        """Her sessions end, her password and app go; her new enrolment link shows here."""
        self.confirm_reset_id = 0
        try:  # refused: the question closes and the list shows what is true
            link = centre_admin.reset_access(actor, user_id)
        except (AccessDenied, InvalidInput):
            self.notice = ""
            self._load(actor)
            return
        self.notice = "reset"
        self.enrol_for, self.enrol_reset = link.display_name, True
        self._load(actor)
        return reveal_link(link)

    @rx.event
    @signed_in(Role.admin)
    def new_link(self, actor: Actor, user_id: int):
        """A staff member whose link was never used: a new one shows here; the older stops."""
        self.confirm_reset_id = self.confirm_deactivate_id = 0
        try:
            link = centre_admin.new_link(actor, user_id)
        except (AccessDenied, InvalidInput):
            self.notice = ""
            self._load(actor)
            return
        self.notice = "new_link"
        self.enrol_for, self.enrol_reset = link.display_name, link.reset
        self._load(actor)
        return reveal_link(link)

    @rx.event
    def close_link(self):
        self.enrol_for, self.enrol_reset = "", False

    @rx.event
    def ask_deactivate(self, user_id: int):
        self.confirm_deactivate_id, self.confirm_reset_id = user_id, 0

    @rx.event
    def cancel_deactivate(self):
        self.confirm_deactivate_id = 0

    @rx.event
    @signed_in(Role.admin)
    def set_active(self, actor: Actor, user_id: int, active: bool):
        try:  # refused or not, the question closes and the list shows what is true
            centre_admin.set_active(actor, user_id, active)
            self.notice = "reactivated" if active else "deactivated"
        except (AccessDenied, InvalidInput):
            self.notice = ""
        self.confirm_deactivate_id = 0
        self._load(actor)

    def _import_text(self, actor: Actor, text: str, name: str) -> pathways.LoadReport:
        return pathway_admin.import_pathway(actor, text, name)

    def _import_notice(self, report: pathways.LoadReport) -> str:
        return "created" if report.created else "updated"

    @rx.event
    @signed_in(Role.admin)
    def export(self, actor: Actor, pathway_id: int):
        try:
            name, text = pathway_admin.export_pathway(actor, pathway_id)
        except AccessDenied:  # not theirs or gone: nothing to download, nothing to say
            return
        return rx.download(data=text, filename=name, mime_type="application/yaml")
