"""The centre admin's landing: the centre's accounts and the shared pathways."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.state.admin import AccountRow, AdminHomeState, PathwayRow

PAGE = routes.CENTRE


def title(locale: str) -> str:
    _ = i18n.gettext_for(locale)
    return _("Mon centre — CISP Parcours")


def _account(locale: str, a: AccountRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.p(a.display_name, class_name="font-semibold"),
        rx.el.p(
            labels.word_for(a.role, labels.roles(locale)), " · ", a.login,
            rx.cond(~a.is_active, rx.el.span(" · ", _("désactivé"))),
            class_name="text-base text-slate-700",
        ),
        class_name="py-2 border-b border-slate-200",
    )


def _pathway(locale: str, p: PathwayRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(p.name, class_name="font-semibold"),
        rx.el.p(labels.word_for(p.kind, labels.pathway_kinds(locale)), class_name="text-base text-slate-700"),
        rx.el.p(p.skills_text, " · ", p.enrolled_text, class_name="text-base"),
        class_name="py-2 border-b border-slate-200",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AdminHomeState
    return signed_in_screen(
        locale, PAGE, s.loaded,
        kit.heading(s.centre_name),
        rx.el.div(
            rx.el.section(
                kit.subheading(_("Comptes")),
                kit.card(rx.el.ul(rx.foreach(s.accounts, lambda a: _account(locale, a)), id="accounts")),
                aria_label=_("Comptes"),
            ),
            rx.el.section(
                kit.subheading(_("Parcours")),
                kit.card(rx.el.ul(rx.foreach(s.pathways, lambda p: _pathway(locale, p)), id="pathways")),
                aria_label=_("Parcours"),
            ),
            class_name="grid gap-4 md:grid-cols-2",
        ),
    )


def on_load(locale: str):
    return AdminHomeState.load(locale)
