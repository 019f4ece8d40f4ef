"""Every secret the app holds, in one place: where it lives, how it is made, whether it is there.

Each secret comes from the environment when its variable is set, else from its file in the keys
folder (`CISP_KEYS_DIR`, by default the data folder). Every worker and every app machine must
read the same ones: in production (`CISP_ENV=production`) nothing is made on first use, a missing
key is an error that names it, and `cisp keys` makes the missing ones once, before the first
start (then copy the folder, or the variables `cisp keys --env` prints, to the other machines).
On a demo or a developer's machine a missing key is made on first use, as before.

The centres' badge-signing keys live in the folder only (`badge-keys/centre-<id>/`, one PEM file
per key, the newest signs): `cisp create-centre` and `cisp keys` make a centre's first one.
"""

from __future__ import annotations

import base64
import os
import secrets as random
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cisp_pwa import key_files, settings


class MissingKey(RuntimeError):
    """A production start found no key where one must be (never made on first use there)."""


@dataclass(frozen=True)
class Secret:
    name: str                       # what an operator reads in `cisp check`
    file: str                       # its file in the keys folder
    env: str                        # the variable that may hold it instead
    make: Callable[[], bytes]       # a new one, as the file holds it
    check: Callable[[bytes], None]  # raises ValueError (or the library's error) when unusable
    text: bool = False              # the variable holds the file's text as it is, else base64url


def _new_vapid() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _check_vapid(data: bytes) -> None:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("not a P-256 private key")


def _check_share(data: bytes) -> None:
    if len(data) < 32:
        raise ValueError("shorter than 32 bytes")


# Seals the screens' states stored in Redis (state/sealing.py).
STATE = Secret("state key", "state.key", "CISP_STATE_KEY", Fernet.generate_key,
               lambda data: Fernet(data.strip()), text=True)
# Makes the badge share links (services/credentials/badges.py): a database copy alone opens no link.
SHARE = Secret("share-link key", "share.key", "CISP_SHARE_KEY", lambda: random.token_bytes(32), _check_share)
# Identifies this server to the push services (services/infra/push_keys.py).
VAPID = Secret("push (VAPID) key", "vapid_private.pem", "CISP_VAPID_KEY", _new_vapid, _check_vapid)
SECRETS = (STATE, SHARE, VAPID)

BADGE_KEYS = "badge-keys"  # one folder per centre inside the keys folder


def folder() -> Path:
    return settings.keys_dir()


def path(secret: Secret) -> Path:
    return folder() / secret.file


def _from_env(secret: Secret) -> bytes | None:
    value = os.environ.get(secret.env, "").strip()
    if not value:
        return None
    if secret.text:
        return value.encode()
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def env_line(secret: Secret, data: bytes) -> str:
    """The variable's line for an environment file, holding this key."""
    value = data.strip().decode() if secret.text else base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    return f"{secret.env}={value}"


def read(secret: Secret) -> bytes:
    """The secret's bytes: from its variable, else its file; in production never made here."""
    if (data := _from_env(secret)) is not None:
        return data
    file = path(secret)
    if file.exists():
        return key_files.read_private(file)
    if settings.production():
        raise MissingKey(f"{secret.name} missing: set {secret.env} or run `cisp keys` (makes {file})")
    return key_files.made_once(file, secret.make)


def private_badge_folder(centre_id: int) -> Path:
    """The centre's badge-key folder, made if missing; it and `badge-keys/` open to this user only."""
    path = badge_folder(centre_id)
    key_files.private_folder(path, up_to=folder() / BADGE_KEYS)
    return path


def badge_folder(centre_id: int) -> Path:
    return folder() / BADGE_KEYS / f"centre-{int(centre_id)}"


def problems(centre_ids: list[int]) -> list[str]:
    """One plain line per missing, unreadable or too open key; [] when every key is there."""
    lines = []
    for secret in SECRETS:
        where = f"{secret.env} or {path(secret)}"
        try:
            data = _from_env(secret)
            if data is None and path(secret).exists():
                file = path(secret)
                if file.stat().st_mode & 0o077:
                    lines.append(f"{secret.name}: {file} is readable by others (chmod 600)")
                data = file.read_bytes()
            if data is None:
                lines.append(f"{secret.name} missing ({where}): run `cisp keys`")
                continue
            secret.check(data)
        except Exception as exc:  # noqa: BLE001 - whatever the library says, it is unusable
            lines.append(f"{secret.name} unusable ({where}): {type(exc).__name__}")
    for centre_id in centre_ids:
        if not any(badge_folder(centre_id).glob("*.pem")):
            lines.append(f"badge key of centre {centre_id} missing ({badge_folder(centre_id)}): run `cisp keys`")
    if folder().exists() and stat.S_IMODE(folder().stat().st_mode) & 0o077:
        lines.append(f"keys folder {folder()} is open to others (chmod 700)")
    return lines


def make_missing(centre_ids: list[int], make_badge_key: Callable[[int], object]) -> list[str]:
    """Make every key that is neither set in the environment nor in the folder; the names made.
    `make_badge_key(centre_id)`: services/credentials/badge_keys.rotate, which knows that key's format."""
    made = []
    key_files.private_folder(folder())
    for secret in SECRETS:
        if _from_env(secret) is None and not path(secret).exists():
            key_files.made_once(path(secret), secret.make)
            made.append(secret.name)
    for centre_id in centre_ids:
        if not any(badge_folder(centre_id).glob("*.pem")):
            make_badge_key(centre_id)
            made.append(f"badge key of centre {centre_id}")
    return made
