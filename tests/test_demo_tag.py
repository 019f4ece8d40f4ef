"""A demo build (CISP_DEMO=1) says "Démo" in every screen's header, in the screen's language; a
build without it carries nothing of it."""

from __future__ import annotations

import json

import pytest

from cisp_pwa import settings
from cisp_pwa.components.layout import page_shell


@pytest.mark.parametrize("value,shown", [("1", True), ("", False), ("0", False), (None, False)])
def test_demo_is_read_when_asked(monkeypatch, value, shown):
    if value is None:
        monkeypatch.delenv("CISP_DEMO", raising=False)
    else:
        monkeypatch.setenv("CISP_DEMO", value)
    assert settings.demo() is shown
    for locale, word in (("fr", "Démo"), ("ar", "تجريبي"), ("en", "Demo")):
        compiled = str(page_shell(locale, "sign-in", signed_in=False))
        assert ("demo-tag" in compiled) is shown
        assert (word in compiled or json.dumps(word)[1:-1] in compiled) is shown  # as written, or escaped
