"""Her data in her hands, and erasure (issue 16).

`export_for`: everything the app keeps about a trainee, for her alone: a machine-readable JSON
document and a readable HTML page in her language. `erase`: the centre admin removes what names
her and anonymises her account. Both walk `models.PERSONAL_DATA` (table -> the column naming the
person), so a table declared there cannot be forgotten: its rows are exported, and erased unless
the table is one of those kept anonymised (`KEPT_ANONYMISED`).
"""

from __future__ import annotations

import base64
import enum
import html
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, and_, delete, false, or_, select
from sqlalchemy.orm import Session

from cisp_pwa import i18n, value_words
from cisp_pwa.models import (
    PERSONAL_DATA, AuditEvent, Base, Centre, Conversation, Goal, Message, PartnerService, Pathway, Role, SelfAssessment, Skill, User,
    Validation, utcnow,
)

from . import audit, badges, db, events, policy, referrals
from .actor import Actor
from .dashboards import localised
from .errors import InvalidInput

FORMAT = "cisp-parcours-export/1"
# Why a centre erases an account: a fixed list (the audit trail keeps the code, never free text).
REASONS = ("asked_by_trainee", "left_long_ago", "duplicate_account", "other")
ERASED_ACTION = "account_erased"
RETENTION_REASON = "retention"  # the reason the retention command gives (not one an admin picks)
ANONYMOUS_NAME = "Anonyme"
# Kept after erasure, with nothing identifying: assessments and validations count in the centre's
# statistics (their free-text comments are emptied); the audit trail is append-only (the database
# refuses to change it) and keeps its rows, without her id (audit.forget); the account row itself
# becomes anonymous.
KEPT_ANONYMISED = frozenset({"app_user", "self_assessment", "validation", "audit_event"})
VIEWINGS_SHOWN = 50
# Audit rows about a person name her this way (target_type, target_id).
_ABOUT_HER = ("trainee", "user")


def is_secret(column: str) -> bool:
    """Hashes of passwords, PINs, tokens and codes, the authenticator secret, a phone's push
    secret (`auth`, Web Push's shared secret), what a share link is made from (`nonce`) and the
    audit rows' seals (with a seal and her id, anyone could find her rows again after erasure):
    never exported."""
    return column.endswith(("_hash", "_seal")) or column in ("secret", "auth", "nonce")


@dataclass(frozen=True)
class Viewing:
    """Someone of the centre opened part of her file (an audit row `read_...`)."""
    who: str
    role: str      # Role value, "" when the account is gone
    action: str
    at: datetime


@dataclass(frozen=True)
class Export:
    data: dict            # the JSON document, as Python values
    json_text: str
    html_text: str
    json_filename: str
    html_filename: str
    viewings: list[Viewing]  # newest first


# --- which rows are hers ---------------------------------------------------------------------

def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _hers(name: str, person_id: int, erasing: bool = False):
    """The condition selecting the rows of table `name` that are about this person: its declared
    column names her, or the row belongs to something of hers."""
    table = _table(name)
    column = PERSONAL_DATA[name]
    conditions = [table.c[column] == person_id] if column else []
    her_conversation = select(Conversation.id).where(Conversation.trainee_id == person_id)
    if name == "message":  # her whole conversation: her messages and her coaches' replies
        conditions.append(table.c.conversation_id.in_(her_conversation))
    elif name == "voice_note":  # the recordings of her conversation, whoever spoke
        conditions.append(table.c.message_id.in_(
            select(Message.id).where(Message.conversation_id.in_(her_conversation))))
    elif name == "read_marker" and erasing:  # the conversation goes: its markers too
        conditions.append(table.c.conversation_id.in_(her_conversation))
    elif name == "goal_progress_note":  # every note on her goals, whoever wrote it
        conditions.append(table.c.goal_id.in_(select(Goal.id).where(Goal.trainee_id == person_id)))
    elif name == "validation":  # the trainers' answers to her self-assessments
        conditions.append(table.c.self_assessment_id.in_(
            select(SelfAssessment.id).where(SelfAssessment.trainee_id == person_id)))
    elif name == "audit_event":  # what she did, and what was done to her file
        conditions.append(and_(table.c.target_type.in_(_ABOUT_HER), table.c.target_id == person_id))
    return or_(*conditions) if conditions else false()


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):  # a voice message's recording
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _rows(s: Session, name: str, person_id: int) -> list[dict]:
    table = _table(name)
    shown = [c for c in table.columns if not is_secret(c.name)]
    query = select(*shown).where(_hers(name, person_id)).order_by(*table.primary_key.columns)
    return [{k: _value(v) for k, v in row._mapping.items()} for row in s.execute(query)]


def _people(s: Session, tables: dict[str, list[dict]]) -> dict[str, dict]:
    """The people her rows name (her coaches, trainers, authors): their name and role."""
    ids: set[int] = set()
    for name, rows in tables.items():
        user_columns = [c.name for c in _table(name).columns
                        if any(fk.column.table.name == "app_user" for fk in c.foreign_keys)
                        or (name == "app_user" and c.name == "id")]
        for row in rows:
            ids.update(row[c] for c in user_columns if row.get(c) is not None)
    users = s.execute(select(User.id, User.display_name, User.role).where(User.id.in_(ids))).all() if ids else []
    return {str(uid): {"display_name": name, "role": role.value} for uid, name, role in users}


def _viewings(s: Session, person_id: int, limit: int | None = None) -> list[Viewing]:
    """Who of the centre opened her file: audit rows `read_...` about her (written by the screens
    that show it), newest first."""
    query = (select(AuditEvent.action, AuditEvent.created_at, User.display_name, User.role)
             .outerjoin(User, User.id == AuditEvent.actor_id)
             .where(AuditEvent.target_type.in_(_ABOUT_HER), AuditEvent.target_id == person_id,
                    AuditEvent.action.startswith("read_"))
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    if limit:
        query = query.limit(limit)
    return [Viewing(name or "", role.value if role else "", action, at)
            for action, at, name, role in s.execute(query)]


def viewings(actor: Actor) -> list[Viewing]:
    """"Qui a vu mon dossier" for the trainee's own screen: the newest ones (the same rows as the
    export's). Reads only: opening the screen is not an export."""
    policy.require_role(actor, Role.trainee)
    with db.reading() as s:
        policy.trainee(s, actor, policy.FILE, actor.id)
        rows = _viewings(s, actor.id, VIEWINGS_SHOWN * 20)
    # A coach opens a conversation many times a day: one line per person, kind and day (the
    # latest), so the list says who and when without a wall of repeats. The export keeps all.
    shown, seen = [], set()
    for v in rows:
        key = (v.who, v.action, v.at.date())
        if key not in seen:
            seen.add(key)
            shown.append(v)
    return shown[:VIEWINGS_SHOWN]


# --- export ----------------------------------------------------------------------------------

def export_for(actor: Actor) -> Export:
    """Everything about the trainee herself (GDPR right of access and portability)."""
    policy.require_role(actor, Role.trainee)
    with db.unit_of_work() as s:
        me = policy.trainee(s, actor, policy.FILE, actor.id)
        now = utcnow()
        # Every declared table, so a new one is exported without anyone remembering to. Coach
        # notes are the coaches' private notes about her, never shown on her screens; they are
        # still her personal data, and the right of access (GDPR art. 15) covers them: they are
        # in the file she downloads.
        tables = {name: _rows(s, name, me.id) for name, column in PERSONAL_DATA.items() if column}
        excluded = {name: sorted(c.name for c in _table(name).columns if is_secret(c.name))
                    for name in tables if any(is_secret(c.name) for c in _table(name).columns)}
        data = {
            "format": FORMAT,
            "exported_at": now.isoformat(),
            "person_id": me.id,
            "locale": me.locale,
            "excluded_columns": excluded,
            "excluded_note": "Password, PIN, session, access-code and authenticator secrets (and their hashes) "
                             "are never exported.",
            "people": _people(s, tables),
            "tables": tables,
        }
        all_viewings = _viewings(s, me.id)
        page = _html(s, me, tables, data["people"], all_viewings, now)
        audit.record(s, actor, "data_exported", "user", me.id)
        events.nobody(s)  # an audit row only: no screen shows it
    stamp = now.date().isoformat()
    return Export(
        data=data,
        json_text=json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False),
        html_text=page,
        json_filename=f"cisp-parcours-mes-donnees-{stamp}.json",
        html_filename=f"cisp-parcours-mes-donnees-{stamp}.html",
        viewings=all_viewings[:VIEWINGS_SHOWN],
    )


def _words(locale: str) -> dict[str, dict]:
    """Words for stored values (cisp_pwa/value_words.py, as the screens say them)."""
    _ = i18n.gettext_for(locale)
    return {
        "role": value_words.roles(locale), "status": value_words.goal_statuses(locale),
        "level": value_words.levels(locale),
        "decision": {"confirmed": _("Confirmé"), "adjusted": _("Ajusté")},
    }


def viewing_word(action: str, locale: str) -> str:
    """What was opened (audit.OPENED's actions), in plain words."""
    _ = i18n.gettext_for(locale)
    return {
        audit.OPENED["messages"]: _("vos messages"),
        audit.OPENED["file"]: _("votre dossier : objectifs, compétences, notes"),
        audit.OPENED["account"]: _("votre compte"),
    }.get(action, _("votre dossier"))


def _html(s: Session, me: User, tables: dict[str, list[dict]], people: dict[str, dict],
          seen: list[Viewing], now: datetime) -> str:
    loc = me.locale
    _ = i18n.gettext_for(loc)
    words = _words(loc)
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
    centre = s.get(Centre, me.centre_id)
    account = [
        f"{e(said['Nom'])} : {e(me.display_name)}",
        f"{e(said['Identifiant'])} : {e(me.login)}",
        f"{e(said['Centre'])} : {e(centre.name if centre else '')}",
        f"{e(said['Langue'])} : {e(i18n.language_name(me.locale))}",
        f"{e(said['Compte créé le'])} {when(me.created_at.isoformat())}",
    ]
    pathway_names = {p.id: localised(p.name, loc) for p in s.scalars(select(Pathway))}
    pathways = [
        f"{e(pathway_names.get(r['pathway_id'], ''))} — {e(said['depuis le'])} {when(r['started_on'])}"
        + (f", {e(said['jusqu’au'])} {when(r['ended_on'])}" if r["ended_on"] else "")
        for r in tables.get("enrolment", [])
    ] + [
        f"{who(r['staff_id'])} · {e(words['role'].get(r['role'], ''))}" for r in tables.get("assignment", [])
    ]
    notes_by_goal: dict[int, list[dict]] = {}
    for note in tables.get("goal_progress_note", []):
        notes_by_goal.setdefault(note["goal_id"], []).append(note)
    goals = []
    for g in tables.get("goal", []):
        item = f"<strong>{e(g['title'])}</strong> · {e(words['status'].get(g['status'], ''))}"
        if g["detail"]:
            item += f"<br>{e(g['detail'])}"
        if g["target_date"]:
            item += f"<br>{e(said['Pour le'])} {when(g['target_date'])}"
        notes = notes_by_goal.get(g["id"], [])
        if notes:
            item += "<ul>" + "".join(f"<li>{when(n['created_at'])} · {who(n['author_id'])} : {e(n['body'])}</li>"
                                     for n in notes) + "</ul>"
        goals.append(item)
    skill_ids = {r["skill_id"] for r in tables.get("self_assessment", [])}
    skills = {k.id: localised(k.label, loc) for k in s.scalars(select(Skill).where(Skill.id.in_(skill_ids)))} \
        if skill_ids else {}
    answers = {v["self_assessment_id"]: v for v in tables.get("validation", [])}
    assessments = []
    for a in tables.get("self_assessment", []):
        item = (f"<strong>{e(skills.get(a['skill_id'], ''))}</strong> · {e(words['level'].get(a['level'], ''))}"
                f" · {when(a['created_at'])}")
        if a["comment"]:
            item += f"<br>{e(a['comment'])}"
        answer = answers.get(a["id"])
        if answer:
            item += (f"<br>{e(said['Réponse de'])} {who(answer['trainer_id'])} : "
                     f"{e(words['decision'].get(answer['decision'], ''))}, {e(words['level'].get(answer['level'], ''))}")
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
    service_names = dict(s.execute(select(PartnerService.id, PartnerService.name)).all()) \
        if tables.get("referral") else {}
    answers_by_referral: dict[int, list[dict]] = {}
    for c in tables.get("referral_consent", []):
        answers_by_referral.setdefault(c["referral_id"], []).append(c)
    referral_words = referrals.status_words(loc, for_trainee=True)
    orientations = []
    for r in tables.get("referral", []):
        item = (f"<strong>{e(service_names.get(r['service_id'], ''))}</strong> · "
                f"{e(referral_words.get(r['status'], ''))} · {who(r['coach_id'])}<br>{e(r['reason'])}")
        if r["partner_note"]:
            item += f"<br>« {e(r['partner_note'])} »"
        item += "".join(f"<br>{when(c['created_at'])} : {e(c['text'])}" for c in answers_by_referral.get(r["id"], []))
        orientations.append(item)
    viewed = [f"{when(v.at.isoformat())} · {e(v.who or '—')} ({e(words['role'].get(v.role, ''))}) · "
              f"{e(viewing_word(v.action, loc))}" for v in seen]
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


# --- erasure ---------------------------------------------------------------------------------

def erase(actor: Actor, trainee_id: int, reason: str) -> None:
    """Erase a trainee's data (the centre admin of her centre): in one transaction, every row of
    a declared personal table about her goes, except those kept anonymised (KEPT_ANONYMISED);
    her account row stays, with nothing identifying. `reason`: one of REASONS."""
    policy.require_role(actor, Role.admin)
    if not reason:
        raise InvalidInput("reason_missing")
    if reason not in REASONS:
        raise InvalidInput("reason_unknown")
    with db.unit_of_work() as s:
        trainee = policy.user_in_centre(s, actor, trainee_id)
        if trainee.role != Role.trainee:
            raise InvalidInput("not_a_trainee")
        if trainee.anonymised_at is not None:
            raise InvalidInput("already_erased")
        _erase(s, trainee, actor.id, reason, utcnow())
    db.scrub_freed(ERASED_TABLES)  # committed: now no copy stays in the database's files


# Every table an erasure deletes from or rewrites (the scrub after it: db.scrub_freed).
ERASED_TABLES = frozenset(name for name, column in PERSONAL_DATA.items() if column) | {"credential_status"}


def anonymise_for_retention(trainee_id: int, now: datetime | None = None) -> bool:
    """The retention rule (services/retention.py): the same erasure, by nobody in particular,
    for the reason "retention". False when there was nothing to do (already, or not a trainee).
    The caller scrubs the freed space once it has done them all (db.scrub_freed)."""
    with db.unit_of_work() as s:
        trainee = s.get(User, trainee_id)
        if trainee is None or trainee.role != Role.trainee or trainee.anonymised_at is not None:
            events.nobody(s)
            return False
        _erase(s, trainee, None, RETENTION_REASON, now or utcnow())
        return True


def _audit_targets(person_id: int) -> list:
    """Conditions on audit rows whose target is her (`_ABOUT_HER`) or a record of hers: a target
    type names its table (`goal`, `conversation`, `self_assessment`...), every declared one."""
    targets = [and_(AuditEvent.target_type.in_(_ABOUT_HER), AuditEvent.target_id == person_id)]
    for name, column in PERSONAL_DATA.items():
        table = _table(name)
        if column and name not in ("app_user", "audit_event") and "id" in table.c:
            targets.append(and_(AuditEvent.target_type == name,
                                AuditEvent.target_id.in_(select(table.c.id).where(_hers(name, person_id, erasing=True)))))
    return targets


def _erase(s: Session, trainee: User, by: int | None, reason: str, now: datetime) -> None:
    # Whose screens show her, asked before the assignments go.
    staff = policy.audience(s, policy.FILE, trainee.id) - {trainee.id}
    badges.revoke_everything(s, trainee.id, now)  # the credentials she handed out stop checking out
    # The code of the reason, never free text: the audit trail holds no content.
    s.add(AuditEvent(actor_id=by, centre_id=trainee.centre_id, action=f"{ERASED_ACTION}:{reason}",
                     target_type="user", target_id=trainee.id))
    s.flush()
    # The audit keeps what was done and when, but no row keeps her id: the rows where she acted,
    # those about her and those about her records (found before her records go) lose it, their
    # hashes unchanged (audit.forget), this erasure's own row included.
    audit.forget(s, trainee.id, _audit_targets(trainee.id))
    # Children before parents (messages before their conversation, notes before goals).
    for table in reversed(Base.metadata.sorted_tables):
        if PERSONAL_DATA.get(table.name) and table.name not in KEPT_ANONYMISED:
            s.execute(delete(table).where(_hers(table.name, trainee.id, erasing=True)))
    # Kept for the statistics, without the words she or her trainers wrote about her.
    her_assessments = select(SelfAssessment.id).where(SelfAssessment.trainee_id == trainee.id)
    s.execute(SelfAssessment.__table__.update().where(SelfAssessment.trainee_id == trainee.id)
              .values(comment=""))
    s.execute(Validation.__table__.update().where(Validation.self_assessment_id.in_(her_assessments))
              .values(reason=""))
    trainee.display_name = ANONYMOUS_NAME
    trainee.login = f"anonyme-{trainee.id}"
    trainee.password_hash = trainee.pin_hash = None
    trainee.is_active = False
    trainee.locale = i18n.DEFAULT_LOCALE  # her language says something about her too
    trainee.new_phone_at = None
    trainee.anonymised_at = now
    events.publish(s, events.SESSION, [trainee.id], actor_id=by or 0)  # her open screens close
    events.publish(s, events.ACCOUNTS, policy.admins_of(s, trainee.centre_id), actor_id=by or 0, id=trainee.id)
    # She leaves her coaches' and trainers' lists (no one sees her file any more).
    policy.tell(s, events.SUPPORT, trainee.id, actor_id=by or 0, also=staff)
