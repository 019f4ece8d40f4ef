"""One module per screen. Each screen is compiled once per locale, under /<locale>/<page>/."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes

from . import (admin, coach, conversation, goals, home, messages, pathway_editor, security, sign_in, skills,
               trainee, trainee_file, trainer, welcome)

SCREENS = (home, sign_in, welcome, trainee, goals, skills, messages, coach, conversation, trainee_file, trainer,
           admin, pathway_editor, security)


def register(app: rx.App) -> None:
    for locale in i18n.LOCALES:
        for screen in SCREENS:
            app.add_page(
                screen.build(locale),
                route=routes.path(locale, screen.PAGE),
                title=screen.title(locale),
                on_load=screen.on_load(locale),
            )
    # "/" is answered by the head script (the language kept on the device, else the phone's).
    app.add_page(rx.el.main(rx.el.a("CISP Parcours", href=routes.path(i18n.DEFAULT_LOCALE, "")),
                            class_name="p-4"), route="/", title="CISP Parcours")
