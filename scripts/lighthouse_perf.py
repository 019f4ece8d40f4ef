"""Lighthouse 12 mobile performance of sign-in and the four trainee screens (fr, ar), signed in,
beside a bare Reflex page served in the same run.

Install Lighthouse once (not part of `make tools`: `make test` does not need it):
    npm install --prefix .tools/lighthouse --no-audit --no-fund lighthouse@12
Usage:
    .venv/bin/python scripts/lighthouse_perf.py [--runs 3]   (writes docs/lighthouse-perf.md)

A benchmark, not a test. In one run:
- the app, served as users run it (`reflex run --env prod`, frontend and backend on one spare
  port) on a fresh SQLite demo database (tests/app_process.py: app_env, setup_database);
- the bare Reflex 0.10.1 counter app of scripts/bench_live.py (one state, one button), served
  the same way on another spare port.
Sessions: `cisp_pwa.services.people.auth.sign_in` against that database gives the trainees' tokens
(amina, fr; youssef, whose account is in Arabic, for /ar/). A Chromium profile per trainee gets
the token in localStorage (`cisp_session`, what the page sends as the session state's token) on
a blank page of the app's origin (Playwright answers that one request itself): no app file is
fetched, no service worker registered, the HTTP cache stays empty. Each Lighthouse run gets a
fresh copy of that profile (or an empty profile: sign-in and the bare page), and runs with
--disable-storage-reset so it keeps the token: every run is a cold first visit of a signed-in
trainee.

Lighthouse's default mobile preset: Moto G Power screen, simulated slow 4G (150 ms RTT,
1.6 Mbit/s) and 4x CPU slowdown. Each page is measured --runs times, pages interleaved (round
1 of every page, then round 2...), and each figure is the median of its runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_live import (PEER_APP, PEER_RXCONFIG, git_commit, machine, start_server,  # noqa: E402
                                stop, stop_all, tools_env)
from tests.app_process import app_env, setup_database  # noqa: E402

DOC = ROOT / "docs" / "lighthouse-perf.md"
LIGHTHOUSE_DIR = ROOT / ".tools" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"]
# Each locale's trainee: the account's own locale, so the screens stay in that locale.
TRAINEES = {"fr": ("amina", "parcours-amina"), "ar": ("youssef", "parcours-youssef")}
SCREENS = ["sign-in", "my-pathway", "goals", "skills", "messages"]
HOME = "my-pathway"
# Issue 12's targets.
HOME_KIB = 180
LCP_RATIO = 0.8
SCORE = 0.95


def spare_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def token_for(env: dict[str, str], login: str, password: str) -> str:
    """A session token from the app's own sign-in, against the database `env` names."""
    code = ("import sys; from cisp_pwa.services import auth; "
            "print(auth.sign_in(sys.argv[1], sys.argv[2]).token)")
    done = subprocess.run([sys.executable, "-c", code, login, password], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def signed_in_profile(folder: Path, origin: str, token: str) -> Path:
    """A Chromium profile whose localStorage at `origin` holds the session token, and nothing else
    of the app: the one page loaded there is a blank one Playwright answers itself."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(folder), executable_path=CHROMIUM, headless=True,
                                                       args=FLAGS[1:])
        context.route("**/*", lambda route: route.fulfill(status=200, content_type="text/html",
                                                          body="<!doctype html><title>blank</title>"))
        page = context.new_page()
        page.goto(f"{origin}/blank")
        page.evaluate("t => localStorage.setItem('cisp_session', t)", token)
        assert page.evaluate("() => localStorage.getItem('cisp_session')") == token
        context.close()
    for cache in ("Default/Cache", "Default/Code Cache", "Default/Service Worker"):
        shutil.rmtree(folder / cache, ignore_errors=True)
    return folder


def lighthouse(url: str, profile: Path | None, work: Path, name: str) -> dict:
    """One Lighthouse run (performance only, mobile preset) on a fresh copy of `profile`."""
    run_profile = work / f"profile-{name}"
    shutil.rmtree(run_profile, ignore_errors=True)
    if profile is not None:
        shutil.copytree(profile, run_profile)
    else:
        run_profile.mkdir(parents=True)
    out = work / f"{name}.json"
    flags = " ".join(FLAGS + [f"--user-data-dir={run_profile}"])
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}",
         "--quiet", "--disable-storage-reset", "--max-wait-for-load=60000", f"--chrome-flags={flags}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300)
    shutil.rmtree(run_profile, ignore_errors=True)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse {url} failed ({done.returncode}): {done.stderr[-2000:]}")
    return summary(json.loads(out.read_text()))


def summary(report: dict) -> dict:
    """The figures kept from one Lighthouse JSON report."""
    audits = report["audits"]
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items", [])
    final = urlsplit(report.get("finalDisplayedUrl", ""))
    phases = {}  # LCP's breakdown: TTFB, load delay, load time, render delay
    element = ""  # which element LCP names: says why it is late (data after the socket, a late card)
    for table in (audits.get("largest-contentful-paint-element", {}).get("details") or {}).get("items", []):
        for item in table.get("items", []):
            if "phase" in item:
                phases[item["phase"]] = item["timing"]
            if "node" in item and not element:
                element = item["node"].get("selector", "")
    return {
        "score": report["categories"]["performance"]["score"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "render_delay": phases.get("Render Delay"),
        "element": element,
        "main_thread": audits.get("mainthread-work-breakdown", {}).get("numericValue"),
        "bytes": audits["total-byte-weight"]["numericValue"],
        # Script bytes the load downloaded but never ran (the issue's starting point: 152 KiB).
        "unused_js": ((audits.get("unused-javascript") or {}).get("details") or {}).get("overallSavingsBytes"),
        # The HTML, stylesheet and scripts (what docs/bundle-size.md counts, here with HTTP headers);
        # the rest: the web manifest and icons the browser fetches, a service worker's fetches if any.
        "code_bytes": sum(r.get("transferSize", 0) for r in requests
                          if r.get("resourceType") in ("Document", "Stylesheet", "Script")),
        "requests": len(requests),
        "final": final.path + (f"?{final.query}" if final.query else ""),
        "error": (report.get("runtimeError") or {}).get("message"),
        "warnings": report.get("runWarnings", []),
        "version": report.get("lighthouseVersion"),
        "chrome": report.get("environment", {}).get("hostUserAgent", ""),
    }


def report_name(key: str) -> str:
    return key.replace("/", "-")


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def kib(n: float | None) -> str:
    return "—" if n is None else f"{n / 1024:.1f}"


def ms(n: float | None) -> str:
    return "—" if n is None else f"{n:.0f}"


def write_doc(pages: list[tuple[str, str, str]], results: dict[str, list[dict]], failures: list[str], args,
              started: str, commit: str) -> str:
    m = machine()
    bare = results["bare"]
    bare_lcp = median(bare, "lcp")
    first = next((r for runs in results.values() for r in runs), {})
    rows = [
        "| page | perf score | LCP ms | LCP / bare | LCP render delay ms | TBT ms | FCP ms | main thread ms "
        "| KiB transferred (of which HTML, CSS, JS) | unused JS KiB | requests | scores of the runs | URL at the end "
        "| LCP element (CSS selector, every run) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    verdicts = []
    for key, label, path in pages:
        runs = results[key]
        if not runs:
            rows.append(f"| {label} | no run succeeded |" + " |" * 12)
            continue
        score, lcp, tbt = median(runs, "score"), median(runs, "lcp"), median(runs, "tbt")
        ratio = lcp / bare_lcp if lcp is not None and bare_lcp else None
        finals = sorted({r["final"] for r in runs})
        rows.append(
            f"| {label} | {score:.2f} | {ms(lcp)} | {'—' if ratio is None or key == 'bare' else f'{ratio:.2f}'} "
            f"| {ms(median(runs, 'render_delay'))} | {ms(tbt)} | {ms(median(runs, 'fcp'))} "
            f"| {ms(median(runs, 'main_thread'))} | {kib(median(runs, 'bytes'))} ({kib(median(runs, 'code_bytes'))}) "
            f"| {kib(median(runs, 'unused_js'))} | {median(runs, 'requests'):.0f} "
            f"| {', '.join(format(r['score'], '.2f') for r in runs)} | {', '.join(finals)} "
            f"| {'; '.join(sorted({'`' + r['element'] + '`' for r in runs if r.get('element')}))} |")
        if key == "bare":
            continue
        if path.endswith(f"/{HOME}/"):
            total = median(runs, "bytes") / 1024
            verdicts.append((f"{label}: cold visit ≤ {HOME_KIB} KiB transferred", total <= HOME_KIB,
                             f"{total:.1f} KiB, {total - HOME_KIB:+.1f} KiB against the target"))
        if ratio is not None:
            verdicts.append((f"{label}: LCP ≤ {LCP_RATIO}× the bare page's", ratio <= LCP_RATIO,
                             f"{ratio:.2f}× ({ms(lcp)} ms against {ms(bare_lcp)} ms; the target is "
                             f"{ms(LCP_RATIO * bare_lcp)} ms, {lcp - LCP_RATIO * bare_lcp:+.0f} ms)"))
        verdicts.append((f"{label}: performance ≥ {SCORE}", score >= SCORE, f"{score:.2f} ({score - SCORE:+.2f})"))
    met = sum(ok for _, ok, _ in verdicts)
    lines = [
        "# Lighthouse performance: sign-in and the trainee screens against a bare Reflex page",
        "",
        f"Measured {started} by `scripts/lighthouse_perf.py` on commit {commit}: Lighthouse "
        f"{first.get('version', '12')}, mobile preset (simulated slow 4G: 150 ms RTT, 1.6 Mbit/s; 4× CPU "
        f"slowdown), Debian's {CHROMIUM} headless ({first.get('chrome', '').split(') ')[-1] or '?'}). "
        f"Median of {args.runs} runs per page, pages interleaved.",
        "",
        f"Machine: {m['cpu']}, {m['nproc']} cores shared with other work (a noisy machine: figures move "
        f"between runs), {m['memory_gb']} GB; Python {m['python']}, Reflex {m['reflex']}. The servers and "
        "Chromium run on the same cores; simulated throttling computes LCP and TBT from the observed trace, "
        "so a busy host still shifts them.",
        "",
        "Install Lighthouse first (kept out of `make tools`, which `make test` needs):",
        "`npm install --prefix .tools/lighthouse --no-audit --no-fund lighthouse@12`.",
        "",
        "Every visit is cold: a fresh Chromium profile, empty HTTP cache, no service worker. The trainee "
        "screens are visited signed in: the profile holds only the session token in localStorage "
        "(amina for /fr/, youssef, whose account is in Arabic, for /ar/). Sign-in and the bare page are "
        "visited signed out. The bare page is the counter app of scripts/bench_live.py (one state, one "
        "button) built by the same Reflex, served by `reflex run --env prod` like the app.",
        "",
        *rows,
        "",
        "KiB transferred is Lighthouse's total-byte-weight: every response's transfer size during the "
        "load, HTTP headers included (the app's security headers: about 0.9 KiB on the page, which alone "
        "carries the CSP and its kin; nosniff only on every other file), the web manifest and icons too. In "
        "brackets, the HTML, stylesheet and scripts alone: what docs/bundle-size.md counts from the build "
        "(gzip bodies only), plus their headers. The service worker registers at the load event and "
        "keeps this locale's trainee screens for offline use afterwards: Lighthouse's trace ends before "
        "those fetches, so they are not counted. Each column is the median of its own runs; FCP and LCP "
        "coincide when the first paint is already the largest. LCP render delay: the part of LCP after "
        "the HTML arrived (Lighthouse's LCP breakdown; the rest is the time to first byte). Main thread: "
        "the simulated phone's main-thread work during the load (script evaluation, style, layout). "
        "Unused JS: Lighthouse's unused-javascript, the script bytes loaded but not run during the load.",
        "",
        f"## Targets (issue 12): {met} of {len(verdicts)} met",
        "",
        *[f"- {'met' if ok else 'MISSED'}: {what}: {how}" for what, ok, how in verdicts],
        "",
    ]
    notes = sorted({w for runs in results.values() for r in runs for w in r["warnings"]} |
                   {r["error"] for runs in results.values() for r in runs if r["error"]})
    if notes or failures:
        lines += ["## Lighthouse warnings and failed runs", "", *[f"- {n}" for n in notes + failures], ""]
    text = "\n".join(lines)
    Path(args.doc).write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is kept)")
    parser.add_argument("--app-port", type=int, default=0, help="default: a spare port")
    parser.add_argument("--bare-port", type=int, default=0, help="default: a spare port")
    parser.add_argument("--doc", default=str(DOC))
    parser.add_argument("--commit", help="with --from-reports: the commit measured (default: HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (reports, logs)")
    parser.add_argument("--from-reports", metavar="DIR",
                        help="only rewrite the document from the JSON reports a --keep run left in DIR")
    args = parser.parse_args(argv)
    pages = [(f"{loc}/{s}", f"/{loc}/{s}/" + ("" if s == "sign-in" else " (signed in)"), f"/{loc}/{s}/")
             for loc in TRAINEES for s in SCREENS]
    pages.append(("bare", "bare Reflex page /", "/"))
    if args.from_reports:
        folder = Path(args.from_reports)
        results = {key: [summary(json.loads(f.read_text())) for f in sorted(folder.glob(f"{report_name(key)}-*.json"))]
                   for key, _, _ in pages}
        args.runs = max(len(r) for r in results.values())
        stamp = datetime.fromtimestamp(min(f.stat().st_mtime for f in folder.glob("*.json"))).strftime("%Y-%m-%d %H:%M")
        print(write_doc(pages, results, [], args, stamp, args.commit or git_commit()))
        return 0
    if not LIGHTHOUSE.exists():
        parser.error("Lighthouse is missing: npm install --prefix .tools/lighthouse --no-audit --no-fund lighthouse@12")
    args.app_port = args.app_port or spare_port()
    args.bare_port = args.bare_port or spare_port()
    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    commit = git_commit()
    work = Path(tempfile.mkdtemp(prefix="cisp-lh-perf-"))
    app_base, bare_base = f"http://{HOST}:{args.app_port}", f"http://{HOST}:{args.bare_port}"
    results: dict[str, list[dict]] = {key: [] for key, _, _ in pages}
    failures: list[str] = []
    try:
        env = app_env(CISP_BACKEND_ONLY="", CISP_PORT=str(args.app_port), CISP_DATA_DIR=str(work / "data"),
                      REFLEX_TELEMETRY_ENABLED="false")
        for name in ("DATABASE_URL", "REDIS_URL", "CISP_SQL_COUNT_FILE"):
            env.pop(name, None)
        print("database: cisp_pwa.cli setup (demo)", flush=True)
        setup_database(env)
        tokens = {loc: token_for(env, *who) for loc, who in TRAINEES.items()}

        bare_dir = work / "bare"
        (bare_dir / "counter").mkdir(parents=True)
        (bare_dir / "rxconfig.py").write_text(PEER_RXCONFIG)
        (bare_dir / "counter" / "__init__.py").write_text("")
        (bare_dir / "counter" / "counter.py").write_text(PEER_APP)

        print(f"building and starting the app on {app_base} (reflex run --env prod)", flush=True)
        app, took = start_server(ROOT, env, work / "app.log", [f"{app_base}/ping", f"{app_base}/fr/sign-in/"])
        print(f"  ready after {took:.0f} s", flush=True)
        print(f"building and starting the bare app on {bare_base}", flush=True)
        bare, took = start_server(bare_dir, tools_env({"PEER_PORT": str(args.bare_port)}), work / "bare.log",
                                  [f"{bare_base}/ping", f"{bare_base}/"])
        print(f"  ready after {took:.0f} s", flush=True)

        profiles = {loc: signed_in_profile(work / f"signed-in-{loc}", app_base, token)
                    for loc, token in tokens.items()}
        for n in range(args.runs):
            for key, label, path in pages:
                if key == "bare":
                    url, profile = bare_base + path, None
                else:
                    loc = key.split("/", 1)[0]
                    url, profile = app_base + path, (None if path.endswith("/sign-in/") else profiles[loc])
                name = f"{report_name(key)}-{n + 1}"
                try:
                    r = lighthouse(url, profile, work, name)
                except Exception as exc:  # one failed run does not lose the others
                    failures.append(f"{label}, run {n + 1}: {exc}"[:600])
                    print(f"  {label} run {n + 1}: FAILED {exc}", flush=True)
                    continue
                results[key].append(r)
                print(f"  {label} run {n + 1}: score {r['score']}, LCP {r['lcp']:.0f} ms, TBT {r['tbt']:.0f} ms, "
                      f"{r['bytes'] / 1024:.1f} KiB, at {r['final']}", flush=True)
        stop(app)
        stop(bare)
    finally:
        stop_all()
        if args.keep:
            print(f"reports and logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if not results["bare"]:
        print("no run of the bare page succeeded", file=sys.stderr)
        return 1
    print(write_doc(pages, results, failures, args, started, commit))
    print(f"written: {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
