"""The centre admin: create accounts (another admin gets an enrolment link), set up trainees
(pathway, coaches, trainers, QR code), reset a coach's or a trainer's access, deactivate accounts,
and the shared pathways (import, export, edit)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.enrolment import enrolment_link_card
from cisp_pwa.components.file_import import import_outcome, upload_button
from cisp_pwa.components.invitation import invitation_card
from cisp_pwa.components.layout import staff_screen
from cisp_pwa.components.reach import instruction
from cisp_pwa.i18n import N_
from cisp_pwa.services.people.accounts import NAME_MAX
from cisp_pwa.services.people.passwords import MIN_PASSWORD_LENGTH
from cisp_pwa.state.admin import AccountRow, AdminHomeState, PathwayRow, StaffChoice

PAGE = routes.CENTRE
TITLE = N_("Mon centre — CISP Parcours")


def _create_form(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AdminHomeState
    errors = {
        "role_unknown": _("Choisissez un rôle."),
        "name_empty": _("Écrivez le nom de la personne."),
        "name_too_long": _("Le nom est trop long : %(n)s caractères au plus.") % {"n": NAME_MAX},
        "login_invalid": _("L'identifiant : 3 à 60 lettres sans accent, chiffres, point ou tiret."),
        "login_taken": _("Cet identifiant existe déjà. Choisissez-en un autre."),
        "password_too_short": _("Le mot de passe doit avoir au moins %(n)s caractères.") % {"n": MIN_PASSWORD_LENGTH},
        "not_allowed": _("Ce n'est pas possible."),
    }
    roles = words.roles(locale)
    return kit.card(
        rx.el.h2(_("Créer un compte"), class_name="text-xl font-bold mb-3"),
        rx.el.form(
            rx.el.fieldset(
                rx.el.legend(_("Rôle"), class_name="text-lg font-semibold mb-2"),
                rx.el.div(
                    *[
                        rx.el.button(
                            roles[role], type="button", role="radio", id=f"create-role-{role}",
                            aria_checked=rx.cond(s.create_role == role, "true", "false"),
                            on_click=AdminHomeState.choose_role(role),
                            class_name=rx.cond(
                                s.create_role == role,
                                "min-h-12 px-3 rounded-xl border-4 border-teal-800 bg-teal-50 font-bold",
                                "min-h-12 px-3 rounded-xl border-2 border-slate-300 bg-white",
                            ),
                        )
                        for role in ("trainee", "coach", "trainer", "admin")
                    ],
                    role="radiogroup", class_name="flex flex-wrap gap-2",
                ),
                class_name="mb-4",
            ),
            kit.field(_("Nom et prénom"), "display_name", max_length=NAME_MAX, aria_describedby="create-error"),
            kit.field(_("Identifiant"), "login", auto_capitalize="none", spell_check=False,
                      aria_describedby="create-error"),
            rx.el.div(
                rx.el.label(_("Langue"), html_for="create-locale", class_name="block text-lg font-semibold mb-1"),
                rx.el.select(*[rx.el.option(i18n.language_name(loc), value=loc, lang=loc) for loc in i18n.LOCALES],
                             id="create-locale", name="locale", default_value=locale, class_name=kit.FIELD),
                class_name="mb-4",
            ),
            rx.match(
                s.create_role,
                ("trainee", instruction(_("Les stagiaires n'ont pas de mot de passe. Un code QR s'affiche. "
                                          "Ensuite, la personne choisit un code PIN."), locale, "text-lg")),
                ("admin", instruction(_("Pas de mot de passe à taper : un lien s'affiche, valable 24 heures. "
                                        "La personne choisit son mot de passe, puis installe une application "
                                        "de vérification."), locale, "text-lg")),
                kit.field(_("Mot de passe de départ"), "password", type="password", autocomplete="new-password",
                          aria_describedby="create-error"),
            ),
            labels.error_notice(s.create_error, errors, locale, id="create-error"),
            rx.el.button(_("Créer le compte"), type="submit", id="create-submit", class_name=kit.PRIMARY + " mt-2"),
            on_submit=AdminHomeState.create,
            key=s.form_version,
            id="create-form",
        ),
    )


def _staff_choice(s: StaffChoice, locale: str) -> rx.Component:
    return rx.el.li(
        rx.el.label(
            rx.el.input(type="checkbox", checked=s.assigned, on_change=AdminHomeState.toggle_staff(s.id),
                        class_name="w-6 h-6 shrink-0 accent-teal-800", id="staff-" + s.id.to_string()),
            s.display_name, " · ", labels.word_for(s.role, words.roles(locale)),
            class_name="flex items-center gap-3 min-h-11",
        )
    )


def _erase(locale: str) -> rx.Component:
    """Erase the open trainee's data: asks first, with the reason (one of privacy.REASONS)."""
    _ = i18n.gettext_for(locale)
    s = AdminHomeState
    reasons = {
        "asked_by_trainee": _("La personne l'a demandé"),
        "left_long_ago": _("La personne a quitté le centre depuis longtemps"),
        "duplicate_account": _("Ce compte est en double"),
        "other": _("Une autre raison"),
    }
    errors = {
        "reason_missing": _("Choisissez une raison."),
        "reason_unknown": _("Choisissez une raison."),
        "already_erased": _("Les données de ce compte sont déjà effacées."),
        "not_a_trainee": _("Seules les données d'un compte de stagiaire peuvent être effacées ici."),
        "not_allowed": _("Ce n'est pas possible."),
    }
    return rx.cond(
        s.confirm_erase,
        rx.el.div(
            rx.el.h3(_("Effacer les données de cette personne ?"), class_name="text-lg font-bold"),
            instruction(_("Ses messages, ses objectifs, les notes sur elle et ses accès sont supprimés."), locale,
                        "text-base"),
            instruction(_("Ses auto-évaluations restent, sans son nom, pour les chiffres du centre."), locale,
                        "text-base"),
            instruction(_("On ne peut pas revenir en arrière."), locale, "text-base font-semibold"),
            rx.el.fieldset(
                rx.el.legend(_("Pourquoi ?"), class_name="font-semibold mb-1"),
                *[
                    rx.el.label(
                        rx.el.input(type="radio", name="erase-reason", value=code, id=f"erase-reason-{code}",
                                    checked=s.erase_reason == code,
                                    on_change=AdminHomeState.choose_erase_reason(code),
                                    class_name="w-6 h-6 shrink-0 accent-teal-800"),
                        word,
                        class_name="flex items-center gap-3 min-h-11",
                    )
                    for code, word in reasons.items()
                ],
                id="erase-reasons",
            ),
            labels.error_notice(s.erase_error, errors, locale, id="erase-error"),
            rx.el.div(
                rx.el.button(rx.icon("trash-2", size=20, aria_hidden="true", class_name="shrink-0"),
                             _("Oui, effacer les données"),
                             on_click=AdminHomeState.erase, id="erase-confirm",
                             class_name=kit.BUTTON + " bg-red-700 text-white hover:bg-red-800"),
                rx.el.button(_("Non"), on_click=AdminHomeState.cancel_erase, id="erase-cancel",
                             class_name=kit.SECONDARY),
                class_name="flex flex-wrap gap-2",
            ),
            id="erase-panel",
            class_name="flex flex-col gap-2 mt-4 p-3 rounded-xl border-2 border-red-700 bg-red-50",
        ),
        rx.el.button(rx.icon("trash-2", size=20, aria_hidden="true"), _("Effacer les données"),
                     on_click=AdminHomeState.ask_erase, id="erase-start",
                     class_name=kit.SMALL_BUTTON + "border-red-700 text-red-800 mt-4 self-start"),
    )


def _setup(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AdminHomeState
    return kit.card(
        rx.el.div(
            rx.el.h2(s.setup_name, class_name="text-xl font-bold"),
            rx.el.button(_("Fermer"), on_click=AdminHomeState.close_setup, class_name=kit.SECONDARY),
            class_name="flex items-center justify-between gap-2",
        ),
        rx.el.label(_("Parcours"), html_for="setup-pathway", class_name="block font-semibold mt-3 mb-1"),
        rx.el.select(
            rx.el.option(_("Pas encore de parcours"), value=""),
            rx.foreach(s.pathways, lambda p: rx.el.option(p.name, value=p.id.to_string())),
            id="setup-pathway", value=s.setup_pathway, on_change=AdminHomeState.enrol, class_name=kit.FIELD,
        ),
        rx.el.p(_("Accompagnement et formation"), class_name="font-semibold mt-3"),
        rx.el.ul(rx.foreach(s.staff, lambda c: _staff_choice(c, locale)), id="setup-staff"),
        rx.el.p(rx.cond(s.setup_has_pin, _("Le code PIN est choisi."), _("Pas encore de code PIN.")),
                class_name="mt-3"),
        rx.el.button(rx.icon("qr-code", size=20, aria_hidden="true"), _("Nouveau code d'accès (QR)"),
                     on_click=AdminHomeState.invite, id="invite-new", class_name=kit.PRIMARY + " mt-2"),
        invitation_card(locale, s),
        rx.el.div(_erase(locale), class_name="flex flex-col"),
        id="trainee-setup",
    )


def _account(locale: str, a: AccountRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AdminHomeState
    return rx.el.li(
        rx.el.div(
            rx.el.p(a.display_name, class_name="font-semibold"),
            rx.el.p(
                labels.word_for(a.role, words.roles(locale)), " · ", a.login,
                rx.cond(~a.is_active, rx.el.span(" · ", rx.el.strong(
                    rx.cond(a.anonymised, _("données effacées"), _("désactivé"))))),
                rx.cond(a.waiting_link & a.is_active, rx.el.span(" · ", rx.el.strong(_("lien pas encore utilisé")))),
                class_name="text-base text-slate-700",
            ),
            rx.cond(a.codes_alert != "", rx.el.p(
                rx.icon("shield-alert", size=18, aria_hidden="true", class_name="inline me-1"), a.codes_alert,
                class_name="text-base text-red-900 font-semibold mt-1", id=f"codes-alert-{a.id}")),
            class_name="min-w-0",
        ),
        rx.cond(
            s.confirm_deactivate_id == a.id,
            rx.el.div(
                instruction(_("Désactiver ce compte ? Ses sessions s'arrêtent tout de suite. Ses données restent."),
                            locale, "text-base"),
                rx.el.button(_("Oui, désactiver"), on_click=AdminHomeState.set_active(a.id, False),
                             id="deactivate-confirm", class_name=kit.PRIMARY),
                rx.el.button(_("Non"), on_click=AdminHomeState.cancel_deactivate, class_name=kit.SECONDARY),
                class_name="flex flex-wrap items-center gap-2",
            ),
            rx.cond(s.confirm_reset_id == a.id, _reset_question(locale, a), rx.el.div(
                rx.cond((a.role == "trainee") & a.is_active,
                        rx.el.button(_("Gérer"), on_click=AdminHomeState.open_setup(a.id),
                                     class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900")),
                rx.cond(a.waiting_link & a.is_active,
                        rx.el.button(rx.icon("link", size=20, aria_hidden="true"), _("Nouveau lien"),
                                     on_click=AdminHomeState.new_link(a.id), data_action="new-link",
                                     class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900")),
                rx.cond(((a.role == "coach") | (a.role == "trainer")) & a.is_active & ~a.waiting_link,
                        rx.el.button(rx.icon("key-round", size=20, aria_hidden="true"), _("Réinitialiser l'accès"),
                                     on_click=AdminHomeState.ask_reset(a.id), data_action="reset",
                                     class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900")),
                rx.cond((a.role != "admin") & ~a.anonymised,
                        rx.cond(a.is_active,
                                rx.el.button(_("Désactiver"), on_click=AdminHomeState.ask_deactivate(a.id),
                                             class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800"),
                                rx.el.button(_("Réactiver"), on_click=AdminHomeState.set_active(a.id, True),
                                             class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900"))),
                class_name="flex flex-wrap gap-2",
            )),
        ),
        class_name="flex flex-wrap items-center justify-between gap-2 py-2 border-b border-slate-200",
        data_login=a.login,
    )


def _reset_question(locale: str, a: AccountRow) -> rx.Component:
    """Asks first: what a reset does, in a few plain words."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        instruction(_("Réinitialiser l'accès de cette personne ? Ses sessions s'arrêtent tout de suite. Son mot "
                      "de passe et sa deuxième vérification sont effacés. Un nouveau lien s'affiche, à lui donner."),
                    locale, "text-base"),
        rx.el.button(rx.icon("key-round", size=20, aria_hidden="true"), _("Oui, réinitialiser"),
                     on_click=AdminHomeState.reset_access(a.id), id="reset-confirm", class_name=kit.PRIMARY),
        rx.el.button(_("Non"), on_click=AdminHomeState.cancel_reset, id="reset-cancel", class_name=kit.SECONDARY),
        id="reset-question", class_name="flex flex-wrap items-center gap-2",
    )


def _pathway(locale: str, p: PathwayRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.p(p.name, class_name="font-semibold"),
        rx.el.p(labels.word_for(p.kind, words.pathway_kinds(locale)), class_name="text-base text-slate-700"),
        rx.el.p(p.skills_text, " · ", p.enrolled_text, class_name="text-base"),
        rx.el.div(
            rx.el.a(rx.icon("pencil-line", size=20, aria_hidden="true"), _("Modifier"),
                    href=f"{routes.path(locale, routes.PATHWAY_EDITOR)}?id=" + p.id.to_string(),
                    class_name=kit.SMALL_BUTTON + "border-teal-800 text-teal-900"),
            rx.el.button(rx.icon("download", size=20, aria_hidden="true"), _("Exporter"),
                         on_click=AdminHomeState.export(p.id), class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800"),
            class_name="flex flex-wrap gap-2 mt-1",
        ),
        class_name="py-2 border-b border-slate-200",
    )


def _import(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        upload_button(AdminHomeState, _("Importer un fichier de parcours"), "pathway-file"),
        *import_outcome(AdminHomeState, words.import_errors(locale), _("Le parcours est importé."), locale,
                        ("import-error", "import-error-detail", "import-notice")),
        class_name="flex flex-col gap-2 mt-3",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = AdminHomeState
    notices = {
        "created": _("Le compte est créé."),
        "enrolled": _("L'inscription est enregistrée."),
        "deactivated": _("Le compte est désactivé. Ses sessions sont fermées."),
        "reactivated": _("Le compte est réactivé."),
        "erased": _("Les données sont effacées. Le compte est anonyme."),
        "admin_created": _("Le compte est créé. Donnez le lien à la personne."),
        "reset": _("L'accès est réinitialisé. Ses sessions sont fermées."),
        "new_link": _("Voici un nouveau lien. L'ancien ne marche plus."),
    }
    return staff_screen(
        locale, PAGE, s.loaded,
        kit.heading(s.centre_name),
        labels.done_notice(s.notice, notices, id="admin-notice"),
        enrolment_link_card(locale, s),
        rx.el.div(
            rx.el.div(
                _create_form(locale),
                rx.cond(s.setup_id > 0, _setup(locale)),
                class_name="flex flex-col gap-4",
            ),
            rx.el.section(
                kit.subheading(_("Comptes")),
                kit.card(rx.el.ul(rx.foreach(s.accounts, lambda a: _account(locale, a)), id="accounts")),
                aria_label=_("Comptes"),
            ),
            class_name="grid gap-4 lg:grid-cols-2 items-start",
        ),
        rx.cond(s.retention_due.length() > 0, rx.el.section(
            kit.subheading(_("Bientôt anonymisés")),
            kit.card(
                rx.el.p(_("La formation de ces stagiaires est finie depuis longtemps : leurs données seront "
                          "effacées à cette date.")),
                rx.el.ul(rx.foreach(s.retention_due, lambda d: rx.el.li(
                    rx.icon("calendar-clock", size=20, aria_hidden="true", class_name="shrink-0"),
                    rx.el.span(d.display_name, class_name="font-semibold"), " · ", d.on,
                    class_name="flex flex-wrap items-center gap-2 min-h-11")), id="retention-due"),
            ),
            aria_label=_("Bientôt anonymisés"),
        )),
        rx.el.a(rx.icon("life-buoy", size=24, aria_hidden="true"), _("Services partenaires"),
                 rx.icon("chevron-right", size=22, aria_hidden="true", class_name="ms-auto rtl:rotate-180"),
                 href=routes.path(locale, routes.PARTNERS_ADMIN), id="partners-link",
                 class_name="flex items-center gap-3 min-h-14 p-4 rounded-2xl bg-white border border-slate-200 "
                 "shadow-sm font-semibold text-teal-900 underline-offset-4 hover:underline"),
        rx.el.a(rx.icon("clock", size=24, aria_hidden="true"), _("Heures : groupes, fermetures, mois"),
                rx.icon("chevron-right", size=22, aria_hidden="true", class_name="ms-auto rtl:rotate-180"),
                href=routes.path(locale, routes.HOURS_ADMIN), id="hours-link",
                class_name="flex items-center gap-3 min-h-14 p-4 rounded-2xl bg-white border border-slate-200 "
                "shadow-sm font-semibold text-teal-900 underline-offset-4 hover:underline"),
        rx.el.section(
            kit.subheading(_("Parcours")),
            kit.card(rx.el.ul(rx.foreach(s.pathways, lambda p: _pathway(locale, p)), id="pathways",
                              class_name="grid md:grid-cols-2 gap-x-6"),
                     _import(locale)),
            aria_label=_("Parcours"),
        ),
    )


def on_load(locale: str):
    return AdminHomeState.load(locale)
