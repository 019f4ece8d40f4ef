"""Small building blocks: buttons, fields, cards. Tap targets are at least 44 px (min-h-11)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n

BUTTON = (
    "inline-flex items-center justify-center gap-2 min-h-12 px-5 rounded-xl font-semibold "
    "text-lg focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 "
    "focus-visible:outline-amber-500 disabled:opacity-60"
)
PRIMARY = BUTTON + " bg-teal-800 text-white hover:bg-teal-900"
SECONDARY = BUTTON + " bg-white text-teal-900 border-2 border-teal-800 hover:bg-teal-50"
# A smaller action beside a card's content (still 44 px high); add the border and text colours.
SMALL_BUTTON = "inline-flex items-center gap-1 min-h-11 px-3 rounded-xl border-2 font-semibold bg-white "
FIELD = (
    "block w-full min-h-12 px-4 rounded-xl border-2 border-slate-400 bg-white text-lg "
    "text-slate-900 focus:border-teal-800 focus:outline focus:outline-2 focus:outline-teal-800"
)


def heading(text: str, **props) -> rx.Component:
    return rx.el.h1(text, class_name="text-2xl font-bold text-slate-900", **props)


def subheading(text: str, **props) -> rx.Component:
    return rx.el.h2(text, class_name="text-xl font-bold text-slate-900 mt-6 mb-3", **props)


def card(*children, **props) -> rx.Component:
    return rx.el.div(*children, class_name="rounded-2xl bg-white p-4 shadow-sm border border-slate-200", **props)


def field(label: str, name: str, *, type: str = "text", autocomplete: str = "off", **props) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=name, class_name="block text-lg font-semibold mb-1"),
        rx.el.input(id=name, name=name, type=type, auto_complete=autocomplete, class_name=FIELD, **props),
        class_name="mb-4",
    )


def form_buttons(locale: str, submit: str | rx.Var, submit_id: str, on_cancel, space: str = "mt-3") -> rx.Component:
    """A form's two buttons: send it, or close it unchanged ("Annuler"). `space`: above them."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        rx.el.button(submit, type="submit", id=submit_id, class_name=PRIMARY),
        rx.el.button(_("Annuler"), type="button", on_click=on_cancel, class_name=SECONDARY),
        class_name=f"flex flex-wrap gap-2 {space}".rstrip(),
    )


_TONES = {
    "info": "bg-sky-50 border-sky-700 text-sky-950",
    "error": "bg-red-50 border-red-700 text-red-900",
    "ok": "bg-emerald-50 border-emerald-700 text-emerald-950",
}


def titled_list(title: str | rx.Var, items: rx.Var, render) -> rx.Component:
    """A section of a screen: its title, then one list item per item (`render(item)`): a skill
    area and its skills."""
    return rx.el.section(
        rx.el.h2(title, class_name="text-xl font-bold mb-2"),
        rx.el.ul(rx.foreach(items, render), class_name="flex flex-col gap-3"),
    )


def note_item(note, accent: str) -> rx.Component:
    """A written note (state.goals.NoteRow): its text as written, then who wrote it and when;
    `accent` is its edge's colour (a goal's progress, the coaches' private notes)."""
    return rx.el.li(
        rx.el.p(note.body, dir="auto", class_name="whitespace-pre-wrap"),
        rx.el.p(note.author_name, " · ", note.created_at, class_name="text-base text-slate-700"),
        class_name=f"border-s-4 {accent} ps-3 py-1",
    )


def notice_class(tone: str) -> str:
    """A notice's look, for a notice of more than one paragraph too (labels.detailed_error_notice)."""
    return f"rounded-xl border-s-4 p-3 text-lg {_TONES[tone]}"


def notice(text: str | rx.Var, tone: str = "info", **props) -> rx.Component:
    return rx.el.p(text, class_name=notice_class(tone), **props)


def loading(text: str) -> rx.Component:
    return rx.el.p(text, class_name="text-lg text-slate-700 py-8 text-center", role="status")


def back_link(text: str, href: str) -> rx.Component:
    """Back to the list a screen was opened from; the arrow turns round in Arabic."""
    return rx.el.a(
        rx.icon("arrow-left", size=20, aria_hidden="true", class_name="rtl:rotate-180"), text, href=href,
        class_name="inline-flex items-center gap-2 min-h-11 underline underline-offset-4 text-teal-900",
    )
