"""Words for the values the database stores that both the screens (components/labels.py) and
the services' documents (her data page, the passport PDF, the badges) say: one table each."""

from __future__ import annotations

from cisp_pwa import i18n


def goal_statuses(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "proposed": _("Proposé"),
        "in_progress": _("En cours"),
        "reached": _("Atteint"),
        "dropped": _("Abandonné"),
    }


def levels(locale: str) -> dict[int, str]:
    _ = i18n.gettext_for(locale)
    return {
        1: _("Pas encore"),
        2: _("Avec de l'aide"),
        3: _("Sans aide"),
        4: _("Je peux l'expliquer"),
    }


def roles(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "trainee": _("Stagiaire"),
        "coach": _("Accompagnateur ou accompagnatrice"),
        "trainer": _("Formateur ou formatrice"),
        "admin": _("Coordination du centre"),
    }


def opinions(locale: str) -> dict[str, str]:
    """Whose level it is, said the same on her screens and in her passport PDF: hers ("mine")
    or the trainer's."""
    _ = i18n.gettext_for(locale)
    return {
        "mine": _("Votre avis :"),
        "trainer": _("Avis du formateur :"),
    }
