"""Settings read from the environment, with embedded defaults that need no other server."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent  # the shipped files (pathways/, partners/) are found from here
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("CISP_DATA_DIR", PROJECT_DIR / "data"))


def database_url() -> str:
    """DATABASE_URL, else a SQLite file in the data folder (created on first use)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Accept the usual "postgresql://" form and pick the psycopg 3 driver we ship.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    private_data_dir()
    return f"sqlite:///{DATA_DIR / 'cisp.db'}"


def private_data_dir() -> Path:
    """The data folder, made if missing, open to this user only (0700) whatever the umask: it
    holds the database (messages, notes, voice notes) and, by default, the keys."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if DATA_DIR.stat().st_mode & 0o077:
        DATA_DIR.chmod(0o700)
    return DATA_DIR


def keys_dir() -> Path:
    """The one folder of the app's secrets (cisp_pwa/keys.py): CISP_KEYS_DIR, else the data folder."""
    return Path(os.environ.get("CISP_KEYS_DIR") or DATA_DIR)


def production() -> bool:
    """CISP_ENV=production (`cisp serve` sets it): no key made on first use, no demo, the schema
    must match, the settings are checked before the first request (cisp_pwa/checks.py)."""
    return os.environ.get("CISP_ENV", "").strip().lower() == "production"


def redis_url() -> str | None:
    return os.environ.get("REDIS_URL") or None


# Sessions: a shared phone must not stay signed in for long when left alone.
SESSION_IDLE = timedelta(hours=int(os.environ.get("CISP_SESSION_IDLE_HOURS", "4")))
SESSION_ABSOLUTE = timedelta(days=int(os.environ.get("CISP_SESSION_ABSOLUTE_DAYS", "7")))

# How long a trainee's data is kept after her last pathway ended, then anonymised (retention).
RETENTION_MONTHS = int(os.environ.get("CISP_RETENTION_MONTHS", "24"))
# The photo of a certificate (often medical: health data) is deleted this long after it was sent;
# the decision it backed (justified, assimilated) stays in the ledger.
CERTIFICATE_KEEP = timedelta(days=31 * int(os.environ.get("CISP_CERTIFICATE_KEEP_MONTHS", "12")))
# Ended sessions and used invitations are kept this long (to answer "was it me?"), then purged.
PURGE_AFTER = timedelta(days=int(os.environ.get("CISP_PURGE_AFTER_DAYS", "30")))
# The audit trail (who did what, never content) is kept this long.
AUDIT_KEEP = timedelta(days=int(os.environ.get("CISP_AUDIT_KEEP_DAYS", str(5 * 365))))
# The centre's admin sees who will be anonymised this long before it happens.
RETENTION_NOTICE = timedelta(days=30)

# The font of the skills passport (PDF): one TrueType font covering Latin, Arabic (with Dari's
# letters) and Cyrillic. Debian's fonts-dejavu-core (pulled in by fontconfig, hence by chromium)
# has it; elsewhere point CISP_PDF_FONT (and CISP_PDF_FONT_BOLD) at another such font.
PDF_FONT = Path(os.environ.get("CISP_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
PDF_FONT_BOLD = Path(os.environ.get("CISP_PDF_FONT_BOLD", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))


def public_url() -> str:
    """The address employers reach the app at: in the credentials (issuer, status list) and the
    share links. CISP_PUBLIC_URL, else the first of CISP_ORIGINS, else localhost on CISP_PORT."""
    url = os.environ.get("CISP_PUBLIC_URL") or os.environ.get("CISP_ORIGINS", "").split(",")[0]
    return (url or f"http://localhost:{os.environ.get('CISP_PORT', '3000')}").strip().rstrip("/")


def trusted_proxies() -> str:
    """CISP_TRUSTED_PROXIES: the proxies (addresses or networks, comma-separated) whose
    X-Forwarded-For / Forwarded headers say who the client is (cisp_pwa/client_address.py).
    None by default: every peer is the client. Read at each call (tests set it)."""
    return os.environ.get("CISP_TRUSTED_PROXIES", "")


def demo() -> bool:
    """CISP_DEMO=1: this build serves the demo accounts; every screen's header says "Démo" (read
    when the pages are compiled, so a build without it shows nothing)."""
    return os.environ.get("CISP_DEMO", "").strip() == "1"
