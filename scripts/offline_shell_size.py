"""What keeping a language's screens for offline use costs a phone in data (prepaid plans).

Usage: .venv/bin/python scripts/offline_shell_size.py   (after a production build, e.g. `make run`
or the browser tests; writes docs/offline-shell-size.md)

For each locale: the screens the service worker keeps (sign-in and the trainee's four screens)
and every built file their HTML names, as the server sends them (gzip) and unpacked. The worker
fetches only what it does not have yet, so this is paid once per version and language; built
files shared by all languages are paid once.
"""

from __future__ import annotations

import gzip
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cisp_pwa import i18n, routes  # noqa: E402
from cisp_pwa.models import Role  # noqa: E402

BUILD = ROOT / ".web" / "build" / "client"
OUT = ROOT / "docs" / "offline-shell-size.md"
ASSET = re.compile(r'(?:href|src)="(/assets/[^"?#]+)"')
KEPT = [routes.SIGN_IN, *routes.SCREENS_OF[Role.trainee]]


def sizes(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    packed = path.with_name(path.name + ".gz")
    return len(raw), packed.stat().st_size if packed.exists() else len(gzip.compress(raw, 9))


def measure(locale: str) -> tuple[int, int, int]:
    files: set[Path] = set()
    for page in KEPT:
        html = BUILD / locale / page / "index.html"
        files.add(html)
        files.update(BUILD / a.lstrip("/") for a in ASSET.findall(html.read_text(encoding="utf-8")))
    raw = packed = 0
    for f in files:
        r, p = sizes(f)
        raw, packed = raw + r, packed + p
    return len(files), raw, packed


def main() -> None:
    if not BUILD.exists():
        sys.exit("no production build in .web/build/client: run `make run` or the browser tests first")
    rows = [(loc, *measure(loc)) for loc in i18n.LOCALES]
    lines = [
        "# Offline shell: data a phone spends to keep one language's screens",
        "",
        f"Measured {date.today().isoformat()} by `scripts/offline_shell_size.py` on the production build.",
        f"Screens kept: {', '.join(KEPT)} (with every built file their HTML names).",
        "",
        "| locale | files | sent (gzip) | unpacked |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {loc} | {n} | {p / 1024:.0f} KiB | {r / 1024:.0f} KiB |" for loc, n, r, p in rows],
        "",
        "Paid once per app version and language: the service worker fetches only what it lacks, and",
        "built files shared by every language (React, Reflex, shared components) are paid once; each\n"
        "screen's own components are built per language (docs/bundle-size.md).",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
