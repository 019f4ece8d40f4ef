"""What a signed-in person changes on their own account."""

from __future__ import annotations

from cisp_pwa import i18n
from cisp_pwa.models import User

from . import db, events
from .actor import Actor
from .errors import InvalidInput


def set_locale(actor: Actor, locale: str) -> Actor:
    """Keep the chosen language on the account, so every device opens in it."""
    if locale not in i18n.LOCALES:
        raise InvalidInput("unknown_locale")
    with db.unit_of_work() as s:
        user = s.get(User, actor.id)
        assert user is not None
        user.locale = locale
        events.publish(s, events.ACCOUNT, [actor.id], actor_id=actor.id)
        return Actor.of(user)
