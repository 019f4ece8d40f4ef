"""A stored value's word on screen, chosen in the browser from the words compiled into each
locale's page (cisp_pwa/words.py holds the words)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import words
from cisp_pwa.components import kit


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
