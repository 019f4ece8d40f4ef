"""Heures (centre admin): the groups and their week, the timetable file, closed days, the rates,
a month's files, her trainees' certificates and closing the month."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.downloads import fetch_download
from cisp_pwa.components.file_import import import_outcome, upload_button
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.reach import instruction
from cisp_pwa.i18n import N_
from cisp_pwa.state.hours_admin import ClosureRow, GroupRow, HalfDayRow, HoursAdminState, TraineeRow

PAGE = routes.HOURS_ADMIN
TITLE = N_("Heures — CISP Parcours")
S = HoursAdminState
LABEL = "block font-semibold mb-1"


def _reasons(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {**words.hours_errors(locale), **words.import_errors(locale),
            "hours_rate_invalid": _("Écrivez un montant en euros, par exemple 1,10."),
            "hours_day_invalid": _("Choisissez un jour."),
            "not_allowed": _("Ce n'est plus possible. Rechargez la page.")}


def _done(locale: str, codes: tuple[str, ...]) -> rx.Component:
    """What the section's last action did, said next to it (on a phone the top of the screen is
    out of sight)."""
    _ = i18n.gettext_for(locale)
    said = {"closure_added": _("Ce jour est fermé."), "closure_removed": _("Ce jour n'est plus fermé."),
            "rates_saved": _("Les montants sont enregistrés."), "month_closed": _("Le mois est clôturé.")}
    shown = S.notice == codes[0]
    for code in codes[1:]:
        shown = shown | (S.notice == code)
    return rx.cond(shown, kit.notice(labels.word_for(S.notice, {c: said[c] for c in codes}), tone="ok", role="status",
                                     id="hours-notice-" + codes[0].split("_")[0]))


def _half_day(locale: str, h: HalfDayRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.cond(h.distance, rx.icon("laptop", size=20, aria_hidden="true", class_name="shrink-0"),
                rx.icon("school", size=20, aria_hidden="true", class_name="shrink-0")),
        rx.el.span(h.day, class_name="font-semibold"),
        rx.el.span(h.starts, "–", h.ends, dir="ltr"),
        rx.cond(h.distance, rx.el.span(_("à distance"), class_name="rounded-full px-2 bg-sky-100 text-sky-950")),
        class_name="flex flex-wrap items-center gap-2",
    )


def _group(locale: str, g: GroupRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.h3(rx.el.span(g.name, dir="auto"), " ",
                 rx.el.span("(", g.code, ")", class_name="font-normal text-slate-700", dir="ltr"),
                 class_name="text-lg font-bold"),
        rx.el.p(rx.icon("route", size=20, aria_hidden="true", class_name="inline me-1"), g.pathway,
                class_name="text-base text-slate-800"),
        rx.el.p(rx.icon("users", size=20, aria_hidden="true", class_name="inline me-1"),
                rx.el.span(g.count, class_name="font-semibold"), " ", _("stagiaires"), " : ", g.members,
                class_name="text-base"),
        rx.el.ul(rx.foreach(g.week, lambda h: _half_day(locale, h)), class_name="flex flex-col gap-1 mt-1 text-base",
                 aria_label=_("Semaine du groupe")),
        class_name="py-3 border-b border-slate-200", data_group=g.code,
    )


def _groups(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.section(
        kit.subheading(_("Groupes et semaine")),
        instruction(_("Pour changer les groupes, leurs stagiaires ou leur semaine : exportez le fichier horaire, "
                      "corrigez-le, puis importez-le. Un fichier avec une erreur ne change rien."), locale),
        kit.card(
            rx.cond(S.group_rows.length() > 0,
                    rx.el.ul(rx.foreach(S.group_rows, lambda g: _group(locale, g)), id="hours-groups"),
                    rx.el.p(_("Pas encore de groupe : importez un fichier horaire."), id="hours-groups")),
            rx.el.div(
                rx.el.div(
                    upload_button(S, _("Importer le fichier horaire"), "timetable-file"),
                    rx.el.button(rx.icon("download", size=20, aria_hidden="true"), _("Exporter le fichier horaire"),
                                 on_click=S.export_timetable, id="timetable-export", class_name=kit.SECONDARY),
                    class_name="flex flex-wrap gap-2",
                ),
                *import_outcome(S, _reasons(locale), _("Le fichier horaire est importé."), locale,
                                ("timetable-import-error", "timetable-import-detail", "timetable-import-notice")),
                class_name="flex flex-col gap-2 mt-3",
            ),
        ),
        aria_label=_("Groupes et semaine"),
    )


def _closure(locale: str, c: ClosureRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.icon("calendar-x", size=20, aria_hidden="true", class_name="shrink-0"),
        rx.el.span(c.shown, class_name="font-semibold"),
        rx.cond(c.label != "", rx.el.span(c.label, dir="auto")),
        rx.el.button(rx.icon("trash-2", size=20, aria_hidden="true"), _("Enlever"),
                     on_click=S.remove_closure(c.day), aria_label=_("Enlever") + " : " + c.shown,
                     class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800 ms-auto"),
        class_name="flex flex-wrap items-center gap-2 py-2 border-b border-slate-200", data_closure=c.day,
    )


def _closures(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.section(
        kit.subheading(_("Jours de fermeture")),
        instruction(_("Les jours fériés sont déjà comptés. Ajoutez les autres jours où le centre est fermé : "
                      "ces jours-là, personne n'a cours."), locale),
        kit.card(
            rx.el.form(
                rx.el.div(
                    rx.el.div(rx.el.label(_("Jour"), html_for="closure-day", class_name=LABEL),
                              rx.el.input(id="closure-day", name="day", type="date", required=True,
                                          class_name=kit.FIELD)),
                    rx.el.div(rx.el.label(_("Pourquoi (facultatif)"), html_for="closure-label", class_name=LABEL),
                              rx.el.input(id="closure-label", name="label", max_length=120, dir="auto",
                                          class_name=kit.FIELD)),
                    class_name="grid gap-3 md:grid-cols-2",
                ),
                labels.error_notice(S.closure_error, _reasons(locale), locale, id="closure-error"),
                _done(locale, ("closure_added", "closure_removed")),
                rx.el.button(rx.icon("calendar-x", size=20, aria_hidden="true"), _("Fermer ce jour-là"),
                             type="submit", id="closure-add", class_name=kit.PRIMARY + " mt-3"),
                # A day added or removed: the form starts again empty.
                on_submit=S.add_closure, key=S.closures.length().to_string(), class_name="flex flex-col gap-2",
            ),
            rx.el.ul(rx.foreach(S.closures, lambda c: _closure(locale, c)), id="closures", class_name="mt-3"),
        ),
        aria_label=_("Jours de fermeture"),
    )


def _rates(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.section(
        kit.subheading(_("Indemnité et déplacements")),
        instruction(_("Les montants changent par décret. L'indemnité est payée par heure comptée ; les frais de "
                      "déplacement, par jour où la personne vient au centre."), locale),
        kit.card(rx.el.form(
            rx.el.div(
                rx.el.div(rx.el.label(_("Indemnité par heure (€)"), html_for="rate-allowance", class_name=LABEL),
                          rx.el.input(id="rate-allowance", name="allowance", default_value=S.allowance,
                                      input_mode="decimal", dir="ltr", max_length=10, class_name=kit.FIELD)),
                rx.el.div(rx.el.label(_("Déplacement par jour au centre (€)"), html_for="rate-travel",
                                      class_name=LABEL),
                          rx.el.input(id="rate-travel", name="travel", default_value=S.travel, input_mode="decimal",
                                      dir="ltr", max_length=10, class_name=kit.FIELD)),
                class_name="grid gap-3 md:grid-cols-2",
            ),
            labels.error_notice(S.rates_error, _reasons(locale), locale, id="rates-error"),
            _done(locale, ("rates_saved",)),
            rx.el.button(rx.icon("save", size=20, aria_hidden="true"), _("Enregistrer les montants"), type="submit",
                         id="rates-save", class_name=kit.PRIMARY + " mt-3 self-start"),
            # The rates saved (here or elsewhere): the boxes show them.
            on_submit=S.save_rates, key=S.allowance + "|" + S.travel, class_name="flex flex-col gap-2",
        )),
        aria_label=_("Indemnité et déplacements"),
    )


def _trainee(locale: str, t: TraineeRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.p(rx.el.span(t.name, dir="auto"), class_name="font-semibold"),
        rx.el.div(
            fetch_download(locale, t.month_path, "attestation.pdf", S.month_label,
                           "attestation-month-" + t.id.to_string(),
                           aria_label=S.month_label + " — " + t.name),
            fetch_download(locale, t.pathway_path, "attestation.pdf", _("Tout le parcours"),
                           "attestation-pathway-" + t.id.to_string(),
                           aria_label=_("Tout le parcours") + " — " + t.name),
            class_name="flex flex-wrap gap-2",
        ),
        class_name="flex flex-col gap-1 py-2 border-b border-slate-200", data_trainee=t.id,
    )


def _closing(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.cond(
        S.month_closed,
        kit.notice(_("Ce mois est clôturé : les chiffres sont définitifs. Un changement se fait encore, avec sa "
                     "raison, et reste visible."), tone="ok", id="month-closed"),
        rx.cond(
            S.month_over,
            rx.cond(
                S.confirming,
                rx.el.div(
                    rx.el.p(_("Clôturer ce mois ?"), " ", S.month_label, class_name="font-bold"),
                    rx.el.p(_("Après, chaque changement des présences de ce mois demande une raison et reste "
                              "visible. Vérifiez d'abord les présences et les absences justifiées.")),
                    rx.el.div(
                        rx.el.button(rx.icon("lock", size=20, aria_hidden="true"), _("Oui, clôturer"),
                                     on_click=S.close_month, id="month-close-confirm", class_name=kit.PRIMARY),
                        rx.el.button(_("Annuler"), on_click=S.cancel_close, id="month-close-cancel",
                                     class_name=kit.SECONDARY),
                        class_name="flex flex-wrap gap-2",
                    ),
                    role="alertdialog", aria_label=_("Clôturer ce mois ?"), id="month-close-ask",
                    class_name="flex flex-col gap-2 p-4 rounded-xl border-2 border-amber-600 bg-amber-50",
                ),
                rx.el.button(rx.icon("lock", size=20, aria_hidden="true"), _("Clôturer ce mois"), on_click=S.ask_close,
                             id="month-close", class_name=kit.SECONDARY + " self-start"),
            ),
            kit.notice(_("Ce mois n'est pas fini : on le clôture une fois terminé. Ses fichiers donnent les "
                         "chiffres à ce jour."), id="month-open"),
        ),
    )


def _month(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    file_button = kit.SMALL_BUTTON + "border-teal-800 text-teal-900"
    return rx.el.section(
        kit.subheading(_("Mois : fichiers et clôture")),
        instruction(_("Choisissez le mois et le groupe. Le fichier donne, pour chaque stagiaire, ses heures, ses "
                      "absences, son indemnité et ses frais de déplacement."), locale),
        kit.card(
            rx.el.div(
                rx.el.div(
                    rx.el.label(_("Mois"), html_for="hours-month", class_name=LABEL),
                    rx.el.select(rx.foreach(S.month_rows, lambda m: rx.el.option(m.shown, value=m.month)),
                        id="hours-month", value=S.month, on_change=S.choose_month, class_name=kit.FIELD),
                ),
                rx.el.div(
                    rx.el.label(_("Groupe"), html_for="hours-group", class_name=LABEL),
                    rx.el.select(rx.foreach(S.group_rows, lambda g: rx.el.option(g.name, value=g.id.to_string())),
                                 id="hours-group", value=S.group_id.to_string(), on_change=S.choose_group,
                                 class_name=kit.FIELD),
                ),
                class_name="grid gap-3 md:grid-cols-2",
            ),
            rx.cond(S.group_id > 0, rx.el.div(
                rx.el.div(
                    fetch_download(locale, S.csv_path, "heures.csv", _("Tableau CSV"), "hours-csv", file_button),
                    fetch_download(locale, S.xlsx_path, "heures.xlsx", _("Tableau Excel (XLSX)"), "hours-xlsx",
                                   file_button),
                    class_name="flex flex-wrap gap-2",
                ),
                rx.el.h3(_("Attestations de fréquentation"), class_name="text-lg font-bold mt-3"),
                rx.el.ul(rx.foreach(S.trainees, lambda t: _trainee(locale, t)), id="hours-trainees"),
                class_name="flex flex-col gap-2 mt-3",
            )),
            labels.error_notice(S.month_error, _reasons(locale), locale, id="month-error"),
            _done(locale, ("month_closed",)),
            rx.el.div(_closing(locale), class_name="flex flex-col mt-3"),
        ),
        aria_label=_("Mois : fichiers et clôture"),
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return staff_screen(
        locale, PAGE, S.loaded,
        kit.back_link(_("Mon centre"), routes.path(locale, routes.CENTRE)),
        kit.heading(_("Heures")),
        _month(locale),
        _groups(locale),
        _closures(locale),
        _rates(locale),
    )


def on_load(locale: str):
    return HoursAdminState.load(locale)
