"""A demo centre with one account per role, and a second centre to prove the walls between
centres. Idempotent: a centre that exists already is left as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Table, delete, or_, select
from sqlalchemy.orm import Session

from cisp_pwa.models import (
    Base, Assignment, AssignmentRole, Centre, CentrePartner, Consent, Conversation, Decision, Enrolment, Goal, GoalStatus,
    GoalTheme, GroupMember, Message, Pathway, Role, SelfAssessment, Skill, SkillArea, TimetableSlot, TrainingGroup, User,
    Validation, utcnow,
)

from cisp_pwa.services.help import partners
from cisp_pwa.services.infra import audit, db, events
from cisp_pwa.services.people import consent, passwords


@dataclass(frozen=True)
class DemoAccount:
    login: str
    password: str
    display_name: str
    role: Role
    locale: str = "fr"


def _account(login: str, name: str, role: Role, locale: str = "fr") -> DemoAccount:
    return DemoAccount(login, f"parcours-{login}", name, role, locale)


# The README lists these; tests sign in with them.
MAIN_CENTRE = ("namur-passerelle", "CISP La Passerelle (Namur)", "namur")
MAIN_ACCOUNTS = [
    _account("amina", "Amina Benali", Role.trainee),
    _account("kevin", "Kevin Maes", Role.trainee),
    _account("fatou", "Fatou Diallo", Role.trainee),
    _account("julie", "Julie Renard", Role.coach),
    _account("marc", "Marc Dubois", Role.trainer),
    _account("sophie", "Sophie Lambert", Role.admin),
]
OTHER_CENTRE = ("liege-horizon", "CISP Horizon (Liège)", "liege")
OTHER_ACCOUNTS = [
    _account("youssef", "Youssef El Amrani", Role.trainee, "ar"),
    _account("luc", "Luc Janssens", Role.coach),
    _account("ines", "Inès Martin", Role.trainer),
    _account("claire", "Claire Collard", Role.admin),
]


@cache
def _demo_hash(password: str) -> str:
    # Argon2 is slow on purpose; the demo reuses one hash per password within a process.
    return passwords.hash_secret(password)


def _create_accounts(s: Session, centre: Centre, accounts: list[DemoAccount]) -> dict[str, User]:
    users = {}
    for a in accounts:
        user = User(centre_id=centre.id, role=a.role, login=a.login, display_name=a.display_name,
                    password_hash=_demo_hash(a.password), locale=a.locale)
        s.add(user)
        users[a.login] = user
    s.flush()
    for a in accounts:  # the demo's people have read their terms already (a new account has not)
        kind = consent.kind_for(a.role)
        s.add(Consent(user_id=users[a.login].id, kind=kind, version=consent.VERSIONS[kind], locale=a.locale))
    return users


def _assign(s: Session, trainee: User, staff: User) -> None:
    s.add(Assignment(trainee_id=trainee.id, staff_id=staff.id, role=AssignmentRole(staff.role.value)))


def _enrol(s: Session, trainee: User, pathway_code: str, weeks_ago: int) -> list[Skill]:
    pathway = s.scalar(select(Pathway).where(Pathway.code == pathway_code))
    if pathway is None:
        raise LookupError(f"pathway {pathway_code} is not loaded: load the pathways first")
    s.add(Enrolment(trainee_id=trainee.id, pathway_id=pathway.id,
                    started_on=date.today() - timedelta(weeks=weeks_ago)))
    return list(s.scalars(
        select(Skill).join(SkillArea, SkillArea.id == Skill.area_id)
        .where(SkillArea.pathway_id == pathway.id).order_by(SkillArea.position, Skill.position)
    ))


def _goal(s: Session, trainee: User, title: str, theme: GoalTheme, status: GoalStatus,
          proposed_by: User, agreed_by: User | None = None, in_days: int | None = None) -> None:
    s.add(Goal(trainee_id=trainee.id, title=title, theme=theme, status=status,
               proposed_by_id=proposed_by.id, agreed_by_id=agreed_by.id if agreed_by else None,
               target_date=date.today() + timedelta(days=in_days) if in_days else None))


def _assess(s: Session, trainee: User, skill: Skill, level: int, days_ago: int, comment: str = "") -> SelfAssessment:
    a = SelfAssessment(trainee_id=trainee.id, skill_id=skill.id, level=level, comment=comment,
                       created_at=utcnow() - timedelta(days=days_ago))
    s.add(a)
    s.flush()
    return a


def _validate(s: Session, assessment: SelfAssessment, trainer: User, decision: Decision, level: int,
              days_after: int, reason: str = "") -> None:
    """A trainer's decision a plausible time after the self-assessment (a few days, at the next
    session), never later than now."""
    when = min(assessment.created_at + timedelta(days=days_after, hours=3), utcnow())
    s.add(Validation(self_assessment_id=assessment.id, trainer_id=trainer.id, decision=decision,
                     level=level, reason=reason, created_at=when))


# A CISP week: mornings 9:00-12:30 Monday to Friday, afternoons 13:30-16:00 but Wednesday,
# Friday afternoon at a distance.
DEMO_WEEK = [(day, "09:00", "12:30", False) for day in range(5)] + [
    (day, "13:30", "16:00", day == 4) for day in (0, 1, 3, 4)]


def _group(s: Session, centre: Centre, code: str, name: str, pathway_code: str, trainees: list[User]) -> TrainingGroup:
    pathway = s.scalar(select(Pathway).where(Pathway.code == pathway_code))
    group = TrainingGroup(centre_id=centre.id, pathway_id=pathway.id, code=code, name=name)
    s.add(group)
    s.flush()
    s.add_all([GroupMember(group_id=group.id, trainee_id=t.id) for t in trainees])
    s.add_all([TimetableSlot(group_id=group.id, weekday=d, starts=a, ends=b, distance=far) for d, a, b, far in DEMO_WEEK])
    return group


def _seed_main(s: Session, centre: Centre) -> None:
    u = _create_accounts(s, centre, MAIN_ACCOUNTS)
    amina, kevin, fatou, julie, marc = u["amina"], u["kevin"], u["fatou"], u["julie"], u["marc"]
    for trainee in (amina, kevin):
        _assign(s, trainee, julie)
        _assign(s, trainee, marc)

    fle = _enrol(s, amina, "defi-fle-alpha", weeks_ago=6)
    green = _enrol(s, kevin, "eft-espaces-verts", weeks_ago=10)
    _enrol(s, fatou, "eft-commis-cuisine", weeks_ago=2)
    _group(s, centre, "fle-alpha-1", "FLE Alpha 1", "defi-fle-alpha", [amina, kevin, fatou])

    _goal(s, amina, "Prendre seule un rendez-vous chez le médecin", GoalTheme.health,
          GoalStatus.in_progress, julie, amina, in_days=30)
    _goal(s, amina, "Trouver un stage dans une cuisine", GoalTheme.work, GoalStatus.proposed, amina)
    _goal(s, amina, "Lire les lettres de la commune", GoalTheme.language, GoalStatus.in_progress,
          amina, julie, in_days=90)
    _goal(s, kevin, "Passer le permis de conduire théorique", GoalTheme.mobility,
          GoalStatus.in_progress, kevin, julie, in_days=60)

    confirmed = _assess(s, amina, fle[0], 3, days_ago=20)
    _validate(s, confirmed, marc, Decision.confirmed, 3, days_after=2)
    adjusted = _assess(s, amina, fle[1], 4, days_ago=18)
    _validate(s, adjusted, marc, Decision.adjusted, 3, days_after=1,
              reason="Très bien à l'oral. Pour l'expliquer, on s'exerce encore ensemble.")
    _assess(s, amina, fle[2], 2, days_ago=5, comment="Je demande encore de l'aide au guichet.")
    _assess(s, amina, fle[5], 3, days_ago=3)
    _assess(s, kevin, green[0], 4, days_ago=8)
    _assess(s, kevin, green[5], 2, days_ago=2, comment="La débroussailleuse me fait encore peur.")

    conversation = Conversation(trainee_id=amina.id)
    s.add(conversation)
    s.flush()
    s.add(Message(conversation_id=conversation.id, sender_id=julie.id, client_id="demo-1",
                  body="Bonjour Amina, comment s'est passée la semaine ?",
                  created_at=utcnow() - timedelta(days=1, hours=2)))
    s.add(Message(conversation_id=conversation.id, sender_id=amina.id, client_id="demo-2",
                  body="Bien, merci. J'ai une question pour jeudi.",
                  created_at=utcnow() - timedelta(days=1)))


def _seed_other(s: Session, centre: Centre) -> None:
    u = _create_accounts(s, centre, OTHER_ACCOUNTS)
    youssef = u["youssef"]
    _assign(s, youssef, u["luc"])
    _assign(s, youssef, u["ines"])
    digital = _enrol(s, youssef, "defi-numerique", weeks_ago=3)
    _group(s, centre, "numerique-1", "Numérique 1", "defi-numerique", [youssef])
    _goal(s, youssef, "Créer mon adresse e-mail", GoalTheme.digital, GoalStatus.in_progress,
          youssef, u["luc"], in_days=14)
    _assess(s, youssef, digital[0], 2, days_ago=1)


def _partner_network(s: Session, centre: Centre, region: str, services: dict[str, list[int]]) -> None:
    """The shipped directory of its region; a demo centre works with all of it (once: an admin's
    later choices stay)."""
    centre.region = centre.region or region
    if s.scalar(select(CentrePartner.id).where(CentrePartner.centre_id == centre.id).limit(1)) is None:
        for service_id in services.get(centre.region, []):
            s.add(CentrePartner(centre_id=centre.id, service_id=service_id))


def seed_demo() -> list[str]:
    """Create the demo centres that are missing. Returns the codes of those created."""
    created = []
    with db.unit_of_work() as s:
        services = partners.load_shipped(s)  # unchanged when loaded already
        for (code, name, region), seed in ((MAIN_CENTRE, _seed_main), (OTHER_CENTRE, _seed_other)):
            centre = s.scalar(select(Centre).where(Centre.code == code))
            if centre is None:
                centre = Centre(code=code, name=name, region=region, is_demo=True)
                s.add(centre)
                s.flush()
                seed(s, centre)
                created.append(code)
            _partner_network(s, centre, region, services)
        events.nobody(s)  # set-up, before anyone has a screen open
    return created


def demo_centres() -> list[str]:
    """The codes of the demo centres in the database."""
    with db.reading() as s:
        return list(s.scalars(select(Centre.code).where(Centre.is_demo.is_(True)).order_by(Centre.code)))


def _owned_by(table: Table, doomed: dict[str, object]) -> object | None:
    """The condition on `table`'s rows that point (through any foreign key) at a doomed row."""
    conditions = [fk.parent.in_(select(fk.column).where(doomed[fk.column.table.name]))
                  for fk in table.foreign_keys if fk.column.table.name in doomed]
    return or_(*conditions) if conditions else None


def remove_demo() -> tuple[list[str], list[int]]:
    """Delete the demo centres and every row that leads to them (accounts, their messages, voice
    notes, audit rows...), found through the tables' foreign keys, so a table added later goes
    too. Shared data (pathways, the region's partner services) stays. Returns the codes and ids
    of the centres removed (their badge keys are the caller's to delete)."""
    with db.unit_of_work() as s:
        rows = s.execute(select(Centre.id, Centre.code).where(Centre.is_demo.is_(True))).all()
        if not rows:
            events.nobody(s)
            return [], []
        ids = [r.id for r in rows]
        # Parents first: a table's rows are doomed when they point at a doomed row.
        doomed: dict[str, object] = {"centre": Centre.__table__.c.id.in_(ids)}
        for table in Base.metadata.sorted_tables:
            if table.name not in doomed and (condition := _owned_by(table, doomed)) is not None:
                doomed[table.name] = condition
        # Children first; the audit trail refuses deletes without the permit (migration 0006).
        # Their audit chains go whole, heads and checkpoints with them (they point at the centre):
        # no checkpoint, for no chain is left to start again, and cisp audit-verify walks the rest.
        with audit.purge_permit(s):
            for table in reversed(Base.metadata.sorted_tables):
                if table.name in doomed:
                    s.execute(delete(table).where(doomed[table.name]))
        events.nobody(s)  # nobody may be signed in to a removed centre: their sessions went with them
    return [r.code for r in rows], ids
