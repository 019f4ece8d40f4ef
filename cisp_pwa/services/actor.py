"""The acting user every service call receives."""

from __future__ import annotations

from dataclasses import dataclass

from cisp_pwa.models import Role, User


@dataclass(frozen=True)
class Actor:
    id: int
    role: Role
    centre_id: int
    display_name: str
    locale: str

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(user.id, Role(user.role), user.centre_id, user.display_name, user.locale)
