"""Limits on what one client or one person may do in a while: failed sign-ins, wrong access
codes, messages. One shared limiter (the `limits` library): in memory for one process, in Redis
with REDIS_URL so every worker counts together.

Sign-in failures are counted per client address and per (login, client address): a stranger's
attempts slow the stranger, never the owner signing in from another phone or network. The
login is counted as typed (normalised), known or not, so the answer never tells whether an
account exists.
"""

from __future__ import annotations

import threading
import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from cisp_pwa import settings

RULES: dict[str, RateLimitItem] = {
    # A centre's Wi-Fi serves many trainees behind one address: generous per address...
    "sign_in_client": parse("30/15 minutes"),
    # ...tight per login tried from one address.
    "sign_in_login": parse("5/15 minutes"),
    # Access codes (about 40 bits, 15 minutes) cannot be guessed anyway: a few wrong ones per
    # phone, and per address enough that a centre's Wi-Fi never stops a trainee with her code.
    "invitation_device": parse("10/15 minutes"),
    "invitation_client": parse("300/15 minutes"),
    # Staff enrolment links (192 bits, 24 hours): a few wrong ones per browser, a few dozen per
    # address; nobody guesses one, this only stops a script from trying.
    "enrolment_device": parse("10/15 minutes"),
    "enrolment_client": parse("60/15 minutes"),
    # Codes of an authenticator app (1 in a million each): a few per account and client, more
    # per account (whoever tries them already has the password).
    "second_factor_client": parse("5/15 minutes"),
    "second_factor": parse("20/15 minutes"),
    # A conversation is people writing: a flood is not.
    "message": parse("20/minute"),
    # The public badge addresses (share page, credentials, issuer, status), per client address:
    # an employer reads a page or two; a script reading hundreds would fill the audit trail
    # (each view of a share is a row) and verify signatures for nothing.
    "public_view": parse("60/minute"),
}

_lock = threading.Lock()
_limiter: MovingWindowRateLimiter | None = None


def limiter() -> MovingWindowRateLimiter:
    global _limiter
    with _lock:
        if _limiter is None:
            _limiter = MovingWindowRateLimiter(storage_from_string(settings.redis_url() or "memory://"))
        return _limiter


def reset() -> None:
    """Forget every count (tests)."""
    global _limiter
    with _lock:
        if _limiter is not None:
            _limiter.storage.reset()
        _limiter = None


def allowed(rule: str, *keys: object) -> bool:
    """Whether one more is allowed now, without counting it."""
    return limiter().test(RULES[rule], rule, *map(str, keys))


def hit(rule: str, *keys: object) -> bool:
    """Count one; False when the limit was already reached (then nothing is counted)."""
    return limiter().hit(RULES[rule], rule, *map(str, keys))


def retry_after(rule: str, *keys: object) -> int:
    """Seconds until one more is allowed (0: now)."""
    stats = limiter().get_window_stats(RULES[rule], rule, *map(str, keys))
    return 0 if stats.remaining > 0 else max(1, int(stats.reset_time - time.time()) + 1)
