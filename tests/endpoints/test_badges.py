"""Open Badges over HTTP (endpoints/badges.py): the issuer profile, the status list, a credential by its
opaque id, the public verification page in the viewer's language, with the app's headers."""

from __future__ import annotations

import re

import pytest
from jwcrypto import jwk, jws
from starlette.testclient import TestClient

from cisp_pwa import endpoints, settings
from cisp_pwa.services.credentials import badges

from ..services.helpers import actor, skill_ids

FLE = "defi-fle-alpha"


@pytest.fixture
def client(demo_db, monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.setenv("CISP_PUBLIC_URL", "http://testserver")
    return TestClient(endpoints.headers.security_headers(endpoints.badges.api()))


def _shared() -> str:
    return badges.share(actor("amina"), skill_ids(FLE)[:2]).url.replace("http://testserver", "")


def test_an_employer_checks_a_credential_with_what_the_app_serves(client):
    path = _shared()
    centre = actor("amina").centre_id
    page = client.get(path)
    assert page.status_code == 200
    public_id = re.search(r"/badges/credentials/([A-Za-z0-9_-]{43})$", _payload_id()).group(1)
    credential = client.get(f"/badges/credentials/{public_id}")
    assert credential.status_code == 200 and credential.headers["content-type"].startswith("application/vc+jwt")
    profile = client.get(f"/badges/issuers/{centre}").json()
    signed = jws.JWS()
    signed.deserialize(credential.text)
    method = next(m for m in profile["verificationMethod"] if m["id"] == signed.jose_header["kid"])
    signed.verify(jwk.JWK(**method["publicKeyJwk"]), alg="Ed25519")
    status = client.get(f"/badges/status/{centre}")
    assert status.status_code == 200 and status.headers["cache-control"] == "no-store"
    assert client.get("/badges/issuers/999999").status_code == 404
    assert client.get("/badges/credentials/nothing-here").status_code == 404


def _payload_id() -> str:
    import base64
    import json

    token = badges.badge_file(actor("amina"), badges.my_share(actor("amina")).badges[0].id)[1]
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["id"]


def test_the_share_page_shows_the_list_and_nothing_more_in_the_viewers_language(client):
    path = _shared()
    french = client.get(path, headers={"Accept-Language": "nl-BE;q=0.3, fr;q=0.9"})
    assert french.status_code == 200
    html = french.text
    assert '<html lang="nl" dir="ltr">' in html  # the first shipped language Accept-Language names
    arabic = client.get(path + "?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in arabic and "تقديم النفس" in arabic
    assert '(<bdi class="nowrap">Open Badges 3.0</bdi>)' in arabic  # its brackets around it, right to left
    page = client.get(path + "?lang=fr")
    text = page.text
    for shown in ("Amina Benali", "CISP La Passerelle (Namur)", "Français langue étrangère et alphabétisation",
                  "Se présenter : dire son nom", "Prendre un rendez-vous chez le médecin",
                  "Signature vérifiée, badge valable"):
        assert shown in text
    for hidden in ("Marc Dubois", "Très bien à l'oral", "Je demande encore", "amina", "Sans aide",
                   "Julie", "<script"):
        assert hidden not in text  # no trainer, reason, comment, login, level, coach, nor script
    assert page.headers["cache-control"] == "no-store" and "noindex" in page.headers["x-robots-tag"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"


def test_a_withdrawn_or_unknown_link_says_so_plainly(client):
    path = _shared()
    badges.withdraw(actor("amina"))
    gone = client.get(path + "?lang=fr")
    assert gone.status_code == 410 and "Ce partage a été retiré." in gone.text and "Amina" not in gone.text
    unknown = client.get("/badges/share/" + "A" * 43 + "?lang=fr")
    assert unknown.status_code == 404 and "Ce lien ne mène à aucun passeport." in unknown.text
    assert client.get("/badges/share/%3Cscript%3E").status_code == 404


def test_a_script_reading_the_public_addresses_is_stopped_and_fills_nothing(client, demo_db):
    """60 a minute per address over the share page, credentials, issuer and status; beyond, 429
    in the viewer's language and no audit row."""
    from sqlalchemy import func, select

    from cisp_pwa.models import AuditEvent
    from cisp_pwa.services.infra import db, throttle

    def views() -> int:
        with db.reading() as s:
            return s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "passport_share_viewed"))

    path = _shared()
    before = views()
    limit = throttle.RULES["public_view"].amount
    assert client.get("/badges/issuers/1").status_code == 200
    assert all(client.get(path).status_code == 200 for _ in range(limit - 1))
    refused = client.get(path + "?lang=ar")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert 'id="share-too-many"' in refused.text and '<html lang="ar" dir="rtl">' in refused.text
    assert "Amina" not in refused.text
    assert client.get("/badges/status/1").status_code == 429
    assert views() == before + limit - 1  # the refused ones wrote nothing


def _behind(monkeypatch, peer: str, trusted: str) -> TestClient:
    """The app as the proxy at `peer` reaches it, with CISP_TRUSTED_PROXIES set to `trusted`."""
    monkeypatch.setenv("CISP_TRUSTED_PROXIES", trusted)
    return TestClient(endpoints.headers.security_headers(endpoints.badges.api()), client=(peer, 50000))


def test_behind_a_trusted_proxy_each_employer_has_their_own_limit(client, monkeypatch):
    """Through nginx every employer comes from the proxy's address: they are told apart by the
    address the proxy forwards, so one reading too much never stops another."""
    from cisp_pwa.services.infra import throttle

    proxied = _behind(monkeypatch, "10.0.0.5", "10.0.0.5, 2001:db8:ffff::/48")
    path = _shared()
    limit = throttle.RULES["public_view"].amount
    a = {"X-Forwarded-For": "198.51.100.7"}
    b = {"X-Forwarded-For": "203.0.113.9, 198.51.100.8"}  # what b's own browser claimed, then what nginx saw
    assert all(proxied.get(path, headers=a).status_code == 200 for _ in range(limit))
    assert proxied.get(path, headers=a).status_code == 429
    assert proxied.get(path, headers=b).status_code == 200
    assert proxied.get("/badges/issuers/1", headers={"Forwarded": 'for="[2001:db8::7]:4711"'}).status_code == 200
    # b's browser claiming to be a: nginx's entry, the last one, is b's own.
    assert proxied.get(path, headers={"X-Forwarded-For": "198.51.100.7, 198.51.100.8"}).status_code == 200


def test_a_client_that_is_no_trusted_proxy_cannot_choose_its_address(client, monkeypatch):
    """Directly at the app (or through a proxy not named), forged forwarding headers are ignored:
    rotating them does not give a script a new limit."""
    from cisp_pwa.services.infra import throttle

    direct = _behind(monkeypatch, "198.51.100.50", "10.0.0.5")
    path = _shared()
    limit = throttle.RULES["public_view"].amount
    for i in range(limit):
        forged = {"X-Forwarded-For": f"192.0.2.{i % 250}", "Forwarded": f"for=192.0.2.{i % 250}"}
        assert direct.get(path, headers=forged).status_code == 200
    assert direct.get(path, headers={"X-Forwarded-For": "192.0.2.251"}).status_code == 429
    assert direct.get("/badges/status/1", headers={"Forwarded": "for=192.0.2.252"}).status_code == 429


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_share_page_links_what_any_verifier_can_check(client, locale):
    """An employer need not trust the page: it links each credential and the issuer profile,
    and says (in her language) that any Open Badges 3.0 verifier can check them."""
    path = _shared()
    page = client.get(f"{path}?lang={locale}")
    assert page.status_code == 200 and "<script" not in page.text
    assert page.headers["cache-control"] == "no-store" and "noindex" in page.headers["x-robots-tag"]
    links = re.findall(r'<a class="check"[^>]*href="http://testserver(/badges/[^"]+)"', page.text)
    credentials = [link for link in links if link.startswith("/badges/credentials/")]
    issuers = [link for link in links if link.startswith("/badges/issuers/")]
    assert len(credentials) == 2 and issuers == [f"/badges/issuers/{actor('amina').centre_id}"]
    profile = client.get(issuers[0])
    assert profile.status_code == 200 and profile.json()["id"] == "http://testserver" + issuers[0]
    for link in credentials:
        fetched = client.get(link)
        assert fetched.status_code == 200 and fetched.headers["content-type"].startswith("application/vc+jwt")
        signed = jws.JWS()
        signed.deserialize(fetched.text)
        method = next(m for m in profile.json()["verificationMethod"] if m["id"] == signed.jose_header["kid"])
        signed.verify(jwk.JWK(**method["publicKeyJwk"]), alg="Ed25519")
        import json
        document = json.loads(signed.payload)
        assert document["id"] == "http://testserver" + link
        assert document["issuer"]["id"] == profile.json()["id"]
    said = {"fr": "Tout vérificateur", "ar": "أي أداة تحقق"}[locale]
    assert said in page.text and '<bdi class="nowrap">Open Badges 3.0</bdi>' in page.text
    if locale == "ar":
        assert '<html lang="ar" dir="rtl">' in page.text
