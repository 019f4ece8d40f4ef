"""The phone's outbox meets the server: drafts made offline are delivered here, in order."""

from __future__ import annotations

import logging

import reflex as rx

from cisp_pwa.services.home import drafts

from .session import SessionState

logger = logging.getLogger(__name__)


class DraftsState(SessionState):
    delivered: list[str] = []  # ids the phone may forget: kept on the server, or refused for good
    refused: int = 0           # how many were refused, to tell the person

    @rx.event
    def deliver(self, outbox: list[dict]):
        actor = self._actor()
        if actor is None:
            return  # not signed in: the drafts wait on the phone for their author
        outcomes = drafts.deliver(actor, outbox if isinstance(outbox, list) else [])
        refused = [o for o in outcomes if o.outcome == drafts.REFUSED]
        if refused:  # the reasons only: a draft's content is never logged
            logger.info("drafts refused for account %s: %s", actor.id, sorted({o.reason for o in refused}))
        self.delivered = [o.id for o in outcomes]
        self.refused += len(refused)
