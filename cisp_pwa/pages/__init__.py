"""One module per screen. Each screen is compiled once per locale, under /<locale>/<page>/."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import reflex as rx

from cisp_pwa import i18n, routes

from . import (admin, coach, consent, conversation, enrol, goals, help, home, messages, my_data, partners_admin,
               passport, pathway_editor, security, sign_in, skills, trainee, trainee_file, trainer, welcome)
from . import attendance, hours_admin, my_hours

SCREENS = (home, sign_in, welcome, enrol, trainee, goals, skills, messages, my_data, passport, help, coach, conversation,
           trainee_file, trainer, admin, pathway_editor, partners_admin, security, consent)
SCREENS += (attendance, my_hours, hours_admin)


def memo_module(screen: ModuleType, locale: str) -> str:
    """Where Reflex writes this route's memoized components: a module of its own per screen and
    locale (.web/app_components/cisp_pwa/pages/<screen>/<locale>.jsx). Reflex names that file after
    the `__module__` of the callable given to add_page (else after the module calling add_page,
    which would put every route's components in one chunk that every route loads)."""
    return f"{screen.__name__}.{locale}"


def _page(screen: ModuleType, locale: str) -> Callable[[], rx.Component]:
    # Built when Reflex compiles the route, never at import: a backend serving a prebuilt
    # frontend (`cisp serve`) evaluates no page and is up in seconds.
    def page() -> rx.Component:
        return screen.build(locale)

    page.__module__ = memo_module(screen, locale)
    page.__qualname__ = page.__name__ = f"{screen.PAGE.replace('-', '_') or 'home'}_{locale}"
    return page


def title(screen: ModuleType, locale: str) -> str:
    """A screen's title (its `TITLE`, marked with `i18n.N_`) in the locale's words."""
    return i18n.gettext_for(locale)(screen.TITLE)


def register(app: rx.App) -> None:
    for locale in i18n.LOCALES:
        for screen in SCREENS:
            app.add_page(
                _page(screen, locale),
                route=routes.path(locale, screen.PAGE),
                title=title(screen, locale),
                on_load=screen.on_load(locale),
            )
    # "/" is answered by the head script (the language kept on the device, else the phone's).
    app.add_page(rx.el.main(rx.el.a("CISP Parcours", href=routes.path(i18n.DEFAULT_LOCALE, "")),
                            class_name="p-4"), route="/", title="CISP Parcours")
