"""Every live screen, brought up to date by the events of a real action, shows what a fresh load
shows (Zulip's verify_action, for the screens of state/live.py, without a browser).

The screens are derived from the code: every subclass of LiveState (a class with subclasses of
its own is their common part, tested through them). For each screen and each event kind it
listens to (`LISTENS`): its user opens it on demo data in a real database, a real service
action publishes that kind, the events the user's open screens receive (a subscription on the
in-process hub, as the screen's own loop has) go through the screen's `_apply`, and then every
var of the screen equals what the same page, opened afresh, shows.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import yaml
from sqlalchemy import select

from cisp_pwa import settings
from cisp_pwa.models import Pathway, SelfAssessment, TrustedDevice, utcnow
from cisp_pwa.services.conversations import messages, voice
from cisp_pwa.services.credentials import badges
from cisp_pwa.services.follow_up import coach_notes, goals
from cisp_pwa.services.help import partners, referrals
from cisp_pwa.services.hours import groups, ledger, months, notices, timetable
from cisp_pwa.services.infra import bus, db, events, push_sender
from cisp_pwa.services.people import centre_admin, devices
from cisp_pwa.services.skills import assessments, pathway_admin, validations
from cisp_pwa.state.live import LiveState
from tests.recordings import WEBM
from tests.services.helpers import actor, phone_for, signed_in, skill_ids, user_id

from .helpers import OPENINGS, open_screen, run, states


def live_screens() -> list[type[LiveState]]:
    """Every live screen: the subclasses of LiveState, at any depth, that have none of their own."""
    return [cls for cls in states(LiveState) if not cls.__subclasses__()]


# --- one real action per event kind ---------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    act: Callable[[object], object]                               # gets what `prepare` returned
    prepare: Callable[[str], object] = field(default=lambda viewer: None)  # before the screen opens; gets
                                                                           # who opens it


def _cid() -> str:
    return str(uuid.uuid4())


def _namur_service(category: str) -> int:
    return next(v.id for v in partners.directory(actor("amina")) if v.category == category)


def _pathway_id(code: str) -> int:
    with db.reading() as s:
        return s.scalar(select(Pathway.id).where(Pathway.code == code))


def _new_assessment(_viewer: str) -> int:
    assessments.self_assess(actor("amina"), skill_ids("defi-fle-alpha")[3], 2)
    with db.reading() as s:
        return s.scalar(select(SelfAssessment.id).where(SelfAssessment.trainee_id == user_id("amina"))
                        .order_by(SelfAssessment.id.desc()))


def _amina_phone_at_nine_wrong_pins(_viewer: str) -> int:
    secret = phone_for("amina")
    with db.unit_of_work() as s:
        device = s.scalar(select(TrustedDevice).where(TrustedDevice.secret_hash == devices.secret_hash(secret)))
        device.failures = 9
        events.nobody(s)
        return device.id


def _last_two_sessions() -> list[tuple]:
    """The demo group's two latest sessions up to today (day, starts), oldest first."""
    from datetime import timedelta

    from cisp_pwa.models import TrainingGroup

    today = timetable.today()
    with db.reading() as s:
        group = s.scalar(select(TrainingGroup).where(TrainingGroup.code == "fle-alpha-1"))
        found = timetable.sessions(s, group, today - timedelta(days=21), today)
        return [(group.id, x.day, x.starts) for x in found[-2:]]


def _absent(session: tuple) -> None:
    group_id, day, starts = session
    ledger.take(actor("marc"), group_id, day, starts, [{"trainee": user_id("amina"), "presence": "absent"}])


def _one_absence(_viewer: str) -> tuple:
    """Amina missed the session before the last one; the last one is still to mark."""
    earlier, last = _last_two_sessions()
    _absent(earlier)
    return last


# In amina's conversation: the other side of each.
OTHER_SIDE = {"amina": "julie", "julie": "amina"}


def _written_by(viewer: str) -> str:
    """A message of the viewer's, not read yet by the other side (writing reads what came before);
    who will read it."""
    messages.send_message(actor(viewer), user_id("amina"), _cid(), "Un mot")
    return OTHER_SIDE[viewer]


def _voices(viewer: str) -> dict[str, int]:
    """A voice message from each side; listener -> the message she will listen to."""
    return {OTHER_SIDE[sender]: voice.send_voice(actor(sender), user_id("amina"), _cid(), "audio/webm", WEBM, 2000).id
            for sender in (viewer, OTHER_SIDE[viewer])}


def _renamed_housing(_viewer: str) -> str:
    """The region's directory with the housing service renamed, as its admin imports it; amina
    has a referral to it (her file and her help screen name it)."""
    referrals.propose(actor("julie"), user_id("amina"), _namur_service("housing"), "Un logement", "", None)
    housing = next(v.code for v in partners.directory(actor("amina")) if v.category == "housing")
    data = yaml.safe_load(partners.export_services(actor("sophie"))[1])
    next(v for v in data["services"] if v["code"] == housing)["name"] = "Un toit pour tous"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _renamed_pathway(_) -> None:
    """Her pathway's name and one of its skills, in the screens' language."""
    sophie, fle = actor("sophie"), _pathway_id("defi-fle-alpha")
    pathway_admin.set_label(sophie, "pathway", fle, "fr", "Lire et écrire en français")
    pathway_admin.set_label(sophie, "skill", skill_ids("defi-fle-alpha")[0], "fr", "Dire bonjour et son nom")


ACTIONS: dict[str, Action] = {
    events.MESSAGE: Action(lambda _: messages.send_message(actor("amina"), user_id("amina"), _cid(), "Une question")),
    # The other side reads what the viewer wrote ("Lu"); each listens to the other's voice message
    # ("Écouté" on the viewer's own, nothing on the other's).
    events.READ: Action(lambda reader: messages.mark_read(actor(reader), user_id("amina")), prepare=_written_by),
    events.LISTENED: Action(lambda voices: [voice.mark_listened(actor(who), message_id)
                                            for who, message_id in voices.items()], prepare=_voices),
    events.GOALS: Action(lambda _: goals.propose_goal(actor("julie"), user_id("amina"), title="Un but", theme="work")),
    events.COACH_NOTE: Action(lambda _: coach_notes.add_note(actor("julie"), user_id("amina"), "Vu ensemble le CPAS")),
    # A skill still to assess, and one of her passport (validated) again.
    events.ASSESSMENT: Action(lambda _: [assessments.self_assess(actor("amina"), skill_ids("defi-fle-alpha")[i], 2)
                                         for i in (3, 0)]),
    events.VALIDATION: Action(lambda assessment_id: validations.confirm(actor("marc"), assessment_id),
                              prepare=_new_assessment),
    # Another pathway for her: her skills, her staff's lists, everything about her changes.
    events.SUPPORT: Action(lambda _: centre_admin.enrol(actor("sophie"), user_id("amina"),
                                                        _pathway_id("defi-numerique"))),
    events.PATHWAY: Action(_renamed_pathway),
    events.REFERRAL: Action(lambda _: referrals.propose(actor("julie"), user_id("amina"), _namur_service("housing"),
                                                        "Un logement", "", None)),
    events.PARTNERS: Action(lambda text: partners.import_services(actor("sophie"), text, "namur.yaml"),
                            prepare=_renamed_housing),
    events.SECURITY: Action(lambda device_id: devices.failed(device_id, utcnow()),
                            prepare=_amina_phone_at_nine_wrong_pins),
    events.SHARE: Action(lambda _: badges.share(actor("amina"), skill_ids("defi-fle-alpha")[:2])),
    # She will be absent today (the hours' clock is the real one here: today is always a day she may announce).
    events.HOURS: Action(lambda _: notices.announce(actor("amina"), timetable.today(), "absent", "sick")),
    # The admin makes a group (after the demo's by name: a screen open on that one stays on it);
    # her screens of the centre's groups list it.
    events.GROUPS: Action(lambda _: groups.create_group(actor("sophie"), "soir-1", "Soir 1", "defi-fle-alpha")),
}

# Where a kind means another change on a screen: on the coach's home, READ is her own reading
# elsewhere (her unread count), not the trainee's.
ACTIONS_ON: dict[tuple[str, str], Action] = {
    ("CoachHomeState", events.READ): Action(lambda reader: messages.mark_read(actor(reader), user_id("amina")),
                                            prepare=lambda viewer: _written_by(OTHER_SIDE[viewer]) and viewer),
    # Her second absence in a row, not justified: her coach's list flags her.
    ("CoachHomeState", events.HOURS): Action(_absent, prepare=_one_absence),
    # The centre's rates: what her hours bring.
    ("MyHoursState", events.GROUPS): Action(lambda _: months.set_rates(actor("sophie"), 150, 350)),
    ("TraineeFileState", events.GROUPS): Action(lambda _: months.set_rates(actor("sophie"), 150, 350)),
    # The admin's Heures screen shows the rates.
    ("HoursAdminState", events.GROUPS): Action(lambda _: months.set_rates(actor("sophie"), 125, 420)),
}

CASES = [(screen, kind) for screen in live_screens() for kind in sorted(screen.LISTENS)]


def test_every_live_screen_and_every_kind_it_listens_to_is_covered():
    screens = {cls.__name__ for cls in live_screens()}
    assert "TraineeHomeState" in screens and "ConversationState" not in screens  # the derivation works
    assert sorted(screens - set(OPENINGS)) == [], "a live screen nobody opens here: add it to helpers.OPENINGS"
    listened = {kind for cls in live_screens() for kind in cls.LISTENS}
    assert sorted(listened - set(ACTIONS)) == [], "a kind a screen listens to without an action here"
    assert set(ACTIONS) <= set(events.KINDS)


def _shown(screen: LiveState) -> dict[str, object]:
    """Every var the screen itself holds (its own, and those of its common part): what its page
    shows. LiveState's `unread` is the Messages tab's, counted by the loop, not by `_apply`."""
    cls = type(screen)
    owners = {c for c in cls.__mro__ if isinstance(c, type) and issubclass(c, LiveState) and c is not LiveState}
    names = [name for name, f in cls.__fields__.items() if f._owner in owners]
    names += [name for c in owners for name in c.computed_vars]
    return {name: getattr(screen, name) for name in sorted(set(names))}


@pytest.fixture
def in_process_bus(monkeypatch, tmp_path):
    """The hub of one process, as `make run` has it; a data folder of this test's (push and badge keys)."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    bus.reset()
    yield bus
    push_sender.wait_idle(10)  # the pushes the actions queued: done before the next test empties the tables
    bus.reset()


@pytest.mark.parametrize("cls, kind", CASES, ids=[f"{cls.__name__}-{kind}" for cls, kind in CASES])
def test_a_live_screen_brought_up_to_date_shows_what_a_fresh_load_shows(demo_db, in_process_bus, cls, kind):
    login, query = OPENINGS[cls.__name__]
    query = query.format(amina=user_id("amina"))
    token = signed_in(login).token
    viewer = actor(login)
    action = ACTIONS_ON.get((cls.__name__, kind), ACTIONS[kind])
    prepared = action.prepare(login)

    async def scenario():
        subscription = await bus.hub().subscribe(viewer.id)  # as the screen's loop: before its load
        try:
            screen, then = await open_screen(cls, token, query)
            assert then is cls.watch, "the load did not start the screen's live updates"
            await subscription.next_batch(0.05)  # what the load itself published (an audit row: nothing)
            action.act(prepared)
            batch = await subscription.next_batch(5) or []
        finally:
            subscription.close()
        mine = [e for e in batch if screen._concerns(e)]
        assert kind in {e["kind"] for e in mine}, f"{login}'s screen never heard of the {kind}"
        before = copy.deepcopy(_shown(screen))  # what it showed, whatever `_apply` changes in place
        screen._apply(viewer, mine)
        fresh, _ = await open_screen(cls, token, query)
        return before, _shown(screen), _shown(fresh)

    before, applied, fresh = run(scenario())
    assert applied == fresh
    # Else the action proves nothing about `_apply`: choose one this screen shows.
    assert before != fresh, f"the {kind} changed nothing on this screen"


@pytest.mark.parametrize("cls", live_screens(), ids=lambda cls: cls.__name__)
def test_each_live_screen_opens_for_its_user_and_starts_its_updates(demo_db, in_process_bus, cls):
    """Those that listen to no kind too (their unread count and the session only)."""
    login, query = OPENINGS[cls.__name__]
    screen, then = run(open_screen(cls, signed_in(login).token, query.format(amina=user_id("amina"))))
    assert then is cls.watch
    assert screen.user_id == user_id(login) and screen.loaded
