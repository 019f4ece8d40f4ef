"""A stored value's word on screen, chosen in the browser from the words compiled into each
locale's page (cisp_pwa/words.py holds the words)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, words
from cisp_pwa.components import kit
from cisp_pwa.services.follow_up.goals import DETAIL_MAX, NOTE_MAX, TITLE_MAX


def word_for(value: rx.Var, table: dict) -> rx.Component:
    """The word of a stored value, chosen in the browser from the words compiled in."""
    return rx.match(value, *[(key, word) for key, word in table.items()], "")


def error_for(value: rx.Var, reasons: dict, locale: str) -> rx.Component:
    """The words of a refusal: this screen's reasons, then those every screen shares."""
    return word_for(value, {**words.common_errors(locale), **reasons})


def error_notice(value: rx.Var, reasons: dict, locale: str, **props) -> rx.Component:
    """A refusal in an alert, there while `value` holds its code (empty: nothing shown)."""
    return rx.cond(value != "", kit.notice(error_for(value, reasons, locale), tone="error", role="alert", **props))


def done_notice(value: rx.Var, done: dict, **props) -> rx.Component:
    """What an action did, said while `value` holds its code (empty: nothing shown)."""
    return rx.cond(value != "", kit.notice(word_for(value, done), tone="ok", role="status", **props))


def detailed_error_notice(value: rx.Var, detail: rx.Var, reasons: dict, locale: str, alert_id: str,
                          detail_id: str, space: str = "") -> rx.Component:
    """A refusal and where it lies (a broken file's line and field) in one alert: a screen reader
    hears where and what, not just "invalid"."""
    return rx.cond(value != "", rx.el.div(
        rx.el.p(error_for(value, reasons, locale), class_name="font-semibold"),
        rx.cond(detail != "", rx.el.p(detail, class_name="text-base mt-1 break-words", id=detail_id)),
        role="alert", id=alert_id, class_name=f"{kit.notice_class('error')} {space}".strip(),
    ))


def goal_errors(locale: str) -> dict[str, str]:
    """Why a goal or its progress note was refused (services/follow_up/goals.py): her screen and her
    coach's (here, not in words.py: the maxima are the service's)."""
    _ = i18n.gettext_for(locale)
    return {
        "title_empty": _("Écrivez un titre pour votre objectif."),
        "title_too_long": _("Le titre est trop long : %(n)s caractères au plus.") % {"n": TITLE_MAX},
        "theme_unknown": _("Choisissez un thème."),
        "detail_too_long": _("Le détail est trop long : %(n)s caractères au plus.") % {"n": DETAIL_MAX},
        "date_invalid": _("Cette date n'est pas valable."),
        "date_out_of_range": _("Choisissez une date plus proche."),
        "note_empty": _("Écrivez quelques mots."),
        "note_too_long": _("La note est trop longue : %(n)s caractères au plus.") % {"n": NOTE_MAX},
        "not_allowed": _("Ce n'est plus possible pour cet objectif."),
    }
