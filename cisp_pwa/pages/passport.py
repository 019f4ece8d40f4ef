"""Mon passeport: the skills the training team validated, by area (the trainer's level, the date,
who; her own level beside it), ticked to go in the PDF she downloads."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.levels import level_line
from cisp_pwa.components.reach import instruction, read_aloud
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.state.passport import PassportAreaBlock, PassportSkillRow, PassportState

PAGE = routes.PASSPORT


def title(locale: str) -> str:
    _ = i18n.gettext_for(locale)
    return _("Mon passeport — CISP Parcours")


def _skill(locale: str, k: PassportSkillRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PassportState
    box_id = "passport-skill-" + k.id.to_string()
    return rx.el.li(
        kit.card(
            rx.el.div(
                rx.el.label(
                    rx.el.input(type="checkbox", id=box_id, checked=~s.left_out.contains(k.id),
                                on_change=lambda checked: PassportState.choose(k.id, checked),
                                class_name="size-7 shrink-0 mt-1 accent-teal-800"),
                    rx.el.span(k.label, class_name="font-semibold", dir="auto"),
                    html_for=box_id,
                    class_name="flex items-start gap-3 min-h-11 flex-1 cursor-pointer",
                ),
                read_aloud(k.label, locale),
                class_name="flex items-start justify-between gap-2",
            ),
            rx.el.div(
                level_line(_("Avis du formateur :"), k.trainer_level, locale, "trainer"),
                # Each part isolated: a name in one script beside words in another keeps its order.
                rx.el.p(_("Validé par"), " ", rx.el.span(k.trainer_name, dir="auto"), " · ",
                        rx.el.span(k.validated_on, dir="auto"), class_name="text-base text-slate-700"),
                level_line(_("Votre avis :"), k.self_level, locale, "mine"),
                class_name="flex flex-col gap-1 mt-2 ps-10",
            ),
            data_skill=k.id,
        ),
    )


def _area(locale: str, area: PassportAreaBlock) -> rx.Component:
    return rx.el.section(
        rx.el.h2(area.label, class_name="text-xl font-bold mb-2"),
        rx.el.ul(rx.foreach(area.skills, lambda k: _skill(locale, k)), class_name="flex flex-col gap-3"),
    )


def _download(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PassportState
    errors = {"nothing_chosen": _("Cochez au moins une compétence.")}
    return rx.el.div(
        rx.el.button(rx.icon("file-down", size=24, aria_hidden="true", class_name="shrink-0"),
                     _("Télécharger mon passeport (PDF)"),
                     on_click=PassportState.download, id="passport-download",
                     class_name=kit.PRIMARY + " w-full text-start"),
        rx.cond(s.error != "", kit.notice(labels.error_for(s.error, errors, locale), tone="error", role="alert",
                                          id="passport-error")),
        class_name="flex flex-col gap-3",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PassportState
    return signed_in_screen(
        locale, PAGE, s.loaded,
        kit.back_link(_("Mon parcours"), routes.path(locale, routes.MY_PATHWAY)),
        kit.heading(_("Mon passeport")),
        kit.card(
            rx.el.p(rx.el.span(_("Centre"), class_name="font-semibold"), " : ",
                    rx.el.span(s.centre_name, dir="auto"), id="passport-centre"),
            rx.foreach(s.pathway_names, lambda name: rx.el.p(
                rx.el.span(_("Parcours"), class_name="font-semibold"), " : ", rx.el.span(name, dir="auto"),
                class_name="passport-pathway")),
        ),
        rx.cond(
            s.areas.length() > 0,
            rx.el.div(
                instruction(_("Voici les compétences validées par l'équipe de formation. "
                              "Cochez celles que vous voulez dans votre passeport."), locale, "text-lg"),
                rx.el.div(rx.foreach(s.areas, lambda a: _area(locale, a)), class_name="flex flex-col gap-6",
                          id="passport-areas"),
                _download(locale),
                class_name="flex flex-col gap-4",
            ),
            instruction(_("Pas encore de compétence validée. Quand l'équipe de formation valide une compétence, "
                          "elle arrive ici."), locale, "text-lg"),
        ),
        bottom_nav=trainee_nav(locale, PAGE),
    )


def on_load(locale: str):
    return PassportState.load(locale)
