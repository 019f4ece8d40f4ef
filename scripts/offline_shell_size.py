"""What keeping a language's screens for offline use costs a phone in data (prepaid plans).

Usage: .venv/bin/python scripts/offline_shell_size.py   (after a production build, e.g. `make run`
or the browser tests; writes docs/offline-shell-size.md)

For each locale: the screens the service worker keeps (sign-in and the trainee's screens)
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


def kept_files(locale: str) -> set[Path]:
    files: set[Path] = set()
    for page in KEPT:
        html = BUILD / locale / page / "index.html"
        files.add(html)
        files.update(BUILD / a.lstrip("/") for a in ASSET.findall(html.read_text(encoding="utf-8")))
    return files


def total(files: set[Path]) -> tuple[int, int]:
    """(unpacked, sent) bytes."""
    pairs = [sizes(f) for f in files]
    return sum(r for r, _ in pairs), sum(p for _, p in pairs)


def main() -> None:
    if not BUILD.exists():
        sys.exit("no production build in .web/build/client: run `make run` or the browser tests first")
    kept = {loc: kept_files(loc) for loc in i18n.LOCALES}
    every_language = set.intersection(*kept.values())  # React, Reflex, the shared components
    _, shared_sent = total(every_language)
    rows = [(loc, len(files), *total(files), total(files - every_language)[1]) for loc, files in kept.items()]
    lines = [
        "# Offline shell: data a phone spends to keep one language's screens",
        "",
        f"Measured {date.today().isoformat()} by `scripts/offline_shell_size.py` on the production build.",
        f"Screens kept: {', '.join(KEPT)} (with every built file their HTML names).",
        "",
        "| locale | files | sent (gzip) | unpacked | its own (a second language costs this) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[f"| {loc} | {n} | {p / 1024:.0f} KiB | {r / 1024:.0f} KiB | {own / 1024:.0f} KiB |"
          for loc, n, r, p, own in rows],
        "",
        f"Shared by every language: {len(every_language)} files, {shared_sent / 1024:.0f} KiB sent (React, Reflex, "
        "the shared components).",
        "A bare Reflex 0.10.1 page's own bytes (docs/bundle-size.md, same build) are already above 150 KiB.",
        "",
        "Paid once per app version and language: the service worker fetches only what it lacks, and",
        "built files shared by every language (React, Reflex, shared components) are paid once; each\n"
        "screen's own components are built per language (docs/bundle-size.md).",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
