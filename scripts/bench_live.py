"""Benchmark of the live-update layer: N phones holding a live screen open, against a bare Reflex
counter app holding N sockets on the same machine, in the same run.

    .venv/bin/python scripts/bench_live.py --backend sqlite --n 50 200 500
    .venv/bin/python scripts/bench_live.py --backend postgres --n 500 1000

For each N: a fresh database (SQLite file in a temporary data folder, or a new PostgreSQL
database), `cisp_pwa.cli setup`, N bench trainees and 10 bench coaches (each supporting N/10 of
them) in the demo centre, one open session each. Then the app, served as users run it
(`reflex run --env prod`; with --backend postgres also Redis state and GRANIAN_WORKERS=2):
each trainee's phone holds Messages (/fr/messages/) open, each coach's phone a conversation.
Measured: server CPU, RSS and SQL statements per second while idle; delivery of coach messages
to the trainees' sockets (p50/p95/max, lost, duplicated); tap -> update on the same socket.
Then the peer, a bare Reflex counter app started the same way: N sockets on its page, idle CPU
and RSS, tap -> update. Results go to stdout and docs/bench-live.md.

Everything started here is stopped on exit; all traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from scripts.reflex_client import Phone, PhoneError, full_name, read_build_info  # noqa: E402

DOC = PROJECT / "docs" / "bench-live.md"
HOST = "127.0.0.1"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379"

CONVERSATION = full_name(("cisp_pwa.state.session", "SessionState"), ("cisp_pwa.state.live", "LiveState"),
                         ("cisp_pwa.state.conversation", "ConversationState"))
# The page's message box names the handler where it is defined: ConversationState.send, for
# TraineeMessagesState and CoachConversationState alike (their vars live on that state too).
SEND = CONVERSATION + ".send"
PEER_STATE = full_name(("counter.counter", "State"))
PEER_INCREMENT = PEER_STATE + ".increment"

PEER_RXCONFIG = '''import os

import reflex as rx

PORT = int(os.environ["PEER_PORT"])

config = rx.Config(
    app_name="counter",
    telemetry_enabled=False,
    frontend_port=PORT,
    backend_port=PORT,
    redis_url=os.environ.get("REDIS_URL") or None,
    plugins=[],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
'''
PEER_APP = '''import reflex as rx


class State(rx.State):
    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1


def index() -> rx.Component:
    return rx.el.main(
        rx.el.p(State.count, id="count"),
        rx.el.button("+1", on_click=State.increment, id="increment"),
    )


app = rx.App()
app.add_page(index, route="/")
'''


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- processes -----------------------------------------------------------------------------------

_started: list[subprocess.Popen] = []


def stop(proc: subprocess.Popen) -> None:
    """Stop a server and everything in its process group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:  # workers left behind by a leader that exited
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if proc in _started:
        _started.remove(proc)


def stop_all() -> None:
    for proc in list(_started):
        stop(proc)


def _on_signal(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def tools_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "CISP_SQL_COUNT_FILE", "GRANIAN_WORKERS", "CISP_DATA_DIR")}
    bins = [str(PROJECT / ".tools" / "node_modules" / ".bin"), str(Path(sys.executable).parent)]
    env["PATH"] = os.pathsep.join(bins + [env.get("PATH", "")])
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env.update(extra)
    return env


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
            return response.status
    except Exception:
        return 0


def start_server(cwd: Path, env: dict[str, str], log_path: Path, ready_urls: list[str],
                 timeout: float = 900) -> tuple[subprocess.Popen, float]:
    """`python -m reflex run --env prod` in cwd (it builds the frontend first); returns once every
    ready URL answers 200, with the seconds it took."""
    t0 = time.monotonic()
    with log_path.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod"], cwd=cwd, env=env,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    _started.append(proc)
    while not all(http_status(u) == 200 for u in ready_urls):
        if proc.poll() is not None:
            raise RuntimeError(f"server in {cwd} exited ({proc.returncode}); see {log_path}")
        if time.monotonic() - t0 > timeout:
            stop(proc)
            raise RuntimeError(f"server in {cwd} not ready after {timeout:.0f} s; see {log_path}")
        time.sleep(1)
    return proc, time.monotonic() - t0


# -- /proc ------------------------------------------------------------------------------------------

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def tree(pgid: int) -> list[int]:
    """The processes of a server's process group."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after "(comm)": state, ppid, pgrp, ...
            pids.append(int(entry))
    return pids


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            continue
    return total


def sql_counts(prefix: Path) -> dict[int, int]:
    counts = {}
    for f in prefix.parent.glob(prefix.name + ".*"):
        try:
            counts[int(f.suffix[1:])] = int(f.read_text().strip() or 0)
        except (ValueError, OSError):
            continue
    return counts


@dataclass
class Idle:
    cpu_percent: float  # of one core, summed over the server's processes
    rss_mb: float  # summed over them (shared pages count once per process)
    processes: int
    sql_per_s: float | None = None
    client_cpu_percent: float = 0.0  # this benchmark's own process (the phones)
    other_cpu_percent: float = 0.0  # everything else on the machine in the same window


def machine_busy_ticks() -> int:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


async def measure_idle(pgid: int, seconds: float, sql_prefix: Path | None) -> Idle:
    pids = tree(pgid)
    t0, c0, m0, own0 = time.monotonic(), cpu_ticks(pids), machine_busy_ticks(), sum(os.times()[:2])
    s0 = sql_counts(sql_prefix) if sql_prefix else {}
    await asyncio.sleep(seconds)
    pids = tree(pgid)
    t1, c1, m1, own1 = time.monotonic(), cpu_ticks(pids), machine_busy_ticks(), sum(os.times()[:2])
    s1 = sql_counts(sql_prefix) if sql_prefix else {}
    used = sum(c1[p] - c0.get(p, 0) for p in c1)
    server = 100.0 * used / CLK_TCK / (t1 - t0)
    client = 100.0 * (own1 - own0) / (t1 - t0)
    idle = Idle(cpu_percent=server, rss_mb=rss_bytes(pids) / 2**20, processes=len(pids),
                client_cpu_percent=client,
                other_cpu_percent=max(0.0, 100.0 * (m1 - m0) / CLK_TCK / (t1 - t0) - server - client))
    if sql_prefix is not None:
        idle.sql_per_s = (sum(s1.values()) - sum(s0.get(p, 0) for p in s1)) / (t1 - t0) if s1 else None
    return idle


# -- database -------------------------------------------------------------------------------------

@dataclass
class Population:
    trainees: list[tuple[int, str]]  # (user id, session token)
    coaches: list[tuple[int, str, list[int]]]  # (user id, session token, their trainees)


def make_database(backend: str, data_dir: Path) -> tuple[dict[str, str], str, str | None]:
    """A fresh database; returns the server env for it, its URL and the PostgreSQL name to drop."""
    if backend == "sqlite":
        return {"CISP_DATA_DIR": str(data_dir)}, f"sqlite:///{data_dir / 'cisp.db'}", None
    import psycopg

    name = f"cisp_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    return {"CISP_DATA_DIR": str(data_dir), "DATABASE_URL": url}, url, name


def drop_database(name: str | None) -> None:
    if not name:
        return
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:
        log(f"could not drop database {name}: {exc}")


def populate(url: str, n: int, coaches: int) -> Population:
    """N bench trainees and the bench coaches in the demo centre, each with an open session."""
    from sqlalchemy import select

    from cisp_pwa.models import Role, User, utcnow
    from cisp_pwa.services.infra import db, events
    from cisp_pwa.services.people import auth, centre_admin, consent
    from cisp_pwa.services.actor import Actor

    db.configure(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with db.unit_of_work() as s:
        admin = s.scalar(select(User).where(User.login == "sophie"))
        assert admin is not None and admin.role == Role.admin, "the demo centre's admin is missing"
        admin_actor = Actor.of(admin)
    password = "bench-coach-password"
    coach_ids = [centre_admin.create_account(admin_actor, role="coach", display_name=f"Coach bench {c + 1}",
                                             login=f"bench-coach-{c + 1:02d}", password=password)
                 for c in range(coaches)]
    trainee_ids = []
    for i in range(n):
        tid = centre_admin.create_account(admin_actor, role="trainee", display_name=f"Stagiaire bench {i + 1}",
                                          login=f"bench-trainee-{i + 1:04d}")
        centre_admin.set_assignment(admin_actor, tid, coach_ids[i % coaches], True)
        trainee_ids.append(tid)
    tokens = {}
    now = utcnow()
    with db.unit_of_work() as s:
        actors = []
        for user in s.scalars(select(User).where(User.id.in_(coach_ids + trainee_ids))):
            tokens[user.id] = auth.open_session(s, user, now)
            actors.append(Actor.of(user))
        events.nobody(s)
    for actor in actors:  # each says yes to her terms, as on the consent screen
        consent.accept(actor, consent.VERSIONS[consent.kind_for(actor.role)], "fr")
    db.engine().dispose()
    return Population(
        trainees=[(t, tokens[t]) for t in trainee_ids],
        coaches=[(c, tokens[c], [t for i, t in enumerate(trainee_ids) if i % coaches == k])
                 for k, c in enumerate(coach_ids)],
    )


def flush_redis(db_number: int) -> None:
    import redis

    redis.Redis.from_url(f"{REDIS}/{db_number}").flushdb()


# -- phones ---------------------------------------------------------------------------------------

async def open_all(base: str, specs: list[tuple[str, str, str]], concurrency: int, timeout: float
                   ) -> tuple[dict[str, Phone], list[str], float]:
    """Open (key, token, path) phones, `concurrency` at a time; returns the open ones, the errors
    and the seconds it took."""
    info = await asyncio.to_thread(read_build_info, base, specs[0][2])
    gate = asyncio.Semaphore(concurrency)
    phones: dict[str, Phone] = {}
    errors: list[str] = []
    t0 = time.monotonic()

    async def one(key: str, token: str, path: str) -> None:
        phone = Phone(base, token, build_info=info, label=key)
        async with gate:
            try:
                await phone.open(path, timeout=timeout)
                phones[key] = phone
            except Exception as exc:
                errors.append(f"{key}: {type(exc).__name__}: {exc}")
                await phone.close()

    await asyncio.gather(*(one(*s) for s in specs))
    return phones, errors, time.monotonic() - t0


def has_message(client_id: str):
    def check(received) -> bool:
        return any(isinstance(v, list) and any(isinstance(m, dict) and m.get("client_id") == client_id for m in v)
                   for v in received.values("messages"))
    return check


def new_client_id() -> str:
    return "bench-" + uuid.uuid4().hex[:20]  # ^[A-Za-z0-9-]{8,64}$


def own_message() -> tuple[dict, str]:
    """What a trainee's tap on "Envoyer" sends, and what shows it."""
    cid = new_client_id()
    return {"client_id": cid, "body": "Ma réponse"}, cid


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


async def taps(phones: list[Phone], name: str, payload_for, match_for, spacing: float, timeout: float
               ) -> tuple[list[float], int]:
    """One tap per phone, `spacing` seconds apart: emit -> the delta that shows it on the same
    socket. Returns the latencies and how many got no such delta within `timeout`."""
    async def one(i: int, phone: Phone) -> float | None:
        await asyncio.sleep(i * spacing)
        payload, key = payload_for()
        mark = len(phone.received)
        try:
            t0 = await phone.send_event(name, payload)
            received = await phone.wait_for(match_for(key), timeout, after=mark)
            return received.t - t0
        except (asyncio.TimeoutError, PhoneError):
            return None

    results = await asyncio.gather(*(one(i, p) for i, p in enumerate(phones)))
    return [r for r in results if r is not None], sum(1 for r in results if r is None)


@dataclass
class Delivery:
    sent: int = 0
    confirmed_to_coach: int = 0
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    duplicated: int = 0
    coach_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


async def delivery(trainees: dict[str, Phone], coaches: list[tuple[Phone, list[int]]], messages: int,
                   spread: float, deadline: float, rng: random.Random) -> Delivery:
    """Coaches send `messages` over `spread` seconds to random trainees of theirs; each is timed
    from the coach's emit to the first delta on the trainee's socket that contains it."""
    result = Delivery()
    plan: list[list[tuple[float, int]]] = [[] for _ in coaches]
    for k in range(messages):
        c = k % len(coaches)
        # Jittered: evenly spaced sends would keep one phase against the servers' 1 s loops.
        offset = (k + rng.random()) * spread / messages
        plan[c].append((offset, rng.choice(coaches[c][1])))
    sent: list[tuple[str, int, float]] = []  # (client id, trainee id, emit time)
    acks: list[asyncio.Task] = []
    start = time.monotonic()

    async def coach_loop(phone: Phone, items: list[tuple[float, int]]) -> None:
        for offset, trainee_id in items:
            await asyncio.sleep(max(0.0, start + offset - time.monotonic()))
            if time.monotonic() - start > spread + 30:
                result.coach_errors.append(f"{phone.label}: behind schedule, stopped")
                return
            try:
                path = f"/fr/conversation/?trainee={trainee_id}"
                if phone.path != path:
                    await phone.navigate(path, timeout=30)
                cid = new_client_id()
                mark = len(phone.received)
                t0 = await phone.send_event(SEND, {"client_id": cid, "body": f"Message de test {cid[-6:]}"})
                sent.append((cid, trainee_id, t0))
                acks.append(asyncio.create_task(phone.wait_for(has_message(cid), deadline, after=mark)))
            except Exception as exc:
                result.coach_errors.append(f"{phone.label}: {type(exc).__name__}: {exc}")

    await asyncio.gather(*(coach_loop(p, items) for (p, _), items in zip(coaches, plan)))
    # Wait for the last ones: until every message has arrived or `deadline` after the last emit.
    by_trainee = {int(k.split("-")[1]): p for k, p in trainees.items()}
    last = max((t for _, _, t in sent), default=time.monotonic())
    while time.monotonic() < last + deadline:
        if all(any(has_message(cid)(r) for r in by_trainee[tid].received if r.t >= t0)
               for cid, tid, t0 in sent if tid in by_trainee):
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(1.5)  # room for a late second copy
    result.seconds = time.monotonic() - start
    done = await asyncio.gather(*acks, return_exceptions=True)
    result.confirmed_to_coach = sum(1 for d in done if not isinstance(d, BaseException))
    result.sent = len(sent)
    for cid, tid, t0 in sent:
        phone = by_trainee.get(tid)
        if phone is None:
            result.lost += 1
            continue
        match = has_message(cid)
        first = next((r for r in phone.received if r.t >= t0 and match(r)), None)
        if first is None or first.t - t0 > deadline:
            result.lost += 1
        else:
            result.latencies.append(first.t - t0)
        # Duplicated: held twice in the merged list, or added by more than one delta.
        merged = [m for v in [phone.get("messages", CONVERSATION, [])] for m in v if m.get("client_id") == cid]
        adds, present = 0, False
        for r in phone.received:
            lists = r.values("messages")
            if not lists:
                continue
            now_present = any(isinstance(m, dict) and m.get("client_id") == cid for v in lists for m in v)
            if now_present and not present:
                adds += 1
            present = now_present
        if len(merged) > 1 or adds > 1:
            result.duplicated += 1
    return result


# -- one measurement --------------------------------------------------------------------------------

@dataclass
class Row:
    backend: str
    n: int
    date: str = ""
    app_commit: str = ""
    app_open: str = ""
    peer_open: str = ""
    app_open_s: float | None = None
    peer_open_s: float | None = None
    app_idle: dict | None = None
    peer_idle: dict | None = None
    delivery: dict | None = None
    app_tap: dict | None = None
    peer_tap: dict | None = None
    app_log_errors: int = 0
    peer_log_errors: int = 0
    params: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def log_errors(path: Path) -> tuple[int, list[str]]:
    """How many errors a server logged (a traceback counts once, by its last line; so does each
    ERROR line), and their kinds with counts, most frequent first."""
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    kinds: dict[str, int] = {}
    for i, line in enumerate(lines):
        final = re.match(r"^[A-Za-z_][\w.]*(Error|Exception)\b.*", line)
        followed = i + 2 < len(lines) and lines[i + 2].startswith(("The above exception", "During handling"))
        if (final and not followed) or (not final and re.search(r"\bERROR\b", line)):
            kinds[line[:140]] = kinds.get(line[:140], 0) + 1
    # What the app said when it logged a traceback (the line before it).
    said: dict[str, int] = {}
    for i, line in enumerate(lines[1:], 1):
        before = lines[i - 1].strip()
        if line.startswith("Traceback") and before and not before.startswith(("The above", "During handling")):
            said[before[:140]] = said.get(before[:140], 0) + 1
    ranked = sorted(kinds.items(), key=lambda kv: -kv[1])
    return sum(kinds.values()), ([f"{count} × {kind}" for kind, count in ranked]
                                 + [f"{count} × logged “{what}” with a traceback" for what, count in
                                    sorted(said.items(), key=lambda kv: -kv[1])])


def summary(latencies: list[float], failed: int) -> dict:
    ms = [x * 1000 for x in latencies]
    return {"n": len(ms), "failed": failed, "p50": pct(ms, 0.5), "p95": pct(ms, 0.95),
            "max": max(ms) if ms else None}


async def run_app(args, n: int, work: Path, row: Row, rng: random.Random) -> None:
    data = work / f"app-{args.backend}-{n}"
    data.mkdir(parents=True)
    db_env, url, pg_name = make_database(args.backend, data)
    try:
        env = tools_env({**db_env, "CISP_PORT": str(args.app_port), "CISP_SQL_COUNT_FILE": str(data / "sql-count")})
        if args.backend == "postgres":
            flush_redis(args.redis_db)
            env.update({"REDIS_URL": f"{REDIS}/{args.redis_db}", "GRANIAN_WORKERS": str(args.workers)})
        log(f"app N={n}: setup")
        subprocess.run([sys.executable, "-m", "cisp_pwa.cli", "setup"], cwd=PROJECT, env=env, check=True,
                       capture_output=True, timeout=600)
        population = populate(url, n, args.coaches)
        shutil.rmtree(PROJECT / ".states", ignore_errors=True)
        log(f"app N={n}: building and starting (reflex run --env prod, port {args.app_port})")
        base = f"http://{HOST}:{args.app_port}"
        proc, took = await asyncio.to_thread(start_server, PROJECT, env, data / "app.log",
                                             [f"{base}/ping", f"{base}/fr/sign-in/"])
        log(f"app N={n}: ready after {took:.0f} s; opening {n} trainee phones")
        try:
            specs = [(f"trainee-{tid}", token, "/fr/messages/") for tid, token in population.trainees]
            trainees, errors, row.app_open_s = await open_all(base, specs, args.concurrency, args.open_timeout)
            coach_specs = [(f"coach-{cid}", token, f"/fr/conversation/?trainee={mine[0]}")
                           for cid, token, mine in population.coaches]
            coach_phones, coach_errors, _ = await open_all(base, coach_specs, args.concurrency, args.open_timeout)
            row.app_open = f"{len(trainees)}/{n}"
            for e in (errors + coach_errors)[:5]:
                row.notes.append(f"app open: {e}")
            log(f"app N={n}: {len(trainees)}/{n} trainees and {len(coach_phones)} coaches open in "
                f"{row.app_open_s:.1f} s; idle {args.settle:.0f}+{args.idle:.0f} s")
            await asyncio.sleep(args.settle)
            row.app_idle = asdict(await measure_idle(proc.pid, args.idle, data / "sql-count"))
            log(f"app N={n}: idle {row.app_idle}")
            coaches = [(coach_phones[f"coach-{cid}"], mine) for cid, _, mine in population.coaches
                       if f"coach-{cid}" in coach_phones]
            log(f"app N={n}: delivery, {args.messages} messages over {args.spread:.0f} s")
            d = await delivery(trainees, coaches, args.messages, args.spread, args.deadline, rng)
            row.delivery = {**summary(d.latencies, d.lost), "sent": d.sent, "planned": args.messages,
                            "confirmed_to_coach": d.confirmed_to_coach, "lost": d.lost,
                            "duplicated": d.duplicated, "coach_errors": len(d.coach_errors)}
            row.notes += [f"coach: {e}" for e in d.coach_errors[:3]]
            log(f"app N={n}: delivery {row.delivery}")
            chosen = rng.sample(list(trainees.values()), min(args.taps, len(trainees)))
            lat, failed = await taps(chosen, SEND, own_message, has_message, args.tap_spacing, args.deadline)
            row.app_tap = summary(lat, failed)
            log(f"app N={n}: tap {row.app_tap}")
            await asyncio.gather(*(p.close() for p in list(trainees.values()) + list(coach_phones.values())))
        finally:
            stop(proc)
            row.app_log_errors, sample = log_errors(data / "app.log")
            row.notes += [f"app log: {line}" for line in sample[:6]]
            if args.backend == "postgres":
                flush_redis(args.redis_db)
    finally:
        drop_database(pg_name)


async def run_peer(args, n: int, work: Path, peer_dir: Path, row: Row, rng: random.Random) -> None:
    env = tools_env({"PEER_PORT": str(args.peer_port)})
    if args.backend == "postgres":
        flush_redis(args.redis_db + 1)
        env.update({"REDIS_URL": f"{REDIS}/{args.redis_db + 1}", "GRANIAN_WORKERS": str(args.workers)})
    shutil.rmtree(peer_dir / ".states", ignore_errors=True)
    log_path = work / f"peer-{args.backend}-{n}.log"
    base = f"http://{HOST}:{args.peer_port}"
    log(f"peer N={n}: building and starting (reflex run --env prod, port {args.peer_port})")
    proc, took = await asyncio.to_thread(start_server, peer_dir, env, log_path, [f"{base}/ping", f"{base}/"])
    log(f"peer N={n}: ready after {took:.0f} s; opening {n} phones")
    try:
        phones, errors, row.peer_open_s = await open_all(base, [(f"peer-{i}", "", "/") for i in range(n)],
                                                         args.concurrency, args.open_timeout)
        row.peer_open = f"{len(phones)}/{n}"
        row.notes += [f"peer open: {e}" for e in errors[:3]]
        await asyncio.sleep(args.settle)
        row.peer_idle = asdict(await measure_idle(proc.pid, args.idle, None))
        log(f"peer N={n}: idle {row.peer_idle}")
        chosen = rng.sample(list(phones.values()), min(args.taps, len(phones)))
        lat, failed = await taps(chosen, PEER_INCREMENT, lambda: (None, None),
                                 lambda _key: (lambda r: bool(r.values("count"))), args.tap_spacing, args.deadline)
        row.peer_tap = summary(lat, failed)
        log(f"peer N={n}: tap {row.peer_tap}")
        await asyncio.gather(*(p.close() for p in phones.values()))
    finally:
        stop(proc)
        row.peer_log_errors, sample = log_errors(log_path)
        row.notes += [f"peer log: {line}" for line in sample[:3]]
        if args.backend == "postgres":
            flush_redis(args.redis_db + 1)


# -- the report ---------------------------------------------------------------------------------------

def fmt(x, digits=0, unit="") -> str:
    if x is None:
        return "—"
    return f"{x:.{digits}f}{unit}"


def ratio(a, b) -> str:
    if a is None or b is None or b == 0:
        return "—"
    return f"×{a / b:.1f}"


def table(rows: list[dict]) -> str:
    head = ("| backend | N | phones open app / peer | idle CPU % app / peer (ratio) | RSS MB app / peer (ratio) "
            "| SQL/s idle | delivery ms p50 / p95 / max | lost / dup / sent | tap→update ms p50 app / peer (ratio) "
            "| p95 app / peer (ratio) | log errors app / peer |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in sorted(rows, key=lambda r: (r["backend"], r["n"])):
        ai, pi = r.get("app_idle") or {}, r.get("peer_idle") or {}
        d = r.get("delivery") or {}
        at, pt = r.get("app_tap") or {}, r.get("peer_tap") or {}
        lines.append(
            f"| {r['backend']} | {r['n']} | {r.get('app_open') or '—'} / {r.get('peer_open') or '—'} "
            f"| {fmt(ai.get('cpu_percent'), 1)} / {fmt(pi.get('cpu_percent'), 1)} ({ratio(ai.get('cpu_percent'), pi.get('cpu_percent'))}) "
            f"| {fmt(ai.get('rss_mb'))} / {fmt(pi.get('rss_mb'))} ({ratio(ai.get('rss_mb'), pi.get('rss_mb'))}) "
            f"| {fmt(ai.get('sql_per_s'))} "
            f"| {fmt(d.get('p50'))} / {fmt(d.get('p95'))} / {fmt(d.get('max'))} "
            f"| {d.get('lost', '—')} / {d.get('duplicated', '—')} / {d.get('sent', '—')} "
            f"| {fmt(at.get('p50'))} / {fmt(pt.get('p50'))} ({ratio(at.get('p50'), pt.get('p50'))}) "
            f"| {fmt(at.get('p95'))} / {fmt(pt.get('p95'))} ({ratio(at.get('p95'), pt.get('p95'))}) "
            f"| {r.get('app_log_errors', '—')} / {r.get('peer_log_errors', '—')} |")
    return "\n".join(lines)


def machine() -> dict:
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    from importlib.metadata import version

    return {"nproc": os.cpu_count(), "memory_gb": round(int(mem) / 2**20, 1), "cpu": model,
            "python": platform.python_version(), "reflex": version("reflex"), "os": platform.platform()}


RESULTS = re.compile(r"<!-- results\n(.*?)\n-->", re.S)


def write_doc(rows: list[Row], args) -> str:
    doc = Path(args.doc)
    stored: list[dict] = []
    if doc.exists() and (m := RESULTS.search(doc.read_text())):
        stored = json.loads(m.group(1))
    fresh = [asdict(r) for r in rows]
    keys = {(r["backend"], r["n"]) for r in fresh}
    stored = [r for r in stored if (r["backend"], r["n"]) not in keys] + fresh
    m = machine()
    notes = []
    for r in sorted(stored, key=lambda r: (r["backend"], r["n"])):
        ai, pi = r.get("app_idle") or {}, r.get("peer_idle") or {}
        if ai or pi:
            notes.append(f"- {r['backend']} N={r['n']}: during the idle windows the phones' process used "
                         f"{fmt(ai.get('client_cpu_percent'), 1)} % / {fmt(pi.get('client_cpu_percent'), 1)} % of a core "
                         f"(app / peer) and other processes on the machine "
                         f"{fmt(ai.get('other_cpu_percent'), 1)} % / {fmt(pi.get('other_cpu_percent'), 1)} %; "
                         f"server processes {ai.get('processes', '—')} / {pi.get('processes', '—')}; "
                         f"all phones open in {fmt(r.get('app_open_s'), 1)} s / {fmt(r.get('peer_open_s'), 1)} s.")
        if d := r.get("delivery"):
            notes.append(f"- {r['backend']} N={r['n']}: delivery: {d['sent']} of {d['planned']} messages sent, "
                         f"{d['confirmed_to_coach']} shown back on the coach's own socket, "
                         f"{d['coach_errors']} coach-side errors.")
        notes += [f"- {r['backend']} N={r['n']}: {note}" for note in r.get("notes", [])]
    text = f"""# Live updates under load: the app against a bare Reflex app

Written by `scripts/bench_live.py`; last updated {dt.date.today().isoformat()}.

Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB memory, {m['os']}; Python {m['python']},
Reflex {m['reflex']}. The clients run on the same machine and share its cores with the servers.

## Results

{table(stored)}

Measured:
{chr(10).join(f"- {r['backend']} N={r['n']}: {r['date']}, app at {r['app_commit']}"
              + ("" if r.get('params') == params(args) else f"; settings {r.get('params')}")
              for r in sorted(stored, key=lambda r: (r['backend'], r['n'])))}

- **phones open**: sockets that hydrated and ran their page's on_load, out of N (the app also holds
  {args.coaches} coach phones).
- **idle**: {args.idle:.0f} s window, {args.settle:.0f} s after every phone is open. CPU in % of one core and
  RSS summed over the server's process group (from `/proc/<pid>/stat` and `statm`; forked
  workers' shared pages count once per process). SQL/s: the statements the app's processes
  executed (their `CISP_SQL_COUNT_FILE` counters; — when the app has none).
- **delivery**: {args.messages} messages from the coaches' phones over ~{args.spread:.0f} s, each to a random
  trainee of theirs: coach's emit → first delta on the trainee's socket that contains its client
  id. Lost: not there within {args.deadline:.0f} s. Duplicated: held twice in the trainee's merged list,
  or added by more than one delta. The coach opens that trainee's conversation first (a client-side
  navigation, as in the browser) when it is not already open. Not applicable to the peer.
- **tap→update**: {args.taps} phones, one tap every {args.tap_spacing} s: the app's trainee sends a message
  (Messages screen), the peer's phone increments its counter; emit → the delta that shows it on
  the same socket.
- **log errors**: errors in the server's log (a traceback counts once); their kinds are in the notes.

## Method

- A fresh database per row: SQLite in a temporary data folder, or a new PostgreSQL database;
  `python -m cisp_pwa.cli setup`, then N trainees and {args.coaches} coaches (each supporting N/{args.coaches} of
  them) created through `services/people/centre_admin.py` in the demo centre, and one session each
  (`auth.open_session`); each says yes to her role's terms (`consent.accept`), as the consent
  screen does, so her screens open. The sessions are all opened at set-up, so the app's once-a-minute
  `last_seen` writes for them come together, about a minute later (as when a group signs in at
  once).
- The app is served as users run it: `python -m reflex run --env prod` in the repo (which builds
  the frontend), port `CISP_PORT`. With PostgreSQL also `REDIS_URL` (Redis state) and
  `GRANIAN_WORKERS={args.workers}`. The peer is a bare Reflex {m['reflex']} app (one State with a count
  and an increment handler, telemetry off) started the same way in a temporary folder, with the
  same Redis/worker settings as the app. App and peer are measured one after the other, never
  at the same time.
- Phones are `scripts/reflex_client.py`: python-socketio speaking the page's protocol (websocket
  to `/_event`, the hydrate event in the CONNECT packet with the session token `cisp_session`
  from LocalStorage, on_load run by the server, deltas by `event` messages). All phones of a row
  live in one Python process (it held 1,000 sockets here: tried against the peer, ~0 CPU when
  idle), opened {args.concurrency} at a time.
- Timings use `time.monotonic()` on the client; a delta's time is when the client's event loop
  received it. The notes give, per row, the CPU the phones' process and any other process on the
  machine used during the idle windows: figures are comparable between rows only when it is low.

## How to run

```sh
make deps tools     # .venv and bun (Reflex builds the frontend with it)
.venv/bin/python scripts/bench_live.py --backend sqlite --n 50 200 500
.venv/bin/python scripts/bench_live.py --backend postgres --n 500 1000   # PostgreSQL + Redis
```

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379 for the
postgres rows (it uses Redis databases {args.redis_db} and {args.redis_db + 1}, flushed). Ports {args.app_port} (app)
and {args.peer_port} (peer). `--help` lists the knobs (messages, spread, taps, idle window). Don't run
it while `make run` or `make test` serve from the same checkout: they build into the same `.web/`.
A row takes a few minutes (two production builds, the phases above).

## Notes

{chr(10).join(notes) if notes else '- none'}

<!-- results
{json.dumps(stored, indent=1)}
-->
"""
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text)
    return table(stored)


# -- main ---------------------------------------------------------------------------------------------

def port(value: str) -> int:
    p = int(value)
    if not 3300 <= p <= 3399:
        raise argparse.ArgumentTypeError("use a port in 3300-3399")
    return p


def params(args) -> dict:
    return {k: getattr(args, k) for k in ("coaches", "messages", "spread", "deadline", "taps", "tap_spacing",
                                          "settle", "idle", "concurrency", "workers", "seed")}


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "cisp_pwa"], cwd=PROJECT,
                               capture_output=True, text=True).stdout.split()[1::2]
        return head + (f" + uncommitted changes to {', '.join(dirty)}" if dirty else "")
    except Exception:
        return "?"


async def main_async(args) -> list[Row]:
    rng = random.Random(args.seed)
    rows = []
    work = Path(tempfile.mkdtemp(prefix="cisp-bench-"))
    peer_dir = work / "peer"
    (peer_dir / "counter").mkdir(parents=True)
    (peer_dir / "rxconfig.py").write_text(PEER_RXCONFIG)
    (peer_dir / "counter" / "__init__.py").write_text("")
    (peer_dir / "counter" / "counter.py").write_text(PEER_APP)
    try:
        for n in args.n:
            row = Row(args.backend, n, date=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), app_commit=git_commit(),
                      params=params(args))
            try:
                await run_app(args, n, work, row, rng)
            except Exception as exc:
                log(f"app N={n} failed: {exc}")
                row.notes.append(f"app run failed: {type(exc).__name__}: {exc}")
            try:
                await run_peer(args, n, work, peer_dir, row, rng)
            except Exception as exc:
                log(f"peer N={n} failed: {exc}")
                row.notes.append(f"peer run failed: {type(exc).__name__}: {exc}")
            rows.append(row)
            print(write_doc([row], args), flush=True)
    finally:
        if args.keep:
            log(f"logs and data kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--n", type=int, nargs="+", help="numbers of trainee phones")
    parser.add_argument("--coaches", type=int, default=10)
    parser.add_argument("--messages", type=int, default=120, help="coach messages in the delivery phase")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds the messages are spread over")
    parser.add_argument("--deadline", type=float, default=10.0, help="seconds after which a message is lost")
    parser.add_argument("--taps", type=int, default=50)
    parser.add_argument("--tap-spacing", type=float, default=0.2)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds between the last phone open and the idle window")
    parser.add_argument("--idle", type=float, default=30.0, help="idle window, seconds")
    parser.add_argument("--concurrency", type=int, default=20, help="phones opening at once")
    parser.add_argument("--open-timeout", type=float, default=120.0)
    parser.add_argument("--app-port", type=port, default=3310)
    parser.add_argument("--peer-port", type=port, default=3311)
    parser.add_argument("--redis-db", type=int, default=12, help="Redis databases used (and flushed): this one and the next")
    parser.add_argument("--workers", type=int, default=2, help="GRANIAN_WORKERS with --backend postgres")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--doc", default=str(DOC), help="the results document to write or update")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, SQLite files)")
    parser.add_argument("--rewrite-doc", action="store_true", help="only rewrite the document from its stored results")
    args = parser.parse_args(argv)
    if args.rewrite_doc:
        print(write_doc([], args))
        return 0
    if not args.backend or not args.n:
        parser.error("--backend and --n are required")
    if any(n < args.coaches for n in args.n):
        parser.error(f"every N must be at least --coaches ({args.coaches})")
    if not (PROJECT / ".tools" / "node_modules" / ".bin" / "bun").exists():
        parser.error("bun is missing: run `make deps tools` first")
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        stop_all()
    log(f"written: {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
