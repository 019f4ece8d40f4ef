"""Every writing service action tells exactly the people it affects (Zulip's test_events).

The writing functions are derived from the code: every public function or method of services/,
sync or async, that opens a write unit of work (`db.unit_of_work()`), directly, through a private
helper, or by calling another writing function or handing it on to be called (an executor's job, a
thread's target, a table of callbacks). Each must have a scenario below saying which users receive
which event kind; a new writing function without one fails `test_every_writing_function_has_a_scenario`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import yaml
from sqlalchemy import select

from cisp_pwa import demo, settings
from cisp_pwa.models import Pathway, SelfAssessment, TrainingGroup, TrustedDevice, User, utcnow
from cisp_pwa.services.conversations import messages, voice
from cisp_pwa.services.credentials import badges
from cisp_pwa.services.follow_up import coach_notes, goals
from cisp_pwa.services.help import partners, referrals
from cisp_pwa.services.home import drafts
from cisp_pwa.services.hours import exports, groups, ledger, months, notices, timetable_file
from cisp_pwa.services.infra import audit, bus, db, events, push, push_sender
from cisp_pwa.services.people import (
    accounts, auth, centre_admin, consent, devices, enrolment, invitations, second_factor,
)
from cisp_pwa.services.records import privacy, retention
from cisp_pwa.services.skills import assessments, pathway_admin, pathways, validations
import cisp_pwa.services as services_package
from cisp_pwa.services.errors import InvalidInput

from ..helpers import actor, code_for, phone_for, skill_ids, user_id
from ..push_receiver import Phone, PushReceiver
from tests.photos import PNG_PHOTO
from tests.recordings import WEBM

FCM = "https://fcm.googleapis.com/fcm/send/"


# --- the writing functions, derived --------------------------------------------------------------

def _definitions(module: str, tree: ast.Module) -> dict[str, list[ast.AST]]:
    """What may run in a module, by name: its functions, sync or async ("m.f"), the methods of its
    classes ("m.C.f"; calling the class runs its __init__), and what its other top-level names hold
    (a table of callbacks, "m.NAME"), with the bodies to read for what each calls."""
    found: dict[str, list[ast.AST]] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[f"{module}.{node.name}"] = [node]
        elif isinstance(node, ast.ClassDef):
            found[f"{module}.{node.name}"] = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                                             and n.name in ("__init__", "__post_init__")]
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[f"{module}.{node.name}.{item.name}"] = [item]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[f"{module}.{target.id}"] = [node.value]
    return found


def _imported(module: str, tree: ast.Module) -> dict[str, str]:
    """Names a module took from another of services/ ("from .push import subscribe"): "push.subscribe"."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _referenced(bodies: list[ast.AST], module: str, owner: str | None, classes: set[str],
                imported: dict[str, str]) -> tuple[set[str], set[str]]:
    """What these bodies call or hand on to be called later (a callback, an executor's job, a
    thread's target): every name they mention, as "module.name", "module.Class.name" (self, cls
    and the module's classes) or "other.name" (another module); and the methods they call on
    some other object, by name only."""
    names, methods = set(), set()
    for body in bodies:
        # A name the body binds (an argument, a variable) is its own, not the module's function.
        local = {a.arg for n in ast.walk(body) if isinstance(n, ast.arguments)
                 for a in [*n.posonlyargs, *n.args, *n.kwonlyargs, n.vararg, n.kwarg] if a is not None}
        local |= {n.id for n in ast.walk(body) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        for node in ast.walk(body):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id not in local:
                    names.add(imported.get(node.id, f"{module}.{node.id}"))
            elif isinstance(node, ast.Attribute):
                base = node.value.id if isinstance(node.value, ast.Name) else None
                if base in ("self", "cls") and owner:
                    names.add(f"{module}.{owner}.{node.attr}")
                elif base in classes:
                    names.add(f"{module}.{base}.{node.attr}")
                elif base is not None:
                    names.add(f"{base}.{node.attr}")
                methods.add(node.attr)
    return names, methods


def _service_sources() -> dict[str, str]:
    """Every module of services/, however deep, by its own name (unique: one name, one module)."""
    sources = {}
    for info in pkgutil.walk_packages(services_package.__path__, "cisp_pwa.services."):
        name = info.name.rsplit(".", 1)[1]
        if not info.ispkg and name != "db":
            assert name not in sources, f"two modules of services/ are called {name}"
            sources[name] = inspect.getsource(importlib.import_module(info.name))
    # The demo centres are seeded and removed through a unit of work of their own, for the
    # operator's command, beside cli.py.
    sources["demo"] = inspect.getsource(importlib.import_module("cisp_pwa.demo"))
    return sources


def writing_functions(sources: dict[str, str] | None = None) -> set[str]:
    """"module.function" (or "module.Class.method") for each public thing of services/ (or of these
    module sources) that writes: what opens a write unit of work (`db.unit_of_work()`), and what
    calls it, or hands it on to be called, directly or through private helpers, methods, tables
    of callbacks, an executor or a thread."""
    refs: dict[str, set[str]] = {}
    method_calls: dict[str, set[str]] = {}
    for module, source in (sources or _service_sources()).items():
        tree = ast.parse(source)
        classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
        imported = _imported(module, tree)
        for name, bodies in _definitions(module, tree).items():
            owner = name.split(".")[1] if name.count(".") == 2 else None
            refs[name], method_calls[name] = _referenced(bodies, module, owner, classes, imported)
    writers = {name for name, called in refs.items() if "db.unit_of_work" in called}
    while True:  # what calls a writer, or hands it on, writes too; a method, wherever it is called
        methods = {name.rsplit(".", 1)[1] for name in writers if name.count(".") == 2}
        more = {name for name in refs if refs[name] & writers or method_calls[name] & methods} - writers
        if not more:
            break
        writers |= more
    return {name for name in writers
            if not any(part.startswith("_") and not part.endswith("__") for part in name.split(".")[1:])}


# --- capturing what is published --------------------------------------------------------------

@dataclass
class Published:
    events: list[tuple[frozenset[int], dict]] = field(default_factory=list)
    pushes: list[tuple[str, frozenset[int]]] = field(default_factory=list)
    # Logins as they were before the action (an erased account's login changes).
    logins_before: dict[int, str] = field(default_factory=dict)

    def received(self) -> dict[str, set[str]]:
        """kind -> logins that received it."""
        logins = {**_logins(), **self.logins_before}
        out: dict[str, set[str]] = {}
        for user_ids, event in self.events:
            out.setdefault(event["kind"], set()).update(logins[u] for u in user_ids)
        return out

    def pushed(self) -> dict[str, set[str]]:
        logins = {**_logins(), **self.logins_before}
        out: dict[str, set[str]] = {}
        for kind, user_ids in self.pushes:
            out.setdefault(kind, set()).update(logins[u] for u in user_ids)
        return out


def _logins() -> dict[int, str]:
    with db.reading() as s:
        return dict(s.execute(select(User.id, User.login)).all())


_NOTIFY = push_sender.notify  # the real one: `published` records the calls in its place


@pytest.fixture
def published(monkeypatch, tmp_path):
    """What the actions publish, recorded instead of sent (no screen is open in these tests)."""
    seen = Published()
    monkeypatch.setattr(bus.Hub, "publish", lambda self, ids, event: seen.events.append((frozenset(ids), event)))
    monkeypatch.setattr(push_sender, "notify", lambda ids, kind: seen.pushes.append((kind, frozenset(ids))))
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)  # a VAPID key of its own
    monkeypatch.setenv("CISP_PUSH_ALLOW_LOOPBACK", "1")  # a push service on 127.0.0.1 (push_receiver.py)
    return seen


# --- one scenario per writing function ---------------------------------------------------------

def _cid() -> str:
    return str(uuid.uuid4())


def _pending_of(login: str) -> int:
    with db.reading() as s:
        return s.scalar(select(SelfAssessment.id).where(SelfAssessment.trainee_id == user_id(login))
                        .order_by(SelfAssessment.id.desc()))


def _new_assessment() -> int:
    return assessments.self_assess(actor("amina"), skill_ids("defi-fle-alpha")[3], 2) and _pending_of("amina")


def _goal_of_amina(status_word: str) -> int:
    """A goal of amina's that julie may act on."""
    julie, amina = actor("julie"), actor("amina")
    if status_word == "proposed_by_amina":
        return goals.propose_goal(amina, amina.id, title="Un but", theme="work").id
    goal = goals.propose_goal(julie, amina.id, title="Un but", theme="work")
    if status_word == "in_progress":
        goals.agree_goal(amina, goal.id)
    return goal.id


def _pathway_id(code: str) -> int:
    with db.reading() as s:
        return s.scalar(select(Pathway.id).where(Pathway.code == code))


def _exported_fle() -> str:
    _, text = pathway_admin.export_pathway(actor("sophie"), _pathway_id("defi-fle-alpha"))
    data = yaml.safe_load(text)
    data["name"]["fr"] = "FLE : lire et écrire"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _phone_subscribed(login: str) -> Phone:
    phone = Phone()
    push.subscribe(actor(login), FCM + login, phone.p256dh, phone.auth, ["message"])
    return phone


# Circles of amina in the demo: coach julie, trainer marc; admin of the centre: sophie.
CONVERSATION = {"amina", "julie"}
SKILLS = {"amina", "julie", "marc"}
FLE_PATHWAY = {"amina", "julie", "marc", "sophie"}  # its trainee, her staff, their admins


@dataclass(frozen=True)
class Scenario:
    act: Callable[[object], object]              # does the action; gets what `prepare` returned
    expected: dict[str, set[str]]                # kind -> logins
    prepare: Callable[[], object] = lambda: None
    pushes: dict[str, set[str]] = field(default_factory=dict)


def _sophie_waiting() -> str:
    """An admin's right password: the session waits for the second factor (its token's hash)."""
    return auth.token_hash(auth.sign_in("sophie", "parcours-sophie").token)


def _sophie_with_app() -> str:
    """The admin has set up her authenticator app; its secret."""
    hashed = _sophie_waiting()
    secret = second_factor.start_setup_signing_in(hashed).secret
    second_factor.confirm_setup_signing_in(hashed, code_for(secret))
    return secret


def _julie_with_app() -> str:
    """A coach who turned the authenticator app on; its secret."""
    secret = second_factor.start_setup(actor("julie")).secret
    second_factor.confirm_setup(actor("julie"), code_for(secret))
    return secret


def _amina_phone(failures: int) -> int:
    """Amina's phone, known to the server, with this many wrong PINs typed on it; its id."""
    secret = phone_for("amina")
    with db.unit_of_work() as s:
        device = s.scalar(select(TrustedDevice).where(TrustedDevice.secret_hash == devices.secret_hash(secret)))
        device.failures = failures
        events.nobody(s)
        return device.id


def _namur_service(category: str) -> int:
    return next(v.id for v in partners.directory(actor("amina")) if v.category == category)


def _referral(status: str = "proposed", goal: bool = False) -> int:
    """A referral of amina's by julie, at this status."""
    goal_id = _goal_of_amina("in_progress") if goal else None
    r = referrals.propose(actor("julie"), user_id("amina"), _namur_service("housing"), "Un logement", "", goal_id)
    if status != "proposed":
        referrals.answer(actor("amina"), r.id, True, consent.VERSIONS[consent.REFERRAL])
    return r.id


def _gone_phone() -> PushReceiver:
    """Amina's phone, subscribed to messages at a push service that says it is gone (410)."""
    service, phone = PushReceiver(status=410), Phone()
    push.subscribe(actor("amina"), service.endpoint(), phone.p256dh, phone.auth, ["message"])
    return service


def _pushed_to_a_gone_phone(service: PushReceiver) -> None:
    try:
        _NOTIFY([user_id("amina")], push.MESSAGE)
        assert push_sender.wait_idle(10) and len(service.requests) == 1
    finally:
        service.close()


def _committed_with_an_event_and_a_push() -> None:
    """A unit of work that queued one event and one push for amina, committed."""
    with db.unit_of_work() as s:
        events.publish(s, events.ACCOUNT, [user_id("amina")], push=push.MESSAGE, push_to=[user_id("amina")])


def _exported_partners() -> str:
    data = yaml.safe_load(partners.export_services(actor("sophie"))[1])
    data["services"][0]["name"] = "Un nouveau nom"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# Everyone of La Passerelle (its directory of help) and the admins of the region's centres.
PASSERELLE = {"amina", "kevin", "fatou", "julie", "marc", "sophie"}
REFERRAL_CIRCLE = CONVERSATION | {"sophie"}  # her, her coach; the admin's counts

def _certificate_of(notice_id: int) -> int:
    from cisp_pwa.models import AbsenceNotice
    with db.reading() as s:
        return s.get(AbsenceNotice, notice_id).certificate_id


def _group_id() -> int:
    """The demo group of the main centre (amina, kevin, fatou; marc is amina's and kevin's trainer)."""
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))


def _marked(presence: str = "present") -> None:
    """Marc took Thursday morning's attendance: amina (the clock is hours_clock's)."""
    ledger.take(actor("marc"), _group_id(), date(2026, 11, 19), "09:00",
                [{"trainee": user_id("amina"), "presence": presence}])


def _announced() -> int:
    photo = PNG_PHOTO
    return notices.announce(actor("amina"), date(2026, 11, 20), "absent", "sick", certificate=("image/png", photo)).id


def _timetable_changed() -> str:
    """The centre's timetable file with fatou out of the demo group and Christmas Eve closed."""
    data = yaml.safe_load(timetable_file.export_timetable(actor("sophie"))[1])
    data["groups"][0]["members"].remove("fatou")
    data["closures"] = [{"day": date(2026, 12, 24), "label": "Noël"}]
    return yaml.safe_dump(data, allow_unicode=True)


HER_HOURS = {"amina", "julie", "marc", "sophie"}  # she, her coach, her trainer, her centre's admin
MAIN_CENTRE = {"amina", "kevin", "fatou", "julie", "marc", "sophie"}
GROUP_HOURS = MAIN_CENTRE  # the demo group's three trainees and everyone who follows them

SCENARIOS: dict[str, Scenario] = {
    # Hours: a change in her ledger tells her and whoever follows her hours; the admin's settings
    # tell the admins (and, for what changes a month's figures, the whole centre).
    "ledger.take": Scenario(lambda _: _marked(), {events.HOURS: HER_HOURS}),
    # The Présences screen's sheet (now, or from the tablet's outbox once back online).
    "ledger.take_sent": Scenario(
        lambda _: ledger.take_sent(actor("marc"), {
            "group": _group_id(), "day": "2026-11-19", "starts": "09:00",
            "marks": '[{"trainee": %d, "presence": "absent", "client_id": "c-1"}]' % user_id("amina")}),
        {events.HOURS: HER_HOURS}),
    "ledger.decide": Scenario(
        lambda _: ledger.decide(actor("julie"), user_id("amina"), date(2026, 11, 19), "09:00", True, "illness"),
        {events.HOURS: HER_HOURS}, prepare=lambda: _marked("absent")),
    "notices.announce": Scenario(lambda _: _announced(), {events.HOURS: HER_HOURS},
                                 pushes={push.ABSENCE: {"julie", "marc", "sophie"}}),
    "notices.withdraw": Scenario(lambda notice: notices.withdraw(actor("amina"), notice), {events.HOURS: HER_HOURS},
                                 prepare=_announced),
    # Her coach opens the photo of her certificate: audited, on nobody's screen.
    "notices.certificate": Scenario(
        lambda notice: notices.certificate(actor("julie"), _certificate_of(notice)), {}, prepare=_announced),
    "months.close": Scenario(lambda _: months.close(actor("sophie"), "2026-10"), {events.GROUPS: MAIN_CENTRE}),
    "months.set_rates": Scenario(lambda _: months.set_rates(actor("sophie"), 100, 350), {events.GROUPS: MAIN_CENTRE}),
    "groups.create_group": Scenario(
        lambda _: groups.create_group(actor("sophie"), "fle-2", "FLE 2", "defi-fle-alpha"), {events.GROUPS: {"sophie"}}),
    "groups.set_members": Scenario(
        lambda group: groups.set_members(actor("sophie"), group, [user_id("amina")]),
        {events.HOURS: HER_HOURS, events.GROUPS: {"sophie"}},
        prepare=lambda: groups.create_group(actor("sophie"), "fle-2", "FLE 2", "defi-fle-alpha")),
    "groups.set_timetable": Scenario(
        lambda _: groups.set_timetable(actor("sophie"), _group_id(), [
            {"weekday": 0, "starts": "09:00", "ends": "12:00"}]),
        {events.HOURS: GROUP_HOURS, events.GROUPS: {"sophie"}}),
    "groups.add_closure": Scenario(
        lambda _: groups.add_closure(actor("sophie"), date(2026, 12, 24), "Noël"),
        {events.HOURS: GROUP_HOURS, events.GROUPS: {"sophie"}}),
    "groups.remove_closure": Scenario(
        lambda _: groups.remove_closure(actor("sophie"), date(2026, 12, 24)),
        {events.HOURS: GROUP_HOURS, events.GROUPS: {"sophie"}},
        prepare=lambda: groups.add_closure(actor("sophie"), date(2026, 12, 24), "Noël")),
    # A timetable file: the hours screens of the group's trainees (a closed day: all of the
    # centre's) and of those who follow them, the admins' screens.
    "timetable_file.import_timetable": Scenario(
        lambda text: timetable_file.import_timetable(actor("sophie"), text, "horaires.yaml"),
        {events.HOURS: GROUP_HOURS, events.GROUPS: {"sophie"}}, prepare=_timetable_changed),
    # A month's file, her attendance certificate: audited, on nobody's screen.
    "exports.month_file": Scenario(lambda _: exports.month_file(actor("sophie"), _group_id(), "2026-11", "csv"), {}),
    "exports.attestation_file": Scenario(
        lambda _: exports.attestation_file(actor("julie"), user_id("amina"), "2026-11"), {}),
    "partners.set_chosen": Scenario(
        lambda _: partners.set_chosen(actor("sophie"), _namur_service("food"), False), {events.PARTNERS: PASSERELLE}),
    "partners.set_retired": Scenario(
        lambda _: partners.set_retired(actor("sophie"), _namur_service("food"), True), {events.PARTNERS: PASSERELLE}),
    "partners.save_service": Scenario(
        lambda _: partners.save_service(actor("sophie"), _namur_service("debts"), {
            "code": "mediation-le-fil", "name": "Le Fil", "category": "debts", "description": {"fr": "Dettes."}}),
        {events.PARTNERS: PASSERELLE}),
    "partners.import_services": Scenario(
        lambda text: partners.import_services(actor("sophie"), text, "namur.yaml"), {events.PARTNERS: PASSERELLE},
        prepare=_exported_partners),
    # A referral: her screens and her coach's, the admin's counts; with a goal, the goal's card too.
    "referrals.propose": Scenario(
        lambda goal_id: referrals.propose(actor("julie"), user_id("amina"), _namur_service("housing"), "Un logement",
                                          "", goal_id),
        {events.REFERRAL: REFERRAL_CIRCLE, events.GOALS: CONVERSATION}, prepare=lambda: _goal_of_amina("in_progress"),
        pushes={push.REFERRAL: {"amina"}}),  # she has a yes or no to give
    "referrals.answer": Scenario(
        lambda rid: referrals.answer(actor("amina"), rid, True, consent.VERSIONS[consent.REFERRAL]),
        {events.REFERRAL: REFERRAL_CIRCLE}, prepare=_referral),
    "referrals.withdraw": Scenario(
        lambda rid: referrals.withdraw(actor("amina"), rid, consent.VERSIONS[consent.REFERRAL]),
        {events.REFERRAL: REFERRAL_CIRCLE}, prepare=lambda: _referral("accepted")),
    "referrals.advance": Scenario(
        lambda rid: referrals.advance(actor("julie"), rid, "contacted"),
        {events.REFERRAL: REFERRAL_CIRCLE, events.GOALS: CONVERSATION}, prepare=lambda: _referral("accepted", True)),
    # A recording: the same circle as a text message; the push says "message vocal".
    "voice.send_voice": Scenario(
        lambda _: voice.send_voice(actor("amina"), user_id("amina"), _cid(), "audio/webm", WEBM, 2000),
        {events.MESSAGE: CONVERSATION}, pushes={push.VOICE_MESSAGE: {"julie"}}),
    # Her coach starts to listen: the sender's screens (and the others of the circle) say "Écouté".
    "voice.mark_listened": Scenario(
        lambda ids: voice.mark_listened(actor("julie"), ids),
        {events.LISTENED: CONVERSATION},
        prepare=lambda: voice.send_voice(actor("amina"), user_id("amina"), _cid(), "audio/webm", WEBM, 2000).id),
    "messages.send_message": Scenario(
        lambda _: messages.send_message(actor("julie"), user_id("amina"), _cid(), "Bonjour"),
        {events.MESSAGE: CONVERSATION}, pushes={push.MESSAGE: {"amina"}}),
    "messages.mark_read": Scenario(
        lambda _: messages.mark_read(actor("julie"), user_id("amina")),
        {events.READ: CONVERSATION},
        prepare=lambda: messages.send_message(actor("amina"), user_id("amina"), _cid(), "Une question")),
    "drafts.deliver": Scenario(
        lambda _: drafts.deliver(actor("amina"), [
            {"id": _cid(), "owner": user_id("amina"), "kind": "message", "body": "Hors ligne"},
            {"id": _cid(), "owner": user_id("amina"), "kind": "assessment", "skill": skill_ids("defi-fle-alpha")[3],
             "level": 2}]),
        {events.MESSAGE: CONVERSATION, events.ASSESSMENT: SKILLS}, pushes={push.MESSAGE: {"julie"}}),
    "goals.propose_goal": Scenario(
        lambda _: goals.propose_goal(actor("amina"), user_id("amina"), title="Un but", theme="work"),
        {events.GOALS: CONVERSATION}),
    "goals.edit_goal": Scenario(
        lambda goal_id: goals.edit_goal(actor("julie"), goal_id, title="Un autre but", theme="work"),
        {events.GOALS: CONVERSATION}, prepare=lambda: _goal_of_amina("in_progress")),
    "goals.withdraw_goal": Scenario(
        lambda goal_id: goals.withdraw_goal(actor("amina"), goal_id),
        {events.GOALS: CONVERSATION}, prepare=lambda: _goal_of_amina("proposed_by_amina")),
    "goals.agree_goal": Scenario(
        lambda goal_id: goals.agree_goal(actor("julie"), goal_id),
        {events.GOALS: CONVERSATION}, prepare=lambda: _goal_of_amina("proposed_by_amina")),
    "goals.mark_reached": Scenario(
        lambda goal_id: goals.mark_reached(actor("amina"), goal_id),
        {events.GOALS: CONVERSATION}, prepare=lambda: _goal_of_amina("in_progress")),
    "goals.add_progress_note": Scenario(
        lambda goal_id: goals.add_progress_note(actor("amina"), goal_id, "J'avance"),
        {events.GOALS: CONVERSATION}, prepare=lambda: _goal_of_amina("in_progress")),
    "goals.drop_goal": Scenario(
        lambda goal_id: goals.drop_goal(actor("julie"), goal_id),
        {events.GOALS: CONVERSATION}, prepare=lambda: _goal_of_amina("in_progress")),
    "coach_notes.add_note": Scenario(
        lambda _: coach_notes.add_note(actor("julie"), user_id("amina"), "Vu ensemble le CPAS"),
        {events.COACH_NOTE: {"julie"}}),  # never the trainee, never the trainer
    "assessments.self_assess": Scenario(
        lambda _: assessments.self_assess(actor("amina"), skill_ids("defi-fle-alpha")[3], 2),
        {events.ASSESSMENT: SKILLS}),
    "validations.confirm": Scenario(
        lambda assessment_id: validations.confirm(actor("marc"), assessment_id),
        {events.VALIDATION: SKILLS}, prepare=_new_assessment, pushes={push.VALIDATION: {"amina"}}),
    "validations.adjust": Scenario(
        lambda assessment_id: validations.adjust(actor("marc"), assessment_id, 3, "Encore un peu d'aide"),
        {events.VALIDATION: SKILLS}, prepare=_new_assessment, pushes={push.VALIDATION: {"amina"}}),
    "validations.bulk_confirm": Scenario(
        lambda assessment_id: validations.bulk_confirm(actor("marc"), [assessment_id, _pending_of("kevin")]),
        {events.VALIDATION: SKILLS | {"kevin"}}, prepare=_new_assessment,
        pushes={push.VALIDATION: {"amina", "kevin"}}),
    "centre_admin.create_account": Scenario(
        lambda _: centre_admin.create_account(actor("sophie"), role="trainee", display_name="Nadia Ben",
                                              login="nadia"),
        {events.ACCOUNTS: {"sophie"}}),
    "centre_admin.set_assignment": Scenario(
        lambda _: centre_admin.set_assignment(actor("sophie"), user_id("fatou"), user_id("julie"), True),
        {events.SUPPORT: {"fatou", "julie", "sophie"}}),
    "centre_admin.enrol": Scenario(
        lambda _: centre_admin.enrol(actor("sophie"), user_id("kevin"), _pathway_id("defi-numerique")),
        {events.SUPPORT: {"kevin", "julie", "marc", "sophie"}}),
    "centre_admin.set_active": Scenario(
        lambda _: centre_admin.set_active(actor("sophie"), user_id("kevin"), False),
        {events.SESSION: {"kevin"}, events.ACCOUNTS: {"sophie"}}),
    # Another admin: the centre's admins' list (she herself has no screen open yet).
    "centre_admin.create_admin": Scenario(
        lambda _: centre_admin.create_admin(actor("sophie"), display_name="Paul Dubois", login="paul"),
        {events.ACCOUNTS: {"sophie"}}),
    # A reset: her open screens close at once, the admins' list changes; nobody else.
    "centre_admin.reset_access": Scenario(
        lambda _: centre_admin.reset_access(actor("sophie"), user_id("julie")),
        {events.SESSION: {"julie"}, events.ACCOUNTS: {"sophie"}}, prepare=_julie_with_app),
    # A new link for someone whose link was never used: it shows only on its maker's screen.
    "centre_admin.new_link": Scenario(
        lambda paul: centre_admin.new_link(actor("sophie"), paul), {},
        prepare=lambda: centre_admin.create_admin(actor("sophie"), display_name="Paul Dubois", login="paul").user_id),
    # The operator's first admin of a centre (command line): that centre's admins' list only.
    "enrolment.invite_new_admin": Scenario(
        lambda centre_id: enrolment.invite_new_admin(centre_id, display_name="Anne Lambert", login="anne"),
        {events.ACCOUNTS: {"sophie"}}, prepare=lambda: actor("sophie").centre_id),
    # The link used: the admins' list no longer says "link not used yet"; a screen of hers still
    # open somewhere (here: none, the reset closed them) would close.
    "enrolment.set_password": Scenario(
        lambda code: enrolment.set_password(code, "une phrase assez longue"), {events.ACCOUNTS: {"sophie"}},
        prepare=lambda: centre_admin.reset_access(actor("sophie"), user_id("julie")).code),
    # Her data in her hands: an audit row only, no screen shows it.
    "privacy.export_for": Scenario(lambda _: privacy.export_for(actor("kevin")), {}),
    # Erased: her screens close, the admins' list changes, she leaves her coach's and trainer's
    # lists (told as everyone who saw her file: services/policy.py).
    "privacy.erase": Scenario(
        lambda _: privacy.erase(actor("sophie"), user_id("kevin"), "asked_by_trainee"),
        {events.SESSION: {"kevin"}, events.ACCOUNTS: {"sophie"},
         events.SUPPORT: {"julie", "marc", "sophie"}}),
    "auth.revoke_all_sessions": Scenario(
        lambda _: auth.revoke_all_sessions(user_id("kevin")), {events.SESSION: {"kevin"}}),
    "auth.sign_out": Scenario(
        lambda token: auth.sign_out(auth.token_hash(token)), {events.SESSION: {"kevin"}},
        prepare=lambda: auth.sign_in("kevin", "parcours-kevin").token),
    "auth.sign_in": Scenario(lambda _: auth.sign_in("kevin", "parcours-kevin"), {}),
    "auth.set_password": Scenario(lambda _: auth.set_password(user_id("kevin"), "un-mot-de-passe-long"), {}),
    "auth.actor_for_token": Scenario(  # writes, once a minute at most, only when it was last seen
        lambda token: auth.actor_for_token(token), {}, prepare=lambda: auth.sign_in("kevin", "parcours-kevin").token),
    "auth.actor_for_token_hash": Scenario(
        lambda token: auth.actor_for_token_hash(auth.token_hash(token)), {},
        prepare=lambda: auth.sign_in("kevin", "parcours-kevin").token),
    "auth.touch_sessions": Scenario(
        lambda _: auth.touch_sessions(), {},
        prepare=lambda: auth.actor_for_token(auth.sign_in("kevin", "parcours-kevin").token)),
    "accounts.set_locale": Scenario(lambda _: accounts.set_locale(actor("amina"), "ar"), {events.ACCOUNT: {"amina"}}),
    "invitations.create_invitation": Scenario(
        lambda _: invitations.create_invitation(actor("sophie"), user_id("fatou")), {}),
    # Fatou's account is in use (a password): a new phone signs her other phones out.
    "invitations.redeem": Scenario(
        lambda code: invitations.redeem(code), {events.SESSION: {"fatou"}},
        prepare=lambda: invitations.create_invitation(actor("sophie"), user_id("fatou")).code),
    "invitations.set_pin": Scenario(
        lambda _: invitations.set_pin(actor("fatou"), "482913"), {events.ACCOUNTS: {"sophie"}}),
    # Her phone's 10th wrong PIN: it is blocked; her coach and her centre's admin, who both list
    # blocked phones, are told (their screens, a push).
    "devices.failed": Scenario(
        lambda device_id: devices.failed(device_id, utcnow()), {events.SECURITY: {"julie", "sophie"}},
        prepare=lambda: _amina_phone(failures=9), pushes={push.PHONE_BLOCKED: {"julie", "sophie"}}),
    "devices.used": Scenario(lambda device_id: devices.used(device_id, utcnow()), {},
                             prepare=lambda: _amina_phone(failures=3)),
    "pathway_admin.set_label": Scenario(
        lambda _: pathway_admin.set_label(actor("sophie"), "skill", skill_ids("defi-fle-alpha")[0], "en", "Hello"),
        {events.PATHWAY: FLE_PATHWAY}),
    "pathway_admin.set_retired": Scenario(
        lambda _: pathway_admin.set_retired(actor("sophie"), skill_ids("defi-fle-alpha")[7], True),
        {events.PATHWAY: FLE_PATHWAY}),
    "pathway_admin.import_pathway": Scenario(
        lambda text: pathway_admin.import_pathway(actor("sophie"), text, "fle.yaml"),
        {events.PATHWAY: FLE_PATHWAY}, prepare=_exported_fle),
    "pathways.load_pathway_specs": Scenario(
        lambda text: pathways.load_pathway_specs([pathways.parse_pathway_text(text, "fle.yaml")]),
        {events.PATHWAY: FLE_PATHWAY}, prepare=_exported_fle),
    "pathways.load_pathway_files": Scenario(lambda _: pathways.load_pathway_files(), {}),  # unchanged: nobody
    "demo.seed_demo": Scenario(lambda _: demo.seed_demo(), {}),  # present already: nobody
    # Retention: ended sessions, used codes, old audit rows: nobody has them open.
    "retention.run": Scenario(lambda _: retention.run(), {}),
    # Her pathway ended long ago: the same erasure as an admin's, told to the same people.
    "privacy.anonymise_for_retention": Scenario(
        lambda _: privacy.anonymise_for_retention(user_id("kevin")),
        {events.SESSION: {"kevin"}, events.ACCOUNTS: {"sophie"}, events.SUPPORT: {"julie", "marc", "sophie"}}),
    # Reading leaves a trace (who opened what of whose), shown on no open screen.
    "audit.opened": Scenario(lambda _: audit.opened(actor("julie"), "messages", user_id("amina")), {}),
    "consent.accept": Scenario(
        lambda _: consent.accept(actor("nadia"), consent.VERSIONS[consent.TRAINEE], "fr"), {},
        prepare=lambda: centre_admin.create_account(actor("sophie"), role="trainee", display_name="Nadia Ben",
                                                    login="nadia")),
    # The demo goes, with every row that leads to it: nobody may be signed in to it any more.
    "demo.remove_demo": Scenario(lambda _: demo.remove_demo(), {}),
    # She takes her yes back: everyone who sees her file is told (her coaches' lists say so),
    # her own screens ask her terms again.
    "consent.withdraw": Scenario(lambda _: consent.withdraw(actor("amina")),
                                 {events.SUPPORT: {"amina", "julie", "marc", "sophie"}, events.SESSION: {"amina"}}),
    # A person's own second factor: no screen shows it, so nobody hears of it.
    "second_factor.start_setup_signing_in": Scenario(
        lambda hashed: second_factor.start_setup_signing_in(hashed), {}, prepare=_sophie_waiting),
    "second_factor.confirm_setup_signing_in": Scenario(
        lambda waiting: second_factor.confirm_setup_signing_in(waiting[0], code_for(waiting[1])), {},
        prepare=lambda: (lambda hashed: (hashed, second_factor.start_setup_signing_in(hashed).secret))(
            _sophie_waiting())),
    "second_factor.verify_signing_in": Scenario(
        lambda secret: second_factor.verify_signing_in(_sophie_waiting(), code_for(secret, step_offset=1)), {},
        prepare=_sophie_with_app),
    "second_factor.start_setup": Scenario(lambda _: second_factor.start_setup(actor("julie")), {}),
    "second_factor.confirm_setup": Scenario(
        lambda secret: second_factor.confirm_setup(actor("julie"), code_for(secret)), {},
        prepare=lambda: second_factor.start_setup(actor("julie")).secret),
    "second_factor.new_recovery_codes": Scenario(
        lambda secret: second_factor.new_recovery_codes(actor("julie"), code_for(secret, step_offset=1)), {},
        prepare=_julie_with_app),
    "second_factor.turn_off": Scenario(
        lambda secret: second_factor.turn_off(actor("julie"), code_for(secret, step_offset=1)), {},
        prepare=_julie_with_app),
    # The pushes of a committed action, in the background: a phone its push service says is gone
    # is removed, and her Notifications card shows one phone fewer.
    "push_sender.notify": Scenario(_pushed_to_a_gone_phone, {events.ACCOUNT: {"amina"}}, prepare=_gone_phone),
    "push.subscribe": Scenario(
        lambda _: _phone_subscribed("amina"), {events.ACCOUNT: {"amina"}}),
    # Her share link: her own passport screen only (nobody else has it open).
    "badges.share": Scenario(lambda _: badges.share(actor("amina"), skill_ids("defi-fle-alpha")[:2]),
                             {events.SHARE: {"amina"}}),
    "badges.withdraw": Scenario(lambda _: badges.withdraw(actor("amina")), {events.SHARE: {"amina"}},
                                prepare=lambda: badges.share(actor("amina"), skill_ids("defi-fle-alpha")[:2])),
    # An employer opens the link: audited, on nobody's screen.
    "badges.public_share": Scenario(
        lambda url: badges.public_share(url.rsplit("/", 1)[1], "fr"), {},
        prepare=lambda: badges.share(actor("amina"), skill_ids("defi-fle-alpha")[:2]).url),
    "push.set_kinds": Scenario(
        lambda _: push.set_kinds(actor("amina"), []), {events.ACCOUNT: {"amina"}},
        prepare=lambda: _phone_subscribed("amina")),
    "push.unsubscribe": Scenario(
        lambda _: push.unsubscribe(actor("amina"), FCM + "amina"), {events.ACCOUNT: {"amina"}},
        prepare=lambda: _phone_subscribed("amina")),
    # At start, the process hands its queued pushes to push_sender.notify (the writer above):
    # wiring it again sends and writes nothing.
    "push_sender.wire": Scenario(lambda _: push_sender.wire(), {}),
}


def test_every_writing_function_has_a_scenario():
    writers = writing_functions()
    assert "messages.send_message" in writers and "goals.agree_goal" in writers  # the derivation works
    assert "push_sender.notify" in writers  # its job, run by an executor, removes gone phones
    assert "messages.list_messages" not in writers and "badges.my_share" not in writers
    assert sorted(writers - set(SCENARIOS)) == [], "a writing function without its event scenario"
    assert sorted(set(SCENARIOS) - writers) == [], "a scenario for a function that does not write"


_SOURCES = {
    "notes": """
from . import db
from .store import save as keep


def add(text):
    with db.unit_of_work() as s:
        s.add(text)


async def add_later(text):
    add(text)


def _job(text):
    with db.unit_of_work() as s:
        s.add(text)


def queue(pool, text):
    pool.submit(_job, text)  # run later, in another thread


def in_a_thread(text):
    import threading
    threading.Thread(target=_job, args=(text,)).start()


STEPS = [_job]


def run_steps(text):
    for step in STEPS:
        step(text)


def read(add):
    return add  # an argument that shadows the writer: no call


def keep_it(text):
    keep(text)


class Box:
    def put(self, text):
        with db.unit_of_work() as s:
            s.add(text)

    def put_twice(self, text):
        self.put(text)
        self.put(text)

    def _private(self, text):
        self.put(text)


def fill(box, text):
    box.put(text)
""",
    "store": """
from . import db


def save(text):
    with db.unit_of_work() as s:
        s.add(text)
""",
}


def test_the_derivation_finds_every_way_of_writing():
    assert writing_functions(_SOURCES) == {
        "notes.add", "notes.add_later",                     # sync and async
        "notes.queue", "notes.in_a_thread", "notes.STEPS", "notes.run_steps",  # callbacks
        "notes.keep_it", "store.save",                      # through an imported name
        "notes.Box.put", "notes.Box.put_twice", "notes.fill",  # methods, and a call on an object
    }


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_action_tells_exactly_the_people_concerned(demo_db, published, hours_clock, name):
    scenario = SCENARIOS[name]
    prepared = scenario.prepare()
    published.events.clear()
    published.pushes.clear()
    published.logins_before = _logins()
    del db.unannounced[:]
    scenario.act(prepared)
    assert published.received() == scenario.expected
    assert published.pushed() == scenario.pushes
    assert db.unannounced == [], "a write told nobody"
    for _ids, event in published.events:  # kind and ids only, never content
        assert set(event) == {"kind", "actor", "trainee", "id"}
        assert all(isinstance(v, int) for k, v in event.items() if k != "kind")


def test_the_commit_sends_what_it_queued_its_events_and_its_pushes(demo_db, published):
    """The unit of work's commit hook (db.listen) runs events.after_commit, which hands the
    events to the bus and the pushes to the listener wired at start (push_sender)."""
    published.events.clear()
    published.pushes.clear()
    _committed_with_an_event_and_a_push()
    assert published.received() == {events.ACCOUNT: {"amina"}}
    assert published.pushed() == {push.MESSAGE: {"amina"}}


def test_a_rolled_back_unit_of_work_tells_nobody(demo_db, published):
    published.events.clear()
    published.pushes.clear()
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        events.publish(s, events.ACCOUNT, [user_id("amina")], push=push.MESSAGE, push_to=[user_id("amina")])
        raise RuntimeError("the action failed")
    assert published.received() == {} and published.pushed() == {}


def test_the_tenth_wrong_authenticator_code_tells_the_person_and_her_admins(demo_db, published, clock):
    """Not a scenario of its own (verify_signing_in is): wrong codes tell nobody, until the 10th
    in a row, which tells her and her centre's admins, on their screens and their phones."""
    secret = _julie_with_app()
    right = {code_for(secret, step_offset=k) for k in (-1, 0, 1, 2)}
    wrong = [c for c in (f"{n:06d}" for n in range(100)) if c not in right][:10]
    for n, guess in enumerate(wrong):
        published.events.clear()
        published.pushes.clear()
        hashed = auth.token_hash(auth.sign_in("julie", "parcours-julie").token)
        clock.advance(15 * 60)  # past any wait
        with pytest.raises(InvalidInput):
            second_factor.verify_signing_in(hashed, guess, client=f"192.0.2.{n}")
        if n < 9:
            assert published.received() == {} and published.pushed() == {}
    assert published.received() == {events.SECURITY: {"julie", "sophie"}}
    assert published.pushed() == {push.CODES_WRONG: {"julie", "sophie"}}


def test_nothing_is_published_before_the_commit_or_after_a_rollback(demo_db, published):
    julie, amina = actor("julie"), user_id("amina")
    with pytest.raises(RuntimeError):
        with db.unit_of_work() as s:
            events.publish(s, events.MESSAGE, [amina], trainee_id=amina)
            assert published.events == []  # not before the commit
            raise RuntimeError("the action failed")
    assert published.events == []
    messages.send_message(julie, amina, "same-client-id-1", "Bonjour")
    published.events.clear()
    messages.send_message(julie, amina, "same-client-id-1", "Bonjour")  # a retry: nothing new
    assert published.events == [] and db.unannounced == []


def test_a_refused_action_tells_nobody(demo_db, published):
    from cisp_pwa.services.errors import AccessDenied

    with pytest.raises(AccessDenied):
        messages.send_message(actor("luc"), user_id("amina"), _cid(), "Pas ma stagiaire")
    with pytest.raises(AccessDenied):
        coach_notes.add_note(actor("marc"), user_id("amina"), "Un formateur n'écrit pas ici")
    assert published.events == [] and published.pushes == []


def test_checking_a_session_does_not_write(demo_db, published, monkeypatch):
    token = auth.sign_in("amina", "parcours-amina").token
    monkeypatch.setattr(auth, "_last_touch", time.monotonic())  # the once-a-minute write just ran
    statements = []
    from sqlalchemy import event as sa_event

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    sa_event.listen(db.engine(), "before_cursor_execute", note)
    try:
        for _ in range(20):
            assert auth.actor_for_token(token).id == user_id("amina")
    finally:
        sa_event.remove(db.engine(), "before_cursor_execute", note)
    assert set(statements) - {"BEGIN", "COMMIT", "ROLLBACK"} == {"SELECT"}


def test_when_a_session_was_last_used_is_written_once_a_minute_without_a_read(demo_db, monkeypatch):
    from cisp_pwa.models import AuthSession, utcnow

    token = auth.sign_in("amina", "parcours-amina").token
    later = utcnow() + timedelta(hours=3)
    monkeypatch.setattr(auth, "_last_touch", time.monotonic() - auth._TOUCH_EVERY_SECONDS)
    assert auth.actor_for_token(token, now=later) is not None  # used 3 hours later: written now
    with db.reading() as s:
        assert s.scalar(select(AuthSession.last_seen_at)) >= later - timedelta(seconds=1)
    # 3 h 59 min after that last use, the session is still open (4 hours idle closes it).
    assert auth.actor_for_token(token, now=later + timedelta(hours=3, minutes=59)) is not None
