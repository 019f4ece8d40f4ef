"""Secret files made on first run: workers starting at once all read one whole key."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cisp_pwa import key_files


def _made(path: str) -> bytes:
    return key_files.made_once(Path(path), lambda: os.urandom(32).hex().encode())


def test_workers_starting_at_once_all_read_the_same_whole_key(tmp_path):
    path = tmp_path / "data" / "some.key"
    with ProcessPoolExecutor(8) as pool:
        keys = list(pool.map(_made, [str(path)] * 64))
    assert len(set(keys)) == 1 and len(keys[0]) == 64  # one key, never a half-written one
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["some.key"]  # no temporary left


def test_a_key_copied_with_loose_rights_is_tightened_and_kept(tmp_path):
    path = tmp_path / "some.key"
    path.write_bytes(b"kept")
    path.chmod(0o644)
    assert key_files.made_once(path, lambda: b"new") == b"kept"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
