"""A broken imported file (a pathway, partner services), said in the admin's language: where
(line, the area, skill or service by its position from 1 and its name, field), what is wrong,
and how to put it right. The service names the problem (services/infra/yaml_files.py: a pydantic
error type or one of its own)."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.services.errors import FileError

PATHWAY, PARTNERS, TIMETABLE = "pathway", "partners", "timetable"  # which kind of file: their words differ
# where they name it


def _what(problem: str, context: dict, locale: str, kind: str) -> str:
    _ = i18n.gettext_for(locale)
    words = {
        "missing": _("Ce champ manque : ajoutez-le."),
        "extra_forbidden": _("Ce champ n'est pas prévu : enlevez-le ou corrigez son nom."),
        "string_pattern_mismatch": _("Un code n'a que des lettres minuscules sans accent, des chiffres et des "
                                     "tirets, par exemple : cuisine-hygiene."),
        "string_too_long": _("Ce texte est trop long : %(max)s caractères au plus."),
        "too_short": _("Cette liste est vide : il faut au moins un élément."),
        "too_long": _("Cette liste est trop longue : %(max)s éléments au plus."),
        "translation_missing": _("Il manque la traduction dans ces langues : %(langs)s."),
        "language_unknown": _("Langue inconnue : %(langs)s. Langues possibles : %(known)s."),
        "code_twice": _("Le code « %(code)s » est utilisé deux fois : chaque code doit être unique."),
        "literal_error": _("Cette valeur n'est pas prévue. Valeurs possibles : %(expected)s."),
        "yaml_invalid": _("Le fichier n'est pas lisible. Vérifiez les retraits et les deux-points à cette ligne."),
        "file_too_large": _("Le fichier est trop grand : %(max_kib)s Kio au plus."),
        "too_deep": _("Le fichier a trop de niveaux imbriqués. Comparez avec un parcours exporté."),
        "aliases": _("Les ancres et alias YAML (& et *) ne sont pas acceptés : écrivez chaque texte en entier."),
        "top_not_mapping": _("Le fichier ne ressemble pas à un parcours. Partez d'un parcours exporté."),
        "code_not_file_name": _("Le code doit être le nom du fichier."),
        "esco_uri_invalid": _("Ce n'est pas l'adresse d'une compétence ESCO. Exemple : "
                              "http://data.europa.eu/esco/skill/ suivi de son identifiant."),
        "sfmq_code_invalid": _("Ce code SFMQ n'a pas la bonne forme : lettres, chiffres, points, tirets, "
                               "40 caractères au plus."),
        "hours_invalid": _("Horaires illisibles près de « %(part)s ». Exemple : mo-fr 09:00-12:00,13:30-16:00; "
                           "sa 09:00-12:00; ph off"),
        "language_code_unknown": _("Code de langue inconnu : %(code)s. Exemples : fr, nl, ar, tr."),
        "phone_invalid": _("Ce numéro de téléphone n'est pas lisible. Exemple : 081 22 33 44."),
        "email_invalid": _("Cette adresse e-mail n'est pas lisible. Exemple : accueil@service.be."),
        "website_invalid": _("Ce site doit commencer par https:// . Exemple : https://www.service.be."),
        "region_not_yours": _("Ce fichier est d'une autre région. Votre région : %(region)s."),
    }
    date_unreadable = _("Cette date n'est pas lisible. Écrivez-la comme 2026-12-24 (année-mois-jour).")
    words.update({  # the timetable file's own (services/hours/timetable_file.py)
        "member_unknown": _("Aucun ou aucune stagiaire du centre ne se connecte avec « %(login)s ». Vérifiez "
                            "l'identifiant dans la liste des comptes."),
        "member_twice": _("« %(login)s » est deux fois dans ce groupe."),
        "pathway_unknown": _("Aucun parcours n'a le code « %(code)s ». Vérifiez-le dans la liste des parcours."),
        "time_invalid": _("Cette heure n'est pas lisible : « %(value)s ». Écrivez-la comme 09:00 ou 13:30."),
        "time_order": _("Cette demi-journée finit (%(ends)s) avant de commencer (%(starts)s)."),
        "half_days_overlap": _("Deux demi-journées du même jour se chevauchent."),
        "day_twice": _("Le jour %(day)s est écrit deux fois."),
        "date_parsing": date_unreadable, "date_type": date_unreadable, "date_from_datetime_parsing": date_unreadable,
        "date_from_datetime_inexact": date_unreadable,
    })
    fallback = _("Ce champ n'a pas la bonne forme. Comparez avec un parcours exporté.")
    if kind == PARTNERS:  # the words that name the kind of file
        words.update({
            "too_deep": _("Le fichier a trop de niveaux imbriqués. Comparez avec un fichier de services exporté."),
            "top_not_mapping": _("Le fichier ne ressemble pas à un fichier de services. Partez d'un fichier "
                                 "exporté."),
        })
        fallback = _("Ce champ n'a pas la bonne forme. Comparez avec un fichier de services exporté.")
    if kind == TIMETABLE:
        words.update({
            "too_deep": _("Le fichier a trop de niveaux imbriqués. Comparez avec un fichier horaire exporté."),
            "top_not_mapping": _("Le fichier ne ressemble pas à un fichier horaire. Partez d'un fichier exporté."),
        })
        fallback = _("Ce champ n'a pas la bonne forme. Comparez avec un fichier horaire exporté.")
    text = words.get(problem, fallback)
    values = {"max": context.get("max_length", ""), **context}
    try:
        return text % values if "%(" in text else text
    except (KeyError, ValueError):
        return text


def _name(names: dict, locale: str) -> str:
    return names.get(locale) or names.get(i18n.DEFAULT_LOCALE) or next(iter(names.values()), "")


def describe(details: dict, locale: str, kind: str = PATHWAY) -> str:
    """One sentence for the alert: where, then what and how."""
    _ = i18n.gettext_for(locale)
    where = []
    if details.get("line"):
        where.append(_("Ligne %(n)s") % {"n": details["line"]})
    for item, word in (("area", _("Domaine %(n)s")), ("skill", _("Compétence %(n)s")),
                       ("service", _("Service %(n)s")), ("group", _("Groupe %(n)s")),
                       ("half_day", _("Demi-journée %(n)s")), ("closure", _("Jour de fermeture %(n)s"))):
        if details.get(item):
            name = _name(details.get(item + "_names") or {}, locale)
            where.append(word % {"n": details[item]} + (f" « {name} »" if name else ""))
    if details.get("within"):
        where.append(_("champ « %(field)s »") % {"field": details["within"]})
    what = _what(str(details.get("problem", "")), details.get("context") or {}, locale, kind)
    return (" · ".join(where) + " : " if where else "") + what


async def import_upload(files: list[rx.UploadFile], import_text: Callable[[str, str], object],
                        default_name: str, locale: str, kind: str = PATHWAY) -> tuple[str, str, object]:
    """The first uploaded file, read as UTF-8 and given to import_text(text, file name).
    Returns (error, detail, what import_text returned): error is "" when it went in, "not_text"
    (not UTF-8) or "invalid" with detail, the file's problem said in the admin's language."""
    for upload in files[:1]:
        try:
            text = (await upload.read()).decode("utf-8")
        except UnicodeDecodeError:
            return "not_text", "", None
        try:
            return "", "", import_text(text, upload.name or default_name)
        except FileError as exc:
            return "invalid", describe(exc.details, locale, kind), None
    return "", "", None
