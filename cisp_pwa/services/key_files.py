"""Private keys the app makes for itself, kept in the data folder: readable by this user only."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def create_once(path: Path, pem: bytes) -> bool:
    """Write a new key file, 0600. Two workers starting at once: the first link wins and the
    other one reads that file (os.link fails when the name exists). True when this call made it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
    finally:
        tmp.unlink(missing_ok=True)


def read_private(path: Path) -> bytes:
    """The key's bytes; a file copied around with looser rights is tightened first."""
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return path.read_bytes()
