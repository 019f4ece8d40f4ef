"""Who may see what: the one rule, and everything derived from it.

A trainee's things are personal data (a message may speak of health or debts), so each kind
of them — a *resource* — names which *relations* to the trainee may see it and which may act
on it. A person's relation to a trainee follows from her role:

    SELF     the trainee herself
    COACH    a coach assigned to her as coach, in her centre
    TRAINER  a trainer assigned to her as trainer, in her centre
    ADMIN    an admin of her centre

Three questions are answered from `RULES` alone, so they cannot drift apart:
- `may(s, actor, resource, trainee_id)` / `trainee(...)`: one check, for a single id that came
  from a browser;
- `visible_trainees(actor, resource)`: the same rule as a query, for every list;
- `audience(s, resource, trainee_id)`: who is told when it changes (`tell` publishes with it).
Only active accounts count: a deactivated one has no session, and is told nothing.
tests/services/test_policy.py walks every role × relation × resource on both databases and
checks the three agree. The audiences of what is not a trainee's (a centre's accounts, a
pathway, the help directory) are here too, at the end.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from cisp_pwa.models import Assignment, AssignmentRole, Centre, CentrePartner, Enrolment, Role, User

from .actor import Actor
from .errors import AccessDenied
from .infra import events


class Relation(str, enum.Enum):
    SELF = "self"
    COACH = "coach"
    TRAINER = "trainer"
    ADMIN = "admin"


SELF, COACH, TRAINER, ADMIN = Relation.SELF, Relation.COACH, Relation.TRAINER, Relation.ADMIN
# The one relation each role can have to a trainee.
_RELATION_OF_ROLE = {Role.trainee: SELF, Role.coach: COACH, Role.trainer: TRAINER, Role.admin: ADMIN}


class Rule(NamedTuple):
    see: frozenset[Relation]
    act: frozenset[Relation]  # may change it (within what her role's actions are)


def _rule(see: set[Relation], act: set[Relation] = frozenset()) -> Rule:
    assert act <= see, "who acts on a thing sees it"
    return Rule(frozenset(see), frozenset(act))


# The resources: a trainee's things, by kind.
FILE = "file"                  # who supports her, her pathway, her account, her terms
MESSAGES = "messages"          # her conversation with her coaches
VOICE = "voice"                # its voice messages (who listened)
COACH_NOTES = "coach_notes"    # her coaches' private notes on her
GOALS = "goals"                # her goals and their notes (housing, health, debts...)
SKILLS = "skills"              # her self-assessments and the trainers' answers
REFERRALS = "referrals"        # the help she is referred to (which needs, which service)
REFERRAL_COUNTS = "referral_counts"  # how many referrals at each step: never who, never where
PASSPORT = "passport"          # her skills passport and its share links
DEVICE = "device"              # her phone: blocked by wrong PINs, a new access code
ATTENDANCE = "attendance"      # her hours: present, late, absent, per session (the ledger)
JUSTIFICATION = "justification"  # whether an absence is justified, and counts as hours
NOTICES = "notices"            # she says she will be absent or late, and why (a pictogram)
CERTIFICATES = "certificates"  # the photo of her certificate: often medical, health data
ATTESTATIONS = "attestations"  # her attendance certificate (attestation de fréquentation), a PDF

RULES: dict[str, Rule] = {
    FILE: _rule({SELF, COACH, TRAINER, ADMIN}, {ADMIN}),
    # Trust comes first: her messages, goals and referrals are hers and her coaches'.
    MESSAGES: _rule({SELF, COACH}, {SELF, COACH}),
    VOICE: _rule({SELF, COACH}, {SELF, COACH}),
    COACH_NOTES: _rule({COACH}, {COACH}),
    GOALS: _rule({SELF, COACH}, {SELF, COACH}),
    # She self-assesses, her trainer answers; her coach follows. No admin screen shows skills.
    SKILLS: _rule({SELF, COACH, TRAINER}, {SELF, TRAINER}),
    REFERRALS: _rule({SELF, COACH}, {SELF, COACH}),
    REFERRAL_COUNTS: _rule({ADMIN}),
    PASSPORT: _rule({SELF}, {SELF}),
    DEVICE: _rule({COACH, ADMIN}, {COACH, ADMIN}),
    # Her hours are the centre's ledger and her allowance: everyone around her sees them; her
    # trainer (or coach) takes attendance, her coach or the admin decides what is justified.
    ATTENDANCE: _rule({SELF, COACH, TRAINER, ADMIN}, {COACH, TRAINER, ADMIN}),
    JUSTIFICATION: _rule({SELF, COACH, TRAINER, ADMIN}, {COACH, ADMIN}),
    NOTICES: _rule({SELF, COACH, TRAINER, ADMIN}, {SELF}),
    CERTIFICATES: _rule({SELF, COACH, ADMIN}, {SELF}),
    # The attendance certificate she shows (Forem, CPAS): made for her, by her coach or the admin.
    ATTESTATIONS: _rule({SELF, COACH, ADMIN}),
}
RESOURCES = tuple(RULES)

# The events about one trainee's things, and which of her resources each one is about.
ABOUT: dict[str, tuple[str, ...]] = {
    events.MESSAGE: (MESSAGES,),
    events.READ: (MESSAGES,),
    events.LISTENED: (VOICE,),
    events.GOALS: (GOALS,),
    events.COACH_NOTE: (COACH_NOTES,),
    events.ASSESSMENT: (SKILLS,),
    events.VALIDATION: (SKILLS,),
    events.SUPPORT: (FILE,),
    events.REFERRAL: (REFERRALS, REFERRAL_COUNTS),
    events.SHARE: (PASSPORT,),
    events.SECURITY: (DEVICE,),
    events.HOURS: (ATTENDANCE, NOTICES),
}


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def require_role(actor: Actor, *roles: Role) -> None:
    """For actions that are about no trainee in particular (an admin's directory, a trainee's
    own settings): the role alone decides."""
    if actor.role not in roles:
        raise AccessDenied()


def _rule_for(resource: str, acting: bool) -> frozenset[Relation]:
    rule = RULES[resource]
    return rule.act if acting else rule.see


# --- one check ---------------------------------------------------------------------------------

def relation(s: Session, actor: Actor, trainee: User) -> Relation | None:
    """The actor's relation to this trainee, if any (an active account only)."""
    if Role(trainee.role) != Role.trainee or actor.centre_id != trainee.centre_id:
        return None
    wanted = _RELATION_OF_ROLE[actor.role]
    if wanted == SELF:
        found = actor.id == trainee.id and trainee.is_active
    elif wanted == ADMIN:
        me = s.get(User, actor.id)
        found = me is not None and me.is_active and Role(me.role) == Role.admin and me.centre_id == trainee.centre_id
    else:
        found = s.scalar(
            select(Assignment.id).join(User, User.id == Assignment.staff_id).where(
                Assignment.staff_id == actor.id, Assignment.trainee_id == trainee.id,
                Assignment.role == AssignmentRole(wanted.value), User.is_active.is_(True),
                User.centre_id == trainee.centre_id).limit(1)) is not None
    return wanted if found else None


def trainee(s: Session, actor: Actor, resource: str, trainee_id: object, *, acting: bool = False) -> User:
    """The trainee `trainee_id`, if the actor may see (or, `acting`, change) this resource of
    hers; AccessDenied otherwise, whatever was sent."""
    allowed = _rule_for(resource, acting)
    if _RELATION_OF_ROLE.get(actor.role) not in allowed or not _is_id(trainee_id):
        raise AccessDenied()
    found = s.get(User, trainee_id)
    if found is None or relation(s, actor, found) not in allowed:
        raise AccessDenied()
    return found


def may(s: Session, actor: Actor, resource: str, trainee_id: object, *, acting: bool = False) -> bool:
    try:
        trainee(s, actor, resource, trainee_id, acting=acting)
    except AccessDenied:
        return False
    return True


# --- every list ---------------------------------------------------------------------------------

def visible_trainees(actor: Actor, resource: str, *, acting: bool = False) -> Select:
    """The ids of the trainees whose `resource` the actor may see (or change), as a query:
    lists filter with `.where(X.trainee_id.in_(visible_trainees(actor, R)))`."""
    wanted = _RELATION_OF_ROLE.get(actor.role)
    query = select(User.id).where(User.role == Role.trainee, User.centre_id == actor.centre_id)
    if wanted not in _rule_for(resource, acting):
        return query.where(false())
    me_active = select(User.id).where(User.id == actor.id, User.is_active.is_(True),
                                      User.role == actor.role, User.centre_id == actor.centre_id).exists()
    if wanted == SELF:
        return query.where(User.id == actor.id, me_active)
    if wanted == ADMIN:
        return query.where(me_active)
    return query.where(me_active, User.id.in_(select(Assignment.trainee_id).where(
        Assignment.staff_id == actor.id, Assignment.role == AssignmentRole(wanted.value))))


# --- who is told -----------------------------------------------------------------------------

def audience(s: Session, resource: str, trainee_id: int) -> set[int]:
    """The active accounts that may see this resource of the trainee: who is told it changed."""
    found = s.get(User, trainee_id)
    if found is None or Role(found.role) != Role.trainee:
        return set()
    allowed = RULES[resource].see
    who = []
    if SELF in allowed:
        who.append(User.id == found.id)
    for staff in (COACH, TRAINER):  # assigned to her in that role, and holding it
        if staff in allowed:
            assigned = select(Assignment.staff_id).where(Assignment.trainee_id == found.id,
                                                         Assignment.role == AssignmentRole(staff.value))
            who.append(User.id.in_(assigned) & (User.role == Role(staff.value)))
    if ADMIN in allowed:
        who.append(User.role == Role.admin)
    if not who:
        return set()
    return set(s.scalars(select(User.id).where(User.centre_id == found.centre_id, User.is_active.is_(True),
                                               or_(*who))))


def tell(s: Session, kind: str, trainee_id: int, *, actor_id: int = 0, id: int = 0,
         push: str | None = None, also: Iterable[int] = ()) -> None:
    """Publish an event about one trainee's things to everyone who may see them (`ABOUT`), once
    the unit of work commits. `also`: people who just lost sight of them (an assignment ended),
    whose screens must drop them. A `push` goes to her when someone else acted, else to the
    others told."""
    told: set[int] = set()
    for resource in ABOUT[kind]:
        told |= audience(s, resource, trainee_id)
    if push:
        push_to = {trainee_id} if trainee_id in told and actor_id != trainee_id else told - {actor_id}
    else:
        push_to = set()
    events.publish(s, kind, told | set(also), actor_id=actor_id, trainee_id=trainee_id, id=id,
                   push=push, push_to=push_to)


# --- what is not one trainee's ---------------------------------------------------------------------

def admins_of(s: Session, centre_id: int) -> set[int]:
    """A centre's accounts, its settings, its help directory: its active admins."""
    return set(s.scalars(select(User.id).where(User.centre_id == centre_id, User.role == Role.admin,
                                               User.is_active.is_(True))))


def centre_members(s: Session, centre_id: int) -> set[int]:
    """Everyone of a centre (its help directory changed)."""
    return set(s.scalars(select(User.id).where(User.centre_id == centre_id, User.is_active.is_(True))))


def user_in_centre(s: Session, actor: Actor, user_id: object) -> User:
    """Any account of the admin's own centre (the admin manages accounts)."""
    require_role(actor, Role.admin)
    user = s.get(User, user_id) if _is_id(user_id) else None
    if user is None or user.centre_id != actor.centre_id:
        raise AccessDenied()
    return user


def pathway_audience(s: Session, pathway_id: int, centre_id: int = 0) -> set[int]:
    """Everyone whose screens show this pathway: its current trainees, their staff and the admins
    of their centres (and of `centre_id`, whose admin edits it)."""
    trainees = s.execute(
        select(User.id, User.centre_id).join(Enrolment, Enrolment.trainee_id == User.id)
        .where(Enrolment.pathway_id == pathway_id, Enrolment.ended_on.is_(None), User.is_active.is_(True))
    ).all()
    ids = {t for t, _ in trainees}
    centres = {c for _, c in trainees} | ({centre_id} if centre_id else set())
    staff = set(s.scalars(select(Assignment.staff_id).join(User, User.id == Assignment.staff_id)
                          .where(Assignment.trainee_id.in_(ids), User.is_active.is_(True)))) if ids else set()
    admins = set(s.scalars(select(User.id).where(User.centre_id.in_(centres), User.role == Role.admin,
                                                 User.is_active.is_(True)))) if centres else set()
    return ids | staff | admins


def partner_audience(s: Session, service_ids: set[int], region: str = "") -> set[int]:
    """Whose screens show these help services: everyone of the centres that work with them, and
    the admins of the region's centres (their directory list)."""
    users: set[int] = set()
    if service_ids:
        users = set(s.scalars(select(User.id).join(CentrePartner, CentrePartner.centre_id == User.centre_id)
                              .where(CentrePartner.service_id.in_(service_ids), User.is_active.is_(True))))
    if region:
        centres = select(Centre.id).where(Centre.region == region)
        users |= set(s.scalars(select(User.id).where(User.centre_id.in_(centres), User.role == Role.admin,
                                                     User.is_active.is_(True))))
    return users
