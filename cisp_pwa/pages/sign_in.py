"""Sign-in: a login and a password. One message for an unknown login and a wrong password."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import page_shell
from cisp_pwa.components.reach import instruction
from cisp_pwa.components.second_factor import code_field, codes_panel, set_up_panel
from cisp_pwa.i18n import N_
from cisp_pwa.state import device_secret
from cisp_pwa.state.sign_in import CODE, CODES, SET_UP, SignInState

PAGE = routes.SIGN_IN
TITLE = N_("Se connecter — CISP Parcours")


def _errors(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "missing": _("Écrivez votre identifiant et votre mot de passe."),
        "refused": _("Identifiant ou mot de passe incorrect. Vérifiez et réessayez."),
        "throttled": _("Trop d'essais. Attendez quelques minutes, puis réessayez."),
        "throttled_short": _("Trop d'essais. Attendez un peu, puis réessayez."),
        "device_unknown": _("Ce téléphone n'est pas encore reconnu : demandez un nouveau code d'accès à votre "
                            "accompagnateur·rice."),
        "second_factor_wrong": _("Ce code ne convient pas. Tapez le code que l'application affiche maintenant."),
        "expired": _("Le temps est passé. Connectez-vous à nouveau."),
    }


def _error(locale: str, element_id: str) -> rx.Component:
    return labels.error_notice(SignInState.error, _errors(locale), locale, id=element_id)


def _code_step(locale: str) -> rx.Component:
    """Staff with an authenticator app: its code, or one recovery code."""
    _ = i18n.gettext_for(locale)
    return kit.card(
        kit.subheading(_("Deuxième vérification")),
        instruction(_("Ouvrez votre application d'authentification et tapez le code à 6 chiffres."), locale),
        rx.el.form(
            code_field(locale, recovery=True),
            rx.el.input(type="hidden", name="locale", value=locale),
            _error(locale, "second-factor-error"),
            rx.el.button(rx.icon("log-in", size=20, aria_hidden="true"), _("Valider"), type="submit",
                         id="second-factor-submit", class_name=kit.PRIMARY + " w-full"),
            on_submit=SignInState.verify, reset_on_submit=True, class_name="flex flex-col",
        ),
        rx.el.p(_("Téléphone perdu ? Tapez un de vos codes de secours à la place."), class_name="text-base"),
        _start_again(locale),
        id="second-factor-code-step",
    )


def _start_again(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.button(rx.icon("arrow-left", size=20, aria_hidden="true", class_name="rtl:rotate-180"),
                        _("Recommencer"), on_click=SignInState.start_again, id="start-again",
                        class_name=kit.SECONDARY + " self-start mt-2")


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return page_shell(
        locale,
        PAGE,
        kit.heading(_("Bienvenue")),
        rx.match(
            SignInState.step,
            (CODE, _code_step(locale)),
            (SET_UP, kit.card(
                instruction(_("Votre compte donne accès aux données de tout le centre : "
                              "il faut une deuxième vérification."), locale),
                set_up_panel(locale, SignInState.confirm_set_up, _error(locale, "second-factor-error")),
                _start_again(locale))),
            (CODES, kit.card(codes_panel(locale, SignInState.codes_noted(locale)))),
            _password_step(locale),
        ),
        signed_in=False,
    )


def _password_step(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.fragment(
        instruction(_("Connectez-vous pour voir votre parcours."), locale, "text-lg"),
        kit.card(
            rx.el.form(
                kit.field(_("Identifiant"), "login", autocomplete="username", required=True,
                          auto_capitalize="none", spell_check=False, aria_describedby="sign-in-error"),
                kit.field(_("Mot de passe ou code PIN"), "password", type="password",
                          autocomplete="current-password", required=True, aria_describedby="sign-in-error"),
                rx.el.input(type="hidden", name="locale", value=locale),
                _error(locale, "sign-in-error"),
                rx.el.button(
                    rx.cond(SignInState.busy, _("Connexion…"), _("Se connecter")),
                    type="submit",
                    # Before the page's code has run (a slow phone), the browser itself would send
                    # the form, password in the address: it waits (and never GET, below).
                    disabled=SignInState.busy | ~rx.State.is_hydrated,
                    id="sign-in-submit",
                    class_name=kit.PRIMARY + " w-full mt-2",
                ),
                # The device secret this phone keeps for the login typed goes with it.
                on_submit=lambda form: SignInState.sign_in(form, device_secret.FOR_TYPED_LOGIN),
                method="post",
                class_name="flex flex-col",
            )
        ),
        # A new trainee's phone that cannot scan the QR code types the code there.
        rx.el.a(rx.icon("key-round", size=20, aria_hidden="true"), _("J'ai un code d'accès"),
                href=routes.path(locale, routes.WELCOME), id="have-a-code", class_name=kit.SECONDARY + " self-start"),
    )


def on_load(locale: str):
    return SignInState.open(locale)
