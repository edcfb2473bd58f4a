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


@attrs.define
class TransportStats:
    """Counters of one client's retry transport, for tests, benchmarks and monitoring."""

    attempts: int = 0
    retries: int = 0
    rate_limited: int = 0
    waited: float = 0.0
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False, eq=False)

    def count(
        self, *, attempts: int = 0, retries: int = 0, rate_limited: int = 0, waited: float = 0.0
    ) -> None:
        with self._lock:
            self.attempts += attempts
            self.retries += retries
            self.rate_limited += rate_limited
            self.waited += waited


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
    in order instead of all waking at once. ``throttle``/``recover`` move the refill rate down and
    back up (AIMD) when the server refuses requests without telling us its limit.
    Thread-safe; never awaited while locked.
    """

    def __init__(self, capacity: float, per_second: float, now: float) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self.nominal_per_second = per_second
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

    def throttle(self, now: float, resume_at: float, *, floor: float) -> None:
        """Multiplicative decrease: halve the rate; refill from empty once ``resume_at`` comes."""
        with self._lock:
            self._refill(now)
            self.per_second = max(floor, self.per_second / 2)
            self._tokens = min(self._tokens, 0.0)
            self._stamp = max(self._stamp, resume_at)

    def recover(self) -> None:
        """Additive increase, back towards the configured rate."""
        if self.per_second < self.nominal_per_second:
            with self._lock:
                step = self.nominal_per_second / 100
                self.per_second = min(self.nominal_per_second, self.per_second + step)


class ServerWindow:
    """What the server said of its own limit (``X-RateLimit-*``), as a gate in front of the bucket.

    ``remaining`` requests may still go until ``reset_at``; after that a new window of the last
    known ``limit`` opens. Unknown (no headers seen yet) means no gate.
    """

    def __init__(self) -> None:
        self.limit: float | None = None
        self.remaining: float | None = None
        self.reset_at = 0.0
        self.window = 0.0

    def take(self, now: float) -> float:
        """Consume one request of the current window; or return how long until one is free."""
        if self.remaining is None:
            return 0.0
        if now >= self.reset_at:
            if self.limit is None:
                self.remaining = None
                return 0.0
            self.remaining = self.limit
            self.reset_at = now + self.window
        if self.remaining >= 1:
            self.remaining -= 1
            return 0.0
        return max(self.reset_at - now, 1e-3)

    def update(
        self, limit: float | None, remaining: float, reset_in: float | None, now: float
    ) -> None:
        if limit is not None and limit > 0:
            self.limit = limit
        self.remaining = max(0.0, remaining)
        if reset_in is not None and reset_in >= 0:
            self.reset_at = now + reset_in
            self.window = max(self.window, reset_in)
        elif now >= self.reset_at:
            self.reset_at = now + max(self.window, 1.0)


class RateLimiter:
    """Client-wide rate-limit state shared by every request of one client.

    Three things decide when a request may go, in order:

    1. the **pause** after a 429: nothing goes until the server's ``Retry-After`` has passed;
    2. the **server window** learnt from ``X-RateLimit-Limit/Remaining/Reset`` (when sent);
    3. the client's own **token bucket** for reads or writes (``RateLimitConfig``), which is
       halved on every 429 that comes without rate-limit headers and grows back on successes.
    """

    def __init__(self, config: RateLimitConfig, now: float) -> None:
        self.config = config
        per_s = 1.0 / config.window
        self._buckets = {
            "read": TokenBucket(config.reads, config.reads * per_s, now),
            "write": TokenBucket(config.writes, config.writes * per_s, now),
        }
        self._windows = {"read": ServerWindow(), "write": ServerWindow()}
        self._in_flight = {"read": 0, "write": 0}
        self._pause_until = 0.0
        self._lock = threading.Lock()
        #: how many times a 429 paused the whole client
        self.pauses = 0

    @staticmethod
    def kind(method: str) -> str:
        return "read" if method in READ_METHODS else "write"

    def paused_for(self, now: float) -> float:
        return max(0.0, self._pause_until - now)

    def acquire(self, method: str, now: float) -> tuple[float, bool]:
        """Ask to send one request: ``(seconds to wait, reserved)``.

        When ``reserved`` is false nothing was taken: wait, then ask again. When it is true the
        request owns its slot and may go after the wait (and after any pause begun meanwhile).
        """
        kind = self.kind(method)
        with self._lock:
            pause = self._pause_until - now
            if pause > 0:
                return pause, False
            gate = self._windows[kind].take(now)
            if gate > 0:
                return gate, False
            self._in_flight[kind] += 1
        if not self.config.enabled:
            return 0.0, True
        return self._buckets[kind].reserve(now), True

    def release(self, method: str) -> None:
        """The request that ``acquire`` let through is finished (answered or failed)."""
        with self._lock:
            self._in_flight[self.kind(method)] -= 1

    def pause(self, seconds: float, now: float, method: str = "GET") -> bool:
        """Hold every request of this client for ``seconds``; return True if a new pause began."""
        kind = self.kind(method)
        with self._lock:
            until = now + seconds
            started = self._pause_until <= now
            if until > self._pause_until:
                self._pause_until = until
            if started:
                self.pauses += 1
            informed = self._windows[kind].remaining is not None
        if started and not informed and self.config.enabled:
            floor = 1.0 / self.config.window
            self._buckets[kind].throttle(now, now + seconds, floor=floor)
        return started

    def observe(
        self, method: str, status: int, headers: Mapping[str, str], now: float, wall: float
    ) -> None:
        """Learn from a response: ``X-RateLimit-Limit/Remaining/Reset`` and successes.

        ``X-RateLimit-Reset`` is read as epoch seconds when it is larger than 10^9, otherwise as
        seconds from now (both conventions are in use). Requests still in flight are assumed to
        count against ``Remaining`` too.
        """
        kind = self.kind(method)
        if status != 429:
            self._buckets[kind].recover()
        remaining = header_number(headers.get("x-ratelimit-remaining"))
        if remaining is None:
            return
        reset = header_number(headers.get("x-ratelimit-reset"))
        reset_in = None if reset is None else (reset - wall if reset > 1e9 else reset)
        limit = header_number(headers.get("x-ratelimit-limit"))
        with self._lock:
            others = max(0, self._in_flight[kind] - 1)  # the answered request is still counted
            self._windows[kind].update(limit, remaining - others, reset_in, now)


def header_number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
