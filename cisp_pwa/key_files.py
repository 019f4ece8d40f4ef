"""Secret files the app makes on first run in the data folder (the VAPID key, the state key...).

Several workers start at once: each writes its candidate to a private temporary name and links
it to the real name; the first link wins and everyone reads that file, so nobody ever reads a
half-written key. Readable by this user only (0600), tightened if copied around with looser rights;
the folders holding them open to this user only (0700), whatever the umask.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def private_folder(folder: Path, up_to: Path | None = None) -> None:
    """Make `folder` if missing and leave it, every folder made on the way and every folder
    up to `up_to` (one of its parents) open to this user only (0700)."""
    missing = []
    at = folder
    while not at.exists():
        missing.append(at)
        at = at.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)
    at = folder
    while True:
        if stat.S_IMODE(at.stat().st_mode) & 0o077 or at in missing:
            os.chmod(at, 0o700)
        if up_to is None or at == up_to or at == at.parent or up_to not in at.parents:
            break
        at = at.parent


def made_once(path: Path, make: Callable[[], bytes], up_to: Path | None = None) -> bytes:
    """The file's bytes; made by `make()` if no process has made it yet. Its folder (and those
    up to `up_to`) are tightened to 0700."""
    private_folder(path.parent, up_to)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(make())
            try:
                os.link(tmp, path)
                logger.info("made %s in %s", path.name, path.parent)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    return read_private(path)


def read_private(path: Path) -> bytes:
    """The file's bytes; a file copied around with looser rights is tightened first."""
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return path.read_bytes()
