"""A staff member's own account: the authenticator app (second factor) and recovery codes."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.reach import instruction
from cisp_pwa.components.second_factor import code_field, codes_panel, set_up_panel
from cisp_pwa.i18n import N_
from cisp_pwa.state.security import CODES, NEW_CODES, SET_UP, TURN_OFF, SecurityState

PAGE = routes.SECURITY
TITLE = N_("Sécurité du compte — CISP Parcours")


def _error(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    words = {
        "second_factor_wrong": _("Ce code ne convient pas. Tapez le code que l'application affiche maintenant."),
        "not_allowed": _("Ce n'est pas possible pour ce compte."),
    }
    return labels.error_notice(SecurityState.error, words, locale, id="second-factor-error")


def _status(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = SecurityState
    return kit.card(
        rx.cond(
            s.on,
            rx.el.div(
                rx.el.p(rx.icon("shield-check", size=22, aria_hidden="true", class_name="inline me-1 text-emerald-700"),
                        _("La deuxième vérification est activée."), class_name="font-semibold", id="second-factor-on"),
                rx.el.p(_("Codes de secours encore valables :"), " ", rx.el.strong(s.codes_left, id="codes-left")),
                rx.el.div(
                    rx.el.button(rx.icon("key-round", size=20, aria_hidden="true"), _("Nouveaux codes de secours"),
                                 on_click=SecurityState.ask_code(NEW_CODES), id="new-codes", class_name=kit.SECONDARY),
                    rx.el.button(rx.icon("shield-off", size=20, aria_hidden="true"),
                                 rx.cond(s.required, _("Changer d'application"), _("Désactiver")),
                                 on_click=SecurityState.ask_code(TURN_OFF), id="turn-off", class_name=kit.SECONDARY),
                    class_name="flex flex-wrap gap-2",
                ),
                class_name="flex flex-col gap-3",
            ),
            rx.el.div(
                rx.el.p(rx.icon("shield-alert", size=22, aria_hidden="true", class_name="inline me-1 text-amber-700"),
                        _("La deuxième vérification n'est pas activée."), class_name="font-semibold",
                        id="second-factor-off"),
                instruction(_("Avec une application sur votre téléphone, votre mot de passe seul ne suffit plus "
                              "pour entrer dans votre compte."), locale),
                rx.el.button(rx.icon("shield-check", size=20, aria_hidden="true"), _("Activer"),
                             on_click=SecurityState.start, id="second-factor-start", class_name=kit.PRIMARY + " self-start"),
                class_name="flex flex-col gap-3",
            ),
        ),
    )


def _confirm_with_code(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return kit.card(
        rx.el.p(rx.cond(SecurityState.step == TURN_OFF,
                        rx.cond(SecurityState.required,
                                _("Pour changer d'application, tapez le code de l'application actuelle. "
                                  "Vous installerez la nouvelle à votre prochaine connexion."),
                                _("Pour désactiver, tapez le code de l'application.")),
                        _("Pour avoir de nouveaux codes de secours, tapez le code de l'application. "
                          "Les anciens ne marcheront plus."))),
        rx.el.form(
            code_field(locale, recovery=True),
            _error(locale),
            rx.el.button(_("Valider"), type="submit", id="second-factor-submit", class_name=kit.PRIMARY + " w-full"),
            on_submit=SecurityState.confirm_with_code, reset_on_submit=True, class_name="flex flex-col",
        ),
        rx.el.button(_("Annuler"), on_click=SecurityState.cancel, id="second-factor-cancel",
                     class_name=kit.SECONDARY + " self-start mt-2"),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = SecurityState
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.back_link(_("Retour"), routes.path(locale, routes.HOME)),
        kit.heading(_("Sécurité du compte")),
        rx.cond(s.alert_text != "", kit.notice(s.alert_text, tone="error", role="alert", id="codes-alert")),
        rx.cond(s.notice == "on", kit.notice(_("C'est fait : la deuxième vérification est activée."), tone="ok",
                                              role="status")),
        rx.cond(s.notice == "off", kit.notice(_("C'est fait : la deuxième vérification est désactivée."), tone="ok",
                                               role="status")),
        rx.match(
            s.step,
            (SET_UP, kit.card(set_up_panel(locale, SecurityState.confirm_set_up, _error(locale)),
                              rx.el.button(_("Annuler"), on_click=SecurityState.cancel, id="second-factor-cancel",
                                           class_name=kit.SECONDARY + " self-start mt-2"))),
            (CODES, kit.card(codes_panel(locale, SecurityState.cancel))),
            (NEW_CODES, _confirm_with_code(locale)),
            (TURN_OFF, _confirm_with_code(locale)),
            _status(locale),
        ),
    )


def on_load(locale: str):
    return SecurityState.load(locale)
