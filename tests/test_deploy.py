"""The deployment kit says what the code reads: every setting is in the environment template, and
every command the service files and the README's production steps run is a command of `cisp`."""

from __future__ import annotations

import re

from cisp_pwa import keys, settings
from cisp_pwa.cli import main

DEPLOY = settings.PROJECT_DIR / "deploy"
# Read by the code but set by the project itself, never by an operator.
INTERNAL = {
    "CISP_BUILD": "set by `cisp build` while Reflex exports the frontend",
    "CISP_BACKEND_ONLY": "set by `cisp serve` (and the tests) for Reflex's backend-only start",
    "CISP_CHECKED": "set by `cisp serve` for its workers: it has just run the production checks",
    "CISP_DEMO": "set by `make run`: the demo's screens say so",
    "CISP_SQL_COUNT_FILE": "the live benchmark's statement counter",
}


def _settings_read_by_the_code() -> set[str]:
    names = {secret.env for secret in keys.SECRETS}
    for path in [*(settings.PROJECT_DIR / "cisp_pwa").rglob("*.py"), settings.PROJECT_DIR / "rxconfig.py"]:
        names |= set(re.findall(r"""environ(?:\.get)?[\[(]\s*["']((?:CISP|DATABASE|REDIS)_?[A-Z_]*)["']""",
                                path.read_text()))
    return names


def test_every_setting_the_code_reads_is_explained_in_the_environment_template():
    template = (DEPLOY / "cisp.env.example").read_text()
    documented = set(re.findall(r"^#?([A-Z][A-Z_]+)=", template, re.M))
    read = _settings_read_by_the_code()
    assert {"DATABASE_URL", "REDIS_URL", "CISP_TRUSTED_PROXIES", "CISP_KEYS_DIR", "CISP_STATE_KEY"} <= read
    assert read - set(INTERNAL) - documented == set()
    # Each setting has its explanation: a comment right above it, or above its group of lines.
    lines = template.splitlines()
    setting = re.compile(r"^#?[A-Z][A-Z_]+=")
    for i, line in enumerate(lines):
        if setting.match(line):
            above = next(lines[j] for j in range(i - 1, -1, -1) if not setting.match(lines[j]))
            assert above.startswith("# "), f"{line!r} has no comment above it"


def test_the_service_files_run_commands_that_exist(capsys):
    commands = set()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        commands |= set(re.findall(r"/cisp (\w[\w-]*)", unit.read_text()))
    commands |= set(re.findall(r"cisp (\w[\w-]*)", (DEPLOY / "compose.yaml").read_text()))
    assert {"serve", "retention", "backup", "migrate", "keys"} <= commands
    try:
        main(["--help"])
    except SystemExit:
        pass
    usage = capsys.readouterr().out
    for command in commands:
        assert command in usage, f"deploy/ runs `cisp {command}`, which `cisp --help` does not list"
