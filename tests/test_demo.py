"""The demo data: one account per role, loaded once however often set-up runs."""

from __future__ import annotations

from sqlalchemy import func, select

from cisp_pwa import demo
from cisp_pwa.models import Base, Centre, Role, User
from cisp_pwa.services.conversations import messages
from cisp_pwa.services.infra import audit, db, events
from cisp_pwa.services.people import auth, passwords
from cisp_pwa.services.skills import pathways


def _row_counts() -> dict[str, int]:
    with db.reading() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_seeding_twice_changes_nothing(empty_db):
    pathways.load_pathway_files()
    assert demo.seed_demo() == ["namur-passerelle", "liege-horizon"]
    counts = _row_counts()
    pathways.load_pathway_files()
    assert demo.seed_demo() == []
    assert _row_counts() == counts


def test_every_role_has_a_demo_account_that_signs_in(demo_db):
    roles = set()
    for account in demo.MAIN_ACCOUNTS:
        signed = auth.sign_in(account.login, account.password)
        roles.add(signed.actor.role)
    assert roles == set(Role)
    with db.reading() as s:
        centres = set(s.scalars(select(User.centre_id)))
    assert len(centres) == 2


def _real_centre_with_an_admin() -> int:
    with db.unit_of_work() as s:
        centre = Centre(code="cisp-reel", name="CISP Réel", region="namur")
        s.add(centre)
        s.flush()
        s.add(User(centre_id=centre.id, role=Role.admin, login="admin.reel", display_name="Admin Réel",
                   password_hash=passwords.hash_secret("un mot de passe long")))
        audit.record_operator(s, centre.id, "centre_created", "centre", centre.id)
        events.nobody(s)
        return centre.id


def test_removing_the_demo_deletes_every_row_that_leads_to_it_and_nothing_else(empty_db):
    pathways.load_pathway_files()
    real = _real_centre_with_an_admin()
    before = _row_counts()
    demo.seed_demo()
    # Activity of the demo's people, in tables the seed leaves empty: sessions, audit, messages.
    amina = auth.sign_in("amina", "parcours-amina")
    julie = auth.sign_in("julie", "parcours-julie")
    messages.send_message(amina.actor, amina.actor.id, "client-0001", "Bonjour")
    messages.send_message(julie.actor, amina.actor.id, "client-0002", "Bonjour Amina")
    assert demo.demo_centres() == ["liege-horizon", "namur-passerelle"]

    codes, ids = demo.remove_demo()

    assert sorted(codes) == ["liege-horizon", "namur-passerelle"] and len(ids) == 2
    after = _row_counts()
    # The shipped partner directory is shared data of the regions: it stays, like the pathways.
    assert {t: n for t, n in after.items() if t != "partner_service"} == \
        {t: n for t, n in before.items() if t != "partner_service"}
    assert demo.demo_centres() == []
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.centre_id == real)) == 1
    assert auth.sign_in("admin.reel", "un mot de passe long").second_factor  # the real admin is untouched
    assert demo.remove_demo() == ([], [])  # twice: nothing more


def test_each_demo_validation_comes_a_few_days_after_its_self_assessment_never_later_than_now(demo_db):
    from datetime import timedelta

    from cisp_pwa.models import SelfAssessment, Validation, utcnow

    with db.reading() as s:
        pairs = s.execute(select(SelfAssessment.created_at, Validation.created_at).join(
            Validation, Validation.self_assessment_id == SelfAssessment.id)).all()
    assert pairs
    now = utcnow()
    for assessed, validated in pairs:
        assert timedelta(days=1) <= validated - assessed <= timedelta(days=3, hours=12)
        assert validated <= now and validated.date() < now.date()  # not "today" for a decision weeks old
