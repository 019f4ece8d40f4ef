"""What the screens' states keep between events, sealed when it leaves the process.

With several workers (REDIS_URL), Reflex stores every client state in Redis between events:
what a screen shows (messages, coach notes, names) would sit there readable by whoever reads
Redis or its dumps. Each state of ours is pickled as one Fernet token (AES + HMAC) instead; the
key is CISP_STATE_KEY, else a key file made once in the data folder (0600), shared by the
workers of one machine. One process (`make run`) keeps states in memory and never pickles them.
"""

from __future__ import annotations

import logging
import pickle
import threading

from cryptography.fernet import Fernet, InvalidToken

from cisp_pwa import keys

logger = logging.getLogger(__name__)

SEALED = "_sealed"  # the only field a stored state has
_lock = threading.Lock()
_fernet: Fernet | None = None


def _key() -> bytes:
    # CISP_STATE_KEY, else the keys folder's state.key: the same on every worker and machine.
    return keys.read(keys.STATE).strip()


def _box() -> Fernet:
    global _fernet
    with _lock:
        if _fernet is None:
            _fernet = Fernet(_key())
        return _fernet


def seal(fields: dict) -> dict:
    return {SEALED: _box().encrypt(pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL))}


def unseal(stored: dict) -> dict:
    """The fields, or none (the screen starts afresh) when the key changed since."""
    if SEALED not in stored:
        return stored
    try:
        return pickle.loads(_box().decrypt(stored[SEALED]))
    except InvalidToken:
        logger.warning("a stored state was sealed with another key: started afresh")
        return {}
