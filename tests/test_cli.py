"""The operator's commands, run as an operator runs them (cisp_pwa.cli.main), on both databases."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import select

from cisp_pwa import cli, demo, keys, settings
from cisp_pwa.models import AuditEvent, Centre, Role
from cisp_pwa.services.credentials import badge_keys
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import enrolment, second_factor
from cisp_pwa.services.skills import pathways

# A production server's settings as the environment template has them.
PRODUCTION = {
    "CISP_ENV": "production",
    "CISP_ORIGINS": "https://parcours.example.be",
    "CISP_PUBLIC_URL": "https://parcours.example.be",
    "CISP_TRUSTED_PROXIES": "127.0.0.1,::1",
    "CISP_VAPID_SUBJECT": "mailto:informatique@example.be",
}


@pytest.fixture
def operator(empty_db, monkeypatch, tmp_path):
    """A server's shell: its database, its own keys folder, no secret in the environment."""
    monkeypatch.setenv("DATABASE_URL", empty_db)
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path / "data")
    monkeypatch.setenv("CISP_KEYS_DIR", str(tmp_path / "keys"))
    for name in ("CISP_ENV", "CISP_STATE_KEY", "CISP_SHARE_KEY", "CISP_VAPID_KEY", "REDIS_URL", "CISP_ORIGINS",
                 "CISP_PUBLIC_URL", "CISP_TRUSTED_PROXIES", "CISP_VAPID_SUBJECT"):
        monkeypatch.delenv(name, raising=False)
    yield tmp_path
    db.configure(empty_db)


def _production(monkeypatch, **changes):
    for name, value in {**PRODUCTION, **changes}.items():
        monkeypatch.setenv(name, value)


def _check(capsys) -> tuple[int, dict[str, list[str]]]:
    """The exit code, and each line's state by its name ("keys": ["FAIL", ...])."""
    capsys.readouterr()  # what earlier commands printed
    code = cli.main(["check"])
    lines: dict[str, list[str]] = {"": [capsys.readouterr().out]}
    for line in lines[""][0].splitlines():
        state, _, rest = line.partition(" ")
        name = rest.strip().split(":")[0]
        lines.setdefault(name, []).append(state)
    return code, lines


def test_a_production_server_set_up_by_the_readme_passes_every_check(operator, monkeypatch, capsys):
    _production(monkeypatch)
    assert cli.main(["create-centre", "cisp-namur-nord", "CISP Namur Nord", "--region", "namur"]) == 0
    assert cli.main(["keys"]) == 0
    code, lines = _check(capsys)
    assert code == 0, lines
    assert {state for name, states in lines.items() if name for state in states} == {"ok"}
    assert set(lines) >= {"reflex", "database", "schema", "demo", "keys", "origins", "public URL", "trusted proxies",
                          "redis"}


def test_check_fails_on_a_demo_account(operator, monkeypatch, capsys):
    pathways.load_pathway_files()
    demo.seed_demo()
    _production(monkeypatch)
    cli.main(["keys"])
    code, lines = _check(capsys)
    assert code == 1 and lines["demo"] == ["FAIL"]
    assert cli.main(["serve"]) == 1  # the production start refuses too, and says how to mend it
    assert "cisp demo --remove" in capsys.readouterr().err
    assert cli.main(["demo", "--remove"]) == 0
    code, lines = _check(capsys)
    assert code == 0 and lines["demo"] == ["ok"]


def test_check_fails_on_a_missing_key_and_production_makes_none(operator, monkeypatch, capsys):
    _production(monkeypatch)
    cli.main(["create-centre", "cisp-test", "CISP Test"])
    os.remove(keys.path(keys.SHARE))
    code, lines = _check(capsys)
    assert code == 1 and lines["keys"] == ["FAIL"]
    assert f"share-link key missing (CISP_SHARE_KEY or {keys.path(keys.SHARE)}): run `cisp keys`" in lines[""][0]
    with pytest.raises(keys.MissingKey):  # a worker never makes its own: the machines would differ
        keys.read(keys.SHARE)
    with db.reading() as s:
        centre_id = s.scalar(select(Centre.id))
    for pem in badge_keys.folder(centre_id).glob("*.pem"):
        pem.unlink()
    with pytest.raises(keys.MissingKey):
        badge_keys.signing_key(centre_id)
    assert cli.main(["keys"]) == 0
    assert _check(capsys)[0] == 0


def test_check_fails_on_an_untrusted_proxy_setting_in_production(operator, monkeypatch, capsys):
    _production(monkeypatch, CISP_TRUSTED_PROXIES="0.0.0.0/0")
    cli.main(["keys"])
    code, lines = _check(capsys)
    assert code == 1 and lines["trusted proxies"] == ["FAIL"]
    _production(monkeypatch, CISP_TRUSTED_PROXIES="")
    code, lines = _check(capsys)
    assert code == 1 and lines["trusted proxies"] == ["FAIL"]  # behind nginx everyone would be one address


def test_check_fails_on_plain_http_and_an_old_schema(operator, monkeypatch, capsys):
    _production(monkeypatch, CISP_ORIGINS="http://parcours.example.be", CISP_PUBLIC_URL="http://parcours.example.be")
    cli.main(["keys"])
    code, lines = _check(capsys)
    assert code == 1 and lines["origins"] == ["FAIL"] and lines["public URL"] == ["FAIL"]
    with db.engine().begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0010'")
    try:
        code, lines = _check(capsys)
        assert code == 1 and lines["schema"] == ["FAIL"]
        assert cli.main(["serve"]) == 1
        assert "cisp migrate" in capsys.readouterr().err
    finally:
        with db.engine().begin() as connection:
            connection.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{cli.checks.head_revision()}'")


def test_keys_are_made_once_private_and_can_move_to_the_environment(operator, monkeypatch, capsys):
    assert cli.main(["keys", "--env"]) == 0
    env_lines = capsys.readouterr().out.splitlines()
    assert [line.split("=", 1)[0] for line in env_lines] == ["CISP_STATE_KEY", "CISP_SHARE_KEY", "CISP_VAPID_KEY"]
    folder = keys.folder()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for secret in keys.SECRETS:
        assert stat.S_IMODE(keys.path(secret).stat().st_mode) == 0o600
    files = {secret: keys.path(secret).read_bytes() for secret in keys.SECRETS}
    # Another machine with the variables and no folder reads the very same keys.
    monkeypatch.setenv("CISP_KEYS_DIR", str(operator / "elsewhere"))
    monkeypatch.setenv("CISP_ENV", "production")
    for line in env_lines:
        name, value = line.split("=", 1)
        monkeypatch.setenv(name, value)
    for secret in keys.SECRETS:
        assert keys.read(secret).strip() == files[secret].strip()


def test_create_centre_refuses_bad_input_and_audits_what_it_does(operator, capsys):
    assert cli.main(["create-centre", "Bad Code!", "CISP"]) == 1
    assert cli.main(["create-centre", "cisp-ok", "   "]) == 1
    assert cli.main(["create-centre", "cisp-ok", "CISP Ok", "--region", "Namur Sud!"]) == 1
    assert cli.main(["create-centre", "cisp-ok", "CISP  Ok", "--region", "namur"]) == 0
    assert cli.main(["create-centre", "cisp-ok", "CISP Ok"]) == 1  # exists already
    with db.reading() as s:
        centre = s.scalar(select(Centre))
        assert (centre.code, centre.name, centre.region, centre.is_demo) == ("cisp-ok", "CISP Ok", "namur", False)
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.centre_id == centre.id)) == "centre_created"
    assert list(badge_keys.folder(centre.id).glob("*.pem"))  # its badge key, made once for every machine


def test_create_admin_prints_a_one_time_link_where_she_sets_her_password_and_app(operator, monkeypatch, capsys):
    monkeypatch.setenv("CISP_PUBLIC_URL", "https://parcours.example.be")
    cli.main(["create-centre", "cisp-ok", "CISP Ok"])
    assert cli.main(["create-admin", "--centre", "nowhere", "--login", "a.dupont", "--name", "Anne"]) == 1
    assert cli.main(["create-admin", "--centre", "cisp-ok", "--login", "A B", "--name", "Anne"]) == 1
    capsys.readouterr()
    assert cli.main(["create-admin", "--centre", "cisp-ok", "--login", "a.dupont", "--name", "Anne Dupont"]) == 0
    out = capsys.readouterr().out
    url = next(line for line in out.splitlines() if line.startswith("https://parcours.example.be/fr/enrol/?code="))
    code = url.split("code=", 1)[1]
    assert "█" in out or "▀" in out  # its QR code, for a phone held up to the screen
    signed = enrolment.set_password(code, "un long mot de passe à elle")
    assert signed.second_factor == second_factor.SET_UP  # an admin: her authenticator app next
    assert signed.actor.role == Role.admin and signed.actor.display_name == "Anne Dupont"
    with pytest.raises(enrolment.EnrolmentRefused):  # once
        enrolment.set_password(code, "un autre mot de passe long")
    assert cli.main(["create-admin", "--centre", "cisp-ok", "--login", "a.dupont", "--name", "Anne"]) == 1  # taken
