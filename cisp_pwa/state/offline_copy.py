"""What a trainee's screen keeps on the phone to be read offline (components/offline.jsx).

Sections of plain items, already in the person's language: the phone shows them as they are,
with no server to ask. Only what the screen itself shows, of the signed-in trainee.
"""

from __future__ import annotations

from typing import Any

from cisp_pwa import i18n, words


def section(title: str, items: list[dict[str, Any]], icon: str = "") -> dict[str, Any]:
    return {"title": title, "items": items, "icon": icon}


def item(text: str, meta: str = "", **extra: Any) -> dict[str, Any]:
    return {"text": text, "meta": meta, **extra}


def goal_item(locale: str, title: str, status: str, target_date: str) -> dict[str, Any]:
    _ = i18n.gettext_for(locale)
    meta = words.goal_statuses(locale).get(status, "")
    if target_date:
        meta += " · " + _("Pour le") + " " + target_date
    return item(title, meta, icon=words.GOAL_STATUS_ICONS.get(status, ""))


def skill_item(locale: str, skill_id: int, label: str, state: str, self_level: int, trainer_level: int) -> dict[str, Any]:
    states = words.skill_states(locale)
    level = words.levels(locale)
    meta = states.get(state, "")
    if state in ("validated", "adjusted") and trainer_level:
        meta += " " + level.get(trainer_level, "")
    elif state == "pending" and self_level:
        meta += " · " + level.get(self_level, "")
    return item(label, meta, skill=skill_id, icon=words.SKILL_STATE_ICONS.get(state, ""))
