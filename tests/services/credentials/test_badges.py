"""Open Badges 3.0: signed credentials checked with a library that did not make them (jwcrypto),
revocation through the Bitstring Status List, the share link and what it shows, who may do what."""

from __future__ import annotations

import base64
import gzip
import json
import os
import stat

import pytest
from jwcrypto import jwk, jws
from sqlalchemy import func, select

from cisp_pwa import settings
from cisp_pwa.models import AuditEvent, CredentialStatus, IssuedCredential, PassportShare, SelfAssessment
from cisp_pwa.services.credentials import badge_keys, badges
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.infra import db
from cisp_pwa.services.records import privacy
from cisp_pwa.services.skills import assessments, validations

from ..helpers import actor, skill_ids, user_id

FLE = "defi-fle-alpha"
FIRST_FR = "Se présenter : dire son nom, son pays, sa langue et où on habite."
SECOND_FR = "Prendre un rendez-vous chez le médecin par téléphone."
INTERACT_FRENCH = "http://data.europa.eu/esco/skill/bfb5f0b8-0ea0-4e44-a48d-7d876f966758"
REASON = "Très bien à l'oral"  # the demo's adjusted validation: the trainer's reason
COMMENT = "Je demande encore de l'aide au guichet."


@pytest.fixture(autouse=True)
def own_keys(monkeypatch, tmp_path):
    """Each test makes its centres' keys and share key in a folder of its own."""
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.setenv("CISP_PUBLIC_URL", "https://parcours.example.be")


def _profile_keys(centre_id: int) -> dict[str, jwk.JWK]:
    """The verification methods of the centre's issuer profile, as jwcrypto reads them."""
    profile = badges.issuer_profile(centre_id)
    return {m["id"]: jwk.JWK(**m["publicKeyJwk"]) for m in profile["verificationMethod"]}


def _verified(token: str, centre_id: int) -> dict:
    """jwcrypto's verification: the key named by the header's kid, from the issuer profile."""
    signed = jws.JWS()
    signed.deserialize(token)
    header = signed.jose_header
    assert header["typ"] == "vc+jwt" and header["alg"] == "Ed25519"
    signed.verify(_profile_keys(centre_id)[header["kid"]], alg="Ed25519")
    return json.loads(signed.payload)


def _status_bit(credential: dict) -> bool:
    """Read the credential's bit in the status list the centre serves, verified with jwcrypto."""
    entry = credential["credentialStatus"]
    centre_id = int(entry["statusListCredential"].rsplit("/", 1)[1])
    status = _verified(badges.status_list(centre_id), centre_id)
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = status["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 == badges.STATUS_BITS >= 131072
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _validate(login: str, skill_id: int, level: int) -> None:
    """She self-assesses, her trainer confirms (same level)."""
    assessments.self_assess(actor(login), skill_id, level)
    with db.reading() as s:
        newest = s.scalar(select(SelfAssessment.id).where(SelfAssessment.trainee_id == user_id(login))
                          .order_by(SelfAssessment.id.desc()))
    validations.confirm(actor("marc" if login != "youssef" else "ines"), newest)


def _credentials(shared) -> list[str]:
    return [badges.badge_file(actor("amina"), b.id)[1] for b in shared.badges]


def test_a_shared_skill_is_an_open_badge_signed_by_her_centre_that_another_library_verifies(demo_db):
    shared = badges.share(actor("amina"), skill_ids(FLE)[:2])
    assert [b.label for b in shared.badges] == [FIRST_FR, SECOND_FR]
    assert shared.url.startswith("https://parcours.example.be/badges/share/")
    first = _verified(_credentials(shared)[0], actor("amina").centre_id)
    assert first["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert first["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert first["issuer"]["id"] == f"https://parcours.example.be/badges/issuers/{actor('amina').centre_id}"
    assert first["issuer"]["name"] == "CISP La Passerelle (Namur)"
    achievement = first["credentialSubject"]["achievement"]
    assert achievement["name"] == FIRST_FR and achievement["criteria"]["narrative"]
    assert achievement["alignment"] == [{
        "type": ["Alignment"], "targetType": "ceasn:Competency", "targetFramework": "ESCO",
        "targetUrl": INTERACT_FRENCH, "targetName": FIRST_FR}]
    assert first["credentialSubject"]["identifier"][0]["identityHash"] == "Amina Benali"
    assert first["credentialSubject"]["result"] == [{"type": ["Result"], "value": "Sans aide"}]
    assert "confirmée" in first["evidence"][0]["description"]
    second = _verified(_credentials(shared)[1], actor("amina").centre_id)
    assert "ajustée" in second["evidence"][0]["description"]
    everything = json.dumps([first, second], ensure_ascii=False)
    assert REASON not in everything and COMMENT not in everything  # the decision, never the words
    assert not _status_bit(first) and not _status_bit(second)


def test_a_changed_byte_fails_and_another_centres_key_fails(demo_db):
    token = _credentials(badges.share(actor("amina"), skill_ids(FLE)[:1]))[0]
    header, payload, signature = token.split(".")
    body = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).replace(b"Amina", b"Amine")
    forged = ".".join([header, base64.urlsafe_b64encode(body).rstrip(b"=").decode(), signature])
    with pytest.raises(jws.InvalidJWSSignature):
        _verified(forged, actor("amina").centre_id)
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(jws.InvalidJWSSignature):
        _verified(".".join([header, payload, flipped]), actor("amina").centre_id)
    assert badges.verify(forged, actor("amina").centre_id) is None  # the app's own check agrees
    assert badges.verify(token, actor("youssef").centre_id) is None  # Horizon's keys never sign for Passerelle


def test_withdrawing_the_share_revokes_its_credentials_and_the_link_says_so(demo_db):
    shared = badges.share(actor("amina"), skill_ids(FLE)[:2])
    documents = [_verified(t, actor("amina").centre_id) for t in _credentials(shared)]
    token = shared.url.rsplit("/", 1)[1]
    assert isinstance(badges.public_share(token, "fr"), badges.PublicShare)
    badges.withdraw(actor("amina"))
    assert all(_status_bit(d) for d in documents)  # revoked, read from the signed status list
    assert badges.public_share(token, "fr") == badges.WITHDRAWN
    assert badges.my_share(actor("amina")) is None
    assert all(badges.public_credential(d["id"].rsplit("/", 1)[1]) is None for d in documents)
    with pytest.raises(InvalidInput):
        badges.withdraw(actor("amina"))
    again = badges.share(actor("amina"), skill_ids(FLE)[:1])  # a new link, new credentials
    assert again.url != shared.url and not _status_bit(_verified(_credentials(again)[0], actor("amina").centre_id))


def test_a_trainer_answering_again_revokes_the_credential_and_issues_it_from_the_new_validation(demo_db):
    first = skill_ids(FLE)[0]
    shared = badges.share(actor("amina"), skill_ids(FLE)[:2])
    before = _verified(_credentials(shared)[0], actor("amina").centre_id)
    _validate("amina", first, 4)  # a newer validation, higher
    after = badges.my_share(actor("amina"))
    newest = _verified(_credentials(after)[-1], actor("amina").centre_id)
    assert _status_bit(before) and not _status_bit(newest)
    assert newest["credentialSubject"]["result"][0]["value"] == "Je peux l'expliquer"
    assert [b.label for b in after.badges] == [SECOND_FR, FIRST_FR]
    _validate("amina", first, 2)  # "with help": no longer a skill she shows on her own
    assert _status_bit(newest)
    assert [b.label for b in badges.my_share(actor("amina")).badges] == [SECOND_FR]


def test_a_pathway_all_of_whose_skills_are_shown_gets_its_own_credential(demo_db):
    skills = skill_ids(FLE)
    for skill in skills[2:]:
        _validate("amina", skill, 3)
    shared = badges.share(actor("amina"), skills)
    assert shared.badges[0].pathway and shared.badges[0].label == "Français langue étrangère et alphabétisation"
    pathway = _verified(_credentials(shared)[0], actor("amina").centre_id)
    assert pathway["credentialSubject"]["achievement"]["achievementType"] == "LearningProgram"
    assert len(pathway["evidence"]) == len(skills)
    _validate("amina", skills[5], 1)  # one skill answered "not yet": the pathway no longer holds
    assert _status_bit(pathway)
    assert not any(b.pathway for b in badges.my_share(actor("amina")).badges)


def test_the_public_page_shows_name_centre_pathway_skills_dates_and_checks_nothing_more(demo_db):
    shared = badges.share(actor("amina"), skill_ids(FLE)[:2])
    token = shared.url.rsplit("/", 1)[1]
    page = badges.public_share(token, "ar")
    assert (page.trainee_name, page.centre_name) == ("Amina Benali", "CISP La Passerelle (Namur)")
    assert page.pathways == ["اللغة الفرنسية كلغة أجنبية ومحو الأمية"]
    assert [k.label for k in page.skills] == ["تقديم النفس: ذكر الاسم والبلد واللغة ومكان السكن.",
                                              "أخذ موعد عند الطبيب عبر الهاتف."]
    assert all(k.signature_ok and not k.revoked for k in page.skills)
    # Besides what it shows, only the public addresses an employer's own verifier fetches.
    assert set(badges.PublicSkill.__dataclass_fields__) == {"label", "on", "pathway", "signature_ok", "revoked",
                                                            "credential_url"}
    assert set(badges.PublicShare.__dataclass_fields__) == {"trainee_name", "centre_name", "pathways", "skills",
                                                            "issuer_url"}
    assert all("/badges/credentials/" in k.credential_url for k in page.skills)
    assert page.issuer_url.endswith(f"/badges/issuers/{actor('amina').centre_id}")
    with db.reading() as s:
        views = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "passport_share_viewed", AuditEvent.actor_id.is_(None)))
        shares = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "passport_shared"))
    assert (views, shares) == (1, 1)
    assert badges.public_share("x" * 43, "fr") == badges.UNKNOWN
    assert badges.public_share("../../etc", "fr") == badges.UNKNOWN
    with db.reading() as s:  # the database keeps the token's hash, never the token
        record = s.scalar(select(PassportShare))
        assert token not in (record.nonce, record.token_hash)


@pytest.mark.parametrize("login", ["julie", "marc", "sophie", "luc", "claire"])
def test_nobody_but_the_trainee_shares_sees_or_downloads_her_badges(demo_db, login):
    shared = badges.share(actor("amina"), skill_ids(FLE)[:1])
    for call in (lambda: badges.share(actor(login), skill_ids(FLE)[:1]), lambda: badges.my_share(actor(login)),
                 lambda: badges.withdraw(actor(login)), lambda: badges.badge_file(actor(login), shared.badges[0].id)):
        with pytest.raises(AccessDenied):
            call()


def test_another_trainee_cannot_download_hers_and_bad_input_changes_nothing(demo_db):
    shared = badges.share(actor("amina"), skill_ids(FLE)[:1])
    with pytest.raises(AccessDenied):
        badges.badge_file(actor("kevin"), shared.badges[0].id)
    for bad in ("1", None, True, [1]):
        with pytest.raises(InvalidInput):
            badges.badge_file(actor("amina"), bad)
    for bad in ("1,2", [True], [None], [1.5]):
        with pytest.raises(InvalidInput):
            badges.share(actor("kevin"), bad)
    with pytest.raises(InvalidInput, match="already_shared"):
        badges.share(actor("amina"), skill_ids(FLE)[:1])
    with pytest.raises(InvalidInput, match="nothing_to_share"):  # nothing validated yet
        badges.share(actor("kevin"), skill_ids(FLE))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(PassportShare)) == 1


def test_erasing_her_data_revokes_every_credential_she_handed_out(demo_db):
    shared = badges.share(actor("amina"), skill_ids(FLE)[:2])
    documents = [_verified(t, actor("amina").centre_id) for t in _credentials(shared)]
    privacy.erase(actor("sophie"), user_id("amina"), "asked_by_trainee")
    assert all(_status_bit(d) for d in documents)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(IssuedCredential)) == 0
        assert s.scalar(select(func.count()).select_from(PassportShare)) == 0
        assert s.scalar(select(func.count()).select_from(CredentialStatus)) == 2  # bits, nothing about her
    assert badges.public_share(shared.url.rsplit("/", 1)[1], "fr") == badges.UNKNOWN


def test_the_centre_key_is_private_to_the_app_and_rotation_keeps_old_credentials_verifiable(demo_db):
    centre = actor("amina").centre_id
    old = _credentials(badges.share(actor("amina"), skill_ids(FLE)[:1]))[0]
    files = list(badge_keys.folder(centre).glob("*.pem"))
    assert len(files) == 1 and stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(settings.DATA_DIR / badges.SHARE_KEY_FILE).st_mode) == 0o600
    new_key = badge_keys.rotate(centre)
    badges.withdraw(actor("amina"))
    new = _credentials(badges.share(actor("amina"), skill_ids(FLE)[:1]))[0]
    assert json.loads(base64.urlsafe_b64decode(new.split(".")[0] + "==="))["kid"].endswith("#" + new_key.kid)
    assert len(_profile_keys(centre)) == 2
    _verified(old, centre) and _verified(new, centre)  # both, each by its own kid
    assert badges.verify(old, centre) is not None and badges.verify(new, centre) is not None


def test_the_pdf_carries_the_share_link_and_its_qr_code_while_she_has_one(demo_db):
    import io

    from pypdf import PdfReader

    from cisp_pwa.services.credentials import passport

    def pdf_of():
        reader = PdfReader(io.BytesIO(passport.passport_pdf(actor("amina"), "fr")))
        return "\n".join(p.extract_text() for p in reader.pages), sum(len(p.images) for p in reader.pages)

    text, images = pdf_of()
    assert "badges/share" not in text and images == 0
    shared = badges.share(actor("amina"), skill_ids(FLE)[:1])
    text, images = pdf_of()
    assert shared.url in text.replace("\n", "") and images == 1 and "scannez le code QR" in text
    badges.withdraw(actor("amina"))
    text, images = pdf_of()
    assert "badges/share" not in text and images == 0  # withdrawn: no link, no code


def test_the_rotation_command_adds_a_key_and_refuses_an_unknown_centre(demo_db, capsys, monkeypatch):
    from cisp_pwa import cli

    monkeypatch.setenv("DATABASE_URL", demo_db)  # the command opens the database it is told

    centre = actor("amina").centre_id
    badge_keys.signing_key(centre)
    assert cli.main(["rotate-badge-key", str(centre)]) == 0
    assert "2 key(s)" in capsys.readouterr().out and len(badge_keys.all_keys(centre)) == 2
    assert cli.main(["rotate-badge-key", "999999"]) == 1


def test_the_database_keeps_one_live_share_per_trainee_even_if_two_requests_race(demo_db):
    from sqlalchemy.exc import IntegrityError

    badges.share(actor("amina"), skill_ids(FLE)[:1])
    with pytest.raises(IntegrityError):
        with db.unit_of_work() as s:  # what a second request past the service's check would write
            s.add(PassportShare(trainee_id=user_id("amina"), nonce="n" * 32, token_hash="h" * 64))
            s.flush()
    badges.withdraw(actor("amina"))
    badges.share(actor("amina"), skill_ids(FLE)[:1])  # withdrawn ones do not count
