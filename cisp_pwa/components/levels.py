"""The 4-level scale, the same for trainees and trainers: pictogram + plain word, one tap."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import words

from . import labels


def level_word(level: rx.Var, locale: str) -> rx.Component:
    return labels.word_for(level, words.levels(locale))


def level_icon(level: rx.Var, size: int = 20) -> rx.Component:
    return rx.match(level, *[(k, rx.icon(i, size=size, aria_hidden="true")) for k, i in words.LEVEL_ICONS.items()],
                    rx.fragment())


def level_inline(level: rx.Var, locale: str, size: int = 20) -> rx.Component:
    """Pictogram and word on one line (an svg alone is a block: it would sit on a line of its own)."""
    return rx.el.span(level_icon(level, size), level_word(level, locale),
                      class_name="inline-flex items-center gap-1 font-bold")


def level_line(label: str, level: rx.Var, locale: str, whose: str) -> rx.Component:
    """"Votre avis : <level>" or "Avis du formateur : <level>": whose opinion, marked for tests
    and never merged with the other's (`data-level` mine / trainer)."""
    return rx.el.p(label, " ", level_inline(level, locale), data_level=whose,
                   class_name="flex flex-wrap items-center gap-x-2")


def level_choice(locale: str, chosen: rx.Var, on_choose, id_prefix: str, label: str,
                 listen: bool = False) -> rx.Component:
    """Four big radio buttons; `on_choose(level)` is the event that records the tap. With
    `listen`, a speaker beside each level reads its word aloud."""
    from .reach import read_aloud

    def with_listen(button: rx.Component, word: str) -> rx.Component:
        if not listen:
            return button
        return rx.el.div(button, read_aloud(word, locale), class_name="flex items-center gap-1")

    return rx.el.div(
        *[
            with_listen(rx.el.button(
                rx.icon(words.LEVEL_ICONS[level], size=28, aria_hidden="true"),
                word,
                type="button",
                role="radio",
                aria_checked=rx.cond(chosen == level, "true", "false"),
                on_click=on_choose(level),
                id=f"{id_prefix}-{level}",
                class_name=rx.cond(
                    chosen == level,
                    "flex-1 flex items-center gap-3 min-h-14 px-4 rounded-xl border-4 border-teal-800 bg-teal-50 font-bold",
                    "flex-1 flex items-center gap-3 min-h-14 px-4 rounded-xl border-2 border-slate-300 bg-white",
                ),
            ), word)
            for level, word in words.levels(locale).items()
        ],
        role="radiogroup",
        aria_label=label,
        class_name="grid gap-2 sm:grid-cols-2",
    )
