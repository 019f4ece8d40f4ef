"""Secret files the app makes on first run in the data folder (the VAPID key, the state key...).

Several workers start at once: each writes its candidate to a private temporary name and links
it to the real name; the first link wins and everyone reads that file, so nobody ever reads a
half-written key. Readable by this user only (0600), tightened if copied around with looser rights.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def made_once(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes; made by `make()` if no process has made it yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
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
