"""A pathway's labels and their translations; retire a skill (its assessments stay)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.i18n import N_
from cisp_pwa.services.skills.pathway_admin import LABEL_MAX
from cisp_pwa.state.pathway_editor import LabelItem, PathwayEditorState

PAGE = routes.PATHWAY_EDITOR
TITLE = N_("Modifier un parcours — CISP Parcours")


def _form(locale: str, item: LabelItem) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PathwayEditorState
    errors = {
        "label_empty": _("Chaque langue a besoin d'un texte."),
        "label_too_long": _("Ce texte est trop long : %(n)s caractères au plus.") % {"n": LABEL_MAX},
        "not_allowed": _("Ce n'est pas possible."),
    }
    return rx.el.form(
        rx.foreach(
            item.translations,
            lambda t: rx.el.div(
                rx.el.label(t[1], html_for="label-" + t[0], class_name="block font-semibold mb-1", lang=t[0]),
                rx.el.input(id="label-" + t[0], name="label_" + t[0], default_value=t[2], max_length=LABEL_MAX,
                            lang=t[0], dir="auto", class_name=kit.FIELD),
                class_name="mb-3",
            ),
        ),
        labels.error_notice(s.error, errors, locale, id="label-error"),
        kit.form_buttons(locale, _("Enregistrer"), "label-save", PathwayEditorState.cancel, space=""),
        on_submit=PathwayEditorState.save,
        class_name="mt-3",
    )


def _item(locale: str, item: LabelItem) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PathwayEditorState
    text_class = rx.match(item.kind, ("pathway", "text-2xl font-bold"), ("area", "text-xl font-bold mt-4"),
                          "ps-4")
    return rx.el.li(
        rx.el.p(item.text, class_name=text_class),
        rx.cond(item.retired, rx.el.p(_("Retirée : plus proposée, ses évaluations restent."),
                                      class_name="ps-4 text-base italic text-slate-700")),
        rx.cond(s.saved_key == item.key, kit.notice(_("C'est enregistré."), tone="ok", role="status")),
        rx.cond(
            s.editing_key == item.key,
            _form(locale, item),
            rx.el.div(
                rx.el.button(rx.icon("languages", size=20, aria_hidden="true"), _("Textes et traductions"),
                             on_click=PathwayEditorState.edit(item.key),
                             class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900"),
                rx.cond(item.kind == "skill",
                        rx.cond(item.retired,
                                rx.el.button(_("Remettre"), on_click=PathwayEditorState.set_retired(item.id, False),
                                             class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900"),
                                rx.el.button(_("Retirer"), on_click=PathwayEditorState.set_retired(item.id, True),
                                             class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800"))),
                class_name="flex flex-wrap gap-2 mt-1 ps-4",
            ),
        ),
        class_name="py-2 border-b border-slate-200",
        data_key=item.key,
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PathwayEditorState
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.back_link(_("Mon centre"), routes.path(locale, routes.CENTRE)),
        rx.cond(
            s.missing,
            kit.notice(_("Ce parcours n'existe pas."), tone="error"),
            kit.card(rx.el.ul(rx.foreach(s.items, lambda i: _item(locale, i)), id="pathway-items")),
        ),
    )


def on_load(locale: str):
    return PathwayEditorState.load(locale)
