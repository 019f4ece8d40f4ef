"""Sign-in: a login and a password. One message for an unknown login and a wrong password."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import page_shell
from cisp_pwa.components.reach import instruction
from cisp_pwa.state.sign_in import SignInState

PAGE = routes.SIGN_IN


def title(locale: str) -> str:
    _ = i18n.gettext_for(locale)
    return _("Se connecter — CISP Parcours")


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    errors = {
        "missing": _("Écrivez votre identifiant et votre mot de passe."),
        "refused": _("Identifiant ou mot de passe incorrect. Vérifiez et réessayez."),
        "throttled": _("Trop d'essais. Attendez quelques minutes, puis réessayez."),
    }
    return page_shell(
        locale,
        PAGE,
        kit.heading(_("Bienvenue")),
        instruction(_("Connectez-vous pour voir votre parcours."), locale, "text-lg"),
        kit.card(
            rx.el.form(
                kit.field(_("Identifiant"), "login", autocomplete="username", required=True,
                          auto_capitalize="none", spell_check=False, aria_describedby="sign-in-error"),
                kit.field(_("Mot de passe ou code PIN"), "password", type="password",
                          autocomplete="current-password", required=True, aria_describedby="sign-in-error"),
                rx.el.input(type="hidden", name="locale", value=locale),
                rx.cond(
                    SignInState.error != "",
                    kit.notice(labels.error_for(SignInState.error, errors, locale), tone="error",
                               id="sign-in-error", role="alert"),
                ),
                rx.el.button(
                    rx.cond(SignInState.busy, _("Connexion…"), _("Se connecter")),
                    type="submit",
                    disabled=SignInState.busy,
                    id="sign-in-submit",
                    class_name=kit.PRIMARY + " w-full mt-2",
                ),
                on_submit=SignInState.sign_in,
                class_name="flex flex-col",
            )
        ),
        # A new trainee's phone that cannot scan the QR code types the code there.
        rx.el.a(rx.icon("key-round", size=20, aria_hidden="true"), _("J'ai un code d'accès"),
                href=routes.path(locale, routes.WELCOME), id="have-a-code", class_name=kit.SECONDARY + " self-start"),
        signed_in=False,
    )


def on_load(locale: str):
    return SignInState.open(locale)
