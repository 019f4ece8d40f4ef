from __future__ import annotations

import pytest

from cisp_pwa.services.errors import InvalidInput
from cisp_pwa.services.people import accounts

from ..helpers import actor


def test_the_chosen_language_is_kept_on_the_account(demo_db):
    assert accounts.set_locale(actor("amina"), "ar").locale == "ar"
    assert actor("amina").locale == "ar"


def test_an_unknown_language_changes_nothing(demo_db):
    with pytest.raises(InvalidInput):
        accounts.set_locale(actor("amina"), "xx")
    assert actor("amina").locale == "fr"
