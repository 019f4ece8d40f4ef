"""SQLAlchemy 2.0 tables. Imports nothing else of ours."""

from .assessments import Decision, Level, SelfAssessment, Validation
from .badges import CredentialStatus, IssuedCredential, PassportShare
from .auth import AuthSession, Invitation, RecoveryCode, SecondFactor, TrustedDevice
from .base import Base, utcnow
from .hours import (CERTIFICATE_MAX_BYTES, AbsenceNotice, AbsenceReason, Assimilation, Attendance, Certificate, Closure,
                    GroupMember, HoursRates, MonthClosing, Presence, TimetableSlot, TrainingGroup)
from .goals import Goal, GoalProgressNote, GoalStatus, GoalTheme
from .messages import VOICE_MAX_BYTES, Conversation, Message, ReadMarker, VoiceNote
from .pathways import Enrolment, Pathway, PathwayKind, Skill, SkillArea
from .people import Assignment, AssignmentRole, Centre, Role, User
from .records import AuditChain, AuditCheckpoint, AuditEvent, AuditPurgePermit, Consent, PushSubscription
from . import audit_chain  # noqa: F401  (every audit row is chained as it is written)
from .support import CentrePartner, CoachNote, PartnerService, Referral, ReferralConsent, ReferralStatus

# Which tables hold personal data, and whose (the column naming the person).
# Export and erasure for one person walk this map; a test fails when a table is missing.
PERSONAL_DATA: dict[str, str | None] = {
    "centre": None,
    "app_user": "id",
    "assignment": "trainee_id",
    "auth_session": "user_id",
    "invitation": "user_id",
    "second_factor": "user_id",
    "recovery_code": "user_id",
    "trusted_device": "user_id",
    "pathway": None,
    "skill_area": None,
    "skill": None,
    "enrolment": "trainee_id",
    "goal": "trainee_id",
    "goal_progress_note": "author_id",
    "self_assessment": "trainee_id",
    "validation": "trainer_id",
    "conversation": "trainee_id",
    "message": "sender_id",
    "read_marker": "user_id",
    "voice_note": "sender_id",
    "coach_note": "trainee_id",
    "partner_service": None,
    "centre_partner": None,
    "referral": "trainee_id",
    "referral_consent": "trainee_id",
    "audit_event": "actor_id",
    "push_subscription": "user_id",
    "consent": "user_id",
    "audit_purge_permit": None,
    "audit_chain": None,
    "audit_checkpoint": None,
    "credential_status": None,
    "passport_share": "trainee_id",
    "issued_credential": "trainee_id",
    "training_group": None,
    "group_member": "trainee_id",
    "timetable_slot": None,
    "centre_closure": None,
    "hours_rates": None,
    "attendance": "trainee_id",
    "certificate": "trainee_id",
    "absence_notice": "trainee_id",
    "month_closing": None,
}

__all__ = [
    "AbsenceNotice", "AbsenceReason", "Assimilation", "Attendance", "CERTIFICATE_MAX_BYTES", "Certificate", "Closure",
    "GroupMember", "HoursRates", "MonthClosing", "Presence", "TimetableSlot", "TrainingGroup",
    "Assignment", "AssignmentRole", "AuditChain", "AuditCheckpoint", "AuditEvent", "AuditPurgePermit", "AuthSession", "Base", "Centre", "CentrePartner",
    "CoachNote", "Consent", "Conversation", "CredentialStatus", "Decision", "Enrolment", "Goal", "GoalProgressNote",
    "GoalStatus", "GoalTheme", "Invitation", "IssuedCredential", "Level", "Message", "PERSONAL_DATA", "PartnerService",
    "PassportShare", "Pathway", "Referral", "ReferralConsent", "ReferralStatus",
    "PathwayKind", "PushSubscription", "ReadMarker", "RecoveryCode", "SecondFactor", "Role", "SelfAssessment", "Skill",
    "SkillArea", "TrustedDevice", "User", "VOICE_MAX_BYTES", "Validation", "VoiceNote", "utcnow",
]
