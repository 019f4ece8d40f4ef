"""Her data in her hands, and erasure (issue 16).

`export_for`: everything the app keeps about a trainee, for her alone: a machine-readable JSON
document and a readable HTML page in her language (documents/my_data.py). `erase`: the centre
admin removes what names her and anonymises her account. Both walk `models.PERSONAL_DATA`
(table -> the column naming the person), so a table declared there cannot be forgotten: its rows
are exported, and erased unless the table is one of those kept anonymised (`KEPT_ANONYMISED`).
"""

from __future__ import annotations

import base64
import enum
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, and_, delete, false, or_, select
from sqlalchemy.orm import Session

from cisp_pwa import i18n
from cisp_pwa.documents import my_data
from cisp_pwa.i18n import localised
from cisp_pwa.models import (
    PERSONAL_DATA, Attendance, AuditEvent, Base, Centre, Conversation, Goal, Message, PartnerService, Pathway, Role, SelfAssessment, Skill, User,
    Validation, utcnow,
)

from .. import policy
from ..actor import Actor
from ..credentials import badges
from ..errors import InvalidInput
from ..infra import audit, db, events

FORMAT = "cisp-parcours-export/1"
# Why a centre erases an account: a fixed list (the audit trail keeps the code, never free text).
REASONS = ("asked_by_trainee", "left_long_ago", "duplicate_account", "other")
ERASED_ACTION = "account_erased"
RETENTION_REASON = "retention"  # the reason the retention command gives (not one an admin picks)
ANONYMOUS_NAME = "Anonyme"
# Kept after erasure, with nothing identifying: assessments and validations count in the centre's
# statistics (their free-text comments are emptied); her attendance is the ledger the centre
# is funded on and must show its auditors (the reasons of corrections are emptied); the audit trail is append-only (the database
# refuses to change it) and keeps its rows, without her id (audit.forget); the account row itself
# becomes anonymous.
KEPT_ANONYMISED = frozenset({"app_user", "self_assessment", "validation", "audit_event", "attendance"})
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
        page = _page(s, me, tables, data["people"], all_viewings, now)
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


def _page(s: Session, me: User, tables: dict[str, list[dict]], people: dict[str, dict],
          seen: list[Viewing], now: datetime) -> str:
    """Her data as a page to read (documents/my_data.py), with the names her rows point to."""
    loc = me.locale
    centre = s.get(Centre, me.centre_id)
    skill_ids = {r["skill_id"] for r in tables.get("self_assessment", [])}
    skills = s.scalars(select(Skill).where(Skill.id.in_(skill_ids))) if skill_ids else []
    services = s.execute(select(PartnerService.id, PartnerService.name)).all() if tables.get("referral") else []
    names = my_data.Names(
        pathways={p.id: localised(p.name, loc) for p in s.scalars(select(Pathway))},
        skills={k.id: localised(k.label, loc) for k in skills},
        services=dict(services),
    )
    her = my_data.Her(me.display_name, me.login, loc, me.created_at, centre.name if centre else "")
    return my_data.build(her, tables, people, names, seen, now)


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
    """The retention rule (services/records/retention.py): the same erasure, by nobody in particular,
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
    s.execute(Attendance.__table__.update().where(Attendance.trainee_id == trainee.id).values(correction=""))
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
