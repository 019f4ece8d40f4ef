"""A person's account: what a new one's name, login and language must be (checked the same
whoever makes it: a centre's admin, or the operator for a new centre's first admin), and what a
signed-in person changes on her own."""

from __future__ import annotations

import re

from cisp_pwa import i18n
from cisp_pwa.models import User

from .. import free_text
from ..actor import Actor
from ..errors import InvalidInput
from ..infra import db, events
from . import auth

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,59}$")
NAME_MAX = 120


def checked_identity(display_name: str, login: str, locale: str) -> tuple[str, str, str]:
    """A new account's name, login and language, tidied; InvalidInput with the reason if not."""
    display_name = free_text.checked(display_name, NAME_MAX, empty="name_empty", too_long="name_too_long",
                                     one_line=True)
    login = auth.normalise_login(login if isinstance(login, str) else "")
    if not LOGIN.match(login):
        raise InvalidInput("login_invalid")
    if locale not in i18n.LOCALES:
        raise InvalidInput("unknown_locale")
    return display_name, login, locale


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
