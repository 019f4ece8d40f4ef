"""The terms of one's role before any screen: for a trainee, one idea per screen in plain words,
each read aloud; for staff, their commitments on one screen. Then yes, or no and whom to ask."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, settings
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import page_shell
from cisp_pwa.components.reach import instruction
from cisp_pwa.i18n import N_
from cisp_pwa.services.people import consent
from cisp_pwa.state.consent import REFUSED, ConsentState
from cisp_pwa.state.session import SessionState

PAGE = routes.CONSENT
TITLE = N_("Vos données — CISP Parcours")


def trainee_ideas(locale: str) -> list[tuple[str, str, list[str]]]:
    """(pictogram, heading, sentences): what she reads before saying yes."""
    _ = i18n.gettext_for(locale)
    return [
        ("folder-heart", _("Ce que l'application garde"), [
            _("Votre parcours, vos objectifs, vos évaluations et vos messages."),
            _("Rien d'autre : pas l'endroit où vous êtes, pas vos contacts."),
        ]),
        ("users", _("Qui voit quoi"), [
            _("Votre accompagnateur ou accompagnatrice voit vos messages et vos objectifs."),
            _("Vos formateurs voient vos évaluations de compétences."),
            _("Les autres stagiaires ne voient rien."),
        ]),
        ("clock", _("Combien de temps"), [
            _("Vos données restent %(months)s mois après la fin de votre formation. Ensuite, elles sont effacées.")
            % {"months": settings.RETENTION_MONTHS},
        ]),
        ("shield-check", _("Vos droits"), [
            _("Vous pouvez voir et télécharger vos données dans « Mes données »."),
            _("Vous pouvez demander de corriger ou d'effacer vos données."),
            _("Une question ? Parlez-en à votre accompagnateur ou au secrétariat du centre."),
        ]),
    ]


def staff_commitments(locale: str) -> list[str]:
    _ = i18n.gettext_for(locale)
    return [
        _("Vous voyez des données personnelles de stagiaires, parfois très sensibles (santé, dettes, addictions)."),
        _("Ouvrez seulement ce dont vous avez besoin pour accompagner. Chaque ouverture d'un dossier est enregistrée."),
        _("Ne copiez pas ces données ailleurs. Gardez votre mot de passe et votre téléphone pour vous."),
    ]


def _idea(locale: str, n: int, icon: str, heading: str, sentences: list[str], last: int) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return kit.card(rx.el.div(
        rx.el.p(_("Étape %(n)s sur %(total)s") % {"n": n + 1, "total": last + 1}, class_name="text-base text-slate-700")
        if last > 0 else rx.fragment(),
        rx.el.div(rx.icon(icon, size=40, aria_hidden="true", class_name="text-teal-800 shrink-0"),
                  rx.el.h2(heading, class_name="text-xl font-bold"), class_name="flex items-center gap-3"),
        *[instruction(sentence, locale, "text-lg") for sentence in sentences],
        rx.el.div(
            rx.el.button(rx.icon("arrow-left", size=20, aria_hidden="true", class_name="rtl:rotate-180"), _("Retour"),
                         on_click=ConsentState.go_to(n - 1), class_name=kit.SECONDARY, id="consent-back")
            if n > 0 else rx.fragment(),
            rx.el.button(_("Suivant"), rx.icon("arrow-right", size=20, aria_hidden="true", class_name="rtl:rotate-180"),
                         on_click=ConsentState.go_to(n + 1), class_name=kit.PRIMARY, id="consent-next")
            if n < last else rx.fragment(),
            class_name="flex flex-wrap gap-2 justify-between mt-2",
        ),
        _answer(locale) if n == last else rx.fragment(),
        class_name="flex flex-col gap-3"), id=f"consent-step-{n + 1}",
    )


def _answer(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    version = rx.match(ConsentState.kind, (consent.TRAINEE, consent.VERSIONS[consent.TRAINEE]),
                       consent.VERSIONS[consent.STAFF])
    return rx.el.div(
        labels.error_notice(ConsentState.error, {
            "consent_outdated": _("Le texte a changé. Rechargez la page pour lire le nouveau texte."),
        }, locale, id="consent-error"),
        rx.el.button(rx.icon("check", size=22, aria_hidden="true"), _("J'ai compris et je suis d'accord"),
                     on_click=ConsentState.accept(version, locale), id="consent-accept",
                     class_name=kit.PRIMARY + " w-full"),
        rx.el.button(_("Je ne suis pas d'accord"), on_click=ConsentState.say_no, id="consent-refuse",
                     class_name=kit.SECONDARY + " w-full"),
        class_name="flex flex-col gap-2 mt-2",
    )


def _refused(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return kit.card(rx.el.div(
        instruction(_("D'accord. Sans votre accord, l'application ne peut pas s'ouvrir. Parlez-en à votre "
                      "accompagnateur ou au secrétariat du centre : ils vous expliqueront."), locale, "text-lg"),
        rx.el.button(rx.icon("arrow-left", size=20, aria_hidden="true", class_name="rtl:rotate-180"),
                     _("Relire le texte"), on_click=ConsentState.go_to(0), class_name=kit.SECONDARY),
        rx.el.button(rx.icon("log-out", size=20, aria_hidden="true"), _("Se déconnecter"),
                     on_click=SessionState.sign_out(locale), class_name=kit.SECONDARY, id="consent-sign-out"),
        class_name="flex flex-col gap-3"), id="consent-refused",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    ideas = trainee_ideas(locale)
    last = len(ideas) - 1
    trainee = rx.match(
        ConsentState.step,
        *[(n, _idea(locale, n, icon, heading, sentences, last)) for n, (icon, heading, sentences) in enumerate(ideas)],
        (REFUSED, _refused(locale)),
        _idea(locale, 0, *ideas[0], last),
    )
    staff = rx.cond(
        ConsentState.step == REFUSED,
        _refused(locale),
        _idea(locale, 0, "shield-check", _("Vos engagements"), staff_commitments(locale), 0),
    )
    return page_shell(
        locale, PAGE,
        kit.heading(_("Vos données")),
        rx.cond(ConsentState.loaded,
                rx.cond(ConsentState.kind == consent.TRAINEE, trainee, staff),
                kit.loading(_("Chargement…"))),
    )


def on_load(locale: str):
    return ConsentState.load(locale)
