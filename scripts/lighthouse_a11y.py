"""Lighthouse 12 accessibility scores of the trainee screens, French and Arabic.

Usage: .venv/bin/python scripts/lighthouse_a11y.py   (writes docs/lighthouse-accessibility.md)

Serves the app (production build) on its own port and database, signs the demo trainee in
once in a Chromium profile, then runs Lighthouse (mobile, offline-capable here) on each screen
with that profile so it sees what the trainee sees. A measurement, not a test: the output is
recorded in the repo.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / ".tools" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PORT = 3211
SCREENS = ["my-pathway", "goals", "skills", "messages"]
LOCALES = ["fr", "ar"]
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except Exception:
        return False


def main() -> int:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund",
                        "lighthouse@12"], check=True)
    work = Path(tempfile.mkdtemp(prefix="cisp-lh-"))
    profile = work / "profile"
    env = {**os.environ, "CISP_DATA_DIR": str(work / "data"), "CISP_PORT": str(PORT),
           "PATH": f"{ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{Path(sys.executable).parent}"
                   f"{os.pathsep}{os.environ['PATH']}"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "cisp_pwa.cli", "setup"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{PORT}"
    rows = []
    try:
        deadline = time.monotonic() + 420
        while not (ready(f"{base}/ping") and ready(f"{base}/fr/sign-in/")):
            if time.monotonic() > deadline:
                raise SystemExit("the app did not start")
            time.sleep(1)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:  # sign in once; the token stays in the profile's storage
            context = p.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, args=FLAGS[1:], viewport={"width": 360, "height": 740})
            page = context.new_page()
            page.goto(f"{base}/fr/sign-in/")
            page.fill("#login", "amina")
            page.fill("#password", "parcours-amina")
            page.click("#sign-in-submit")
            page.wait_for_url("**/my-pathway/")
            page.wait_for_selector("#goals")
            context.close()
        for locale in LOCALES:
            for screen in SCREENS:
                url = f"{base}/{locale}/{screen}/"
                out = work / f"{locale}-{screen}.json"
                subprocess.run(
                    [str(LIGHTHOUSE), url, "--only-categories=accessibility", "--output=json",
                     f"--output-path={out}", "--quiet", "--disable-storage-reset", "--max-wait-for-load=20000",
                     f"--chrome-flags={' '.join(FLAGS + [f'--user-data-dir={profile}'])}"],
                    env={**env, "CHROME_PATH": CHROMIUM}, check=True)
                report = json.loads(out.read_text())
                score = report["categories"]["accessibility"]["score"]
                failed = [a for a, r in report["audits"].items()
                          if r.get("score") is not None and r["score"] < 1 and r.get("scoreDisplayMode") == "binary"]
                rows.append((locale, screen, score, failed, report["finalDisplayedUrl"]))
                print(locale, screen, score, failed, flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        "# Lighthouse accessibility scores (trainee screens)",
        "",
        f"Measured {date.today().isoformat()} by `scripts/lighthouse_a11y.py`: Lighthouse 12, mobile profile,",
        "Debian's Chromium headless, the app served in production mode, signed in as the demo trainee.",
        "",
        "| locale | screen | score | audits not passed | page measured |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {loc} | {screen} | {score} | {', '.join(failed) or '—'} | {final.replace(base, '')} |"
              for loc, screen, score, failed, final in rows]
    (ROOT / "docs" / "lighthouse-accessibility.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if all(r[2] == 1 for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
