"""The real app as a backend process (`reflex run --env prod --backend-only`), for tests that
speak Reflex's socket protocol to it as a page does (scripts/reflex_client.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cisp_pwa import settings
from scripts.reflex_client import BuildInfo, full_name

SESSION = full_name(("cisp_pwa.state.session", "SessionState"))
# The page sends the session token kept in localStorage under this state key.
BUILD = BuildInfo(local_storage={"cisp_session": [SESSION + ".token_rx_state_"]})


def app_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "GRANIAN_WORKERS": "1", "CISP_BACKEND_ONLY": "1", "CISP_DEMO": "1", **extra}
    env["PATH"] = os.pathsep.join([str(settings.PROJECT_DIR / ".tools" / "node_modules" / ".bin"),
                                   str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def setup_database(env: dict[str, str]) -> None:
    """Migrate and load the demo into the database `env` names."""
    subprocess.run([sys.executable, "-m", "cisp_pwa.cli", "setup"], env=env, check=True,
                   cwd=settings.PROJECT_DIR, capture_output=True)


def _ping(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as response:
            return response.status == 200
    except Exception:
        return False


@contextlib.contextmanager
def backends(env: dict[str, str], ports: tuple[int, ...], work: Path):
    """One app process per port, each with its own build and state folders (the browser tests'
    server keeps its own) and its log at work/<port>/app.log; yields their base URLs."""
    servers, logs = [], []
    for port in ports:
        folder = work / str(port)
        folder.mkdir(parents=True, exist_ok=True)
        logs.append(folder / "app.log")
        with logs[-1].open("wb") as log:
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only", "--backend-port", str(port)],
                cwd=settings.PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**env, "CISP_PORT": str(port), "REFLEX_WEB_WORKDIR": str(folder / "web"),
                     "REFLEX_STATES_WORKDIR": str(folder / "states")},
            ))
    try:
        deadline = time.monotonic() + 300
        while not all(_ping(p) for p in ports):
            if any(s.poll() is not None for s in servers) or time.monotonic() > deadline:
                pytest.fail("the app processes did not start:\n" +
                            "\n".join(log.read_text(errors="replace")[-3000:] for log in logs))
            time.sleep(1)
        yield [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for server in servers:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(server.pid, signal.SIGKILL)
