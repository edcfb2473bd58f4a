"""Pure retry and rate-limit policy, shared by the async transport and its sync twin (no I/O here).

Backoff: ``min(initial_delay * 2**attempt, max_delay)`` scaled by a jitter factor drawn uniformly
from ``[0.5, 1.0]`` ("equal jitter": never less than half the nominal delay, so retries cannot
collapse to zero, and spread over the other half so concurrent callers do not retry in step).
A server hint (``Retry-After``: ``retry-after-ms``, then seconds, then an HTTP date) replaces the
backoff when it is at most ``max_retry_after``; a longer hint is not waited out: the error is raised
with ``retry_after`` set.
"""

from __future__ import annotations

import email.utils
import random
import threading
from collections.abc import Callable, Mapping

import attrs

#: Statuses worth another attempt.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Statuses after which a POST may already have been applied (a gateway passed it on).
AMBIGUOUS_STATUSES = frozenset({502, 504})
#: Methods that may be repeated without changing the outcome (RFC 9110 §9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@attrs.frozen(kw_only=True)
class RetryConfig:
    """How a client retries. Every field can be overridden per client; some per call."""

    #: retries after the first attempt (so ``max_retries + 1`` attempts at most)
    max_retries: int = attrs.field(default=3, validator=attrs.validators.ge(0))
    initial_delay: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_delay: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    #: the longest server hint (``Retry-After``) the client waits out by itself
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    #: the most one call may spend waiting between attempts, all waits added up
    max_total_wait: float = attrs.field(default=120.0, validator=attrs.validators.ge(0))
    #: retry a POST whose outcome is unknown (same Idempotency-Key) instead of raising
    retry_ambiguous: bool = False

    def backoff(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        nominal = min(self.initial_delay * 2 ** min(attempt, 60), self.max_delay)
        return float(nominal * (0.5 + 0.5 * rand()))


@attrs.frozen(kw_only=True)
class RateLimitConfig:
    """Client-side token buckets, seeded from WorkOS's published AuthKit limits.

    ``reads`` and ``writes`` requests per ``window`` seconds (AuthKit: 1,000 reads and 500 writes
    per 10 s per environment). ``enabled=False`` turns the buckets off; a 429 still pauses the
    whole client until the server's ``Retry-After``.
    """

    reads: int = attrs.field(default=1000, validator=attrs.validators.gt(0))
    writes: int = attrs.field(default=500, validator=attrs.validators.gt(0))
    window: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))
    enabled: bool = True


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait, from ``retry-after-ms``, or ``Retry-After`` as seconds or an HTTP date.

    ``now`` is the wall-clock time (epoch seconds) used for dates; ``None`` reads the system clock.
    Returns ``None`` when no usable hint is present.
    """
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = -1.0
        if value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        if now is None:
            import time

            now = time.time()
        seconds = email.utils.mktime_tz(parsed) - now
        return max(seconds, 0.0)
    return seconds if seconds >= 0 else None


class TokenBucket:
    """A token bucket that hands out reservations: ``reserve`` returns how long to wait.

    Tokens may go negative: each caller reserves the next free slot, so waiting callers are served
    in order instead of all waking at once. Thread-safe; never awaited while locked.
    """

    def __init__(self, capacity: float, per_second: float, now: float) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self._tokens = capacity
        self._stamp = now
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.per_second)
            self._stamp = now

    def reserve(self, now: float) -> float:
        with self._lock:
            self._refill(now)
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.per_second

    def clamp(self, remaining: float, now: float) -> None:
        """The server says only ``remaining`` requests are left: never believe we have more."""
        with self._lock:
            self._refill(now)
            self._tokens = min(self._tokens, remaining)

    def resize(self, capacity: float, per_second: float, now: float) -> None:
        with self._lock:
            self._refill(now)
            self.capacity = capacity
            self.per_second = per_second
            self._tokens = min(self._tokens, capacity)


class RateLimiter:
    """Client-wide rate-limit state: a read bucket, a write bucket, and the 429 pause."""

    def __init__(self, config: RateLimitConfig, now: float) -> None:
        self.config = config
        per_s = 1.0 / config.window
        self._buckets = {
            "read": TokenBucket(config.reads, config.reads * per_s, now),
            "write": TokenBucket(config.writes, config.writes * per_s, now),
        }
        self._pause_until = 0.0
        self._lock = threading.Lock()
        #: how many times a 429 (or an exhausted server quota) paused the whole client
        self.pauses = 0

    @staticmethod
    def kind(method: str) -> str:
        return "read" if method in READ_METHODS else "write"

    def paused_for(self, now: float) -> float:
        return max(0.0, self._pause_until - now)

    def acquire(self, method: str, now: float) -> float:
        """Reserve a slot for one attempt; return the seconds to wait before sending it."""
        pause = self.paused_for(now)
        if not self.config.enabled:
            return pause
        return pause + self._buckets[self.kind(method)].reserve(now + pause)

    def pause(self, seconds: float, now: float) -> bool:
        """Hold every request of this client for ``seconds``; return True if a new pause began."""
        with self._lock:
            until = now + seconds
            started = self._pause_until <= now
            if until > self._pause_until:
                self._pause_until = until
            if started:
                self.pauses += 1
            return started

    def observe(self, method: str, headers: Mapping[str, str], now: float, wall: float) -> None:
        """Learn from ``X-RateLimit-Limit/Remaining/Reset`` when the server sends them.

        ``X-RateLimit-Reset`` is read as epoch seconds when it is larger than 10^9, otherwise as
        seconds from now (both conventions are in use).
        """
        remaining = _number(headers.get("x-ratelimit-remaining"))
        if remaining is None:
            return
        bucket = self._buckets[self.kind(method)]
        limit = _number(headers.get("x-ratelimit-limit"))
        if self.config.enabled and limit is not None and limit > 0 and limit != bucket.capacity:
            bucket.resize(limit, limit / self.config.window, now)
        if self.config.enabled:
            bucket.clamp(remaining, now)
        if remaining <= 0:
            reset = _number(headers.get("x-ratelimit-reset"))
            if reset is not None:
                wait = reset - wall if reset > 1e9 else reset
                if wait > 0:
                    self.pause(wait, now)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
