"""The person's words for the values the app stores, in her language: one table per kind of value
(a goal's theme or status, a level, a validation's decision, a role, a referral's status, a
reason code, a refusal's code...), with its pictogram where the screens show one (never a
pictogram alone: the word goes with it).

One table each, for everything that says them: the screens (compiled into each locale's page:
components/labels.py chooses the word in the browser), what a phone keeps offline, her data
page, the passport PDF and the badges. No Reflex here: services and documents use it too.
"""

from __future__ import annotations

from cisp_pwa import i18n
from cisp_pwa.models.records import OPENED

# --- goals -----------------------------------------------------------------------------------


def goal_themes(locale: str) -> dict[str, tuple[str, str]]:
    """theme -> (word, lucide icon)."""
    _ = i18n.gettext_for(locale)
    return {
        "work": (_("Métier"), "briefcase"),
        "training": (_("Formation"), "graduation-cap"),
        "housing": (_("Logement"), "house"),
        "health": (_("Santé"), "heart-pulse"),
        "mobility": (_("Mobilité"), "bus"),
        "money": (_("Argent"), "wallet"),
        "language": (_("Langue"), "languages"),
        "digital": (_("Numérique"), "smartphone"),
        "paperwork": (_("Démarches"), "file-text"),
        "other": (_("Autre"), "circle-dot"),
    }


def goal_statuses(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "proposed": _("Proposé"),
        "in_progress": _("En cours"),
        "reached": _("Atteint"),
        "dropped": _("Abandonné"),
    }


GOAL_STATUS_ICONS = {"proposed": "hourglass", "in_progress": "footprints", "reached": "circle-check",
                     "dropped": "circle-slash"}


# --- skills ----------------------------------------------------------------------------------

def levels(locale: str) -> dict[int, str]:
    _ = i18n.gettext_for(locale)
    return {
        1: _("Pas encore"),
        2: _("Avec de l'aide"),
        3: _("Sans aide"),
        4: _("Je peux l'expliquer"),
    }


# One pictogram per level, the same everywhere.
LEVEL_ICONS = {1: "sprout", 2: "hand-helping", 3: "user-check", 4: "presentation"}


def opinions(locale: str) -> dict[str, str]:
    """Whose level it is, said the same on her screens and in her passport PDF: hers ("mine")
    or the trainer's."""
    _ = i18n.gettext_for(locale)
    return {
        "mine": _("Votre avis :"),
        "trainer": _("Avis du formateur :"),
    }


def skill_states(locale: str) -> dict[str, str]:
    """The state of a skill, from its latest self-assessment (services.skills.assessments)."""
    _ = i18n.gettext_for(locale)
    return {
        "to_assess": _("À évaluer"),
        "pending": _("En attente de validation"),
        "validated": _("Validé :"),
        "adjusted": _("Ajusté"),
    }


SKILL_STATE_ICONS = {"to_assess": "circle-dot", "pending": "hourglass", "validated": "circle-check",
                     "adjusted": "circle-check"}


def decisions(locale: str) -> dict[str, str]:
    """A trainer's decision on a self-assessment (models.Decision)."""
    _ = i18n.gettext_for(locale)
    return {"confirmed": _("Confirmé"), "adjusted": _("Ajusté")}


# --- people and pathways ---------------------------------------------------------------------

def roles(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "trainee": _("Stagiaire"),
        "coach": _("Accompagnateur ou accompagnatrice"),
        "trainer": _("Formateur ou formatrice"),
        "admin": _("Coordination du centre"),
    }


def pathway_kinds(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {"EFT": _("EFT — formation par le travail"), "DEFI": _("DéFi — formation et insertion")}


def viewing_word(action: str, locale: str) -> str:
    """What someone of the centre opened of her file (models.records.OPENED: the audit actions), in plain words."""
    _ = i18n.gettext_for(locale)
    return {
        OPENED["messages"]: _("vos messages"),
        OPENED["file"]: _("votre dossier : objectifs, compétences, notes"),
        OPENED["account"]: _("votre compte"),
    }.get(action, _("votre dossier"))


# --- partner services ------------------------------------------------------------------------

def partner_categories(locale: str) -> dict[str, tuple[str, str]]:
    """Category of a partner service (services/help/partners.py CATEGORIES) -> (word, lucide icon)."""
    _ = i18n.gettext_for(locale)
    return {
        "housing": (_("Logement"), "house"),
        "health": (_("Santé"), "heart-pulse"),
        "mental_health": (_("Santé mentale"), "brain"),
        "debts": (_("Dettes et budget"), "wallet"),
        "cpas": (_("CPAS"), "landmark"),
        "food": (_("Aide alimentaire"), "shopping-basket"),
        "employment": (_("Emploi"), "briefcase"),
        "training": (_("Formation"), "graduation-cap"),
        "paperwork": (_("Papiers et administration"), "file-text"),
        "childcare": (_("Garde d'enfants"), "baby"),
        "mobility": (_("Mobilité"), "bus"),
        "culture": (_("Culture et loisirs"), "drama"),
    }


def partner_bring(locale: str) -> dict[str, str]:
    """What to bring to a partner service (services/help/partners.py BRING)."""
    _ = i18n.gettext_for(locale)
    return {
        "id_card": _("Carte d'identité"),
        "residence_permit": _("Titre de séjour"),
        "income_proof": _("Preuve de vos revenus"),
        "rent_contract": _("Contrat de bail"),
        "bills": _("Vos factures"),
        "bank_statements": _("Extraits de compte"),
        "health_card": _("Carte de mutuelle"),
        "letters": _("Les lettres reçues"),
        "cv": _("Votre CV"),
    }


def partner_access(locale: str) -> dict[str, tuple[str, str]]:
    """How a partner service receives people (services/help/partners.py ACCESS) -> (word, icon)."""
    _ = i18n.gettext_for(locale)
    return {
        "walk_in": (_("Sans rendez-vous"), "door-open"),
        "appointment": (_("Sur rendez-vous"), "calendar-check"),
        "wheelchair": (_("Accessible en fauteuil roulant"), "accessibility"),
        "interpreter": (_("Interprète possible"), "languages"),
    }


def partner_costs(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {"free": _("Gratuit"), "low_cost": _("Petit prix"), "paid": _("Payant")}


# --- referrals -------------------------------------------------------------------------------

def referral_statuses(locale: str, for_trainee: bool = False) -> dict[str, str]:
    """Where a referral stands, in plain words; the trainee reads that a proposal waits for her
    answer."""
    _ = i18n.gettext_for(locale)
    return {
        "proposed": _("Proposée : à vous de dire oui ou non") if for_trainee else _("Proposée"),
        "accepted": _("Acceptée"),
        "refused": _("Refusée"),
        "contacted": _("Service contacté"),
        "appointment": _("Rendez-vous fixé"),
        "done": _("Faite"),
        "abandoned": _("Arrêtée"),
        "withdrawn": _("Accord retiré"),
    }


REFERRAL_STATUS_ICONS = {"proposed": "hourglass", "accepted": "circle-check", "refused": "circle-x",
                         "contacted": "phone-call", "appointment": "calendar-check", "done": "flag",
                         "abandoned": "circle-slash", "withdrawn": "undo-2"}


def referral_close_reasons(locale: str) -> dict[str, str]:
    """Why a referral stopped (services/help/referrals.py CLOSE_REASONS)."""
    _ = i18n.gettext_for(locale)
    return {
        "no_longer_needed": _("Plus besoin"),
        "no_answer": _("Le service ne répond pas"),
        "not_suitable": _("Le service ne convient pas"),
        "other": _("Autre raison"),
    }


# --- hours -----------------------------------------------------------------------------------

def presences(locale: str) -> dict[str, tuple[str, str]]:
    """presence -> (word, lucide icon): the trainer's three taps, her month's lines."""
    _ = i18n.gettext_for(locale)
    return {
        "present": (_("Présent·e"), "circle-check"),
        "late": (_("En retard"), "clock-alert"),
        "absent": (_("Absent·e"), "circle-x"),
    }


def absence_reasons(locale: str) -> dict[str, tuple[str, str]]:
    """Why she is absent or late, as she taps it: (word, lucide icon)."""
    _ = i18n.gettext_for(locale)
    return {
        "sick": (_("Malade"), "thermometer"),
        "child": (_("Enfant"), "baby"),
        "transport": (_("Transport"), "bus"),
        "appointment": (_("Rendez-vous Forem ou CPAS"), "calendar-clock"),
        "other": (_("Autre"), "circle-dot"),
    }


def assimilations(locale: str) -> dict[str, str]:
    """Why missed hours count as hours (force majeure), as the coach or admin decides."""
    _ = i18n.gettext_for(locale)
    return {
        "illness": _("Maladie (certificat)"),
        "family": _("Événement familial grave"),
        "summons": _("Convocation (Forem, CPAS, justice)"),
        "strike": _("Grève des transports"),
        "other": _("Autre force majeure"),
    }


def hours_errors(locale: str) -> dict[str, str]:
    """Why an hours screen refused something (services/hours)."""
    _ = i18n.gettext_for(locale)
    return {
        "hours_mark_invalid": _("Cette présence n'est pas valable. Rechargez la page, puis réessayez."),
        "hours_late_minutes": _("Choisissez le nombre de minutes de retard."),
        "hours_in_the_future": _("On ne note pas encore les présences d'un jour à venir."),
        "hours_no_session": _("Ce groupe n'a pas cours à ce moment-là."),
        "hours_correction_reason": _("C'est une correction : écrivez pourquoi."),
        "hours_correction_too_long": _("La raison est trop longue (200 signes au plus)."),
        "hours_assimilated_unjustified": _("Des heures assimilées sont toujours justifiées."),
        "hours_nothing_to_justify": _("Il n'y a pas d'absence à justifier pour ce moment-là."),
        "hours_distance_not_assimilated": _("Les heures à distance ne peuvent pas être assimilées."),
        "hours_month_invalid": _("Ce mois n'est pas valable."),
        "hours_month_not_over": _("On ne peut clôturer un mois qu'une fois terminé."),
        "hours_month_closed": _("Ce mois est déjà clôturé."),
        "hours_rate_invalid": _("Ce montant n'est pas valable."),
        "hours_day_invalid": _("Choisissez un jour d'aujourd'hui aux deux mois qui viennent."),
        "hours_time_invalid": _("Cette heure n'est pas valable (par exemple 09:00)."),
        "hours_timetable_invalid": _("Cet horaire n'est pas valable."),
        "hours_timetable_overlap": _("Deux moments de cet horaire se chevauchent."),
        "hours_group_code": _("Donnez un code court au groupe."),
        "hours_group_name": _("Donnez un nom au groupe (120 signes au plus)."),
        "hours_group_pathway": _("Ce parcours n'existe pas."),
        "hours_group_exists": _("Un groupe a déjà ce code."),
        "hours_group_members": _("Cette liste de stagiaires n'est pas valable."),
        "certificate_type": _("Envoyez une photo (JPEG, PNG ou WebP)."),
        "certificate_empty": _("La photo est vide. Reprenez-la."),
        "certificate_too_big": _("La photo est trop grande (2 Mo au plus)."),
        "certificate_not_image": _("Ce fichier n'est pas une photo."),
        # The admin's files (services/hours/timetable_file.py, exports.py).
        "file_too_big": _("Ce fichier est trop grand. Rien n'a été changé."),
        "hours_export_kind": _("Ce type de fichier n'existe pas. Choisissez CSV ou XLSX."),
        "hours_no_enrolment": _("Cette personne n'est inscrite à aucun parcours pour le moment."),
    }


# --- refusals --------------------------------------------------------------------------------

def common_errors(locale: str) -> dict[str, str]:
    """Why any screen refused something (state/guard.py); each screen adds its own reasons."""
    _ = i18n.gettext_for(locale)
    return {
        "text_unreadable": _("Ce texte contient des signes que l'application ne peut pas garder. "
                             "Enlevez-les, puis réessayez."),
        "bad_request": _("Cette demande n'est pas valable. Rechargez la page, puis réessayez."),
        "failed": _("Cela n'a pas marché. Réessayez dans un moment."),
        "too_many": _("Trop d'envois d'un coup. Attendez une minute, puis réessayez."),
    }


def import_errors(locale: str) -> dict[str, str]:
    """Why an imported file changed nothing (state/file_errors.import_upload, the services)."""
    _ = i18n.gettext_for(locale)
    return {
        "invalid": _("Ce fichier a une erreur. Rien n'a été changé."),
        "not_text": _("Ce fichier n'est pas un fichier texte (YAML). Rien n'a été changé."),
        "file_too_big": _("Ce fichier est trop grand. Rien n'a été changé."),
    }
