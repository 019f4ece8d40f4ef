"""Welcome: open an invitation (QR code or typed code), then choose a PIN for next time."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import page_shell
from cisp_pwa.components.reach import instruction
from cisp_pwa.i18n import N_
from cisp_pwa.state.welcome import WelcomeState

PAGE = routes.WELCOME
TITLE = N_("Bienvenue — CISP Parcours")


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = WelcomeState
    errors = {
        "invitation_unknown": _("Ce code n'existe pas. Vérifiez les lettres et les chiffres."),
        "invitation_used": _("Ce code a déjà servi. Demandez un nouveau code à la personne qui vous accompagne."),
        "invitation_expired": _("Ce code n'est plus valable. Il marche 15 minutes. Demandez un nouveau code à la personne qui vous accompagne."),
        "too_many": _("Trop d'essais. Attendez un peu, puis réessayez."),
        "pin_mismatch": _("Les deux codes PIN ne sont pas les mêmes."),
        "pin_invalid": _("Le code PIN a 4 à 6 chiffres."),
        "pin_too_easy": _("Ce code PIN est trop facile à deviner. Choisissez des chiffres sans suite ni répétition."),
        "not_allowed": _("Ce n'est pas possible."),
        "staff_device": _("Ce téléphone est ouvert avec un compte du personnel. Déconnectez-vous d'abord : ce code est pour le téléphone de la personne en formation."),
    }
    error = labels.error_notice(s.error, errors, locale, id="welcome-error")
    code_step = kit.card(
        instruction(_("Scannez le code QR avec votre téléphone, ou tapez le code qu'on vous a donné."), locale,
                    "text-lg"),
        rx.el.form(
            kit.field(_("Code d'accès"), "code", auto_capitalize="characters", spell_check=False,
                      autocomplete="one-time-code", placeholder="ABCD-EFGH", dir="ltr",
                      aria_describedby="welcome-error"),
            error,
            rx.el.button(_("Continuer"), type="submit", disabled=s.busy, id="code-submit",
                         class_name=kit.PRIMARY + " w-full"),
            on_submit=WelcomeState.submit_code,
        ),
    )
    pin_step = kit.card(
        rx.el.p(_("Bonjour"), " ", s.display_name, class_name="text-xl font-bold"),
        instruction(_("Choisissez un code PIN de 4 à 6 chiffres. Vous l'utiliserez pour revenir, avec votre identifiant."),
                    locale, "text-lg"),
        rx.el.form(
            kit.field(_("Mon code PIN"), "pin", type="password", input_mode="numeric", pattern="[0-9]*",
                      max_length=6, autocomplete="new-password", dir="ltr", aria_describedby="welcome-error"),
            kit.field(_("Le même code PIN, encore une fois"), "pin_again", type="password", input_mode="numeric",
                      pattern="[0-9]*", max_length=6, autocomplete="new-password", dir="ltr",
                      aria_describedby="welcome-error"),
            error,
            rx.el.button(_("Enregistrer mon code PIN"), type="submit", id="pin-submit",
                         class_name=kit.PRIMARY + " w-full"),
            on_submit=WelcomeState.submit_pin,
        ),
    )
    done_step = kit.card(
        kit.notice(_("C'est fait ! Retenez bien votre code PIN."), tone="ok", role="status", id="pin-done"),
        rx.el.a(_("Voir mon parcours"), href=routes.path(locale, routes.MY_PATHWAY), id="go-home",
                class_name=kit.PRIMARY + " w-full mt-3"),
    )
    return page_shell(
        locale, PAGE,
        kit.heading(_("Bienvenue")),
        rx.match(s.step, ("pin", pin_step), ("done", done_step), code_step),
        signed_in=False,
    )


def on_load(locale: str):
    return WelcomeState.open(locale)
