"""`Vary: Origin` once on every response of the real ASGI app (cisp_pwa/endpoints/headers.py).

Reflex 0.10 wraps Starlette's CORS middleware around its own routes, around each Starlette app of
api_transformer (endpoints/voice.py, endpoints/badges.py) and around the top app, and each layer added `Origin` to
Vary: four times on Reflex's routes, three on /voice. The app here is the one the server runs,
`cisp_pwa.app()`, with its frontend compilation left out (the backend's answers do not use it)."""

from __future__ import annotations

import functools

import pytest
from reflex.app import App
from reflex_base.config import get_config
from starlette.testclient import TestClient

from cisp_pwa import cisp_pwa, settings
from cisp_pwa.services.credentials import badges

from ..services.helpers import actor


@functools.cache
def _asgi_app():
    # Built once per process: App.__call__ mounts the app into api_transformer's Starlette apps.
    compile_ = App._compile
    App._compile = lambda self, **kwargs: None
    try:
        return cisp_pwa.app()
    finally:
        App._compile = compile_


@pytest.fixture
def client(demo_db, monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)  # the badge keys made on first use
    monkeypatch.delenv("CISP_KEYS_DIR", raising=False)
    monkeypatch.setenv("CISP_PUBLIC_URL", "http://testserver")
    return TestClient(_asgi_app())


def _varies(response) -> list[str]:
    return [token.strip().lower() for value in response.headers.get_list("vary") for token in value.split(",")]


def test_every_response_says_vary_origin_once(client):
    ours = get_config().cors_allowed_origins[0]
    centre = actor("sophie").centre_id
    paths = ["/ping", "/_health", "/voice/1", f"{badges.PATH}/issuers/{centre}", f"{badges.PATH}/status/{centre}",
             f"{badges.PATH}/share/nothing-here", "/fr/sign-in/"]
    for path in paths:
        for origin in (None, ours, "https://stranger.example"):
            response = client.get(path, headers={"Origin": origin} if origin else {})
            assert len(response.headers.get_list("vary")) == 1, (path, origin)
            assert _varies(response).count("origin") == 1, (path, origin, response.headers.get_list("vary"))
            allowed = response.headers.get("access-control-allow-origin")
            assert allowed == (ours if origin == ours else None), (path, origin)
    # What else a response varies on stays, once.
    assert _varies(client.get("/voice/1")) == ["authorization", "origin"]


def test_a_preflight_is_answered_once_with_its_own_vary(client):
    ours = get_config().cors_allowed_origins[0]
    response = client.options("/voice", headers={"Origin": ours, "Access-Control-Request-Method": "POST"})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == ours
    assert _varies(response).count("origin") == 1
