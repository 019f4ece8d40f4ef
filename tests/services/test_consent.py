"""Consent: asked before anything opens, recorded with the text's version and language, asked
again when the text changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cisp_pwa.models import Consent, Role
from cisp_pwa.services import centre_admin, consent
from cisp_pwa.services import db
from cisp_pwa.services.errors import InvalidInput

from .helpers import actor


def _new(role: str):
    centre_admin.create_account(actor("sophie"), role=role, display_name="Nadia Ben", login="nadia",
                                password="une-phrase-assez-longue", locale="ar")
    return actor("nadia")


@pytest.mark.parametrize("role, kind", [("trainee", consent.TRAINEE), ("coach", consent.STAFF)])
def test_a_new_account_says_yes_once_to_the_current_text(demo_db, role, kind):
    nadia = _new(role)
    assert consent.needed(nadia)
    consent.accept(nadia, consent.VERSIONS[kind], "ar")
    consent.accept(nadia, consent.VERSIONS[kind], "ar")  # a double tap: recorded once
    assert not consent.needed(nadia)
    with db.reading() as s:
        rows = s.scalars(select(Consent).where(Consent.user_id == nadia.id)).all()
    assert [(r.kind, r.version, r.locale) for r in rows] == [(kind, consent.VERSIONS[kind], "ar")]


def test_a_new_text_is_asked_again_and_an_old_screen_cannot_say_yes_to_it(demo_db, monkeypatch):
    amina = actor("amina")
    assert not consent.needed(amina)  # the demo's people have said yes
    monkeypatch.setitem(consent.VERSIONS, consent.TRAINEE, "2027-06")
    assert consent.needed(amina)
    with pytest.raises(InvalidInput):
        consent.accept(amina, "2026-12", "fr")
    assert consent.needed(amina)
    consent.accept(amina, "2027-06", "fr")
    assert not consent.needed(amina)
    assert consent.kind_for(Role.admin) == consent.STAFF
