"""Security headers on what the real server answers (cisp_pwa/endpoints/headers.py): a page carries the
Content Security Policy and the rest; a built file only nosniff (an asset's CSP has no effect
on the page that loads it); the service worker's script, which runs under its own policy, the
page's set. A stranger's page cannot frame the sign-in screen. (The socket's upgrade answer
carries none: the server, Granian, drops the headers an app adds to `websocket.accept`.)"""

from __future__ import annotations

import re
import urllib.request

import pytest

from cisp_pwa.endpoints.headers import CSP

pytestmark = pytest.mark.browser
PAGE_ONLY = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _http_headers(url: str, **request_headers: str) -> dict[str, str]:
    request = urllib.request.Request(url, headers=request_headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def test_pages_carry_the_policy_and_files_only_nosniff(app_url):
    page = _http_headers(f"{app_url}/fr/sign-in/")
    asset = re.search(r'/assets/[^"\']+\.js', urllib.request.urlopen(f"{app_url}/fr/sign-in/").read().decode())
    built = _http_headers(app_url + asset.group(0))
    worker = _http_headers(f"{app_url}/sw.js?v=1", **{"Service-Worker": "script"})
    for headers in (page, worker):
        for name, value in PAGE_ONLY.items():
            assert headers.get(name) == value, name
        assert "microphone=(self)" in headers.get("permissions-policy", "")
    assert page["content-type"].startswith("text/html")
    assert built["content-type"].startswith(("text/javascript", "application/javascript"))
    for name in [*PAGE_ONLY, "permissions-policy"]:
        assert name not in built, name
    for headers in (page, built, worker):
        assert headers.get("x-content-type-options") == "nosniff"
        assert "strict-transport-security" not in headers  # plain http here; sent behind TLS
    assert "frame-ancestors 'none'" in CSP and "object-src 'none'" in CSP


def test_a_strangers_page_cannot_frame_the_sign_in_screen(page, app_url, tmp_path):
    """A page of another origin (a file here) puts the sign-in screen in an iframe: blocked."""
    attacker = tmp_path / "attacker.html"
    attacker.write_text(f'<iframe id="f" src="{app_url}/fr/sign-in/" width="360" height="600"></iframe>')
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(attacker.as_uri())
    page.wait_for_timeout(1500)
    framed = [f for f in page.frames if f != page.main_frame]
    assert framed and framed[0].url.startswith("chrome-error://")  # the browser refused to show it
    assert refused  # and said why: the app's frame-ancestors 'none'
    assert page.frame_locator("#f").locator("#login").count() == 0
