"""Referrals: a coach proposes to send the trainee to a partner service of her centre's network;
nothing moves without her yes, recorded with the very text she saw (its version and language);
then the coach tracks it to the end. She sees where it stands and may take her yes back at any
time. Only the trainee and her coaches see a referral; trainers never; the centre admin sees
counts, not contents.

    proposée -> acceptée | refusée -> contactée -> rendez-vous (date) -> faite
    (and abandonnée, with a reason code, from any open step; retirée when she takes her yes back)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cisp_pwa import i18n
from cisp_pwa.models import (
    Goal, PartnerService, Referral, ReferralConsent, ReferralStatus as St, Role, User, utcnow,
)

from .. import free_text, policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events, push
from ..people import consent
from . import partners

REASON_MAX = 500
NOTE_MAX = 1000
# Why a referral was abandoned: codes (the audit trail and the counts never hold free text).
CLOSE_REASONS = ("no_longer_needed", "no_answer", "not_suitable", "other")
OPEN = (St.proposed, St.accepted, St.contacted, St.appointment)

# The coach's steps: step -> the statuses it may start from. Every other move is refused.
COACH_STEPS: dict[St, frozenset[St]] = {
    St.contacted: frozenset({St.accepted}),
    St.appointment: frozenset({St.accepted, St.contacted, St.appointment}),  # again: a new date
    St.done: frozenset({St.contacted, St.appointment}),
    St.abandoned: frozenset(OPEN),
}
# Hers: yes or no to a proposal; taking her yes back while it is under way.
TRAINEE_STEPS: dict[St, frozenset[St]] = {
    St.accepted: frozenset({St.proposed}),
    St.refused: frozenset({St.proposed}),
    St.withdrawn: frozenset({St.accepted, St.contacted, St.appointment}),
}


@dataclass(frozen=True)
class ReferralView:
    id: int
    trainee_id: int
    service_id: int
    service_name: str
    category: str
    phone: str
    address: str
    coach_name: str
    reason: str
    partner_note: str        # what the partner will be told ("" : nothing)
    status: str
    appointment_on: datetime | None
    closed_reason: str
    goal_id: int | None
    goal_title: str
    consent_text: str        # what she reads before saying yes (proposed), or takes back
    consent_version: str
    updated_at: datetime
    steps: list[str]         # what the asking actor may do now (status values)


def consent_text(locale: str, coach_name: str, service_name: str, partner_note: str) -> str:
    """The words she says yes to, in her language (version: consent.VERSIONS[consent.REFERRAL];
    change the words, raise the version)."""
    _ = i18n.gettext_for(locale)
    coach, service = _isolated(coach_name), _isolated(service_name)
    text = _("J'accepte que %(coach)s m'oriente vers « %(service)s ».") % {"coach": coach, "service": service}
    if partner_note:
        shared = _("%(coach)s pourra leur dire ceci, et rien d'autre : « %(note)s ».") % {
            "coach": coach, "note": _isolated(partner_note)}
    else:
        shared = _("%(coach)s ne leur dira rien sur moi. C'est moi qui leur parle.") % {"coach": coach}
    return " ".join((text, shared, _("Je peux retirer mon accord à tout moment.")))


def _isolated(text: str) -> str:
    """A name or a note inside a sentence of another script keeps its own direction (Unicode
    first-strong isolate): "Julie Renard" stays whole in an Arabic sentence."""
    return f"\u2068{text}\u2069"


def withdrawal_text(locale: str, service_name: str) -> str:
    _ = i18n.gettext_for(locale)
    return _("Je retire mon accord pour l'orientation vers « %(service)s ».") % {"service": _isolated(service_name)}


def _steps(actor: Actor, referral: Referral) -> list[str]:
    table = TRAINEE_STEPS if actor.role == Role.trainee else COACH_STEPS
    return [step.value for step, starts in table.items() if referral.status in starts]


def _view(s: Session, actor: Actor, r: Referral) -> ReferralView:
    service = s.get(PartnerService, r.service_id)
    coach = s.get(User, r.coach_id)
    goal = s.get(Goal, r.goal_id) if r.goal_id else None
    locale = actor.locale if actor.role == Role.trainee else s.get(User, r.trainee_id).locale
    coach_name = coach.display_name if coach else ""
    text = (consent_text(locale, coach_name, service.name, r.partner_note) if r.status == St.proposed
            else withdrawal_text(locale, service.name) if r.status in TRAINEE_STEPS[St.withdrawn] else "")
    return ReferralView(
        id=r.id, trainee_id=r.trainee_id, service_id=service.id, service_name=service.name,
        category=service.category, phone=service.phone, address=service.address, coach_name=coach_name,
        reason=r.reason, partner_note=r.partner_note, status=r.status.value, appointment_on=r.appointment_on,
        closed_reason=r.closed_reason, goal_id=r.goal_id, goal_title=goal.title if goal else "",
        consent_text=text, consent_version=consent.VERSIONS[consent.REFERRAL], updated_at=r.updated_at,
        steps=_steps(actor, r),
    )


def _referral_for(s: Session, actor: Actor, referral_id: int) -> Referral:
    referral = s.get(Referral, referral_id) if isinstance(referral_id, int) else None
    if referral is None:
        raise AccessDenied()
    policy.trainee(s, actor, policy.REFERRALS, referral.trainee_id)
    return referral


def _tell(s: Session, actor: Actor, referral: Referral, push_kind: str | None = None) -> None:
    """Her screens and her coaches'; the admins' counts (an event holds no content). A proposal
    also reaches her phone when the app is closed: she has a yes or no to give."""
    policy.tell(s, events.REFERRAL, referral.trainee_id, actor_id=actor.id, id=referral.id, push=push_kind)
    if referral.goal_id:  # the goal's card names the services it is linked to
        policy.tell(s, events.GOALS, referral.trainee_id, actor_id=actor.id, id=referral.goal_id)


def list_referrals(actor: Actor, trainee_id: int) -> list[ReferralView]:
    """Hers, newest first (the open ones before the closed)."""
    with db.reading() as s:
        policy.trainee(s, actor, policy.REFERRALS, trainee_id)
        rows = s.scalars(select(Referral).where(Referral.trainee_id == trainee_id)
                         .order_by(Referral.updated_at.desc(), Referral.id.desc())).all()
        views = [_view(s, actor, r) for r in rows]
        return sorted(views, key=lambda v: v.status not in {x.value for x in OPEN})


def propose(actor: Actor, trainee_id: int, service_id: int, reason: str, partner_note: str = "",
            goal_id: int | None = None) -> ReferralView:
    """A coach proposes; nothing is shared with the partner unless she writes a note for them,
    and nothing moves before the trainee says yes."""
    policy.require_role(actor, Role.coach)
    reason = free_text.checked(reason, REASON_MAX, empty="reason_empty", too_long="reason_too_long")
    partner_note = free_text.checked(partner_note, NOTE_MAX, too_long="note_too_long")
    with db.unit_of_work() as s:
        trainee = policy.trainee(s, actor, policy.REFERRALS, trainee_id)
        service = partners.service_in_network(s, trainee.centre_id, service_id)
        if goal_id:
            goal = s.get(Goal, goal_id)
            if goal is None or goal.trainee_id != trainee.id:
                raise AccessDenied()
        now = utcnow()
        referral = Referral(trainee_id=trainee.id, coach_id=actor.id, service_id=service.id, goal_id=goal_id or None,
                            reason=reason, partner_note=partner_note, status=St.proposed, created_at=now,
                            updated_at=now)
        s.add(referral)
        s.flush()
        audit.record(s, actor, "referral_proposed", "referral", referral.id)
        _tell(s, actor, referral, push.REFERRAL)
        return _view(s, actor, referral)


def answer(actor: Actor, referral_id: int, accept: bool, version: str) -> ReferralView:
    """Her yes or no to a proposal, with the text she read (in her language, this version)."""
    return _hers(actor, referral_id, St.accepted if accept else St.refused, version)


def withdraw(actor: Actor, referral_id: int, version: str) -> ReferralView:
    """She takes her yes back: the coach can do nothing more with it."""
    return _hers(actor, referral_id, St.withdrawn, version)


def _hers(actor: Actor, referral_id: int, step: St, version: str) -> ReferralView:
    policy.require_role(actor, Role.trainee)
    if version != consent.VERSIONS[consent.REFERRAL]:  # an old screen: she reads the current text
        raise InvalidInput("consent_outdated")
    with db.unit_of_work() as s:
        referral = _referral_for(s, actor, referral_id)
        if referral.status not in TRAINEE_STEPS[step]:
            raise InvalidInput("step_not_possible")
        text = _view(s, actor, referral).consent_text  # what her screen showed for this status
        s.add(ReferralConsent(referral_id=referral.id, trainee_id=actor.id, decision=step.value, text=text,
                              version=version, locale=actor.locale[:8], created_at=utcnow()))
        referral.status, referral.updated_at = step, utcnow()
        audit.record(s, actor, f"referral_{step.value}", "referral", referral.id)
        _tell(s, actor, referral)
        return _view(s, actor, referral)


def advance(actor: Actor, referral_id: int, step: str, appointment_on: datetime | None = None,
            closed_reason: str = "") -> ReferralView:
    """The coach's next step: contacted, appointment (a date and time), done, abandoned (a reason)."""
    policy.require_role(actor, Role.coach)
    try:
        target = St(step)
    except ValueError:
        raise InvalidInput("step_unknown") from None
    if target not in COACH_STEPS:
        raise InvalidInput("step_unknown")
    if target == St.appointment:
        if not isinstance(appointment_on, datetime) or appointment_on.tzinfo is None:
            raise InvalidInput("appointment_missing")
        today = utcnow()
        if not today - timedelta(days=366) <= appointment_on <= today + timedelta(days=366):
            raise InvalidInput("date_out_of_range")
    if target == St.abandoned and closed_reason not in CLOSE_REASONS:
        raise InvalidInput("close_reason_missing")
    with db.unit_of_work() as s:
        referral = _referral_for(s, actor, referral_id)
        if referral.status not in COACH_STEPS[target]:
            raise InvalidInput("step_not_possible")
        referral.status, referral.updated_at = target, utcnow()
        if target == St.appointment:
            referral.appointment_on = appointment_on
        if target == St.abandoned:
            referral.closed_reason = closed_reason
        audit.record(s, actor, f"referral_{target.value}", "referral", referral.id)
        _tell(s, actor, referral)
        return _view(s, actor, referral)


def appointment_from(day: str, clock: str) -> datetime:
    """A date and a time typed in the form (Brussels time) -> an aware datetime."""
    from .opening_hours import BRUSSELS

    try:
        d = date.fromisoformat((day or "").strip())
        t = time.fromisoformat((clock or "").strip() or "09:00")
    except ValueError:
        raise InvalidInput("appointment_missing") from None
    return datetime.combine(d, t.replace(second=0, microsecond=0), tzinfo=BRUSSELS)


def counts(actor: Actor) -> dict[str, int]:
    """For the centre admin: how many referrals of her centre's trainees are at each status
    (never who, never where to)."""
    policy.require_role(actor, Role.admin)
    with db.reading() as s:
        rows = s.execute(select(Referral.status, func.count()).where(Referral.trainee_id.in_(policy.visible_trainees(actor, policy.REFERRAL_COUNTS)))
                         .group_by(Referral.status)).all()
        found = {status.value: n for status, n in rows}
        return {status.value: found.get(status.value, 0) for status in St}


def linked_services(s: Session, goal_ids: list[int]) -> dict[int, list[str]]:
    """goal id -> the names of the services it is linked to by an open or done referral."""
    if not goal_ids:
        return {}
    rows = s.execute(select(Referral.goal_id, PartnerService.name)
                     .join(PartnerService, PartnerService.id == Referral.service_id)
                     .where(Referral.goal_id.in_(goal_ids),
                            Referral.status.in_([*OPEN, St.done])).order_by(Referral.id)).all()
    out: dict[int, list[str]] = {}
    for goal_id, name in rows:
        out.setdefault(goal_id, []).append(name)
    return out
