"""Read-aloud buttons and the display settings (text size, read-aloud on or off)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n

_LIBRARY = "$/public" + rx.asset("reach.jsx", shared=True)
BUTTON = ("inline-flex items-center justify-center min-h-11 min-w-11 rounded-full text-teal-900 "
          "hover:bg-teal-50 focus-visible:outline focus-visible:outline-4 focus-visible:outline-amber-500")
BUTTON_ON_DARK = BUTTON.replace("text-teal-900 hover:bg-teal-50", "text-white hover:bg-teal-700")


class ReadAloud(rx.Component):
    library = _LIBRARY
    tag = "ReadAloud"

    text: rx.Var[str]
    lang: rx.Var[str]
    label: rx.Var[str]
    no_voice: rx.Var[str]
    class_name: rx.Var[str]


class DisplaySettings(rx.Component):
    library = _LIBRARY
    tag = "DisplaySettings"

    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]


def listen_props(locale: str) -> dict[str, str]:
    """What a speaker button needs, for the React components that draw their own (offline.jsx,
    install.jsx): the same words and looks as `read_aloud`."""
    _ = i18n.gettext_for(locale)
    return {"lang": locale, "label": _("Écouter"), "noVoice": _("Ce téléphone n'a pas de voix pour cette langue."),
            "button": BUTTON, "onDark": BUTTON_ON_DARK}


def read_aloud(text, locale: str, on_dark: bool = False) -> rx.Component:
    """A speaker button that reads `text` (a string or a Var) in the screen's language."""
    props = listen_props(locale)
    return ReadAloud.create(text=text, lang=locale, label=props["label"], no_voice=props["noVoice"],
                            class_name=props["onDark" if on_dark else "button"])


def display_settings(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    choice = "min-h-11 px-3 rounded-xl border-2 "
    return rx.el.details(
        rx.el.summary(
            rx.icon("a-large-small", size=22, aria_hidden="true"), _("Affichage"),
            class_name="inline-flex items-center gap-2 min-h-11 px-2 rounded-lg cursor-pointer font-semibold "
            "text-base text-slate-800 hover:bg-slate-100",
        ),
        DisplaySettings.create(
            labels={
                "textSize": _("Taille du texte"), "normal": _("Normale"), "large": _("Grande"),
                "xlarge": _("Très grande"), "readAloud": _("Boutons pour écouter"), "on": _("Oui"), "off": _("Non"),
            },
            classes={
                "panel": "flex flex-col gap-2 p-3 mt-1 rounded-xl border border-slate-300 bg-white",
                "title": "font-semibold",
                "row": "flex flex-wrap gap-2",
                "on": choice + "border-teal-800 bg-teal-50 font-bold",
                "off": choice + "border-slate-300 bg-white",
            },
        ),
        id="display-settings",
        class_name="text-base",
    )


def instruction(text: str, locale: str, class_name: str = "text-base text-slate-700") -> rx.Component:
    """An instruction with its speaker button beside it."""
    return rx.el.div(rx.el.p(text, class_name=class_name), read_aloud(text, locale),
                     class_name="flex items-start justify-between gap-2")
