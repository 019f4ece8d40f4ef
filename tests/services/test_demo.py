"""The demo data: one account per role, loaded once however often set-up runs."""

from __future__ import annotations

from sqlalchemy import func, select

from cisp_pwa.models import Base, Role, User
from cisp_pwa.services import auth, db, demo, pathways


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
