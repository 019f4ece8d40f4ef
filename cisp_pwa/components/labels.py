"""Words for the values the database stores (themes, statuses, levels, roles), per locale.

Values come from state at run time; their words are compiled into each locale's page.
"""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.value_words import goal_statuses, levels, roles  # noqa: F401 - the screens say them too


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


def skill_states(locale: str) -> dict[str, str]:
    """The state of a skill, from its latest self-assessment (services.assessments)."""
    _ = i18n.gettext_for(locale)
    return {
        "to_assess": _("À évaluer"),
        "pending": _("En attente de validation"),
        "validated": _("Validé :"),
        "adjusted": _("Ajusté"),
    }


# One pictogram per level, the same everywhere (never a pictogram alone: the word goes with it).
LEVEL_ICONS = {1: "sprout", 2: "hand-helping", 3: "user-check", 4: "presentation"}
GOAL_STATUS_ICONS = {"proposed": "hourglass", "in_progress": "footprints", "reached": "circle-check",
                     "dropped": "circle-slash"}
SKILL_STATE_ICONS = {"to_assess": "circle-dot", "pending": "hourglass", "validated": "circle-check",
                     "adjusted": "circle-check"}


def pathway_kinds(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {"EFT": _("EFT — formation par le travail"), "DEFI": _("DéFi — formation et insertion")}


def word_for(value: rx.Var, words: dict) -> rx.Component:
    """The word of a stored value, chosen in the browser from the words compiled in."""
    return rx.match(value, *[(key, word) for key, word in words.items()], "")


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


def error_for(value: rx.Var, words: dict, locale: str) -> rx.Component:
    """The words of a refusal: this screen's reasons, then those every screen shares."""
    return word_for(value, {**common_errors(locale), **words})


def partner_categories(locale: str) -> dict[str, tuple[str, str]]:
    """Category of a partner service (services/partners.py CATEGORIES) -> (word, lucide icon)."""
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
    """What to bring to a partner service (services/partners.py BRING)."""
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
    """How a partner service receives people (services/partners.py ACCESS) -> (word, icon)."""
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


def referral_statuses(locale: str, for_trainee: bool = False) -> dict[str, str]:
    """Where a referral stands (the words live with the service: her data page says them too)."""
    from cisp_pwa.services.referrals import status_words

    return status_words(locale, for_trainee)


REFERRAL_STATUS_ICONS = {"proposed": "hourglass", "accepted": "circle-check", "refused": "circle-x",
                         "contacted": "phone-call", "appointment": "calendar-check", "done": "flag",
                         "abandoned": "circle-slash", "withdrawn": "undo-2"}


def referral_close_reasons(locale: str) -> dict[str, str]:
    """Why a referral stopped (services/referrals.py CLOSE_REASONS)."""
    _ = i18n.gettext_for(locale)
    return {
        "no_longer_needed": _("Plus besoin"),
        "no_answer": _("Le service ne répond pas"),
        "not_suitable": _("Le service ne convient pas"),
        "other": _("Autre raison"),
    }
