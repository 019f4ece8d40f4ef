"""A file fetched with the session and saved (downloads.jsx): the hours' files for the admin and
her certificate. The words come from here, in the person's language."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n

from . import kit

_LIBRARY = "$/public" + rx.asset("downloads.jsx", shared=True)


class FetchDownload(rx.Component):
    library = _LIBRARY
    tag = "FetchDownload"

    path: rx.Var[str]
    filename: rx.Var[str]
    label: rx.Var[str]
    aria_label: rx.Var[str]
    busy_label: rx.Var[str]
    failed: rx.Var[str]
    button_id: rx.Var[str]
    class_name: rx.Var[str]
    problem_class: rx.Var[str]
    wrapper_class: rx.Var[str]


def fetch_download(locale: str, path, filename, label, button_id, class_name: str = kit.SMALL_BUTTON
                   + "border-teal-800 text-teal-900", aria_label="") -> rx.Component:
    """A button that fetches `path` (on the backend, with the session) and saves it as the
    server names it (`filename` if it does not). `aria_label`: its words and what they need
    around them (a trainee's name), its words first (WCAG: the name holds the visible label)."""
    _ = i18n.gettext_for(locale)
    return FetchDownload.create(
        path=path, filename=filename, label=label, aria_label=aria_label, busy_label=_("Préparation…"),
        failed=_("Le fichier n'a pas pu être préparé. Réessayez dans un moment."), button_id=button_id,
        class_name=class_name, problem_class="block text-base text-red-900 mt-1",
        wrapper_class="inline-flex flex-col items-start",
    )
