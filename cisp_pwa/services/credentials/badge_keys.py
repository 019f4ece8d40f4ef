"""Each centre's credential-signing keys (Ed25519): made on first use in the data folder, one
folder per centre, one 0600 PEM file per key, never in git.

The newest file signs; every file stays listed in the centre's issuer profile (by its `kid`, the
key's JWK thumbprint), so credentials signed before a rotation still verify. Rotating is making
a new key (`python -m cisp_pwa.cli rotate-badge-key CENTRE_ID`); removing an old file makes the
credentials it signed fail to verify (what a leaked key calls for).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from joserfc.jwk import OKPKey

from cisp_pwa import key_files, keys, settings
from cisp_pwa.models import utcnow


FOLDER = keys.BADGE_KEYS

_lock = threading.Lock()
_cache: dict[Path, "CentreKey"] = {}


@dataclass(frozen=True)
class CentreKey:
    kid: str       # the JWK thumbprint (RFC 7638)
    key: OKPKey    # private


def folder(centre_id: int) -> Path:
    # Read at call time: tests and several installs on one machine point the keys folder elsewhere.
    return keys.badge_folder(centre_id)


def _load(path: Path) -> CentreKey:
    with _lock:
        if path not in _cache:
            key = OKPKey.import_key(key_files.read_private(path))
            if key.as_dict(private=False).get("crv") != "Ed25519":
                raise RuntimeError(f"{path} is not an Ed25519 private key")
            _cache[path] = CentreKey(key.thumbprint(), key)
        return _cache[path]


def _files(centre_id: int) -> list[Path]:
    return sorted(folder(centre_id).glob("*.pem"))  # names start with their UTC time: oldest first


def rotate(centre_id: int) -> CentreKey:
    """A new signing key for the centre; the older ones stay for verification."""
    pem = OKPKey.generate_key("Ed25519").as_pem(private=True)
    path = keys.private_badge_folder(centre_id) / f"{utcnow().strftime('%Y%m%dT%H%M%S%fZ')}.pem"
    key_files.made_once(path, lambda: pem)
    return _load(path)


def signing_key(centre_id: int) -> CentreKey:
    """The newest key of the centre, made on first use."""
    files = _files(centre_id)
    if not files:
        if settings.production():  # every machine must sign with the same key: made once, by `cisp keys`
            raise keys.MissingKey(f"badge key of centre {int(centre_id)} missing: run `cisp keys`")
        return rotate(centre_id)
    return _load(files[-1])


def all_keys(centre_id: int) -> list[CentreKey]:
    """Every key of the centre, the newest last (what its issuer profile lists)."""
    return [_load(path) for path in _files(centre_id)]
