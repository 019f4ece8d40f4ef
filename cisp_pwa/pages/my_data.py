"""Mes données: in plain words what the app keeps, her data to download (a page to read, a file
for another service), and who opened her file."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, settings, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.reach import instruction
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.state.my_data import MyDataState, ViewingRow

PAGE = routes.MY_DATA
TITLE = N_("Mes données — CISP Parcours")


def _kept(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    lines = [
        ("user-round", _("Votre nom, votre identifiant et votre langue.")),
        ("route", _("Votre parcours et les personnes qui vous accompagnent.")),
        ("target", _("Vos objectifs et les notes de progrès.")),
        ("list-checks", _("Vos auto-évaluations et les réponses des formateurs.")),
        ("message-circle", _("Les messages avec les personnes qui vous accompagnent.")),
        ("notebook-pen", _("Les notes de suivi que vos accompagnateurs écrivent sur vous. Elles sont dans le fichier.")),
        ("eye", _("Qui a ouvert votre dossier, et quand.")),
        ("lock", _("Votre code PIN et vos mots de passe restent secrets. Ils ne sont dans aucun fichier.")),
    ]
    return kit.card(
        rx.el.h2(_("Ce que l'application garde sur vous"), class_name="text-xl font-bold mb-2"),
        rx.el.ul(
            *[rx.el.li(rx.icon(icon, size=24, aria_hidden="true", class_name="text-teal-800 shrink-0 mt-2"),
                       rx.el.div(instruction(text, locale, "text-lg"), class_name="flex-1 min-w-0"),
                       class_name="flex items-start gap-3")
              for icon, text in lines],
            class_name="flex flex-col gap-2", id="kept-list",
        ),
    )


def _downloads(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return kit.card(
        rx.el.h2(_("Télécharger mes données"), class_name="text-xl font-bold mb-2"),
        instruction(_("Vous recevez tout ce que l'application garde sur vous, sur ce téléphone."), locale, "text-lg"),
        rx.el.div(
            rx.el.button(rx.icon("file-text", size=24, aria_hidden="true", class_name="shrink-0"),
                         _("Télécharger mes données (page lisible)"),
                         on_click=MyDataState.download_page, id="download-page",
                         class_name=kit.PRIMARY + " w-full text-start"),
            rx.el.button(rx.icon("file-json", size=24, aria_hidden="true", class_name="shrink-0"),
                         _("Télécharger mes données (fichier pour un autre service)"),
                         on_click=MyDataState.download_file, id="download-file",
                         class_name=kit.SECONDARY + " w-full text-start"),
            class_name="flex flex-col gap-3 mt-3",
        ),
        labels.error_notice(MyDataState.error, {}, locale, id="my-data-error"),
    )


def _withdraw(locale: str) -> rx.Component:
    """Her yes to her terms, taken back as easily as it was given, after reading what follows."""
    _ = i18n.gettext_for(locale)
    s = MyDataState
    follows = [
        ("pause", _("L'application s'arrête pour vous : plus de messages ni de parcours ici.")),
        ("user-round-check", _("Votre accompagnateur·rice est prévenu·e. Vous pouvez toujours lui parler au centre.")),
        ("archive", _("Le centre garde vos données comme pour tout le monde : %(months)s mois après la fin de votre "
                      "parcours, puis elles sont effacées.") % {"months": settings.RETENTION_MONTHS}),
        ("eraser", _("Pour les effacer plus tôt, demandez-le à la coordination de votre centre.")),
        ("rotate-ccw", _("Vous pouvez redire oui quand vous voulez.")),
    ]
    return kit.card(
        rx.el.h2(_("Retirer mon accord"), class_name="text-xl font-bold mb-2"),
        instruction(_("Vous avez dit oui aux règles de l'application. Vous pouvez retirer ce oui quand vous voulez."),
                    locale, "text-lg"),
        rx.cond(
            s.withdrawing,
            rx.el.div(
                rx.el.ul(
                    *[rx.el.li(rx.icon(icon, size=24, aria_hidden="true", class_name="text-teal-800 shrink-0 mt-2"),
                               rx.el.div(instruction(text, locale, "text-lg"), class_name="flex-1 min-w-0"),
                               class_name="flex items-start gap-3")
                      for icon, text in follows],
                    class_name="flex flex-col gap-2 mt-3", id="withdraw-follows",
                ),
                rx.el.div(
                    rx.el.button(rx.icon("hand", size=24, aria_hidden="true", class_name="shrink-0"),
                                 _("Oui, je retire mon accord"), on_click=MyDataState.withdraw_terms,
                                 id="withdraw-confirm", class_name=kit.PRIMARY + " w-full text-start"),
                    rx.el.button(rx.icon("heart-handshake", size=24, aria_hidden="true", class_name="shrink-0"),
                                 _("Non, je garde mon accord"), on_click=MyDataState.ask_withdraw(False),
                                 id="withdraw-keep", class_name=kit.SECONDARY + " w-full text-start"),
                    class_name="flex flex-col gap-3 mt-3",
                ),
            ),
            rx.el.button(rx.icon("hand", size=24, aria_hidden="true", class_name="shrink-0"),
                         _("Retirer mon accord"), on_click=MyDataState.ask_withdraw(True), id="withdraw-open",
                         class_name=kit.SECONDARY + " w-full text-start mt-3"),
        ),
        id="withdraw-card",
    )


def _viewing(locale: str, v: ViewingRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(v.who, dir="auto"), " · ", labels.word_for(v.role, words.roles(locale))),
        # Each part isolated: a date in one script beside words in another keeps its order.
        rx.el.p(rx.el.span(v.what, dir="auto"), " · ", rx.el.span(v.when, dir="auto"),
                class_name="text-base text-slate-700"),
        class_name="py-2 border-b last:border-b-0 border-slate-200",
    )


def _viewings(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = MyDataState
    return rx.el.section(
        kit.subheading(_("Qui a vu mon dossier")),
        kit.card(
            rx.cond(
                s.viewings.length() > 0,
                rx.el.ul(rx.foreach(s.viewings, lambda v: _viewing(locale, v)), id="viewings"),
                instruction(_("Personne n'a encore ouvert votre dossier."), locale, "text-lg"),
            ),
        ),
        aria_label=_("Qui a vu mon dossier"),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return signed_in_screen(
        locale, PAGE, MyDataState.loaded,
        kit.back_link(_("Mon parcours"), routes.path(locale, routes.MY_PATHWAY)),
        kit.heading(_("Mes données")),
        _kept(locale),
        _downloads(locale),
        _viewings(locale),
        _withdraw(locale),
        instruction(_("Vous voulez effacer vos données ? Parlez-en à la coordination de votre centre."), locale,
                    "text-lg"),
        bottom_nav=trainee_nav(locale, PAGE),
    )


def on_load(locale: str):
    return MyDataState.load(locale)
