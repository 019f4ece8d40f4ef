"""Trouver de l'aide: her referrals first (say yes or no, where it stands, take her yes back),
then the help of her centre's network as big pictogram tiles; a tile opens its services: what
they do in her language (read aloud), open now, a call button, the address in the phone's maps."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.badges import category_icon, referral_badge
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.reach import instruction, read_aloud
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.services.people import consent
from cisp_pwa.state.help import CategoryTile, HelpState, ReferralCard, ServiceCard

PAGE = routes.HELP
TITLE = N_("Trouver de l'aide — CISP Parcours")
VERSION = consent.VERSIONS[consent.REFERRAL]  # compiled in: an old page's yes is refused


def errors(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "consent_outdated": _("Le texte a changé. Rechargez la page et relisez-le."),
        "step_not_possible": _("Ce n'est plus possible : la situation a changé."),
        "access_denied": _("Ce n'est plus possible : la situation a changé."),
    }


def _call(locale: str, href: rx.Var, phone: rx.Var, **props) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.a(
        rx.icon("phone", size=22, aria_hidden="true"),
        rx.el.span(_("Appeler")), rx.el.span(phone, dir="ltr", class_name="whitespace-nowrap"),
        href=href, class_name=kit.PRIMARY + " flex-wrap", data_call="1", **props,
    )


def _referral(locale: str, r: ReferralCard) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = HelpState
    return rx.el.li(
        kit.card(
            rx.el.div(category_icon(r.category, locale),
                      rx.el.p(r.service_name, dir="auto", class_name="text-lg font-bold flex-1"),
                      class_name="flex items-start gap-2"),
            rx.el.div(referral_badge(r.status, locale, for_trainee=True), class_name="mt-1"),
            rx.el.div(rx.el.p(r.reason, dir="auto", class_name="whitespace-pre-wrap"), read_aloud(r.reason, locale),
                      class_name="flex items-start justify-between gap-2 mt-2"),
            rx.cond(r.goal_title != "", rx.el.p(rx.icon("target", size=18, aria_hidden="true", class_name="inline me-1"),
                                                _("Pour mon objectif :"), " ", rx.el.span(r.goal_title, dir="auto"),
                                                class_name="text-base text-slate-700 mt-1")),
            rx.cond(~r.can_answer, rx.el.p(  # once answered, what the partner is told stays in sight
                rx.el.span(_("Dit au service :"), class_name="font-semibold"), " ",
                rx.cond(r.partner_note != "", rx.el.span("« ", r.partner_note, " »", dir="auto"), _("rien")),
                class_name="text-base mt-1")),
            rx.cond(r.appointment != "",
                    rx.el.p(rx.icon("calendar-check", size=20, aria_hidden="true", class_name="inline me-1"),
                            _("Rendez-vous :"), " ", r.appointment, class_name="font-semibold mt-2")),
            rx.cond(
                r.can_answer,
                rx.el.div(
                    rx.el.p(_("Si vous êtes d'accord :"), class_name="font-semibold"),
                    rx.el.div(rx.el.p(r.consent_text, dir="auto"), read_aloud(r.consent_text, locale),
                              class_name="flex items-start justify-between gap-2 rounded-xl bg-sky-50 p-3 "
                              "border-s-4 border-sky-700"),
                    rx.el.div(
                        rx.el.button(rx.icon("check", size=22, aria_hidden="true"), _("Oui, j'accepte"),
                                     on_click=HelpState.answer(r.id, True, VERSION), class_name=kit.PRIMARY,
                                     data_accept=r.id),
                        rx.el.button(rx.icon("x", size=22, aria_hidden="true"), _("Non, merci"),
                                     on_click=HelpState.answer(r.id, False, VERSION), class_name=kit.SECONDARY,
                                     data_refuse=r.id),
                        class_name="flex flex-wrap gap-2",
                    ),
                    class_name="flex flex-col gap-2 mt-3",
                ),
            ),
            rx.cond(
                r.can_withdraw,
                rx.cond(
                    s.confirm_withdraw_id == r.id,
                    rx.el.div(
                        rx.el.div(rx.el.p(r.consent_text, dir="auto"), read_aloud(r.consent_text, locale),
                                  class_name="flex items-start justify-between gap-2"),
                        rx.el.div(
                            rx.el.button(_("Oui, retirer"), on_click=HelpState.withdraw(r.id, VERSION),
                                         class_name=kit.PRIMARY, id="withdraw-confirm"),
                            rx.el.button(_("Non"), on_click=HelpState.cancel_withdraw, class_name=kit.SECONDARY),
                            class_name="flex flex-wrap gap-2 mt-2",
                        ),
                        class_name="mt-3 rounded-xl bg-amber-50 p-3",
                    ),
                    rx.el.div(
                        rx.cond(r.tel_href != "", _call(locale, r.tel_href, r.phone)),
                        rx.el.button(rx.icon("undo-2", size=20, aria_hidden="true"), _("Retirer mon accord"),
                                     on_click=HelpState.ask_withdraw(r.id), data_withdraw=r.id,
                                     class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800"),
                        class_name="flex flex-wrap items-center gap-2 mt-3",
                    ),
                ),
            ),
            data_referral=r.id,
        ),
    )


def _tile(locale: str, tile: CategoryTile) -> rx.Component:
    categories = {k: w for k, (w, _i) in words.partner_categories(locale).items()}
    return rx.el.li(
        rx.el.button(
            category_icon(tile.code, locale, size=40),
            rx.el.span(labels.word_for(tile.code, categories), class_name="font-bold text-center leading-tight"),
            on_click=HelpState.open_category(tile.code),
            data_category=tile.code,
            # Long words ("administration") break with a hyphen in the screen's language, never mid-letter.
            class_name="flex flex-col items-center justify-center gap-2 w-full min-h-28 p-3 rounded-2xl bg-white "
            "border-2 border-slate-200 shadow-sm text-teal-950 hover:border-teal-700 "
            "focus-visible:outline focus-visible:outline-4 focus-visible:outline-amber-500 "
            "hyphens-auto [overflow-wrap:break-word]",
        ),
    )


def _chip(icon: str, word) -> rx.Component:
    return rx.el.li(rx.icon(icon, size=18, aria_hidden="true", class_name="shrink-0"), word,
                    class_name="flex items-center gap-1")


def _service(locale: str, c: ServiceCard) -> rx.Component:
    _ = i18n.gettext_for(locale)
    bring = words.partner_bring(locale)
    access = {k: w for k, (w, _i) in words.partner_access(locale).items()}
    access_icons = {k: i for k, (_w, i) in words.partner_access(locale).items()}
    return rx.el.li(
        kit.card(
            rx.el.h3(c.name, dir="auto", class_name="text-lg font-bold"),
            rx.match(
                c.open_now,
                ("open", rx.el.p(rx.icon("clock", size=18, aria_hidden="true"), _("Ouvert maintenant"),
                                 class_name="inline-flex items-center gap-1 rounded-full px-3 py-0.5 mt-1 font-semibold "
                                 "bg-emerald-100 text-emerald-950", data_open="open")),
                ("closed", rx.el.p(rx.icon("clock", size=18, aria_hidden="true"), _("Fermé maintenant"),
                                   class_name="inline-flex items-center gap-1 rounded-full px-3 py-0.5 mt-1 "
                                   "font-semibold bg-slate-100 text-slate-800", data_open="closed")),
                rx.fragment(),
            ),
            rx.el.div(rx.el.p(c.description, dir="auto"), read_aloud(c.description, locale),
                      class_name="flex items-start justify-between gap-2 mt-2"),
            rx.el.div(
                rx.cond(c.tel_href != "", _call(locale, c.tel_href, c.phone, id="call-" + c.id.to_string())),
                rx.cond(
                    c.address != "",
                    rx.el.a(rx.icon("map-pin", size=22, aria_hidden="true", class_name="shrink-0"),
                            rx.el.span(c.address, dir="auto"), href=c.geo_href, data_map="geo",
                            aria_label=_("Ouvrir l'adresse dans les cartes du téléphone") + " : " + c.address,
                            class_name="flex items-center gap-2 min-h-12 underline underline-offset-4 text-teal-900"),
                ),
                rx.cond(c.address != "",
                        rx.el.a(rx.icon("map", size=20, aria_hidden="true"), _("Voir sur une carte (internet)"),
                                href=c.map_href, target="_blank", rel="noopener noreferrer", data_map="web",
                                class_name="inline-flex items-center gap-2 min-h-11 text-base underline "
                                "underline-offset-4 text-teal-900")),
                class_name="flex flex-col items-start gap-2 mt-3",
            ),
            rx.el.details(
                rx.el.summary(_("Plus d'infos : horaires, langues, documents"),
                              class_name="min-h-11 flex items-center cursor-pointer font-semibold text-teal-900"),
                rx.el.div(
                    rx.cond(c.hours_lines.length() > 0, rx.el.div(
                        rx.el.p(_("Horaires"), class_name="font-semibold"),
                        rx.el.ul(rx.foreach(c.hours_lines, lambda line: rx.el.li(line, dir="auto"))),
                    )),
                    rx.cond(c.languages != "", rx.el.p(rx.el.span(_("On y parle :"), class_name="font-semibold"),
                                                       " ", c.languages)),
                    rx.cond(c.bring.length() > 0, rx.el.div(
                        rx.el.p(_("À prendre avec vous :"), class_name="font-semibold"),
                        rx.el.ul(rx.foreach(c.bring, lambda b: _chip("file-text", labels.word_for(b, bring))),
                                 class_name="flex flex-col gap-1"),
                    )),
                    rx.el.ul(
                        rx.foreach(c.access, lambda a: rx.el.li(
                            rx.match(a, *[(k, rx.icon(i, size=18, aria_hidden="true")) for k, i in access_icons.items()],
                                     rx.fragment()),
                            labels.word_for(a, access), class_name="flex items-center gap-1")),
                        _chip("euro", labels.word_for(c.cost, words.partner_costs(locale))),
                        class_name="flex flex-col gap-1",
                    ),
                    class_name="flex flex-col gap-3 pt-2",
                ),
            ),
            data_service=c.id,
        ),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = HelpState
    categories = {k: w for k, (w, _i) in words.partner_categories(locale).items()}
    notices = {
        "accepted": _("C'est noté : vous êtes d'accord. La personne qui vous accompagne continue avec vous."),
        "refused": _("C'est noté : vous avez dit non. Vous pouvez en reparler quand vous voulez."),
        "withdrawn": _("C'est noté : votre accord est retiré."),
    }
    return signed_in_screen(
        locale, PAGE, s.loaded,
        kit.heading(_("Trouver de l'aide")),
        labels.done_notice(s.notice, notices, id="help-notice"),
        labels.error_notice(s.error, errors(locale), locale, id="help-error"),
        rx.cond(
            s.referrals.length() > 0,
            rx.el.section(
                kit.subheading(_("Mes orientations")),
                rx.el.ul(rx.foreach(s.referrals, lambda r: _referral(locale, r)), class_name="flex flex-col gap-3",
                         id="referrals"),
            ),
        ),
        rx.cond(
            s.category == "",
            rx.el.section(
                kit.subheading(_("De quoi avez-vous besoin ?")),
                instruction(_("Touchez une image pour voir les services près de chez vous."), locale),
                rx.cond(
                    s.tiles.length() > 0,
                    rx.el.ul(rx.foreach(s.tiles, lambda t: _tile(locale, t)),
                             class_name="grid grid-cols-2 gap-3 mt-3", id="help-tiles"),
                    kit.notice(_("Votre centre n'a pas encore de services partenaires ici. "
                                 "Demandez à la personne qui vous accompagne.")),
                ),
            ),
            rx.el.section(
                rx.el.button(rx.icon("arrow-left", size=20, aria_hidden="true", class_name="rtl:rotate-180"),
                             _("Toutes les aides"), on_click=HelpState.all_categories, id="help-back",
                             class_name="inline-flex items-center gap-2 min-h-11 underline underline-offset-4 "
                             "text-teal-900 self-start"),
                rx.el.h2(category_icon(s.category, locale), labels.word_for(s.category, categories),
                         class_name="flex items-center gap-2 text-xl font-bold mt-2 mb-3", id="help-category"),
                rx.el.ul(rx.foreach(s.shown, lambda c: _service(locale, c)), class_name="flex flex-col gap-3",
                         id="help-services"),
                class_name="flex flex-col",
            ),
        ),
        bottom_nav=trainee_nav(locale, PAGE),
        offline_snapshot=s.offline_copy,
        offline_heading=_("Trouver de l'aide"),
        # The tiles of last time at once, not "Chargement…": on a slow phone the help is there.
        copy_while_loading=True,
    )


def on_load(locale: str):
    return HelpState.load(locale)
