"""One conversation (a trainee and their coaches), seen by the trainee or by a coach."""

from __future__ import annotations

from typing import ClassVar

import dataclasses

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.conversations import messages, voice
from cisp_pwa.services.errors import AccessDenied, ServiceError, Throttled
from cisp_pwa.services.infra import audit, events

from . import offline_copy
from .live import LiveState
from .session import screen, signed_in


SHOWN_MAX = 500  # messages one open screen holds at most


@dataclasses.dataclass
class MessageRow:
    id: int
    client_id: str
    sender_name: str
    mine: bool
    body: str
    time: str
    voice_ms: int = 0  # a voice message: its length (components/voice_recorder.py plays it)
    duration: str = ""  # "0:42"
    listened: bool = False  # one's own voice message: the other side has started to listen


def clock(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ConversationState(LiveState):
    """Shared by the trainee's Messages screen and the coach's conversation screen."""

    LISTENS: ClassVar[frozenset[str]] = frozenset({events.MESSAGE, events.READ, events.LISTENED})
    loaded: bool = False
    trainee_id: int = 0
    trainee_name: str = ""
    messages: list[MessageRow] = []  # oldest first: the latest page, and older pages asked for
    has_older: bool = False  # older messages than those shown exist ("Messages plus anciens")
    read_up_to: int = 0  # the other side has read the actor's messages up to this id ("Lu")
    error: str = ""
    # The message the server refused last (message_composer.jsx takes it out of "sending"), and
    # whether sending it again later can work (too many at once) or not (too long, not allowed).
    refused_client_id: str = ""
    refused_can_retry: bool = False
    _complete_up_to: int = 0  # every message up to this id is shown (one's own sends aside)
    offline_copy: list[dict] = []  # the trainee's screen as the phone keeps it for offline reading

    @rx.var
    def sent_client_ids(self) -> list[str]:
        return [m.client_id for m in self.messages if m.mine]

    @rx.var
    def last_id(self) -> int:
        """The newest message shown: the screen follows it (components/thread_follow.jsx)."""
        return self.messages[-1].id if self.messages else 0

    @rx.var
    def last_mine(self) -> bool:
        return bool(self.messages) and self.messages[-1].mine

    def _watched_trainee(self) -> int:
        return self.trainee_id

    def _load(self, actor: Actor) -> None:
        """Show the latest messages; the person has now seen them: mark them read."""
        self.messages, self._complete_up_to, self.has_older = [], 0, False
        self.refused_client_id, self.error = "", ""
        fetched = messages.list_messages(actor, self.trainee_id, limit=messages.PAGE + 1)
        self.has_older = len(fetched) > messages.PAGE
        self._add_new(actor, fetched=fetched[-messages.PAGE:])
        self.read_up_to = messages.read_up_to(actor, self.trainee_id)
        self.loaded = True

    def _add_new(self, actor: Actor, announced: list[int] = (), fetched: list | None = None) -> bool:
        """Fetch only the messages this screen may not have yet; mark them read. True if any.
        `announced`: ids events named. On PostgreSQL two messages may commit in the other order
        than their ids: one announced below what the screen holds is fetched from there."""
        if fetched is None:
            after = min([self._complete_up_to, *(i - 1 for i in announced)])
            # All that came since (a screen back from a dropped connection), not just a page.
            fetched = messages.list_messages(actor, self.trainee_id, limit=SHOWN_MAX, after_id=after)
        if not fetched:
            return False
        self._complete_up_to = max(self._complete_up_to, fetched[-1].id)
        shown = {m.id for m in self.messages}
        new = [self._row(actor, m) for m in fetched if m.id not in shown]
        if any(not m.mine for m in new):
            messages.mark_read(actor, self.trainee_id)
        if new:
            self._show(sorted(self.messages + new, key=lambda m: m.id), actor)
        return bool(new)

    def _show(self, rows: list[MessageRow], actor: Actor) -> None:
        if len(rows) > SHOWN_MAX:  # a screen left open for weeks: the oldest go, as older pages
            rows, self.has_older = rows[-SHOWN_MAX:], True
        self.messages = rows
        if actor.role == Role.trainee:
            self.unread = 0
            voice = i18n.gettext_for(actor.locale)("Message vocal")
            self.offline_copy = [offline_copy.section("", [
                offline_copy.item(m.body or f"{voice} ({m.duration})", m.time, mine=m.mine,
                                  author="" if m.mine else m.sender_name,
                                  **({"voice": True} if m.voice_ms else {}))
                for m in rows
            ])]

    @staticmethod
    def _row(actor: Actor, m: messages.MessageView) -> MessageRow:
        return MessageRow(m.id, m.client_id, m.sender_name, m.mine, m.body,
                          i18n.format_datetime(m.created_at, actor.locale), m.voice_ms,
                          clock(m.voice_ms) if m.voice_ms else "",
                          m.mine and m.listened)  # one's own only, as `_refresh_listened` keeps it

    def _apply(self, actor: Actor, batch: list[dict]) -> None:
        # Messages are never edited or removed: a resync is the newer ones and the read marks.
        kinds = {e["kind"] for e in batch}
        resync = bool(kinds - {events.MESSAGE, events.READ, events.LISTENED})
        if resync or events.MESSAGE in kinds:
            self._add_new(actor, [e["id"] for e in batch if e["kind"] == events.MESSAGE])
        # A message of the other side says they read up to it too (one has read what one wrote).
        if resync or kinds & {events.MESSAGE, events.READ}:
            read = messages.read_up_to(actor, self.trainee_id)
            if read != self.read_up_to:
                self.read_up_to = read
        if resync or events.LISTENED in kinds:
            self._refresh_listened(actor)

    def _refresh_listened(self, actor: Actor) -> None:
        """The "Écouté" marks of one's own voice messages shown (changed rows only)."""
        waiting = [m.id for m in self.messages if m.mine and m.voice_ms and not m.listened]
        if not waiting:
            return
        heard = voice.listened_among(actor, self.trainee_id, waiting)
        if heard:
            self.messages = [dataclasses.replace(m, listened=True) if m.id in heard else m for m in self.messages]

    def _counts_unread(self, actor: Actor, batch: list[dict]) -> bool:
        return False  # this screen shows the messages: they are read here

    @rx.event
    @signed_in()  # the trainee's screen and the coach's alike
    def send(self, actor: Actor, client_id: str, body: str):
        # Refused (too long, too many, not allowed): the reason shows at once (guard.py), and
        # the message box knows which message, and whether to offer a retry.
        try:
            sent = messages.send_message(actor, self.trainee_id, client_id, body)
        except ServiceError as exc:
            self.refused_client_id, self.refused_can_retry = client_id, isinstance(exc, Throttled)
            raise
        self.error, self.refused_client_id = "", ""
        # Shown at once and once: messages of others that came just before it arrive through
        # their own events (fetched from `_complete_up_to`), then take their place by id.
        if all(m.id != sent.id for m in self.messages):
            self._show(sorted(self.messages + [self._row(actor, sent)], key=lambda m: m.id), actor)

    @rx.event
    @signed_in()
    def load_older(self, actor: Actor):
        """The page before the oldest message shown (the screen keeps its place: scroll anchoring)."""
        if not self.messages:
            return
        fetched = messages.list_messages(actor, self.trainee_id, limit=messages.PAGE + 1,
                                         before_id=self.messages[0].id)
        self.has_older = len(fetched) > messages.PAGE
        self.messages = [self._row(actor, m) for m in fetched[-messages.PAGE:]] + self.messages


class TraineeMessagesState(ConversationState):
    @rx.event
    @screen(Role.trainee, routes.MESSAGES)
    def load(self, actor: Actor):
        self.trainee_id, self.trainee_name = actor.id, actor.display_name
        self._load(actor)


class CoachConversationState(ConversationState):
    missing: bool = False

    @rx.event
    @screen(Role.coach, routes.CONVERSATION)
    def load(self, actor: Actor):
        self.loaded, self.missing, self.messages = False, False, []
        try:
            self.trainee_id = int(self.router.url.query_parameters.get("trainee", "0"))
            self._load(actor)
        except (ValueError, AccessDenied):
            # Unknown or not theirs: the same answer, and nothing shown.
            self.trainee_id, self.missing, self.loaded = 0, True, True
            return []  # nothing to show: no live updates
        self.trainee_name = messages.trainee_name(actor, self.trainee_id)
        audit.opened(actor, "messages", self.trainee_id)  # she sees who opened her messages
