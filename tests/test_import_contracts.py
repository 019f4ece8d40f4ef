"""Who may import whom: the import contracts of pyproject.toml ([tool.importlinter]), checked by
import-linter on the real import graph of cisp_pwa, every module, at any depth.

- the app's layers: pages and components (and the HTTP endpoints), over the states, over the
  services, over words, documents, routes and keys, over the models, over settings, i18n and logs;
- inside services/: home/, over the domain folders, over the access rules (policy.py), over infra/,
  over the acting user, the errors and the checks of typed text; every module of services/ sits in one of them (exhaustive);
- the domain folders that need no other domain stay so (people, conversations, credentials);
- no import cycle anywhere (between packages and between the modules of one package);
- Reflex never below the states; no database session in screens and states.

A broken contract fails this test with import-linter's report: the chain of imports that breaks it.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

# No contract allows an exception: every import of the app keeps them.
ALLOWED_EXCEPTIONS: dict[str, set[str]] = {}


def _contracts() -> list[dict]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def _lint(config: Path) -> subprocess.CompletedProcess:
    # From the root, so that this checkout's cisp_pwa is the one analysed; no cache folder left.
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())",
         "--no-cache", "--no-logo", str(config)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def test_the_import_contracts_hold():
    contracts = _contracts()
    done = _lint(PYPROJECT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(contracts)} kept, 0 broken." in done.stdout, done.stdout


def test_the_contracts_allow_only_the_known_exceptions():
    allowed = {c["id"]: set(c.get("ignore_imports", [])) for c in _contracts()}
    assert {k: v for k, v in allowed.items() if v} == ALLOWED_EXCEPTIONS


def test_a_broken_contract_fails(tmp_path):
    """The same check on a contract the code breaks (the services import the models): it fails
    and names the import, so a pass above means the contracts hold, not that nothing was read."""
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "cisp_pwa"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "models over services"\ntype = "layers"\n'
                      'layers = ["cisp_pwa.models", "cisp_pwa.services"]\n', encoding="utf-8")
    done = _lint(config)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout and "cisp_pwa.services" in done.stdout and "cisp_pwa.models" in done.stdout
