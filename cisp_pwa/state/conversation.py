"""One conversation (a trainee and their coaches), seen by the trainee or by a coach."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.models import Role
from cisp_pwa.services import messages
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput

from . import offline_copy
from .live import LiveState
from .session import SessionState


@dataclasses.dataclass
class MessageRow:
    id: int
    client_id: str
    sender_name: str
    mine: bool
    body: str
    time: str
    read: bool


class ConversationState(LiveState):
    """Shared by the trainee's Messages screen and the coach's conversation screen."""

    loaded: bool = False
    trainee_id: int = 0
    trainee_name: str = ""
    messages: list[MessageRow] = []
    error: str = ""
    offline_copy: list[dict] = []  # the trainee's screen as the phone keeps it for offline reading

    @rx.var
    def sent_client_ids(self) -> list[str]:
        return [m.client_id for m in self.messages if m.mine]

    def _watched_trainee(self) -> int:
        return self.trainee_id

    def _load(self, actor: Actor) -> None:
        """Show the latest messages; the person has now seen them: mark them read."""
        messages.mark_read(actor, self.trainee_id)
        self.messages = [
            MessageRow(m.id, m.client_id, m.sender_name, m.mine, m.body,
                       i18n.format_datetime(m.created_at, actor.locale), m.read)
            for m in messages.list_messages(actor, self.trainee_id)
        ]
        if actor.role == Role.trainee:
            self.unread = 0
            self.offline_copy = [offline_copy.section("", [
                offline_copy.item(m.body, m.time, mine=m.mine, author="" if m.mine else m.sender_name)
                for m in self.messages
            ])]
        self.loaded = True

    @rx.event
    def send(self, client_id: str, body: str):
        actor = self._current_actor()
        if actor is None:
            return SessionState.session_over
        try:
            messages.send_message(actor, self.trainee_id, client_id, body)
        except InvalidInput as exc:
            self.error = exc.code
            return
        except AccessDenied:
            self.error = "not_allowed"
            return
        self.error = ""
        self._load(actor)


class TraineeMessagesState(ConversationState):
    @rx.event(background=True)
    async def watch(self):
        async for event in self._watch():
            yield event

    @rx.event
    async def load(self, locale: str):
        actor = await self._guard(locale, Role.trainee, routes.MESSAGES)
        if not isinstance(actor, Actor):
            return actor
        self.trainee_id, self.trainee_name = actor.id, actor.display_name
        self._load(actor)
        return TraineeMessagesState.watch


class CoachConversationState(ConversationState):
    @rx.event(background=True)
    async def watch(self):
        async for event in self._watch():
            yield event

    missing: bool = False

    @rx.event
    async def load(self, locale: str):
        actor = await self._guard(locale, Role.coach, routes.CONVERSATION)
        if not isinstance(actor, Actor):
            return actor
        self.loaded, self.missing, self.messages = False, False, []
        try:
            self.trainee_id = int(self.router.url.query_parameters.get("trainee", "0"))
            self._load(actor)
        except (ValueError, AccessDenied):
            # Unknown or not theirs: the same answer, and nothing shown.
            self.trainee_id, self.missing, self.loaded = 0, True, True
            return
        self.trainee_name = messages.trainee_name(actor, self.trainee_id)
        return CoachConversationState.watch
