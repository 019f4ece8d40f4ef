"""Enrolment: a staff member's one-time link. She chooses her password; an admin then sets up her
authenticator app (the sign-in's components), and her home opens."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import page_shell
from cisp_pwa.components.reach import instruction
from cisp_pwa.components.second_factor import codes_panel, set_up_panel
from cisp_pwa.i18n import N_
from cisp_pwa.services.people.enrolment import PASSWORD_MAX
from cisp_pwa.services.people.passwords import MIN_PASSWORD_LENGTH
from cisp_pwa.state.enrol import CHECK, CODES, EXPIRED, PASSWORD, SET_UP, EnrolState

PAGE = routes.ENROL
TITLE = N_("Mon accès — CISP Parcours")


def _errors(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "password_mismatch": _("Les deux mots de passe ne sont pas les mêmes."),
        "password_too_short": _("Le mot de passe doit avoir au moins %(n)s caractères.") % {"n": MIN_PASSWORD_LENGTH},
        "password_too_long": _("Le mot de passe est trop long : %(n)s caractères au plus.") % {"n": PASSWORD_MAX},
        "second_factor_wrong": _("Ce code ne convient pas. Tapez le code que l'application affiche maintenant."),
        "too_many": _("Trop d'essais. Attendez quelques minutes, puis réessayez."),
    }


def _error(locale: str, element_id: str) -> rx.Component:
    return labels.error_notice(EnrolState.error, _errors(locale), locale, id=element_id)


def _sign_in_link(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.a(rx.icon("log-in", size=20, aria_hidden="true", class_name="shrink-0 rtl:rotate-180"),
                   _("Aller à la connexion"),
                   href=routes.path(locale, routes.SIGN_IN), id="enrol-sign-in", class_name=kit.SECONDARY + " self-start")


def _refused(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    why = {
        "enrolment_missing": _("Ce lien n'est pas complet. Ouvrez le lien entier qu'on vous a donné."),
        "enrolment_unknown": _("Ce lien ne marche pas. Demandez un nouveau lien à l'administration de votre centre."),
        "enrolment_used": _("Ce lien a déjà servi. Connectez-vous avec votre mot de passe, ou demandez un nouveau "
                            "lien à l'administration de votre centre."),
        "enrolment_expired": _("Ce lien n'est plus valable : il marche 24 heures. Demandez un nouveau lien à "
                               "l'administration de votre centre."),
        "too_many": _("Trop d'essais. Attendez quelques minutes, puis réessayez."),
    }
    return kit.card(rx.el.div(
        kit.notice(labels.word_for(EnrolState.refused, why), tone="error", role="alert", id="enrol-refused"),
        _sign_in_link(locale),
        class_name="flex flex-col gap-3",
    ))


def _password(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = EnrolState
    return kit.card(
        rx.el.p(_("Bonjour"), " ", s.display_name, class_name="text-xl font-bold", id="enrol-hello"),
        rx.cond(s.was_reset, kit.notice(
            _("Votre accès a été réinitialisé par l'administration de votre centre. Vos anciennes sessions sont "
              "fermées et votre ancien mot de passe ne marche plus."), tone="info", id="enrol-reset")),
        instruction(_("Choisissez votre mot de passe : au moins %(n)s caractères. Une petite phrase facile à retenir, "
                      "c'est très bien.") % {"n": MIN_PASSWORD_LENGTH}, locale, "text-lg"),
        rx.el.form(
            kit.field(_("Mon mot de passe"), "password", type="password", autocomplete="new-password",
                      required=True, min_length=MIN_PASSWORD_LENGTH, aria_describedby="enrol-error"),
            kit.field(_("Le même mot de passe, encore une fois"), "password_again", type="password",
                      autocomplete="new-password", required=True, aria_describedby="enrol-error"),
            rx.el.input(type="hidden", name="locale", value=locale),
            _error(locale, "enrol-error"),
            rx.el.button(rx.icon("check", size=20, aria_hidden="true"), _("Enregistrer mon mot de passe"),
                         type="submit", id="enrol-submit", disabled=s.busy | ~rx.State.is_hydrated,
                         class_name=kit.PRIMARY + " w-full"),
            on_submit=EnrolState.set_password, reset_on_submit=False, method="post", class_name="flex flex-col",
        ),
        rx.cond(s.for_admin, rx.el.p(
            rx.icon("shield-check", size=20, aria_hidden="true", class_name="inline me-1"),
            _("Ensuite, vous installerez une application de vérification sur votre téléphone."),
            class_name="text-base")),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = EnrolState
    return page_shell(
        locale, PAGE,
        kit.heading(_("Mon accès")),
        rx.match(
            s.step,
            (CHECK, kit.loading(_("Chargement…"))),
            (PASSWORD, _password(locale)),
            (SET_UP, kit.card(
                instruction(_("Votre compte donne accès aux données de tout le centre : "
                              "il faut une deuxième vérification."), locale),
                set_up_panel(locale, EnrolState.confirm_set_up, _error(locale, "second-factor-error")))),
            (CODES, kit.card(codes_panel(locale, EnrolState.codes_noted(locale)))),
            (EXPIRED, kit.card(rx.el.div(
                kit.notice(_("Le temps est passé. Votre mot de passe est enregistré : connectez-vous pour "
                             "continuer."), tone="info", role="status", id="enrol-expired"),
                _sign_in_link(locale), class_name="flex flex-col gap-3"))),
            _refused(locale),
        ),
        signed_in=False,
    )


def on_load(locale: str):
    return EnrolState.open(locale)
