"""Services partenaires (centre admin): how many referrals at each step (never who or where),
the region's services with her centre's choice, add / edit / retire, import and export a file."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.badges import category_icon
from cisp_pwa.components.file_import import import_outcome, upload_button
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.reach import instruction
from cisp_pwa.i18n import N_
from cisp_pwa.state.partners_admin import CountRow, PartnerRow, PartnersAdminState

PAGE = routes.PARTNERS_ADMIN
TITLE = N_("Services partenaires — CISP Parcours")


def _file_errors(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        **words.import_errors(locale),
        "no_region": _("Votre centre n'a pas encore de région. Demandez-la à l'équipe qui gère l'application."),
    }


def _count(locale: str, c: CountRow) -> rx.Component:
    return rx.el.li(
        rx.el.span(c.count, class_name="text-2xl font-bold"),
        rx.el.span(labels.word_for(c.status, words.referral_statuses(locale)), class_name="text-base"),
        class_name="flex flex-col p-3 rounded-xl bg-slate-50 border border-slate-200", data_status=c.status,
    )


def _row(locale: str, p: PartnerRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    categories = {k: w for k, (w, _i) in words.partner_categories(locale).items()}
    box = "partner-chosen-" + p.id.to_string()
    return rx.el.li(
        rx.el.div(category_icon(p.category, locale, size=24),
                  rx.el.p(p.name, dir="auto", class_name="font-semibold"),
                  rx.cond(p.retired, rx.el.span(_("Retiré"), class_name="rounded-full px-2 bg-slate-200 text-base")),
                  class_name="flex flex-wrap items-center gap-2"),
        rx.el.p(labels.word_for(p.category, categories),
                rx.cond(p.address != "", rx.fragment(" · ", rx.el.span(p.address, dir="auto"))),
                rx.cond(p.phone != "", rx.fragment(" · ", rx.el.span(p.phone, dir="ltr"))),
                class_name="text-base text-slate-700"),
        rx.el.div(
            rx.cond(~p.retired, rx.el.label(
                rx.el.input(type="checkbox", id=box, checked=p.chosen,
                            on_change=lambda checked: PartnersAdminState.choose(p.id, checked),
                            class_name="size-6 accent-teal-800"),
                _("Notre centre travaille avec ce service"), html_for=box,
                class_name="flex items-center gap-2 min-h-11 cursor-pointer")),
            rx.el.button(rx.icon("pencil-line", size=20, aria_hidden="true"), _("Modifier"),
                         on_click=PartnersAdminState.open_form(p.id),
                         class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900"),
            rx.cond(p.retired,
                    rx.el.button(rx.icon("undo-2", size=20, aria_hidden="true"), _("Remettre"),
                                 on_click=PartnersAdminState.retire(p.id, False),
                                 class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800"),
                    rx.el.button(rx.icon("archive", size=20, aria_hidden="true"), _("Retirer"),
                                 on_click=PartnersAdminState.retire(p.id, True),
                                 class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800")),
            class_name="flex flex-wrap items-center gap-2 mt-1",
        ),
        class_name="py-2 border-b border-slate-200",
        data_partner=p.id,
    )


def _field(label: str, name: str, value: rx.Var, **props) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=f"partner-{name}", class_name="block font-semibold mb-1"),
        rx.el.input(id=f"partner-{name}", name=name, default_value=value, class_name=kit.FIELD, **props),
    )


def _form(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PartnersAdminState
    bring = words.partner_bring(locale)
    access = {k: w for k, (w, _i) in words.partner_access(locale).items()}
    return kit.card(
        rx.el.h2(rx.cond(s.editing_id > 0, _("Modifier le service"), _("Ajouter un service")),
                 class_name="text-xl font-bold mb-3"),
        rx.el.form(
            rx.el.div(
                _field(_("Nom"), "name", s.form["name"], max_length=160),
                _field(_("Code (lettres minuscules et tirets)"), "code", s.form["code"], max_length=60),
                rx.el.div(
                    rx.el.label(_("Catégorie"), html_for="partner-category", class_name="block font-semibold mb-1"),
                    rx.el.select(*[rx.el.option(word, value=key) for key, (word, _i)
                                   in words.partner_categories(locale).items()],
                                 id="partner-category", name="category", default_value=s.form["category"],
                                 class_name=kit.FIELD),
                ),
                rx.el.div(
                    rx.el.label(_("Ce que fait le service, en mots simples"), html_for="partner-description",
                                class_name="block font-semibold mb-1"),
                    rx.el.textarea(id="partner-description", name="description", rows=3, max_length=600,
                                   default_value=s.form["description"], dir="auto", class_name=kit.FIELD + " py-2"),
                ),
                rx.el.details(
                    rx.el.summary(rx.icon("languages", size=20, aria_hidden="true"),
                                  _("Dans les autres langues (facultatif)"),
                                  rx.icon("chevron-down", size=20, aria_hidden="true"), id="partner-translations",
                                  class_name="cursor-pointer font-semibold min-h-11 flex items-center gap-2"),
                    rx.foreach(s.form_translations, lambda t: rx.el.div(
                        rx.el.label(t[1], html_for="partner-description-" + t[0], lang=t[0],
                                    class_name="block font-semibold mb-1"),
                        rx.el.textarea(id="partner-description-" + t[0], name="description_" + t[0], rows=2,
                                       max_length=600, default_value=t[2], lang=t[0], dir="auto",
                                       class_name=kit.FIELD + " py-2"),
                        class_name="mt-2")),
                    class_name="md:col-span-2",
                ),
                _field(_("Adresse"), "address", s.form["address"], max_length=255),
                _field(_("Téléphone"), "phone", s.form["phone"], max_length=40, type="tel"),
                _field(_("E-mail"), "email", s.form["email"], max_length=160, type="email"),
                _field(_("Site internet"), "website", s.form["website"], max_length=255, placeholder="https://"),
                _field(_("Horaires (ex. : mo-fr 09:00-12:00,13:30-16:00; sa 09:00-12:00; ph off)"), "hours", s.form["hours"],
                       max_length=200, dir="ltr"),
                _field(_("Langues parlées (codes : fr, nl, ar…)"), "languages", s.form["languages"], max_length=100,
                       dir="ltr"),
                rx.el.div(
                    rx.el.label(_("Prix"), html_for="partner-cost", class_name="block font-semibold mb-1"),
                    rx.el.select(*[rx.el.option(word, value=key) for key, word in words.partner_costs(locale).items()],
                                 id="partner-cost", name="cost", default_value=s.form["cost"], class_name=kit.FIELD),
                ),
                class_name="grid gap-3 md:grid-cols-2",
            ),
            rx.el.fieldset(
                rx.el.legend(_("À prendre avec soi"), class_name="font-semibold mt-3"),
                *[rx.el.label(rx.el.input(type="checkbox", name=f"bring_{code}", id=f"bring-{code}",
                                          default_checked=s.form_bring.contains(code), class_name="size-6 accent-teal-800"),
                              word, html_for=f"bring-{code}", class_name="flex items-center gap-2 min-h-11")
                  for code, word in bring.items()],
                class_name="grid md:grid-cols-2",
            ),
            rx.el.fieldset(
                rx.el.legend(_("Accueil"), class_name="font-semibold mt-3"),
                *[rx.el.label(rx.el.input(type="checkbox", name=f"access_{code}", id=f"access-{code}",
                                          default_checked=s.form_access.contains(code),
                                          class_name="size-6 accent-teal-800"),
                              word, html_for=f"access-{code}", class_name="flex items-center gap-2 min-h-11")
                  for code, word in access.items()],
                class_name="grid md:grid-cols-2",
            ),
            labels.detailed_error_notice(s.form_error, s.form_error_detail, {**_file_errors(locale), "invalid": _(
                "Un champ n'a pas la bonne forme. Rien n'a été changé.")}, locale, "partner-form-error",
                "partner-form-detail", space="mt-3"),
            kit.form_buttons(locale, _("Enregistrer"), "partner-save", PartnersAdminState.close_form),
            on_submit=PartnersAdminState.save,
            key=s.form_version,
            id="partner-form",
        ),
    )


def _files(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        rx.el.div(
            upload_button(PartnersAdminState, _("Importer un fichier de services"), "partner-file"),
            rx.el.button(rx.icon("download", size=20, aria_hidden="true"), _("Exporter les services de la région"),
                         on_click=PartnersAdminState.export, id="partner-export", class_name=kit.SECONDARY),
            class_name="flex flex-wrap gap-2",
        ),
        *import_outcome(PartnersAdminState, _file_errors(locale), _("Les services sont importés."), locale,
                        ("partner-import-error", "partner-import-detail", "partner-import-notice")),
        class_name="flex flex-col gap-2 mt-3",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PartnersAdminState
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.back_link(_("Mon centre"), routes.path(locale, routes.CENTRE)),
        kit.heading(_("Services partenaires")),
        rx.el.section(
            kit.subheading(_("Orientations des stagiaires du centre")),
            instruction(_("Des nombres seulement : qui est orienté, et vers où, reste entre chaque stagiaire et "
                          "son équipe d'accompagnement."), locale),
            rx.el.ul(rx.foreach(s.counts, lambda c: _count(locale, c)),
                     class_name="grid grid-cols-2 md:grid-cols-4 gap-2 mt-2", id="referral-counts"),
            aria_label=_("Orientations des stagiaires du centre"),
        ),
        rx.cond(s.notice != "", kit.notice(_("C'est enregistré."), tone="ok", role="status", id="partner-notice")),
        rx.cond(s.form_open, _form(locale),
                rx.el.button(rx.icon("plus", size=20, aria_hidden="true"), _("Ajouter un service"),
                             on_click=PartnersAdminState.open_form(0), id="partner-new",
                             class_name=kit.PRIMARY + " self-start")),
        rx.el.section(
            kit.subheading(_("Services de la région")),
            instruction(_("Les centres de la région partagent ces services. Cochez ceux avec qui votre centre "
                          "travaille : ses stagiaires les voient dans « Trouver de l'aide »."), locale),
            kit.card(rx.el.ul(rx.foreach(s.rows, lambda p: _row(locale, p)), id="partner-rows"), _files(locale)),
            aria_label=_("Services de la région"),
        ),
    )


def on_load(locale: str):
    return PartnersAdminState.load(locale)
