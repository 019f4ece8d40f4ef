"""How long until the app serves: a restart of the production backend (`cisp serve` on a prebuilt
frontend), and `make run` on a clean clone, each beside a bare Reflex 0.10.1 app in the same run.

Usage:
    .venv/bin/python scripts/start_time.py [--runs 5] [--port-base 3611] [--skip-clean-clone]
(writes docs/start-time.md; uses ports port-base .. port-base+8; needs `make test-deps tools`)

Figure 1, restart to serving (the issue's target: ≤ 5 s):
- ours: `cisp build` once (timed), a production database in a temporary CISP_DATA_DIR (`cisp
  migrate`, `cisp create-centre`, `cisp keys`, then `cisp check`), then --runs times `cisp serve
  --port P`, timed from process start to the first 200 on /ping, to the first 200 on
  /badges/issuers/<centre id> (our app and the database), and to a first socket round trip: a
  phone (scripts/reflex_client.py) opens /fr/sign-in/ and its hydrate event is answered;
- the old way: `reflex run --env prod` (what `make run` serves with: it compiles and builds the
  frontend at every start) on a demo database, to the first 200 on /fr/ (--old-runs times);
- the bare counter app of scripts/bench_live.py, exported once (scripts/bundle_size.py's build),
  then --runs times `reflex run --env prod --backend-only` with REFLEX_SKIP_COMPILE=1, to /ping
  and to its first socket round trip (runs interleaved with ours); and once its full
  `reflex run --env prod`, to / 200.

Figure 2, `make run` on a clean clone (`git clone` of the committed main): `CISP_PORT=P make run`,
timed from the start of make to the first 200 on /fr/, split by the lines make prints (venv +
pip install, npm installs of bun and axe-core, setup, Reflex compile + build, serve); once more
the install step alone without pip's cache (`rm -rf .venv; PIP_NO_CACHE_DIR=1 make deps`, 10 minutes at
most). Baseline: the bare counter
app in a fresh folder with its own fresh venv (`pip install reflex==0.10.1`), first
`reflex run --env prod` to / 200.

Every server is stopped (its process group), every temporary folder deleted (unless --keep).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_live import (PEER_APP, PEER_RXCONFIG, _started, git_commit, http_status, machine,  # noqa: E402
                                start_server, stop, stop_all, tools_env)
from scripts.bundle_size import build as export_frontend  # noqa: E402
from scripts.reflex_client import Phone, read_build_info  # noqa: E402
from tests.app_process import app_env, setup_database  # noqa: E402

DOC = ROOT / "docs" / "start-time.md"
HOST = "127.0.0.1"
TARGET_S = 5.0  # the target for a restart
NO_CACHE_LIMIT_S = 600
PY = sys.executable
# The cisp_pwa variables a measurement must not inherit from the shell that runs it.
DROP = ("DATABASE_URL", "REDIS_URL", "CISP_SQL_COUNT_FILE", "GRANIAN_WORKERS", "CISP_DATA_DIR", "CISP_ENV",
        "CISP_ORIGINS", "CISP_PUBLIC_URL", "CISP_FRONTEND_DIR", "CISP_KEYS_DIR", "CISP_STATE_KEY",
        "CISP_SHARE_KEY", "CISP_VAPID_KEY", "CISP_DEMO", "REFLEX_WEB_WORKDIR", "REFLEX_SKIP_COMPILE",
        "CISP_BACKEND_ONLY", "CISP_PORT", "VIRTUAL_ENV", "PEER_PORT")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROP}
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env.update(extra)
    return env


async def _first_round_trip(base: str, path: str, info, origin: str | None, deadline: float) -> float:
    """Open `path` on a new phone until its hydrate event is answered; the monotonic time then."""
    last: Exception | None = None
    while time.monotonic() < deadline:
        # The page's origin: the public https:// one CISP_ORIGINS allows (Phone's default is base).
        phone = Phone(base, build_info=info, headers={"Origin": origin} if origin else None)
        try:
            await phone.open(path, timeout=max(1.0, deadline - time.monotonic()))
            return time.monotonic()
        except Exception as exc:  # not up yet: try again
            last = exc
        finally:
            await phone.close()
        await asyncio.sleep(0.05)
    raise RuntimeError(f"no socket round trip on {base}{path}: {last}")


def wait_200(url: str, proc: subprocess.Popen, deadline: float, every: float = 0.05, on_poll=None) -> float:
    while True:
        if on_poll is not None:
            on_poll()
        if http_status(url) == 200:
            return time.monotonic()
        if proc.poll() is not None:
            raise RuntimeError(f"exited ({proc.returncode}) before {url} answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not 200 in time")
        time.sleep(every)


def spawn(cmd: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with log_path.open("ab") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    _started.append(proc)
    return proc


def restart_once(cmd: list[str], cwd: Path, env: dict[str, str], log_path: Path, base: str,
                 extra_urls: dict[str, str], socket_path: str, info, origin: str | None,
                 timeout: float = 120) -> dict[str, float]:
    """Start a backend; seconds from process start to /ping 200, each extra URL 200, and the first
    socket round trip. Stopped (its process group) afterwards."""
    t0 = time.monotonic()
    proc = spawn(cmd, cwd, env, log_path)
    deadline = t0 + timeout
    out: dict[str, float] = {}
    cmdline = Path(f"/proc/{proc.pid}/cmdline")

    def exec_seen() -> None:  # `cisp serve` execs Reflex once its checks pass: when does that happen?
        if "exec" not in out and cmd[1:3] == ["-m", "cisp_pwa.cli"]:
            try:
                if b"reflex" in cmdline.read_bytes():
                    out["exec"] = time.monotonic() - t0
            except OSError:
                pass

    try:
        out["ping"] = wait_200(f"{base}/ping", proc, deadline, on_poll=exec_seen) - t0
        for key, path in extra_urls.items():
            out[key] = wait_200(base + path, proc, deadline) - t0
        out["socket"] = asyncio.run(_first_round_trip(base, socket_path, info, origin, deadline)) - t0
    finally:
        stop(proc)
    return out


# -- timed lines of a long command --------------------------------------------------------------

def run_stamped(cmd: list[str], cwd: Path, env: dict[str, str], log_path: Path, url: str | None,
                timeout: float) -> tuple[float | None, list[tuple[float, str]], int | None]:
    """Run cmd, stamping each output line with the seconds since start. With `url`: until it answers
    200 (then the process group is stopped), else until the command ends. Returns (seconds to 200
    or to the end, the stamped lines, the exit code if it ended)."""
    lines: list[tuple[float, str]] = []
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True, errors="replace")
    _started.append(proc)

    def read() -> None:
        with log_path.open("a", encoding="utf-8") as out:
            for line in proc.stdout:
                t = time.monotonic() - t0
                lines.append((t, line.rstrip("\n")))
                out.write(f"{t:8.1f} {line}")
                out.flush()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    took = None
    try:
        while time.monotonic() - t0 < timeout:
            if url and http_status(url) == 200:
                took = time.monotonic() - t0
                break
            if proc.poll() is not None:
                if not url:
                    took = time.monotonic() - t0
                break
            time.sleep(0.25)
    finally:
        code = proc.poll()
        stop(proc)
        reader.join(timeout=5)
    return took, lines, code


def first_line(lines: list[tuple[float, str]], pattern: str, after: float = 0.0) -> float | None:
    rx = re.compile(pattern)
    return next((t for t, line in lines if t >= after and rx.search(line)), None)


# -- figures -------------------------------------------------------------------------------------

def stats(values: list[float]) -> str:
    if not values:
        return "— | — | — | 0"
    return (f"{statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} | {len(values)}")


def med(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def prepare_production(work: Path, port: int) -> tuple[dict[str, str], int, list[str]]:
    """A production database, its keys and a real centre in a temporary data folder; the env of
    `cisp serve` on `port`. Returns (env, centre id, notes)."""
    notes: list[str] = []
    env = app_env(**clean_env(
        CISP_DATA_DIR=str(work / "prod-data"), CISP_ENV="production", CISP_FRONTEND_DIR=str(work / "frontend"),
        CISP_ORIGINS=f"https://{HOST}:{port}", CISP_PUBLIC_URL=f"https://{HOST}:{port}",
        CISP_TRUSTED_PROXIES=HOST, CISP_VAPID_SUBJECT="mailto:ops@example.be"))
    env.pop("CISP_BACKEND_ONLY", None)  # cisp serve sets it itself
    env.pop("GRANIAN_WORKERS", None)  # cisp serve: 1 without Redis
    said = ""
    for step in (["migrate"], ["create-centre", "bench-centre", "Centre de mesure"], ["keys"]):
        done = subprocess.run([PY, "-m", "cisp_pwa.cli", *step], cwd=ROOT, env=env, capture_output=True, text=True)
        log(f"cisp {' '.join(step)}: {(done.stdout + done.stderr).strip()}")
        if done.returncode:
            raise RuntimeError(f"cisp {step[0]} failed: {done.stdout}{done.stderr}")
        said += done.stdout
    centre = int(re.search(r"centre bench-centre \((\d+)\) created", said).group(1))
    done = subprocess.run([PY, "-m", "cisp_pwa.cli", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        print(done.stdout + done.stderr, flush=True)
        notes.append("`cisp check` failed:\n\n```\n" + (done.stdout + done.stderr).strip() + "\n```")
    else:
        log("cisp check: every line ok")
    return env, centre, notes


def serve_env(env: dict[str, str], port: int) -> dict[str, str]:
    return {**env, "CISP_ORIGINS": f"https://{HOST}:{port}", "CISP_PUBLIC_URL": f"https://{HOST}:{port}"}


# bench_live's counter app config, but like ours (rxconfig.py, CISP_BACKEND_ONLY) naming no frontend
# port when it runs backend-only: Reflex refuses "--frontend-port when not running frontend".
BARE_RXCONFIG = PEER_RXCONFIG.replace("frontend_port=PORT,",
                                      'frontend_port=None if os.environ.get("BARE_BACKEND_ONLY") else PORT,')
assert BARE_RXCONFIG != PEER_RXCONFIG


def write_bare(folder: Path) -> Path:
    (folder / "counter").mkdir(parents=True, exist_ok=True)
    (folder / "rxconfig.py").write_text(BARE_RXCONFIG)
    (folder / "counter" / "__init__.py").write_text("")
    (folder / "counter" / "counter.py").write_text(PEER_APP)
    return folder


def figure_restart(args, work: Path, res: dict) -> None:
    if args.reuse_build:  # testing the script: a frontend `cisp build` made before
        shutil.copytree(args.reuse_build, work / "frontend")
        res["build_s"] = None
    else:
        build_frontend(work, res)
    info = read_build_info(f"file://{work / 'frontend' / 'client'}", "/fr/sign-in/index.html")
    res["hashes"] = bool(info.hashes)
    figure_restart_runs(args, work, res, info)


def build_frontend(work: Path, res: dict) -> None:
    log("cisp build (the frontend, once per release)")
    t = time.monotonic()
    done = subprocess.run([PY, "-m", "cisp_pwa.cli", "build"], cwd=ROOT, capture_output=True, text=True,
                          env=app_env(**clean_env(CISP_FRONTEND_DIR=str(work / "frontend"),
                                                  CISP_DATA_DIR=str(work / "build-data"))))
    res["build_s"] = time.monotonic() - t
    if done.returncode:
        raise RuntimeError(f"cisp build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    log(f"  built in {res['build_s']:.0f} s")


def figure_restart_runs(args, work: Path, res: dict, info) -> None:
    pb = args.port_base
    ours_ports, bare_ports, old_port, bare_full_port = (pb, pb + 1), (pb + 2, pb + 3), pb + 4, pb + 5

    env, centre, notes = prepare_production(work, ours_ports[0])
    res["notes"] += notes
    res["centre"] = centre

    log("the bare app: one export (scripts/bundle_size.py's build)")
    bare = write_bare(work / "bare")
    os.environ["PEER_PORT"] = str(bare_ports[0])  # its rxconfig reads it; bundle_size's build passes os.environ on
    t = time.monotonic()
    export_frontend(bare, None, work / "bare-data")
    res["bare_export_s"] = time.monotonic() - t
    del os.environ["PEER_PORT"]
    bare_info = read_build_info(f"file://{bare / '.web' / 'build' / 'client'}", "/index.html")

    ours: list[dict] = []
    bare_runs: list[dict] = []
    for n in range(args.runs):
        port = ours_ports[n % 2]
        base = f"http://{HOST}:{port}"
        try:
            r = restart_once([PY, "-m", "cisp_pwa.cli", "serve", "--port", str(port)], ROOT, serve_env(env, port),
                             work / f"serve-{n}.log", base, {"issuer": f"/badges/issuers/{centre}"}, "/fr/sign-in/",
                             info, f"https://{HOST}:{port}")
            t = time.monotonic()
            subprocess.run([PY, "-m", "cisp_pwa.cli", "check"], cwd=ROOT, env=serve_env(env, port),
                           capture_output=True)
            r["check"] = time.monotonic() - t
            ours.append(r)
            log(f"cisp serve run {n + 1}: /ping {r['ping']:.2f} s, issuer {r['issuer']:.2f} s, "
                f"socket {r['socket']:.2f} s; cisp check alone {r['check']:.2f} s")
        except Exception as exc:
            text = (work / f"serve-{n}.log").read_text(errors="replace")[-3000:]
            log(f"cisp serve run {n + 1} FAILED: {exc}\n{text}")
            res["notes"].append(f"`cisp serve` run {n + 1} failed ({exc}); it printed:\n\n```\n{text.strip()}\n```")
        port = bare_ports[n % 2]
        base = f"http://{HOST}:{port}"
        try:
            r = restart_once([PY, "-m", "reflex", "run", "--env", "prod", "--backend-only", "--backend-host", HOST,
                              "--backend-port", str(port)], bare,
                             tools_env({"PEER_PORT": str(port), "REFLEX_SKIP_COMPILE": "1", "GRANIAN_WORKERS": "1",
                                        "BARE_BACKEND_ONLY": "1"}),
                             work / f"bare-{n}.log", base, {}, "/", bare_info, None)
            bare_runs.append(r)
            log(f"bare backend-only run {n + 1}: /ping {r['ping']:.2f} s, socket {r['socket']:.2f} s")
        except Exception as exc:
            text = (work / f"bare-{n}.log").read_text(errors="replace")[-3000:]
            log(f"bare run {n + 1} FAILED: {exc}\n{text}")
            res["notes"].append(f"bare backend-only run {n + 1} failed ({exc}):\n\n```\n{text.strip()}\n```")
    res["ours"], res["bare"] = ours, bare_runs

    old: list[float] = []
    demo_env = app_env(**clean_env(CISP_PORT=str(old_port), CISP_DATA_DIR=str(work / "demo-data")))
    demo_env["CISP_BACKEND_ONLY"] = ""
    setup_database(demo_env)
    for n in range(args.old_runs):
        base = f"http://{HOST}:{old_port}"
        log(f"old way run {n + 1}: reflex run --env prod (compiles and builds at every start)")
        try:
            proc, took = start_server(ROOT, demo_env, work / f"old-{n}.log", [f"{base}/fr/"], timeout=900)
            stop(proc)
            old.append(took)
            log(f"  /fr/ 200 after {took:.1f} s")
        except Exception as exc:
            res["notes"].append(f"old way run {n + 1} failed: {exc}")
            log(f"  FAILED: {exc}")
    res["old"] = old

    base = f"http://{HOST}:{bare_full_port}"
    log("bare app: full reflex run --env prod")
    try:
        proc, took = start_server(bare, tools_env({"PEER_PORT": str(bare_full_port)}), work / "bare-full.log",
                                  [f"{base}/"], timeout=600)
        stop(proc)
        res["bare_full"] = [took]
        log(f"  / 200 after {took:.1f} s")
    except Exception as exc:
        res["notes"].append(f"bare full run failed: {exc}")
        res["bare_full"] = []


PHASES = [  # (name, the line that starts it)
    ("venv + pip install", None),
    ("npm install (bun, axe-core)", r"^npm install"),
    ("setup: migrate, pathways, demo", r"cisp_pwa\.cli setup"),
    ("Reflex: init .web, compile the pages", r"reflex run --env prod"),
    ("Reflex: bun install + Vite production build", r"^Compiling: .*100%"),
    ("serve: backend start to /fr/ 200", r"App running at|Backend running at"),
]


def phases(lines: list[tuple[float, str]], total: float | None) -> list[tuple[str, float | None]]:
    starts = [0.0]
    for _, pattern in PHASES[1:]:
        starts.append(first_line(lines, pattern, after=starts[-1] or 0.0) if starts[-1] is not None else None)
    out = []
    for i, (name, _) in enumerate(PHASES):
        end = next((s for s in starts[i + 1:] if s is not None), total)
        out.append((name, None if starts[i] is None or end is None else end - starts[i]))
    return out


def figure_clone(args, work: Path, res: dict) -> None:
    pb = args.port_base
    res["clone"] = []
    for n in range(args.clone_runs):
        clone = work / f"clone-{n}"
        subprocess.run(["git", "clone", "-q", "/work/main" if Path("/work/main/.git").exists() else str(ROOT),
                        str(clone)], check=True)
        res["clone_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True,
                                             text=True).stdout.strip()
        port = pb + 6 + n
        log(f"clean clone {n + 1} ({res['clone_commit']}): CISP_PORT={port} make run")
        env = clean_env(CISP_PORT=str(port))
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                      if not p.startswith(str(Path(PY).parent)))
        took, lines, code = run_stamped(["make", "run"], clone, env, work / f"clone-{n}.log",
                                        f"http://{HOST}:{port}/fr/", timeout=1800)
        split = phases(lines, took)
        res["clone"].append({"total": took, "phases": split, "code": code})
        if took is None:
            tail = "\n".join(line for _, line in lines[-40:])
            res["notes"].append(f"`make run` on clean clone {n + 1} never served /fr/ (exit {code}):\n\n```\n{tail}\n```")
            log(f"  FAILED (exit {code}):\n{tail}")
        else:
            log(f"  /fr/ 200 after {took:.0f} s: " + ", ".join(f"{k} {v:.0f} s" for k, v in split if v is not None))
        if n == 0 and not args.skip_no_cache:
            log("the install step again without pip's cache: rm -rf .venv; PIP_NO_CACHE_DIR=1 make deps")
            shutil.rmtree(clone / ".venv", ignore_errors=True)
            took2, lines2, code2 = run_stamped(["make", "deps"], clone, {**env, "PIP_NO_CACHE_DIR": "1"},
                                               work / "nocache.log", None, timeout=NO_CACHE_LIMIT_S)
            res["no_cache"] = took2 if code2 == 0 else None
            if code2 != 0:
                res["notes"].append(f"`PIP_NO_CACHE_DIR=1 make deps` did not finish within {NO_CACHE_LIMIT_S} s "
                                    f"or failed (exit {code2})")
            log(f"  {'%.0f s' % took2 if took2 and code2 == 0 else 'not finished'}")
        shutil.rmtree(clone, ignore_errors=True)

    log("bare app in a fresh folder with a fresh venv: pip install reflex==0.10.1, then reflex run --env prod")
    fresh = write_bare(work / "bare-fresh")
    port = pb + 8
    env = tools_env({"PEER_PORT": str(port)})
    env["PATH"] = os.pathsep.join([str(fresh / ".venv" / "bin")] + [
        p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(Path(PY).parent))])
    t0 = time.monotonic()
    took_i, lines_i, code_i = run_stamped(
        ["bash", "-c", "python3 -m venv .venv && .venv/bin/python -m pip install --quiet --upgrade pip && "
                       ".venv/bin/python -m pip install --quiet reflex==0.10.1"],
        fresh, env, work / "bare-fresh-install.log", None, timeout=1200)
    if code_i != 0:
        res["notes"].append(f"bare fresh venv install failed (exit {code_i})")
        res["bare_fresh"] = None
        return
    took_r, lines_r, code_r = run_stamped([str(fresh / ".venv" / "bin" / "python"), "-m", "reflex", "run", "--env",
                                           "prod"], fresh, env, work / "bare-fresh-run.log",
                                          f"http://{HOST}:{port}/", timeout=900)
    running = first_line(lines_r, r"App running at|Backend running at")
    res["bare_fresh"] = {"install": took_i, "run": took_r, "total": time.monotonic() - t0 if took_r else None,
                         "build": running, "serve": (took_r - running) if took_r and running else None}
    log(f"  install {took_i:.0f} s, run to / 200 {took_r if took_r is None else round(took_r)} s")


# -- the document --------------------------------------------------------------------------------

def f1(x: float | None, unit: str = " s") -> str:
    return "—" if x is None else f"{x:.1f}{unit}"


def app_commit() -> str:
    """The last commit that changed anything but this script and its document: the app measured."""
    done = subprocess.run(["git", "log", "-1", "--format=%h", "--", ".", ":!scripts/start_time.py",
                           ":!docs/start-time.md"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "?"


def write_doc(args, res: dict, started: str, commit: str) -> str:
    m = machine()
    ours, bare = res.get("ours", []), res.get("bare", [])
    col = lambda runs, key: [r[key] for r in runs if key in r]  # noqa: E731
    o_ping, o_iss, o_sock = col(ours, "ping"), col(ours, "issuer"), col(ours, "socket")
    b_ping, b_sock = col(bare, "ping"), col(bare, "socket")
    ratio = lambda a, b: "—" if not a or not b else f"{med(a) / med(b):.2f}×"  # noqa: E731
    t1 = [
        "| what starts | until | median s | min s | max s | runs | ours / bare (medians) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        f"| ours: `cisp serve` (prebuilt frontend) | /ping 200 | {stats(o_ping)} | {ratio(o_ping, b_ping)} |",
        f"| ours: `cisp serve` | GET /badges/issuers/{res.get('centre', '?')} 200 (app + database) | {stats(o_iss)} | — |",
        f"| ours: `cisp serve` | first socket round trip (/fr/sign-in/ hydrated) | {stats(o_sock)} "
        f"| {ratio(o_sock, b_sock)} |",
        f"| ours: `cisp serve` | its checks passed, Reflex exec'd (seen in /proc) | {stats(col(ours, 'exec'))} "
        f"| — |",
        f"| ours: `cisp check` alone (what `cisp serve` runs before Reflex starts) | its exit "
        f"| {stats(col(ours, 'check'))} | — |",
        f"| bare Reflex 0.10.1: `reflex run --env prod --backend-only`, REFLEX_SKIP_COMPILE=1 | /ping 200 "
        f"| {stats(b_ping)} | — |",
        f"| bare: same | first socket round trip (/ hydrated) | {stats(b_sock)} | — |",
        f"| ours, the old way: `reflex run --env prod` (builds at every start, as `make run`) | /fr/ 200 "
        f"| {stats(res.get('old', []))} | {ratio(res.get('old'), res.get('bare_full'))} |",
        f"| bare: full `reflex run --env prod` | / 200 | {stats(res.get('bare_full', []))} | — |",
    ]
    lines = [
        "# Start time: from a restart, and from a clean clone, to serving",
        "",
        f"Measured {started} by `scripts/start_time.py` on commit {commit} (the app as on {app_commit()}); `nproc` = {m['nproc']} "
        f"({m['cpu']}, {m['memory_gb']} GB), shared with other engineers' work at the same time: a noisy "
        f"machine, so the ratios against the bare Reflex {m['reflex']} app measured in the same run count "
        f"more than the absolute seconds. Python {m['python']}.",
        "",
        "## 1. Restart to serving",
        "",
        f"`cisp build` ran once before (the frontend of every locale: {f1(res.get('build_s'))}; the bare app's "
        f"export: {f1(res.get('bare_export_s'))}). Each restart is timed from process start (the `cisp serve` "
        "process, which checks the settings then hands over to `reflex run --env prod --backend-only`) with "
        "a 50 ms poll. A production database in a temporary CISP_DATA_DIR (`cisp migrate`, `cisp create-centre`, "
        "`cisp keys`; `cisp check` first), CISP_ENV=production, origins and public URL "
        "`https://127.0.0.1:<port>`, no Redis (one worker). The socket round trip is a phone of "
        "scripts/reflex_client.py opening the page (its hydrate event, with the built page's state schema, "
        "answered), sent with the https origin the server allows. Our runs and the bare app's alternate.",
        "",
        *t1,
        "",
    ]
    target_ok = bool(o_sock) and med(o_sock) <= TARGET_S
    ping_ok = bool(o_ping) and med(o_ping) <= TARGET_S
    if o_ping:
        lines += [
            f"**{'Met' if target_ok else 'MISSED'}** (target ≤ {TARGET_S:.0f} s): `cisp serve` answers /ping after "
            f"{f1(med(o_ping))} and its first socket event after {f1(med(o_sock))} (median; worst run "
            f"{f1(max(o_sock) if o_sock else None)}), against {f1(med(res.get('old', [])))} for the old "
            f"rebuild-every-start way. Against the bare Reflex app restarted the same way (/ping "
            f"{f1(med(b_ping))}), ours takes {ratio(o_ping, b_ping)} as long to /ping and {ratio(o_sock, b_sock)} "
            f"to the first socket round trip. Of ours, {f1(med(col(ours, 'exec')))} pass before Reflex "
            f"starts (Python, the imports of `cisp_pwa.cli` and `cisp check`'s settings, keys and database "
            f"checks); the rest is Reflex's backend start with our app's import (which, in production, runs "
            f"the same refusal checks again, cisp_pwa/cisp_pwa.py), against {f1(med(b_ping))} for the bare "
            f"app's whole start." + ("" if ping_ok else " /ping alone misses the target."),
            "",
        ]
    else:
        lines += ["**Not measured**: no `cisp serve` run reached /ping (see the notes below).", ""]

    lines += ["## 2. `make run` on a clean clone to serving", ""]
    clones = res.get("clone", [])
    if args.skip_clean_clone:
        lines += ["Not measured in this run (`--skip-clean-clone`).", ""]
    else:
        bf = res.get("bare_fresh") or {}
        header = "| phase (from the lines make prints) | " + " | ".join(
            f"clean clone run {i + 1}, s" for i in range(len(clones))) + " |"
        lines += [
            f"`git clone` of /work/main as committed ({res.get('clone_commit', '?')}), then "
            "`CISP_PORT=<port> make run`, timed from the start of make to the first 200 on "
            "`http://127.0.0.1:<port>/fr/` (250 ms poll). Each phase runs from the line that starts it "
            "(make's echo of its command, Reflex's \"Compiling: ... 100%\" and \"App running at\" lines) to the next.",
            "",
            header,
            "| --- |" + " ---: |" * len(clones),
        ]
        for i, (name, _) in enumerate(PHASES):
            lines.append(f"| {name} | " + " | ".join(f1(c["phases"][i][1], "") for c in clones) + " |")
        lines.append("| **total, make to /fr/ 200** | " + " | ".join(f"**{f1(c['total'], '')}**" for c in clones)
                     + " |")
        lines += [
            "",
            "| baseline: bare Reflex 0.10.1 in a fresh folder | s |",
            "| --- | ---: |",
            f"| fresh venv + `pip install reflex==0.10.1` | {f1(bf.get('install'), '')} |",
            f"| first `reflex run --env prod`: compile + build | {f1(bf.get('build'), '')} |",
            f"| then serve to / 200 | {f1(bf.get('serve'), '')} |",
            f"| **total** | **{f1(bf.get('total'), '')}** |",
            "",
            "pip's cache on this machine (wheels already downloaded by earlier installs) makes the installs "
            "faster than on a truly new machine; npm's and bun's caches do the same for bun and the frontend's "
            "packages. Also, this machine's pip configuration (`pip config list`) adds local wheels "
            "(`find-links = /opt/wheels`) and local indexes (`extra-index-url = file:///opt/pypi/simple "
            "file:///opt/pypi-more/simple`), which no cache setting turns off: a new machine downloads "
            "more. "
            + (f"The install step alone again, without pip's cache (`rm -rf .venv; PIP_NO_CACHE_DIR=1 make "
               f"deps`: venv, pip, the hashed runtime lock, the project), took {f1(res.get('no_cache'))}, "
               f"against {f1(res['clone'][0]['phases'][0][1])} with the cache in run 1."
               if res.get("no_cache") else "The install with `PIP_NO_CACHE_DIR=1` was not measured "
               "(skipped, failed, or longer than 10 minutes)."),
            "The bare baseline found bun already installed (on PATH from .tools/), so it has no bun step.",
            "",
        ]
        totals = [c["total"] for c in clones if c["total"]]
        if totals:
            lines += [
                f"No target was set for this figure: a clean clone serves after {f1(min(totals))}"
                + (f" to {f1(max(totals))}" if len(totals) > 1 else "")
                + f", against {f1(bf.get('total'))} for a bare Reflex app from an empty venv"
                + (f" ({ratio(totals, [bf['total']])})" if bf.get("total") else "") + ". "
                "The first start also pays the compile and build that `cisp serve` skips.",
                "",
            ]
    lines += [
        "## How to run it",
        "",
        "```sh",
        "make test-deps tools   # .venv with the test packages (socketio, pytest), bun in .tools/",
        ".venv/bin/python scripts/start_time.py --runs 5 --port-base 3611   # ports 3611..3619",
        ".venv/bin/python scripts/start_time.py --skip-clean-clone            # figure 1 only (about 6 min)",
        "```",
        "",
        "`--old-runs` (default 2) and `--clone-runs` (default 1) set how often the slow starts run; "
        "`--skip-no-cache` skips the install without pip's cache; `--reuse-build DIR` reuses a `cisp build` "
        "(to test the script); `--keep` keeps the logs. Every server "
        "started is stopped by its process group; the clones and temporary folders are deleted.",
        "",
    ]
    if res["notes"]:
        lines += ["## Notes and failures", "", *[f"- {n}" for n in res["notes"]], ""]
    lines += ["The bundle's initial-state hashes were not found by scripts/reflex_client.py's reader, so each "
              "phone hydrates as a reconnect does (the page's whole state comes back rather than what differs "
              "from the compiled defaults): still one event and its answer.", ""] if res.get("hashes") is False else []
    text = "\n".join(lines)
    Path(args.doc).write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="restarts of ours and of the bare app")
    parser.add_argument("--old-runs", type=int, default=2, help="starts of ours the old way (slow)")
    parser.add_argument("--clone-runs", type=int, default=1, help="`make run` on a clean clone")
    parser.add_argument("--port-base", type=int, default=3611, help="uses this port and the 8 after it")
    parser.add_argument("--skip-clean-clone", action="store_true")
    parser.add_argument("--skip-no-cache", action="store_true", help="no pip install with PIP_NO_CACHE_DIR=1")
    parser.add_argument("--doc", default=str(DOC))
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse-build", metavar="DIR", help="for testing this script: a CISP_FRONTEND_DIR that "
                                                            "`cisp build` made, instead of building")
    args = parser.parse_args(argv)
    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    commit = git_commit()
    work = Path(tempfile.mkdtemp(prefix="cisp-start-"))
    res: dict = {"notes": []}
    try:
        try:
            figure_restart(args, work, res)
        except Exception as exc:
            res["notes"].append(f"figure 1 stopped: {type(exc).__name__}: {exc}")
            log(f"figure 1 stopped: {exc}")
        print(write_doc(args, res, started, commit), flush=True)
        if not args.skip_clean_clone:
            try:
                figure_clone(args, work, res)
            except Exception as exc:
                res["notes"].append(f"figure 2 stopped: {type(exc).__name__}: {exc}")
                log(f"figure 2 stopped: {exc}")
    finally:
        stop_all()
        if args.keep:
            log(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(write_doc(args, res, started, commit))
    print(f"written: {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
