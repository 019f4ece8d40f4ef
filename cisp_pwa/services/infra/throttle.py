"""Limits on what one client or one person may do in a while: failed sign-ins, wrong access
codes, messages. One shared limiter (the `limits` library): in memory for one process, in Redis
with REDIS_URL so every worker counts together.

Three kinds of limit:
- `hit` (the `limits` library's moving windows): checks and counts in one step; messages,
  codes, public pages.
- `take` / `give_back`: a counter in the same storage (memory, or Redis INCR), taken BEFORE the
  slow work (argon2) in one atomic step, so 25 parallel tries count 25; a success gives its
  slot back. Sign-in per (login, address) and per address.
- `claim` / `release` (growing delays, `BACKOFF`): after a few failures, the next try waits 2,
  4, 8... seconds up to a cap, never a lock that lasts: per account across all addresses, per
  trusted device, per account for the second factor. One atomic step too (a lock in memory, a
  Lua script in Redis).

The login is counted as typed (normalised), known or not, so the answer never tells whether an
account exists.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from cisp_pwa import settings

RULES: dict[str, RateLimitItem] = {
    # Wrong passwords from one address: 30 in 15 minutes. Applied only to logins that are
    # failing themselves, known or not (services/people/auth.py): a centre's Wi-Fi is one address
    # for twenty people, and a stranger's failures there never refuse another account's right
    # password.
    "sign_in_client": parse("30/15 minutes"),
    # Tries on one login from one address.
    "sign_in_login": parse("5/15 minutes"),
    # Access codes (about 40 bits, 15 minutes) cannot be guessed anyway: a few wrong ones per
    # phone, and per address enough that a centre's Wi-Fi never stops a trainee with her code.
    "invitation_device": parse("10/15 minutes"),
    "invitation_client": parse("300/15 minutes"),
    # Staff enrolment links (192 bits, 24 hours): a few wrong ones per browser, a few dozen per
    # address; nobody guesses one, this only stops a script from trying.
    "enrolment_device": parse("10/15 minutes"),
    "enrolment_client": parse("60/15 minutes"),
    # Codes of an authenticator app (1 in a million each): a few per account and client; per
    # account, growing delays (BACKOFF).
    "second_factor_client": parse("5/15 minutes"),
    # A conversation is people writing: a flood is not.
    "message": parse("20/minute"),
    # The public badge addresses (share page, credentials, issuer, status), per client address:
    # an employer reads a page or two; a script reading hundreds would fill the audit trail
    # (each view of a share is a row) and verify signatures for nothing.
    "public_view": parse("60/minute"),
}



@dataclass(frozen=True)
class Backoff:
    free: int          # failures without any wait
    cap: int           # the longest wait, in seconds: never a lock
    forget_after: int  # seconds without a try, then the failures are forgotten

    def wait_after(self, failures: int) -> int:
        """Seconds to wait after this many failures: 0, then 2, 4, 8... up to the cap."""
        if failures <= self.free:
            return 0
        return min(self.cap, 2 ** (failures - self.free))


DAY = 24 * 3600
BACKOFF: dict[str, Backoff] = {
    # Wrong passwords on one account, from every address together. Capped at a minute: the
    # owner under attack waits at most that (her own browser is judged by "device" instead).
    "password_account": Backoff(free=1, cap=60, forget_after=DAY),
    # Wrong PINs on one account (every one of them typed on a trusted phone of hers).
    "pin_account": Backoff(free=1, cap=300, forget_after=DAY),
    # Wrong PINs (or passwords) on one trusted device; at 10 its secret is revoked (auth.py).
    "device": Backoff(free=1, cap=300, forget_after=DAY),
    # Wrong authenticator codes on one account: whoever tries them has the password. After 10
    # the person and her admins are told (second_factor.py).
    "second_factor": Backoff(free=2, cap=900, forget_after=DAY),
}

_lock = threading.Lock()
_limiter: MovingWindowRateLimiter | None = None
_delays: dict[str, tuple[int, float, float]] = {}  # key -> (failures, next try at, forgotten at)
_redis = None
_MEMORY_KEYS = 100_000

# claim, atomically: refuse while the wait runs; else count one more failure (given back by
# `release` if it was not one) and start the wait that follows it.
_CLAIM = """
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or '0')
local now = tonumber(ARGV[1])
if now < at then return {0, at - now} end
n = n + 1
local wait = 0
local free, cap = tonumber(ARGV[2]), tonumber(ARGV[3])
if n > free then wait = math.min(cap, 2 ^ (n - free)) end
redis.call('HSET', KEYS[1], 'n', n, 'at', now + math.floor(wait * 1000))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return {1, n}
"""
_RELEASE = """
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if ARGV[1] == '1' or n <= 1 then redis.call('DEL', KEYS[1]) else redis.call('HSET', KEYS[1], 'n', n - 1, 'at', 0) end
return 1
"""


def limiter() -> MovingWindowRateLimiter:
    global _limiter
    with _lock:
        if _limiter is None:
            _limiter = MovingWindowRateLimiter(storage_from_string(settings.redis_url() or "memory://"))
        return _limiter


def _redis_client():
    global _redis
    with _lock:
        if _redis is None:
            import redis

            _redis = redis.Redis.from_url(settings.redis_url())
        return _redis


def reset() -> None:
    """Forget every count (tests)."""
    global _limiter, _redis
    with _lock:
        if _limiter is not None:
            _limiter.storage.reset()
        _limiter = None
        _delays.clear()
        if _redis is not None:
            for key in _redis.scan_iter("cisp_backoff:*"):
                _redis.delete(key)
            _redis = None


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


# --- counters taken before the work, given back by a success ---------------------------------

def _counter(rule: str, keys: tuple) -> str:
    return "cisp_take/" + "/".join([rule, *map(str, keys)])


def take(rule: str, *keys: object) -> bool:
    """Count one try now, before the work, in one atomic step; False when this one is past the
    limit (counted all the same: a refused try is a try)."""
    item = RULES[rule]
    count = limiter().storage.incr(_counter(rule, keys), item.get_expiry())
    return count <= item.amount


def give_back(rule: str, *keys: object) -> None:
    """A try that turned out right is not counted."""
    key = _counter(rule, keys)
    storage = limiter().storage
    if storage.get(key) > 0:
        storage.incr(key, RULES[rule].get_expiry(), -1)


def taken(rule: str, *keys: object) -> int:
    return limiter().storage.get(_counter(rule, keys))


def wait_taken(rule: str, *keys: object) -> int:
    """Seconds until `take` counts within the limit again."""
    return max(1, int(limiter().storage.get_expiry(_counter(rule, keys)) - time.time()) + 1)


# --- growing delays -----------------------------------------------------------------------------

def clock() -> float:
    """Now, in seconds (tests move it forward instead of waiting)."""
    return time.time()


@dataclass(frozen=True)
class Claim:
    allowed: bool
    failures: int = 0     # allowed: this try's number (it counts as a failure until released)
    retry_after: int = 0  # refused: seconds to wait


def _backoff_key(rule: str, keys: tuple) -> str:
    return "cisp_backoff:" + "/".join([rule, *map(str, keys)])


def claim(rule: str, *keys: object) -> Claim:
    """Before the work: allowed when the wait after the last failure is over; then this try is
    counted as one more failure (in one atomic step) and the next one waits accordingly."""
    rule_ = BACKOFF[rule]
    key = _backoff_key(rule, keys)
    if settings.redis_url():
        allowed, value = _redis_client().eval(_CLAIM, 1, key, int(clock() * 1000), rule_.free, rule_.cap,
                                              rule_.forget_after)
        if not allowed:
            return Claim(False, retry_after=max(1, math.ceil(int(value) / 1000)))
        return Claim(True, failures=int(value))
    now = clock()
    with _lock:
        failures, at, forgotten = _delays.get(key, (0, 0.0, 0.0))
        if forgotten and forgotten <= now:
            failures, at = 0, 0.0
        if now < at:
            return Claim(False, retry_after=max(1, math.ceil(at - now)))
        failures += 1
        _delays[key] = (failures, now + rule_.wait_after(failures), now + rule_.forget_after)
        if len(_delays) > _MEMORY_KEYS:  # a spray of made-up logins: drop what is forgotten
            for old in [k for k, (_n, _at, gone) in _delays.items() if gone <= now]:
                del _delays[old]
        return Claim(True, failures=failures)


def release(rule: str, *keys: object, reset: bool = False) -> None:
    """A claimed try that was right: its failure is given back (`reset`: every failure), and
    the next try need not wait."""
    key = _backoff_key(rule, keys)
    if settings.redis_url():
        _redis_client().eval(_RELEASE, 1, key, "1" if reset else "0")
        return
    with _lock:
        failures, _at, forgotten = _delays.get(key, (0, 0.0, 0.0))
        if reset or failures <= 1:
            _delays.pop(key, None)
        else:
            _delays[key] = (failures - 1, 0.0, forgotten)


def failures(rule: str, *keys: object) -> int:
    """Failures counted now (0 when forgotten)."""
    key = _backoff_key(rule, keys)
    if settings.redis_url():
        return int(_redis_client().hget(key, "n") or 0)
    with _lock:
        count, _at, forgotten = _delays.get(key, (0, 0.0, 0.0))
        return 0 if forgotten and forgotten <= clock() else count
