"""The server's VAPID key pair: made on first run, kept in the data folder, never in git.

The private key identifies this server to the push services (Google, Mozilla, Apple); the
browser gets the public half (`application_server_key`) when it subscribes. Losing the file
only means every phone has to turn notifications on again.
"""

from __future__ import annotations

import base64
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cisp_pwa import keys

KEY_FILE = keys.VAPID.file

_lock = threading.Lock()
_keys: dict[bytes, ec.EllipticCurvePrivateKey] = {}  # by PEM: a test or a rotation reads anew


def key_path() -> Path:
    # Read at call time: tests and several installs on one machine point the keys folder elsewhere.
    return keys.path(keys.VAPID)


def private_key() -> ec.EllipticCurvePrivateKey:
    pem = keys.read(keys.VAPID)  # the variable, else the keys folder's file (cisp_pwa/keys.py)
    with _lock:
        if pem not in _keys:
            key = serialization.load_pem_private_key(pem, password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
                raise RuntimeError(f"{keys.VAPID.name} is not a P-256 private key")
            _keys[pem] = key
        return _keys[pem]


def application_server_key() -> str:
    """The public key as the browser's pushManager.subscribe wants it: base64url, no padding."""
    raw = private_key().public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
