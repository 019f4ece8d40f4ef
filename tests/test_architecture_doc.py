"""docs/architecture.md is the map of the code: every file it links to exists, and every folder
of the package and of services/ is on it (a new one is placed on the map when it is made)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def _links() -> list[str]:
    return re.findall(r"\]\((\.\./[^)#]+)\)", DOC.read_text(encoding="utf-8"))


def test_every_link_of_the_map_leads_to_a_file():
    links = _links()
    assert len(links) > 40
    missing = [link for link in links if not (DOC.parent / link).resolve().exists()]
    assert missing == []


def test_every_folder_of_the_package_is_on_the_map():
    linked = {(DOC.parent / link).resolve() for link in _links()}
    package = ROOT / "cisp_pwa"
    folders = [p for p in package.rglob("*") if p.is_dir() and (p / "__init__.py").exists()]
    unmapped = [str(f.relative_to(ROOT)) for f in folders
                if not any(f == link or f in link.parents for link in linked)]
    assert unmapped == []
