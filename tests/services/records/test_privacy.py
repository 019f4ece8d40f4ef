"""Her data in her hands (export) and erasure: both walk every table PERSONAL_DATA declares."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from cisp_pwa.models import (
    AbsenceNotice, AbsenceReason, Attendance, Certificate, GroupMember, Presence, TrainingGroup,
    PERSONAL_DATA, Assignment, AssignmentRole, AuditEvent, CredentialStatus, IssuedCredential, PassportShare, AuthSession, Base, CoachNote, Consent, Conversation,
    Decision, Enrolment, Goal, GoalProgressNote, GoalStatus, GoalTheme, Invitation, Message, PushSubscription,
    PartnerService, ReadMarker, RecoveryCode, Referral, ReferralConsent, ReferralStatus, SecondFactor, SelfAssessment, Skill, SkillArea, TrustedDevice, User, Validation, VoiceNote, utcnow,
)
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput, SignInRefused
from cisp_pwa.services.home import dashboards
from cisp_pwa.services.infra import audit, db, events
from cisp_pwa.services.people import auth, centre_admin, passwords
from cisp_pwa.services.records import privacy

from tests.photos import PNG_PHOTO

from ..helpers import actor, skill_ids, user_id

NAME, LOGIN, PIN = "Zorabelle Quint", "zorabelle", "482913"
SENTINEL = "SENTINEL-SECRET"  # put in every secret column: never in an export


@pytest.fixture
def her(demo_db) -> int:
    """A fresh trainee of La Passerelle, coached by julie, trained by marc."""
    trainee_id = centre_admin.create_account(actor("sophie"), role="trainee", display_name=NAME, login=LOGIN)
    with db.unit_of_work() as s:
        s.get(User, trainee_id).pin_hash = passwords.hash_secret(PIN)
        events.nobody(s)
    return trainee_id


# One maker per personal table: it adds at least one row about her (and, where the table holds
# other people's rows about her, one of those too).
def _nothing(s, her, ids):  # her account row exists already
    pass


def _assignment(s, her, ids):
    s.add(Assignment(trainee_id=her, staff_id=ids["julie"], role=AssignmentRole.coach))
    s.add(Assignment(trainee_id=her, staff_id=ids["marc"], role=AssignmentRole.trainer))


def _auth_session(s, her, ids):
    now = utcnow()
    s.add(AuthSession(user_id=her, token_hash=SENTINEL + "-token", created_at=now, last_seen_at=now,
                      expires_at=now + timedelta(days=1)))


def _invitation(s, her, ids):
    s.add(Invitation(user_id=her, created_by_id=ids["sophie"], code_hash=SENTINEL + "-invite",
                     expires_at=utcnow() + timedelta(minutes=15)))


def _second_factor(s, her, ids):
    s.add(SecondFactor(user_id=her, secret=SENTINEL + "-totp"))


def _recovery_code(s, her, ids):
    s.add(RecoveryCode(user_id=her, code_hash=SENTINEL + "-recovery"))


def _trusted_device(s, her, ids):
    s.add(TrustedDevice(user_id=her, secret_hash=SENTINEL + "-device", kind="phone", failures=0))


def _enrolment(s, her, ids):
    s.add(Enrolment(trainee_id=her, pathway_id=ids["pathway"], started_on=date.today()))


def _goal(s, her, ids):
    s.add(Goal(trainee_id=her, theme=GoalTheme.housing, title="Trouver un logement", detail="Près de la gare",
               status=GoalStatus.in_progress, proposed_by_id=her, agreed_by_id=ids["julie"]))


def _goal_progress_note(s, her, ids):
    goal = s.scalar(select(Goal.id).where(Goal.trainee_id == her))
    s.add(GoalProgressNote(goal_id=goal, author_id=her, body="Visite faite"))
    s.add(GoalProgressNote(goal_id=goal, author_id=ids["julie"], body="Note de Julie sur le but"))


def _self_assessment(s, her, ids):
    s.add(SelfAssessment(trainee_id=her, skill_id=ids["skill"], level=2, comment="Mon fils m'aide"))


def _validation(s, her, ids):
    assessment = s.scalar(select(SelfAssessment.id).where(SelfAssessment.trainee_id == her))
    s.add(Validation(self_assessment_id=assessment, trainer_id=ids["marc"], decision=Decision.adjusted, level=1,
                     reason="Zorabelle lit encore avec son fils"))


def _conversation(s, her, ids):
    s.add(Conversation(trainee_id=her))


def _message(s, her, ids):
    conversation = s.scalar(select(Conversation.id).where(Conversation.trainee_id == her))
    s.add(Message(conversation_id=conversation, sender_id=her, client_id="c-1", body="Bonjour, c'est moi"))
    s.add(Message(conversation_id=conversation, sender_id=ids["julie"], client_id="c-2", body="Réponse de Julie"))


WEBM = b"\x1a\x45\xdf\xa3" + b"voice"


def _voice_note(s, her, ids):  # hers and her coach's: both go with her conversation
    conversation = s.scalar(select(Conversation.id).where(Conversation.trainee_id == her))
    for sender in (her, ids["julie"]):
        message = Message(conversation_id=conversation, sender_id=sender, client_id=f"v-{sender}", body="")
        s.add(message)
        s.flush()
        s.add(VoiceNote(message_id=message.id, sender_id=sender, mime="audio/webm", duration_ms=1500,
                        size=len(WEBM), data=WEBM))


def _read_marker(s, her, ids):
    conversation = s.scalar(select(Conversation.id).where(Conversation.trainee_id == her))
    s.add(ReadMarker(conversation_id=conversation, user_id=her, last_read_message_id=1))
    s.add(ReadMarker(conversation_id=conversation, user_id=ids["julie"], last_read_message_id=1))


def _coach_note(s, her, ids):
    s.add(CoachNote(trainee_id=her, author_id=ids["julie"], body="Note privée de Julie"))


def _audit_event(s, her, ids):
    s.add(AuditEvent(actor_id=her, action="sign_in"))
    s.add(AuditEvent(actor_id=ids["julie"], action="read_trainee_file", target_type="trainee", target_id=her))


def _push_subscription(s, her, ids):
    s.add(PushSubscription(user_id=her, endpoint=f"https://fcm.googleapis.com/fcm/send/{her}", p256dh="key",
                           auth=SENTINEL + "-push", kinds=["message"]))


def _referral(s, her, ids):
    service = s.scalar(select(PartnerService.id).order_by(PartnerService.id))
    s.add(Referral(trainee_id=her, coach_id=ids["julie"], service_id=service, reason="Pour un logement",
                   partner_note="Cherche un deux-chambres", status=ReferralStatus.accepted))


def _referral_consent(s, her, ids):
    referral = s.scalar(select(Referral.id).where(Referral.trainee_id == her))
    s.add(ReferralConsent(referral_id=referral, trainee_id=her, decision="accepted", text="J'accepte", version="1",
                          locale="fr"))


def _consent(s, her, ids):
    s.add(Consent(user_id=her, kind="trainee_terms", version="1", locale="fr"))


def _passport_share(s, her, ids):
    s.add(PassportShare(trainee_id=her, nonce=SENTINEL[:32], token_hash=SENTINEL + "-share"))


def _issued_credential(s, her, ids):
    share = s.scalar(select(PassportShare.id).where(PassportShare.trainee_id == her))
    slot = CredentialStatus(centre_id=s.get(User, her).centre_id, status_index=7)
    s.add(slot)
    s.flush()
    s.add(IssuedCredential(public_id="p" * 43, trainee_id=her, share_id=share, status_id=slot.id,
                           pathway_id=ids["pathway"], skill_id=ids["skill"], jwt="eyJ.signed.badge"))


def _group_member(s, her, ids):
    s.add(GroupMember(group_id=ids["group"], trainee_id=her))


def _attendance(s, her, ids):  # taken, then corrected with its reason: the ledger keeps both
    first = Attendance(trainee_id=her, group_id=ids["group"], day=date(2026, 11, 19), starts="09:00", ends="12:30",
                       presence=Presence.present, recorded_by=ids["marc"])
    s.add(first)
    s.flush()
    s.add(Attendance(trainee_id=her, group_id=ids["group"], day=date(2026, 11, 19), starts="09:00", ends="12:30",
                     presence=Presence.absent, reason=AbsenceReason.sick, recorded_by=ids["julie"],
                     replaces_id=first.id, correction="Elle était chez le médecin"))


def _certificate(s, her, ids):
    s.add(Certificate(trainee_id=her, mime="image/png", size=len(PNG_PHOTO), data=PNG_PHOTO))


def _absence_notice(s, her, ids):
    certificate = s.scalar(select(Certificate.id).where(Certificate.trainee_id == her))
    s.add(AbsenceNotice(trainee_id=her, day=date(2026, 11, 20), presence=Presence.absent, reason=AbsenceReason.sick,
                        certificate_id=certificate))


MAKERS: dict[str, Callable[[Session, int, dict], None]] = {
    "group_member": _group_member, "attendance": _attendance, "certificate": _certificate,
    "absence_notice": _absence_notice,
    "app_user": _nothing, "assignment": _assignment, "auth_session": _auth_session, "invitation": _invitation,
    "second_factor": _second_factor, "recovery_code": _recovery_code,
    "trusted_device": _trusted_device, "enrolment": _enrolment, "goal": _goal,
    "goal_progress_note": _goal_progress_note, "self_assessment": _self_assessment, "validation": _validation,
    "conversation": _conversation, "message": _message, "voice_note": _voice_note, "read_marker": _read_marker, "coach_note": _coach_note,
    "audit_event": _audit_event, "push_subscription": _push_subscription, "consent": _consent,
    "passport_share": _passport_share, "issued_credential": _issued_credential,
    "referral": _referral, "referral_consent": _referral_consent,
}
PERSONAL = [name for name, column in PERSONAL_DATA.items() if column]


def _fill_every_personal_table(her: int) -> None:
    missing = sorted(set(PERSONAL) - set(MAKERS))
    assert missing == [], f"a personal table without its row-maker in this test: {missing}"
    ids = {login: user_id(login) for login in ("julie", "marc", "sophie")}
    ids["skill"] = skill_ids("defi-fle-alpha")[0]
    with db.reading() as s:
        ids["group"] = s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == "fle-alpha-1"))
    with db.unit_of_work() as s:
        ids["pathway"] = _pathway_of(s, ids["skill"])
        for table in Base.metadata.sorted_tables:  # parents first
            if table.name in MAKERS:
                MAKERS[table.name](s, her, ids)
                s.flush()
        events.nobody(s)


def _pathway_of(s: Session, skill_id: int) -> int:
    return s.scalar(select(SkillArea.pathway_id).join(Skill, Skill.area_id == SkillArea.id).where(Skill.id == skill_id))


def _signed_in_as(trainee_id: int) -> Actor:
    with db.reading() as s:
        return Actor.of(s.get(User, trainee_id))


# --- export --------------------------------------------------------------------------------

def test_the_export_holds_a_row_of_every_personal_table_and_no_secret(her):
    _fill_every_personal_table(her)
    export = privacy.export_for(_signed_in_as(her))
    tables = export.data["tables"]
    assert sorted(tables) == sorted(PERSONAL)
    for name in PERSONAL:
        assert tables[name], f"{name}: her rows are missing from the export"
    bodies = {m["body"] for m in tables["message"]}
    assert bodies == {"Bonjour, c'est moi", "Réponse de Julie", ""}  # the whole conversation, voice too
    # Her recordings and her coach's, the sound itself as base64.
    assert len(tables["voice_note"]) == 2 and {v["mime"] for v in tables["voice_note"]} == {"audio/webm"}
    assert {base64.b64decode(v["data"]) for v in tables["voice_note"]} == {WEBM}
    assert {n["body"] for n in tables["goal_progress_note"]} == {"Visite faite", "Note de Julie sur le but"}
    assert tables["coach_note"][0]["body"] == "Note privée de Julie"  # the right of access covers them
    assert tables["validation"][0]["reason"] == "Zorabelle lit encore avec son fils"
    assert {a["action"] for a in tables["audit_event"]} >= {"sign_in", "read_trainee_file"}
    # Dates are ISO text; no hash, no secret, and the document says what it leaves out.
    assert tables["app_user"][0]["created_at"][:4].isdigit() and "T" in tables["app_user"][0]["created_at"]
    assert SENTINEL not in export.json_text and SENTINEL not in export.html_text
    for name, rows in tables.items():
        for row in rows:
            assert not any(k.endswith("_hash") or k in ("secret", "auth") for k in row), name
    assert export.data["excluded_columns"]["app_user"] == ["password_hash", "pin_hash"]
    assert "second_factor" in export.data["excluded_columns"] and export.data["excluded_note"]
    assert export.data["excluded_columns"]["audit_event"] == ["actor_seal", "prev_hash", "target_seal"]
    assert json.loads(export.json_text)["tables"]["message"] == tables["message"]
    assert export.data["people"][str(user_id("julie"))]["role"] == "coach"
    # The readable page: her words, the staff's names, who opened her file.
    page = export.html_text
    assert page.startswith("<!doctype html>") and 'dir="ltr"' in page and 'lang="fr"' in page
    for text in ("Trouver un logement", "Note de Julie sur le but", "Réponse de Julie", "Julie", "trainee_terms",
                 "Qui a ouvert mon dossier", NAME, "<em>Message vocal (1 s)</em>", "Cherche un deux-chambres",
                 "J&#x27;accepte"):
        assert text in page, text
    assert "Note privée de Julie" not in page  # her screens never show them: the file she downloads does
    assert [(v.who, v.role, v.action) for v in export.viewings] == \
        [(actor("julie").display_name, "coach", "read_trainee_file")]
    # The export itself is recorded, never its content.
    with db.reading() as s:
        row = s.scalars(select(AuditEvent).where(AuditEvent.action == "data_exported")).one()
        assert (row.actor_id, row.target_type, row.target_id) == (her, "user", her)


def test_the_readable_page_is_in_her_language_and_right_to_left_in_arabic(demo_db):
    youssef = actor("youssef")
    assert youssef.locale == "ar"
    page = privacy.export_for(youssef).html_text
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "<script" not in page.lower()


@pytest.mark.parametrize("login", ["julie", "marc", "sophie", "claire"])
def test_only_the_trainee_herself_exports(her, login):
    with pytest.raises(AccessDenied):
        privacy.export_for(actor(login))
    with pytest.raises(AccessDenied):
        privacy.viewings(actor(login))


def test_another_trainee_gets_her_own_data_only(her):
    _fill_every_personal_table(her)
    export = privacy.export_for(actor("kevin"))
    assert NAME not in export.json_text and "Bonjour, c'est moi" not in export.json_text
    assert all(row.get("trainee_id", user_id("kevin")) == user_id("kevin") for row in export.data["tables"]["goal"])


def test_who_opened_her_file_newest_first_at_most_fifty_one_line_a_day(her):
    with db.unit_of_work() as s:
        base = utcnow() - timedelta(days=60)
        for i in range(55):  # one a day...
            s.add(AuditEvent(actor_id=user_id("julie"), action="read_messages", target_type="trainee", target_id=her,
                             created_at=base + timedelta(days=i)))
        for minutes in (1, 2, 3):  # ...and three more on the last of those days: one line for that day
            s.add(AuditEvent(actor_id=user_id("julie"), action="read_messages", target_type="trainee", target_id=her,
                             created_at=base + timedelta(days=54, minutes=minutes)))
        s.add(AuditEvent(actor_id=user_id("julie"), action="goal_edited", target_type="goal", target_id=her))
        s.add(AuditEvent(actor_id=user_id("julie"), action="read_messages", target_type="trainee",
                         target_id=user_id("kevin")))
        events.nobody(s)
    seen = privacy.viewings(_signed_in_as(her))
    assert len(seen) == 50
    assert [v.at for v in seen] == sorted((v.at for v in seen), reverse=True)
    assert len({v.at.date() for v in seen}) == 50 and seen[0].at == base + timedelta(days=54, minutes=3)
    assert all(v.action == "read_messages" and v.role == "coach" for v in seen)


# --- erasure -------------------------------------------------------------------------------

def _rows_naming(her: int) -> dict[str, int]:
    """table -> rows whose declared column names her."""
    counts = {}
    with db.reading() as s:
        for name in PERSONAL:
            table = Base.metadata.tables[name]
            counts[name] = s.scalar(select(func.count()).select_from(table)
                                    .where(table.c[PERSONAL_DATA[name]] == her))
    return counts


def test_erasure_leaves_no_row_naming_her_but_the_anonymised_ones(her):
    _fill_every_personal_table(her)
    before = _rows_naming(her)
    privacy.erase(actor("sophie"), her, "asked_by_trainee")
    after = _rows_naming(her)
    # The audit trail keeps her rows (what was done, when), with no id of hers (services/infra/audit.forget).
    # Her attendance is the ledger the centre is funded on: kept, on the anonymous account.
    kept = {"app_user": 1, "self_assessment": before["self_assessment"], "attendance": 2}
    assert before["audit_event"] and {k: v for k, v in after.items() if v} == kept
    with db.reading() as s:
        conversation = s.scalar(select(Conversation.id).where(Conversation.trainee_id == her))
        assert conversation is None
        assert s.scalar(select(func.count(Message.id)).where(Message.body == "Réponse de Julie")) == 0
        assert s.scalar(select(func.count(VoiceNote.id))) == 0  # her coach's recordings too
        assert s.scalar(select(func.count()).select_from(ReadMarker)
                        .where(ReadMarker.user_id == user_id("julie"),
                               ReadMarker.conversation_id.not_in(select(Conversation.id)))) == 0
        assert s.scalar(select(func.count(GoalProgressNote.id))
                        .where(GoalProgressNote.body == "Note de Julie sur le but")) == 0
        assert s.scalar(select(func.count(CoachNote.id)).where(CoachNote.trainee_id == her)) == 0
        # Kept for the statistics, without the words about her.
        assessment = s.scalars(select(SelfAssessment).where(SelfAssessment.trainee_id == her)).one()
        assert assessment.comment == ""
        validation = s.scalars(select(Validation).where(Validation.self_assessment_id == assessment.id)).one()
        assert (validation.reason, validation.level) == ("", 1)
        # The ledger keeps its hours, not the words of a correction; her notice and photo go.
        assert {a.correction for a in s.scalars(select(Attendance).where(Attendance.trainee_id == her))} == {""}
        assert s.scalar(select(func.count(Certificate.id)).where(Certificate.trainee_id == her)) == 0
        user = s.get(User, her)
        assert (user.display_name, user.login, user.password_hash, user.pin_hash, user.is_active, user.new_phone_at,
                user.locale) == ("Anonyme", f"anonyme-{her}", None, None, False, None, "fr")
        assert user.anonymised_at is not None
        # Nothing anywhere still holds her name or her login.
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)):
                text = " ".join(str(v) for v in row)
                assert NAME not in text and "Zorabelle" not in text and LOGIN not in text.lower(), table.name
        erased = s.scalars(select(AuditEvent).where(AuditEvent.action.startswith("account_erased"))).one()
        assert (erased.action, erased.actor_id, erased.target_type, erased.target_id) == \
            ("account_erased:asked_by_trainee", user_id("sophie"), "user", None)
        assert erased.target_seal  # what its hash covers, which leads nowhere without her id
        assert s.scalar(select(func.count(AuditEvent.id)).where(
            or_(AuditEvent.actor_id == her,
                and_(AuditEvent.target_type.in_(("trainee", "user")), AuditEvent.target_id == her)))) == 0
    assert audit.verify().intact
    for login, secret in ((LOGIN, PIN), (f"anonyme-{her}", PIN)):
        with pytest.raises(SignInRefused):
            auth.sign_in(login, secret)


def test_erasure_ends_her_open_sessions_at_once(her):
    with db.unit_of_work() as s:
        token = auth.open_session(s, s.get(User, her), utcnow())
        events.nobody(s)
    assert auth.actor_for_token(token) is not None
    privacy.erase(actor("sophie"), her, "left_long_ago")
    assert auth.actor_for_token(token) is None


@pytest.mark.parametrize("login", ["claire", "julie", "marc", "kevin"])
def test_only_the_admin_of_her_centre_erases(her, login):
    before = _rows_naming(her)
    with pytest.raises(AccessDenied):
        privacy.erase(actor(login), her, "asked_by_trainee")
    assert _rows_naming(her) == before


def test_only_trainees_are_erased_and_only_once(her):
    with pytest.raises(InvalidInput) as err:
        privacy.erase(actor("sophie"), user_id("julie"), "other")
    assert err.value.code == "not_a_trainee"
    privacy.erase(actor("sophie"), her, "duplicate_account")
    with pytest.raises(InvalidInput) as err:
        privacy.erase(actor("sophie"), her, "duplicate_account")
    assert err.value.code == "already_erased"


@pytest.mark.parametrize("reason,code", [
    ("", "reason_missing"),
    ("Elle est partie", "reason_unknown"),
    ("asked_by_trainee ", "reason_unknown"),
    ("x" * 600, "reason_unknown"),
])
def test_the_reason_is_one_of_the_fixed_codes(her, reason, code):
    with pytest.raises(InvalidInput) as err:
        privacy.erase(actor("sophie"), her, reason)
    assert err.value.code == code
    with db.reading() as s:
        assert s.get(User, her).anonymised_at is None


def test_every_reason_code_fits_the_audit_action():
    width = AuditEvent.__table__.c.action.type.length
    assert all(len(f"{privacy.ERASED_ACTION}:{code}") <= width for code in privacy.REASONS)


def test_an_erased_account_is_listed_as_anonymous_and_never_reactivated(her):
    privacy.erase(actor("sophie"), her, "other")
    row = next(a for a in dashboards.admin_overview(actor("sophie")).accounts if a.id == her)
    assert (row.display_name, row.is_active, row.anonymised) == ("Anonyme", False, True)
    with pytest.raises(InvalidInput) as err:
        centre_admin.set_active(actor("sophie"), her, True)
    assert err.value.code == "account_erased"
