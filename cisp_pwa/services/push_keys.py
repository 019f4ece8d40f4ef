"""The server's VAPID key pair: made on first run, kept in the data folder, never in git.

The private key identifies this server to the push services (Google, Mozilla, Apple); the
browser gets the public half (`application_server_key`) when it subscribes. Losing the file
only means every phone has to turn notifications on again.
"""

from __future__ import annotations

import base64
import logging
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cisp_pwa import settings

from . import key_files

KEY_FILE = "vapid_private.pem"

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_keys: dict[Path, ec.EllipticCurvePrivateKey] = {}


def key_path() -> Path:
    # Read at call time: tests and several installs on one machine point DATA_DIR elsewhere.
    return Path(settings.DATA_DIR) / KEY_FILE


def _create(path: Path) -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    if key_files.create_once(path, pem):
        logger.info("made a new VAPID key in %s", path.parent)


def private_key() -> ec.EllipticCurvePrivateKey:
    path = key_path()
    with _lock:
        if path not in _keys:
            if not path.exists():
                _create(path)
            key = serialization.load_pem_private_key(key_files.read_private(path), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
                raise RuntimeError(f"{path} is not a P-256 private key")
            _keys[path] = key
        return _keys[path]


def application_server_key() -> str:
    """The public key as the browser's pushManager.subscribe wants it: base64url, no padding."""
    raw = private_key().public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
