"""What each screen costs a phone on its first visit: the built files its prerendered HTML names.

Usage: .venv/bin/python scripts/bundle_size.py [--reuse]   (writes docs/bundle-size.md)

Builds the production frontend (`reflex export --frontend-only --no-zip --env prod`, timed) into
a folder of its own, or with --reuse reads the last build in .web/build/client. Then builds a bare
Reflex app (one page, one state) the same way, in a temporary folder, as the floor to compare with.

For each route: its HTML and every file that HTML loads (stylesheets, module preloads: React
Router's entry, root and route modules with their imports), as the server sends them (the .gz
built next to each file) and unpacked. Each screen's memoized components are compiled into a
module of its own per locale (cisp_pwa.pages.memo_module), so a route loads its own components
only; `route_graphs` gives each route's module graph (tests/test_bundle.py checks it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cisp_pwa import i18n, routes  # noqa: E402
from cisp_pwa.pages import SCREENS  # noqa: E402

OUT = ROOT / "docs" / "bundle-size.md"
ASSET = re.compile(r'(?:href|src)="(/assets/[^"?#]+)"')
RR_MANIFEST = re.compile(r"window\.__reactRouterManifest=(\{.*?\});", re.S)
SHOWN = ("fr", "ar")  # in the table; the last column is the largest over every locale

BARE_RXCONFIG = '''import reflex as rx

config = rx.Config(app_name="bare", telemetry_enabled=False, plugins=[],
                   disable_plugins=[rx.plugins.SitemapPlugin])
'''
# The bare page: the same counter app the live benchmark measures against.
from scripts.bench_live import PEER_APP as BARE_APP  # noqa: E402


def _env(web_dir: Path | None, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    bins = [str(ROOT / ".tools" / "node_modules" / ".bin"), str(Path(sys.executable).parent)]
    env["PATH"] = os.pathsep.join(bins + [env.get("PATH", "")])
    env.update(REFLEX_TELEMETRY_ENABLED="false", CISP_DATA_DIR=str(data_dir))
    if web_dir is not None:
        env["REFLEX_WEB_WORKDIR"] = str(web_dir)
    return env


def build(cwd: Path, web_dir: Path | None, data_dir: Path) -> float:
    """`reflex export --frontend-only --no-zip --env prod` in cwd (into web_dir, else cwd/.web);
    returns the seconds it took. The client files land in <web_dir>/build/client."""
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
                          cwd=cwd, env=_env(web_dir, data_dir), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the build in {cwd} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.monotonic() - started


def sizes(path: Path) -> tuple[int, int]:
    """(unpacked, sent) bytes: the server sends the .gz built next to a file when there is one."""
    raw = path.read_bytes()
    packed = path.with_name(path.name + ".gz")
    return len(raw), packed.stat().st_size if packed.exists() else len(gzip.compress(raw, 9))


def page_files(client: Path, route: str) -> set[Path]:
    """The route's prerendered HTML and every built file it names (what a cold visit fetches)."""
    html = client / route.strip("/") / "index.html" if route.strip("/") else client / "index.html"
    return {html, *(client / a.lstrip("/") for a in ASSET.findall(html.read_text(encoding="utf-8")))}


def page_weight(client: Path, route: str) -> tuple[int, int]:
    raw = sent = 0
    for f in page_files(client, route):
        r, s = sizes(f)
        raw, sent = raw + r, sent + s
    return raw, sent


def react_router_manifest(client: Path) -> dict:
    """React Router's route manifest (every route's module and the chunks it imports)."""
    for path in (client / "assets").glob("manifest-*.js"):
        if found := RR_MANIFEST.search(path.read_text(encoding="utf-8")):
            return json.loads(found.group(1))
    raise FileNotFoundError(f"no React Router manifest in {client / 'assets'}")


def route_graphs(client: Path) -> dict[str, tuple[str, set[str]]]:
    """URL path ("fr/my-pathway") -> (the route's own module, every module a visit loads: entry,
    root, the route's module and their imports)."""
    manifest = react_router_manifest(client)
    shared = {manifest["entry"]["module"], *manifest["entry"]["imports"]}
    root = manifest["routes"]["root"]
    shared |= {root["module"], *root["imports"]}
    graphs = {}
    for route_id, route in manifest["routes"].items():
        if route_id == "root":
            continue
        graphs[route.get("path") or ""] = (route["module"], shared | {route["module"], *route["imports"]})
    return graphs


def screen_routes() -> dict[str, tuple[str, str]]:
    """URL path ("fr/my-pathway") -> (screen module's short name, locale)."""
    return {routes.path(loc, s.PAGE).strip("/"): (s.__name__.rsplit(".", 1)[-1], loc)
            for loc in i18n.LOCALES for s in SCREENS}


def kib(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="read the last build in .web/build/client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cisp-bundle-") as tmp:
        work = Path(tmp)
        if args.reuse:
            client, took = ROOT / ".web" / "build" / "client", None
            if not client.exists():
                sys.exit("no production build in .web/build/client: run without --reuse")
        else:
            print("building the app (all locales)...", flush=True)
            took = build(ROOT, work / "web", work / "data")
            client = work / "web" / "build" / "client"
        weights = {path: page_weight(client, path) for path in screen_routes()}

        print("building a bare Reflex app...", flush=True)
        bare = work / "bare"
        (bare / "bare").mkdir(parents=True)
        (bare / "rxconfig.py").write_text(BARE_RXCONFIG)
        (bare / "bare" / "__init__.py").write_text("")
        (bare / "bare" / "bare.py").write_text(BARE_APP)
        bare_took = build(bare, None, work / "bare-data")
        bare_raw, bare_sent = page_weight(bare / ".web" / "build" / "client", "/")

    from reflex import constants

    lines = [
        "# Bundle size: what a screen costs a phone on its first visit",
        "",
        f"Measured {date.today().isoformat()} by `scripts/bundle_size.py` on the production build "
        f"(Reflex {constants.Reflex.VERSION}, {len(i18n.LOCALES)} locales × {len(SCREENS)} screens).",
        "Each route: its prerendered HTML and every file it names (stylesheet, module preloads), in KiB, "
        "as sent (gzip) and unpacked. Cold visit, nothing cached.",
        "",
        "| screen | " + " | ".join(f"{loc} sent | {loc} unpacked" for loc in SHOWN) + " | largest sent, any locale |",
        "| --- |" + " ---: | ---: |" * len(SHOWN) + " ---: |",
    ]
    for screen in SCREENS:
        paths = {loc: routes.path(loc, screen.PAGE).strip("/") for loc in i18n.LOCALES}
        cells = [f"{kib(weights[paths[loc]][1])} | {kib(weights[paths[loc]][0])}" for loc in SHOWN]
        largest = max(weights[p][1] for p in paths.values())
        lines.append(f"| /{{locale}}/{screen.PAGE + '/' if screen.PAGE else ''} | " + " | ".join(cells)
                     + f" | {kib(largest)} |")
    lines += [
        f"| bare Reflex page (one state, one button) | {kib(bare_sent)} | {kib(bare_raw)} |"
        + " — | — |" * (len(SHOWN) - 1) + " — |",
        "",
        f"Build time (frontend, every locale): {'not measured (--reuse)' if took is None else f'{took:.0f} s'}; "
        f"bare app: {bare_took:.0f} s. Both include Reflex's compile and Vite's build on this machine.",
        "",
        "The bare page is Reflex's floor (React, React Router, Reflex's state and socket code). Above it, a",
        "screen pays its HTML, the app's stylesheet, its own route module (its components, in its locale",
        "only) and the shared components it uses. React Router's manifest, loaded by every route, lists",
        "every route: it grows a little with each locale or screen.",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
