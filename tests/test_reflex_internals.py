"""The Reflex internals the app uses (reflex_internals.py): all there on the installed Reflex; and
a Reflex that lacks one, built for real (a copy of the installed Reflex with that one renamed, as
an upgrade would), is refused by name: by the app's import, `cisp check` and `cisp serve`."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import reflex

from cisp_pwa import checks, reflex_internals
from cisp_pwa.reflex_internals import INTERNALS, JS_GLOBALS, JS_IMPORTS

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(reflex.__file__).parent.parent
# Reflex and the packages it is made of (reflex_base, reflex_components_*...): an upgrade renames
# across all of them.
PACKAGES = sorted(p for p in SITE.glob("reflex*") if (p / "__init__.py").exists())

# How an upgrade could lose each internal: (files of the copy, pattern, replacement), each one a
# rename that leaves the rest of Reflex as it was. Several for one internal: each is refused.
LOSSES: list[tuple[reflex_internals.Internal, list[tuple[str, str, str]]]] = [
    (reflex_internals.EVENT_NAMESPACE, [("reflex/**/*.py", r"\bevent_namespace\b", "socket_namespace")]),
    (reflex_internals.TOKEN_MANAGER, [("reflex/**/*.py", r"\b_token_manager\b", "_tokens")]),
    (reflex_internals.ON_EVENT, [("reflex/app.py", r"\bdef on_event\b", "def on_message")]),
    (reflex_internals.ON_EVENT, [("reflex/app.py", r"def on_event\(self, sid: str, data: Any\)",
                                  "def on_event(self, sid: str, data: Any, environ: Any = None)")]),
    (reflex_internals.DIRTY_VARS, [("reflex*/**/*.py", r"\bdirty_vars\b", "changed_vars")]),
    (reflex_internals.BASE_VARS, [("reflex*/**/*.py", r"\bbase_vars\b", "field_vars")]),
    (reflex_internals.SETVAR, [("reflex*/**/*.py", r"\bsetvar\b", "set_var")]),
    (reflex_internals.CREATE_EVENT_HANDLER, [("reflex*/**/*.py", r"\b_create_event_handler\b",
                                              "_make_event_handler")]),
    (reflex_internals.MIXINS, [("reflex*/**/*.py", r"\b_mixins\b", "_mixin_classes")]),
    (reflex_internals.VAR_DATA, [("reflex*/**/*.py", r"\b_var_data\b", "_var_meta")]),
    (reflex_internals.CONNECTION_OVERLAY, [("reflex/app.py", r'\(5, "Overlay"\)', '(5, "ConnectionOverlay")')]),
    (reflex_internals.EVENT_LOOP_CONTEXT, [("reflex_base/compiler/templates.py",
                                            r"(export \{\{[^}]*?)EventLoopContext, ", r"\1")]),
    (reflex_internals.EVENT_LOOP_CONTEXT, [("reflex_base/compiler/templates.py",
                                            r"value: \[addEventsLocal, connectErrors\]",
                                            "value: {{ addEvents: addEventsLocal, connectErrors }}")]),
    (reflex_internals.GET_BACKEND_URL, [("reflex_base/.templates/web/utils/*.js", r"\bgetBackendURL\b",
                                         "backendURL")]),
    (reflex_internals.ENV_JSON_UPLOAD, [("reflex*/**/*.py", r"\bEndpoint\.UPLOAD\b", "Endpoint.FILES"),
                                        ("reflex_base/constants/event.py", r'\bUPLOAD = "_upload"', 'FILES = "_upload"')]),
    (reflex_internals.SOCKET_CONNECT_HOOK, [("reflex_base/.templates/web/utils/state.js", r"\bonSocketConnect\b",
                                             "onConnect")]),
]


def _lacking(folder: Path, losses: list[tuple[str, str, str]]) -> Path:
    """A copy of the installed Reflex with these renames; its folder goes first on PYTHONPATH.
    The compiled files come along (their sources keep their times), but an edited one's."""
    for source in PACKAGES:
        shutil.copytree(source, folder / source.name)
    for pattern_files, pattern, replacement in losses:
        changed = 0
        for path in folder.glob(pattern_files):
            text = path.read_text(encoding="utf-8")
            new = re.sub(pattern, replacement, text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed += 1
        assert changed, f"nothing to rename: {pattern} in {pattern_files}"  # else the test proves nothing
    return folder


def _run(reflex_folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CISP_ENV", "PYTHONPATH"))}
    environment.update(PYTHONPATH=str(reflex_folder), **env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=300)


def test_the_installed_reflex_has_every_internal():
    assert reflex_internals.missing() == []
    assert reflex_internals.refusal() == ""
    line = checks.reflex()
    assert line.ok and line.name == "reflex" and reflex_internals.version() in line.says
    assert all(internal.present() for internal in INTERNALS)


def test_each_internal_says_what_it_is_and_what_for():
    names = [internal.name for internal in INTERNALS]
    assert len(set(names)) == len(names)
    for internal in INTERNALS:
        assert re.fullmatch(r"reflex: \S.* \(\S.*\)", internal.line()), internal.line()


def test_every_reflex_import_and_global_of_the_jsx_files_is_checked():
    """Derived from the .jsx files: what they import from Reflex's JavaScript (`$/...`, our own
    files under `$/public` aside) and Reflex's globals they use, each one listed and checked."""
    imports, globals_ = set(), set()
    for path in sorted(reflex_internals.JSX_FOLDER.glob("*.jsx")):
        text = path.read_text(encoding="utf-8")
        for names, module in re.findall(r'\bimport\s+([^"]+?)\s+from\s+"(\$/[^"]+)"', text):
            if module.startswith("$/public/"):
                continue
            default, _, listed = names.partition("{")
            if default.strip(" ,"):
                imports.add((module, "default"))
            imports.update((module, n.split(" as ")[0].strip()) for n in listed.rstrip("} ").split(",") if n.strip())
        globals_.update(re.findall(r"window\.(__reflex\w*)", text))
    assert imports == set(JS_IMPORTS)
    assert globals_ == set(JS_GLOBALS)
    assert set(JS_IMPORTS.values()) | set(JS_GLOBALS.values()) <= set(INTERNALS)


def test_every_internal_has_a_reflex_that_lacks_it_below():
    assert {internal for internal, _ in LOSSES} == set(INTERNALS)


@pytest.mark.parametrize(("internal", "losses"), LOSSES, ids=[f"{i.name}-{n}" for n, (i, _) in enumerate(LOSSES)])
def test_a_reflex_lacking_one_internal_is_refused_naming_it(internal, losses, tmp_path):
    folder = _lacking(tmp_path, losses)
    # missing() on that Reflex: that one line, and no other.
    said = _run(folder, "-c", "import json; from cisp_pwa import reflex_internals as r; print(json.dumps(r.missing()))")
    assert said.returncode == 0, said.stderr
    assert json.loads(said.stdout.splitlines()[-1]) == [internal.line()]
    # The app's import (`reflex run`, a worker) refuses to start, and says which.
    started = _run(folder, "-c", "import cisp_pwa.cisp_pwa")
    assert started.returncode != 0
    assert f"not started: Reflex {reflex_internals.version()} lacks what the app needs: {internal.line()}." \
        in started.stderr, started.stderr[-3000:]


def test_cisp_check_and_serve_refuse_a_reflex_lacking_them_all_naming_each(tmp_path):
    first = {internal: losses for internal, losses in reversed(LOSSES)}  # one way of losing each
    folder = _lacking(tmp_path / "reflex", [loss for losses in first.values() for loss in losses])
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cisp.db'}", "CISP_KEYS_DIR": str(tmp_path / "keys")}
    checked = _run(folder, "-m", "cisp_pwa.cli", "check", **env)
    assert checked.returncode == 1
    line = next(line for line in checked.stdout.splitlines() if line.startswith(("ok   reflex:", "FAIL reflex:")))
    assert line.startswith("FAIL reflex:")
    for internal in INTERNALS:
        assert internal.line() in line, internal.name
    served = _run(folder, "-m", "cisp_pwa.cli", "serve", **env)
    assert served.returncode == 1
    assert "FAIL reflex:" in served.stderr and "not started" in served.stderr
    assert all(internal.line() in served.stderr for internal in INTERNALS)
    # A production start by the app's import alone (a process manager's own command) too.
    production = _run(folder, "-c", "import cisp_pwa.cisp_pwa", CISP_ENV="production", **env)
    assert production.returncode != 0
    assert all(internal.line() in production.stderr for internal in INTERNALS)


def _in_thread(coroutine):
    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_live_screen_asks_the_apps_token_manager_whether_its_tab_is_connected():
    from cisp_pwa import cisp_pwa  # noqa: F401 - the app keeps itself (reflex_internals.keep_app)
    from cisp_pwa.state import live

    # No tab holds this token: Reflex's token manager says so, no "connected" by default.
    assert _in_thread(live._connected("no-tab-has-this-token")) is False


def test_a_runtime_failure_to_tell_is_logged_once_without_the_token_and_keeps_the_screen():
    # A process where no app was kept: the question cannot be asked.
    said = _run(SITE, "-c", """
import asyncio, logging
logging.basicConfig(level=logging.WARNING, format="%(name)s %(message)s")
from cisp_pwa.state import live
print([asyncio.run(live._connected("tab-token-secret")) for _ in range(3)])
""")
    assert said.returncode == 0, said.stderr
    assert said.stdout.strip() == "[True, True, True]"
    warnings = [line for line in said.stderr.splitlines() if line.startswith("cisp_pwa.state.live")]
    assert len(warnings) == 1 and "RuntimeError" in warnings[0]
    assert "tab-token-secret" not in said.stderr
