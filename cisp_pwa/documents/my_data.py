"""Her data as a page to read (issue 16), in her language: her account, her pathways and who
supports her, her goals with their notes, her self-assessments with the trainers' answers, her
conversation, her referrals, her agreements, and who of the centre opened her file.

Made from the export's rows (services/records/privacy.py gathers them, for her alone, and looks up the
names they point to); everything she or anyone wrote is escaped. Passwords, PINs and secrets are
never in the rows, so never here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from cisp_pwa import i18n, words

if TYPE_CHECKING:
    from cisp_pwa.services.records.privacy import Viewing


@dataclass(frozen=True)
class Her:
    """Her account, as the page's first section says it."""
    display_name: str
    login: str
    locale: str
    created_at: datetime
    centre_name: str


@dataclass(frozen=True)
class Names:
    """What her rows name by id, in her language."""
    pathways: dict[int, str]
    skills: dict[int, str]
    services: dict[int, str]  # partner services


def build(her: Her, tables: dict[str, list[dict]], people: dict[str, dict], names: Names,
          seen: list[Viewing], now: datetime) -> str:
    """The page: `tables` the export's rows by table, `people` the export's names and roles of
    the people the rows name (by id, as text), `seen` who opened her file, newest first."""
    loc = her.locale
    _ = i18n.gettext_for(loc)
    role_words, status_words, level_words = words.roles(loc), words.goal_statuses(loc), words.levels(loc)
    decision_words = words.decisions(loc)
    e = html.escape

    def who(user_id) -> str:
        person = people.get(str(user_id))
        return e(person["display_name"]) if person else "—"

    def when(value) -> str:
        if not value:
            return ""
        if len(value) == 10:
            return e(i18n.format_date(date.fromisoformat(value), loc, "long"))
        return e(i18n.format_datetime(datetime.fromisoformat(value), loc, "medium"))

    def section(title: str, items: list[str], empty: str) -> str:
        body = "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else f"<p>{e(empty)}</p>"
        return f"<section><h2>{e(title)}</h2>{body}</section>"

    # Outside the f-strings below: the catalogs' extraction reads only plain calls.
    said = {
        'Ce document contient ce que CISP Parcours garde sur vous, le': _('Ce document contient ce que CISP Parcours garde sur vous, le'),
        'Centre': _('Centre'),
        'Compte créé le': _('Compte créé le'),
        'Identifiant': _('Identifiant'),
        'Langue': _('Langue'),
        'Les mots de passe, codes PIN et codes secrets ne sont pas dans ce document.': _('Les mots de passe, codes PIN et codes secrets ne sont pas dans ce document.'),
        'Mes données': _('Mes données'),
        'Nom': _('Nom'),
        'Pour le': _('Pour le'),
        'Réponse de': _('Réponse de'),
        'accepté le': _('accepté le'),
        'depuis le': _('depuis le'),
        'jusqu’au': _('jusqu’au'),
        'retiré le': _('retiré le'),
    }
    nothing = _("Rien pour le moment.")
    account = [
        f"{e(said['Nom'])} : {e(her.display_name)}",
        f"{e(said['Identifiant'])} : {e(her.login)}",
        f"{e(said['Centre'])} : {e(her.centre_name)}",
        f"{e(said['Langue'])} : {e(i18n.language_name(her.locale))}",
        f"{e(said['Compte créé le'])} {when(her.created_at.isoformat())}",
    ]
    pathways = [
        f"{e(names.pathways.get(r['pathway_id'], ''))} — {e(said['depuis le'])} {when(r['started_on'])}"
        + (f", {e(said['jusqu’au'])} {when(r['ended_on'])}" if r["ended_on"] else "")
        for r in tables.get("enrolment", [])
    ] + [
        f"{who(r['staff_id'])} · {e(role_words.get(r['role'], ''))}" for r in tables.get("assignment", [])
    ]
    notes_by_goal: dict[int, list[dict]] = {}
    for note in tables.get("goal_progress_note", []):
        notes_by_goal.setdefault(note["goal_id"], []).append(note)
    goals = []
    for g in tables.get("goal", []):
        item = f"<strong>{e(g['title'])}</strong> · {e(status_words.get(g['status'], ''))}"
        if g["detail"]:
            item += f"<br>{e(g['detail'])}"
        if g["target_date"]:
            item += f"<br>{e(said['Pour le'])} {when(g['target_date'])}"
        notes = notes_by_goal.get(g["id"], [])
        if notes:
            item += "<ul>" + "".join(f"<li>{when(n['created_at'])} · {who(n['author_id'])} : {e(n['body'])}</li>"
                                     for n in notes) + "</ul>"
        goals.append(item)
    answers = {v["self_assessment_id"]: v for v in tables.get("validation", [])}
    assessments = []
    for a in tables.get("self_assessment", []):
        item = (f"<strong>{e(names.skills.get(a['skill_id'], ''))}</strong> · {e(level_words.get(a['level'], ''))}"
                f" · {when(a['created_at'])}")
        if a["comment"]:
            item += f"<br>{e(a['comment'])}"
        answer = answers.get(a["id"])
        if answer:
            item += (f"<br>{e(said['Réponse de'])} {who(answer['trainer_id'])} : "
                     f"{e(decision_words.get(answer['decision'], ''))}, {e(level_words.get(answer['level'], ''))}")
            if answer["reason"]:
                item += f" — {e(answer['reason'])}"
        assessments.append(item)
    voiced = {v["message_id"]: v["duration_ms"] for v in tables.get("voice_note", [])}
    voice_word = _("Message vocal")
    messages = [f"{when(m['created_at'])} · <strong>{who(m['sender_id'])}</strong> : "
                + (f"<em>{e(voice_word)} ({voiced[m['id']] // 1000} s)</em>" if m["id"] in voiced else e(m["body"]))
                for m in tables.get("message", [])]
    consents = [
        f"{e(c['kind'])} {e(c['version'])} ({e(c['locale'])}) · {e(said['accepté le'])} {when(c['granted_at'])}"
        + (f" · {e(said['retiré le'])} {when(c['withdrawn_at'])}" if c["withdrawn_at"] else "")
        for c in tables.get("consent", [])
    ]
    answers_by_referral: dict[int, list[dict]] = {}
    for c in tables.get("referral_consent", []):
        answers_by_referral.setdefault(c["referral_id"], []).append(c)
    referral_words = words.referral_statuses(loc, for_trainee=True)
    orientations = []
    for r in tables.get("referral", []):
        item = (f"<strong>{e(names.services.get(r['service_id'], ''))}</strong> · "
                f"{e(referral_words.get(r['status'], ''))} · {who(r['coach_id'])}<br>{e(r['reason'])}")
        if r["partner_note"]:
            item += f"<br>« {e(r['partner_note'])} »"
        item += "".join(f"<br>{when(c['created_at'])} : {e(c['text'])}" for c in answers_by_referral.get(r["id"], []))
        orientations.append(item)
    viewed = [f"{when(v.at.isoformat())} · {e(v.who or '—')} ({e(role_words.get(v.role, ''))}) · "
              f"{e(words.viewing_word(v.action, loc))}" for v in seen]
    title = _("Mes données — CISP Parcours")
    direction = i18n.direction(loc)
    return (
        f'<!doctype html><html lang="{e(loc)}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>body{{font-family:system-ui,sans-serif;font-size:1.1rem;"
        "line-height:1.6;max-width:48rem;margin:0 auto;padding:1rem;color:#0f172a}"
        "h2{margin-top:2rem;border-bottom:2px solid #115e59}li{margin:.4rem 0}</style></head><body>"
        f"<h1>{e(said['Mes données'])}</h1>"
        f"<p>{e(said['Ce document contient ce que CISP Parcours garde sur vous, le'])} "
        f"{when(now.isoformat())}.</p>"
        f"<p>{e(said['Les mots de passe, codes PIN et codes secrets ne sont pas dans ce document.'])}</p>"
        + section(_("Mon compte"), account, nothing)
        + section(_("Mon parcours"), pathways, nothing)
        + section(_("Mes objectifs et les notes de progrès"), goals, nothing)
        + section(_("Mes auto-évaluations et les réponses des formateurs"), assessments, nothing)
        + section(_("Les messages de ma conversation"), messages, nothing)
        + section(_("Mes orientations vers des services partenaires"), orientations, nothing)
        + section(_("Mes accords"), consents, nothing)
        + section(_("Qui a ouvert mon dossier"), viewed, nothing)
        + "</body></html>"
    )
