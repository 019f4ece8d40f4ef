"""`/` answers with the phone's language: the kept choice, else Accept-Language, else French."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from cisp_pwa.endpoints import root


@pytest.mark.parametrize("header, expected", [
    ("ar", "ar"),
    ("ar-MA,ar;q=0.9,fr;q=0.8", "ar"),
    ("en;q=0.5, nl-BE", "nl"),          # q-values, not the order, decide
    ("ja, zh;q=0.9, de;q=0.1", "de"),   # only the shipped languages
    ("fa-AF", "fa"), ("prs", "fa"),     # Dari, however the phone names it
    ("pt-BR;q=0.8, es;q=0.8", "pt"),   # a tie: the first given
    ("ar;q=0, fr;q=0.2", "fr"),         # q=0: not wanted
    ("ja", "fr"), ("", "fr"), (None, "fr"), ("ar;q=abc", "fr"), (";;,,", "fr"),
])
def test_accept_language(header, expected):
    assert root.choose(None, header) == expected


def test_the_kept_choice_comes_first_when_it_is_a_shipped_language():
    assert root.choose("uk", "ar") == "uk"
    assert root.choose("xx", "ar") == "ar"


def test_the_answer_is_a_redirect_never_cached_varying_on_the_language():
    client = TestClient(root.api())
    response = client.get("/", headers={"Accept-Language": "ar,fr;q=0.5"}, follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/ar/"
    assert response.headers["cache-control"] == "no-store"
    assert "Accept-Language" in response.headers["vary"]
    client.cookies.set("cisp_locale", "fa")
    assert client.get("/", follow_redirects=False).headers["location"] == "/fa/"
