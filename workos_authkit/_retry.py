"""Pure retry and rate-limit policy, shared by the async transport and its sync twin (no I/O here).

Backoff: ``min(initial_delay * 2**attempt, max_delay)`` scaled by a jitter factor drawn uniformly
from ``[0.5, 1.0]`` ("equal jitter": never less than half the nominal delay, so retries cannot
collapse to zero, and spread over the other half so concurrent callers do not retry in step).
A server hint (``Retry-After``: ``retry-after-ms``, then seconds, then an HTTP date) replaces the
backoff when it is at most ``max_retry_after``; a longer hint is not waited out: the error is raised
with ``retry_after`` set.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Mapping

import attrs

#: Statuses worth another attempt.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
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
    #: retry a create whose outcome is unknown (same Idempotency-Key) instead of raising
    retry_ambiguous: bool = False
    #: how many 429s one call waits out (they use no attempt of ``max_retries``)
    max_rate_limited: int = attrs.field(default=20, validator=attrs.validators.ge(0))

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
        import email.utils  # only for the HTTP-date form

        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        if now is None:
            import time

            now = time.time()
        seconds = email.utils.mktime_tz(parsed) - now
        return max(seconds, 0.0)
    return seconds if seconds >= 0 else None


#: A wait for the server's rate limit longer than this (seconds) is logged as a WARNING.
LONG_WAIT = 5.0
#: Before the first answer of a kind, other requests wait for it (polling this often), at most
#: ``PROBE_HOLD`` seconds: the first answer says whether the server publishes its limit.
PROBE_POLL = 0.02
PROBE_HOLD = 0.25
#: Without ``X-RateLimit-*`` headers the client bursts at most this many seconds of its rate.
BLIND_BURST = 0.1
#: Blind AIMD: a 429 multiplies the rate by ``DECREASE``; the rate then climbs back (time
#: constant ``RECOVER_TIME``) to ``MARGIN`` times the rate that was refused, then creeps up by
#: ``CREEP`` per second to find out whether the server allows more again.
DECREASE = 0.7
RECOVER_TIME = 2.0
MARGIN = 0.95
CREEP = 0.01


class TokenBucket:
    """A token bucket that hands out reservations: ``reserve`` returns how long to wait.

    Tokens may go negative: each caller reserves the next free slot, so waiting callers are served
    in order instead of all waking at once; a caller that gives up refunds its token.
    ``throttle``/``recover`` move the refill rate down and back up (AIMD) when the server refuses
    requests without telling us its limit. Thread-safe; never awaited while locked.
    """

    def __init__(self, capacity: float, per_second: float, now: float) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self.nominal_per_second = per_second
        self._tokens = capacity
        self._stamp = now
        self._ceiling = math.inf  # the lowest rate the server refused (AIMD)
        self._adjusted = now
        #: the server's limit is unknown: burst only ``BLIND_BURST`` seconds of the rate
        self.blind = False
        #: bumps when ``throttle`` writes off every reservation made before it
        self.generation = 0
        self._lock = threading.Lock()

    @property
    def burst(self) -> float:
        if not self.blind:
            return self.capacity
        return max(1.0, min(self.capacity, self.per_second * BLIND_BURST))

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens += (now - self._stamp) * self.per_second
            self._stamp = now
        self._tokens = min(self.burst, self._tokens)

    def _grow(self, now: float) -> None:
        elapsed = now - self._adjusted
        if elapsed <= 0:
            return
        self._refill(now)
        self._adjusted = now
        if self.per_second >= self.nominal_per_second:
            return
        target = min(self.nominal_per_second, MARGIN * self._ceiling)
        if self.per_second < target:
            self.per_second += (target - self.per_second) * min(1.0, elapsed / RECOVER_TIME)
        else:
            self._ceiling *= (1.0 + CREEP) ** elapsed
            self.per_second = min(self.nominal_per_second, MARGIN * self._ceiling)

    def reserve(self, now: float) -> float:
        with self._lock:
            self._grow(now)
            self._refill(now)
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.per_second

    def refund(self, now: float, generation: int) -> None:
        """Give back a slot reserved in ``generation`` that was never used (its caller gave up
        or must queue again); slots reserved before a ``throttle`` were written off already."""
        with self._lock:
            if generation != self.generation:
                return
            self._refill(now)
            self._tokens = min(self.burst, self._tokens + 1.0)

    def throttle(self, now: float, resume_at: float, *, floor: float) -> None:
        """Multiplicative decrease; refill from empty once ``resume_at`` comes."""
        with self._lock:
            self._grow(now)
            self._ceiling = min(self._ceiling, self.per_second)
            self.per_second = max(floor, self.per_second * DECREASE)
            self._tokens = 0.0  # the queue forms again after the pause, at the lower rate
            self.generation += 1
            self._stamp = max(self._stamp, resume_at)
            self._adjusted = max(self._adjusted, resume_at)

    def recover(self, now: float) -> None:
        """A success: climb back towards the configured rate (see ``DECREASE``)."""
        with self._lock:
            self._grow(now)


class ServerWindow:
    """What the server said of its own limit (``X-RateLimit-*``), as a pacer in front of the bucket.

    ``remaining`` requests may still go until ``reset_at``; they are spread evenly over the time
    left (``next_at`` is the next free slot) rather than sent in a burst. After ``reset_at`` a new
    window of the last known ``limit`` opens. Unknown (no headers seen yet) means no gate.
    ``reset_at`` is the earliest end any answer of this window implied (a Reset in whole seconds
    rounds up), and a jump in ``Remaining`` shows a window that opened earlier than expected.
    Not locked itself: ``RateLimiter`` holds its lock around every call.
    """

    def __init__(self) -> None:
        self.limit: float | None = None
        self.remaining: float | None = None
        self.reset_at = 0.0
        self.window = 0.0
        self.next_at = 0.0
        #: which window slots were reserved in; bumps when a new one opens
        self.generation = 0
        #: slots reserved in this generation whose requests have not been sent yet
        self.waiting = 0
        self.announced = -1.0
        #: whether ``reset_at`` came from an answer of this window (not guessed at a roll)
        self.observed = False

    @property
    def known(self) -> bool:
        return self.remaining is not None

    def _open(self, remaining: float, reset_at: float, now: float) -> None:
        self.remaining = max(0.0, remaining)
        self.reset_at = reset_at
        self.next_at = now
        self.generation += 1
        self.waiting = 0
        self.observed = True

    def _roll(self, now: float) -> None:
        if self.remaining is None or now < self.reset_at:
            return
        if self.limit is None:
            self.remaining = None
            return
        span = max(self.window, 1e-3)
        end = self.reset_at + span if now < self.reset_at + span else now + span
        self._open(self.limit, end, self.reset_at if now < self.reset_at + span else now)
        self.observed = False

    def take(self, now: float) -> tuple[float, int | None]:
        """Reserve the next paced slot: ``(wait, generation)``; ``generation`` is None when
        nothing was reserved (no limit known, or the window is spent: wait, then ask again)."""
        if self.remaining is None:
            return 0.0, None
        at = max(now, self.next_at)
        self._roll(at)
        if not self.known:  # the window ended and its limit was never said
            return 0.0, None
        assert self.remaining is not None
        if self.remaining < 1:
            return max(self.reset_at - now, 1e-3), None
        self.remaining -= 1
        self.next_at = at + (self.reset_at - at) / (self.remaining + 1)
        return at - now, self.generation

    def refund(self, generation: int) -> None:
        if generation == self.generation and self.remaining is not None:
            self.remaining += 1
            self.waiting = max(0, self.waiting - 1)

    def update(
        self, limit: float | None, remaining: float, reset_in: float | None, now: float, others: int
    ) -> None:
        """An answer: ``remaining`` as the server counted it, before ``others`` requests still in
        flight (and those reserved here but not yet sent)."""
        if limit is not None and limit > 0:
            self.limit = limit
        if reset_in is not None:
            self.window = max(self.window, reset_in)
        local = remaining - others - self.waiting
        if self.remaining is None or local > self.remaining + 1:
            # first news of the server's window, or one that opened before we expected it
            span = reset_in if reset_in is not None else max(self.window, 1.0)
            waiting = self.waiting if self.remaining is not None else 0
            self._open(local, now + span, max(self.next_at, now) if self.known else now)
            self.waiting = waiting
            return
        self.remaining = max(0.0, min(self.remaining, local))
        if reset_in is not None:
            # the earliest end any answer implied; but the first answer after a roll replaces
            # the guess (the window may be longer than any Reset seen so far)
            end = now + reset_in
            self.reset_at = min(self.reset_at, end) if self.observed else end
            self.observed = True


@attrs.define(eq=False)
class Slot:
    """One request's turn, from ``RateLimiter.acquire``: wait ``wait`` seconds, then ``confirm``.

    While it waits it may hold a token of the bucket and a slot of the server window; ``cancel``
    gives them back if the caller gives up.
    """

    kind: str
    wait: float = 0.0
    #: why it waits: "pause" (after a 429), "probe", "server" (the server's window) or "client"
    reason: str = ""
    epoch: int = 0
    #: the bucket's generation it holds a token of, if any
    bucket: int | None = None
    #: the server window's generation it holds a slot of, if any
    generation: int | None = None
    sent: bool = False

    @property
    def reserved(self) -> bool:
        return self.bucket is not None or self.generation is not None


@attrs.define(eq=False)
class _Lane:
    bucket: TokenBucket
    window: ServerWindow = attrs.field(factory=ServerWindow)
    in_flight: int = 0
    answered: bool = False
    probe_until: float | None = None


class RateLimiter:
    """Client-wide rate-limit state shared by every request of one client.

    Three things decide when a request may go, in order:

    1. the **pause** after a 429: nothing goes until the server's ``Retry-After`` has passed;
    2. the **server window** learnt from ``X-RateLimit-Limit/Remaining/Reset`` (when sent): the
       remaining requests are paced evenly until the reset;
    3. the client's own **token bucket** for reads or writes (``RateLimitConfig``). Until the
       first answer of a kind, one request goes alone (for up to ``PROBE_HOLD`` s) to learn
       whether the server publishes its limit; if it does not, the bucket bursts only briefly,
       and each 429 lowers its rate (``DECREASE``), which then recovers slowly.

    Every server-derived wait is bounded by ``max_wait`` (``RetryConfig.max_retry_after``).
    """

    def __init__(self, config: RateLimitConfig, now: float, *, max_wait: float = 60.0) -> None:
        self.config = config
        self.max_wait = max_wait
        per_s = 1.0 / config.window
        self._lanes = {
            "read": _Lane(TokenBucket(config.reads, config.reads * per_s, now)),
            "write": _Lane(TokenBucket(config.writes, config.writes * per_s, now)),
        }
        self._pause_until = 0.0
        self._epoch = 0
        self._lock = threading.Lock()
        #: how many times a 429 paused the whole client
        self.pauses = 0

    @property
    def _buckets(self) -> dict[str, TokenBucket]:
        return {kind: lane.bucket for kind, lane in self._lanes.items()}

    @property
    def _windows(self) -> dict[str, ServerWindow]:
        return {kind: lane.window for kind, lane in self._lanes.items()}

    @property
    def _in_flight(self) -> dict[str, int]:
        return {kind: lane.in_flight for kind, lane in self._lanes.items()}

    @staticmethod
    def kind(method: str) -> str:
        return "read" if method in READ_METHODS else "write"

    def paused_for(self, now: float) -> float:
        return max(0.0, self._pause_until - now)

    def acquire(self, method: str, now: float) -> Slot:
        """Ask to send one request. ``slot.wait == 0``: it is sent now; otherwise sleep that long,
        then ``confirm``; on giving up, ``cancel``. Every sent request ends with ``release``."""
        slot = Slot(self.kind(method))
        with self._lock:
            self._schedule(slot, now)
        return slot

    def confirm(self, slot: Slot, now: float) -> float:
        """After sleeping ``slot.wait``: 0 means go (the request is now in flight); otherwise the
        slot was moved (a pause began, or nothing was reserved) and this is the new wait."""
        with self._lock:
            if not slot.sent:
                if slot.reserved and slot.epoch == self._epoch:
                    self._send(slot)
                else:
                    self._give_back(slot, now)
                    self._schedule(slot, now)
            return slot.wait

    def cancel(self, slot: Slot, now: float) -> None:
        """The caller gave up while waiting: give its reservations back to those still queued."""
        with self._lock:
            if not slot.sent:
                self._give_back(slot, now)

    def release(self, method: str) -> None:
        """A request that went (``wait`` 0) is finished: answered or failed."""
        with self._lock:
            self._lanes[self.kind(method)].in_flight -= 1

    def announce(self, slot: Slot, now: float) -> bool:
        """True once per long wait for the server's window (to log it as a WARNING)."""
        if slot.reason != "server" or slot.wait <= LONG_WAIT:
            return False
        with self._lock:
            window = self._lanes[slot.kind].window
            if window.announced >= window.reset_at:
                return False
            window.announced = window.reset_at
            return True

    def _schedule(self, slot: Slot, now: float) -> None:
        lane = self._lanes[slot.kind]
        slot.epoch = self._epoch
        pause = self._pause_until - now
        if pause > 0:
            slot.wait, slot.reason = pause, "pause"
            return
        if self.config.enabled and not lane.answered:
            if lane.probe_until is None:
                lane.probe_until = now + PROBE_HOLD
            elif now < lane.probe_until:
                slot.wait, slot.reason = min(PROBE_POLL, lane.probe_until - now), "probe"
                return
        wait, slot.generation = lane.window.take(now)
        slot.reason = "server"
        if slot.generation is None and wait > 0:
            slot.wait = wait
            return
        if self.config.enabled:
            slot.bucket = lane.bucket.generation
            lane.bucket.blind = not lane.window.known
            bucket_wait = lane.bucket.reserve(now)
            if bucket_wait > wait:
                wait, slot.reason = bucket_wait, "client"
        slot.wait = wait
        if wait <= 0:
            self._send(slot)
        elif slot.generation is not None:
            lane.window.waiting += 1

    def _send(self, slot: Slot) -> None:
        lane = self._lanes[slot.kind]
        if slot.wait > 0 and slot.generation == lane.window.generation:
            lane.window.waiting = max(0, lane.window.waiting - 1)
        slot.sent = True
        slot.wait = 0.0
        lane.in_flight += 1

    def _give_back(self, slot: Slot, now: float) -> None:
        lane = self._lanes[slot.kind]
        if slot.bucket is not None:
            lane.bucket.refund(now, slot.bucket)
            slot.bucket = None
        if slot.generation is not None:
            lane.window.refund(slot.generation)
            slot.generation = None

    def pause(self, seconds: float, now: float, method: str = "GET") -> bool:
        """Hold every request of this client for ``seconds``; return True if a new pause began."""
        lane = self._lanes[self.kind(method)]
        with self._lock:
            until = now + seconds
            started = self._pause_until <= now
            if until > self._pause_until:
                self._pause_until = until
                self._epoch += 1  # slots reserved before the pause must queue again after it
            if started:
                self.pauses += 1
            informed = lane.window.known
        if started and not informed and self.config.enabled:
            floor = 1.0 / self.config.window
            lane.bucket.throttle(now, now + seconds, floor=floor)
        return started

    def observe(
        self, method: str, status: int, headers: Mapping[str, str], now: float, wall: float
    ) -> None:
        """Learn from a response: ``X-RateLimit-Limit/Remaining/Reset`` and successes.

        ``X-RateLimit-Reset`` is read as epoch milliseconds above 10^11, epoch seconds above
        10^9, otherwise as seconds from now (all three are in use), and capped at ``max_wait``.
        Requests still in flight are assumed to count against ``Remaining`` too.
        """
        lane = self._lanes[self.kind(method)]
        if status != 429:
            lane.bucket.recover(now)
        remaining = header_number(headers.get("x-ratelimit-remaining"))
        reset = header_number(headers.get("x-ratelimit-reset"))
        reset_in: float | None = None
        if reset is not None:
            if reset > 1e11:
                reset /= 1000.0
            reset_in = reset - wall if reset > 1e9 else reset
            reset_in = min(max(reset_in, 0.0), self.max_wait)
        limit = header_number(headers.get("x-ratelimit-limit"))
        with self._lock:
            lane.answered = True
            if remaining is not None:
                others = max(0, lane.in_flight - 1)  # the answered request is still counted
                lane.window.update(limit, remaining, reset_in, now, others)


def header_number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


#: One admission to the rate limit shared by every process (GCRA, run atomically in Redis).
#: ``KEYS[1]`` holds the theoretical arrival time (TAT, microseconds on the Redis server's clock,
#: so the processes' clocks do not matter). ``ARGV``: the interval between requests, the burst
#: tolerance and the longest wait the caller accepts, all in microseconds. It reserves the next
#: free slot and answers ``{1, wait}``; a slot further off than the caller accepts is not
#: reserved: ``{0, wait}``.
SHARED_ADMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > tonumber(ARGV[3]) then return {0, wait} end
local after = tat + interval
redis.call('SET', KEYS[1], string.format('%d', after), 'PX', math.floor((after - now) / 1000) + 1000)
return {1, wait}
"""
#: The shared budget runs at this share of the published rate: the server counts in fixed
#: windows, and requests admitted evenly can still arrive a little bunched.
SHARED_MARGIN = 0.95
#: After Redis failed, the in-process limiter alone decides for this many seconds.
SHARED_RETRY = 5.0


class SharedLimit:
    """What the transport needs to draw on the rate limit shared through Redis (pure state).

    Keys are per environment (a digest of the API key, never the key) and kind (read/write).
    When Redis fails, ``failed`` switches to the in-process limiter for ``SHARED_RETRY`` seconds
    and answers True once per client (to log it as a WARNING).
    """

    def __init__(self, config: RateLimitConfig, api_key: str) -> None:
        import hashlib

        digest = hashlib.sha256(b"workos-authkit-rate-limit\0" + api_key.encode()).hexdigest()
        self._args: dict[str, tuple[str, int, int]] = {}
        for kind, limit in (("read", config.reads), ("write", config.writes)):
            per_second = limit / config.window * SHARED_MARGIN
            interval = 1e6 / per_second
            burst = max(1.0, per_second * BLIND_BURST)
            key = f"ratelimit:{digest[:32]}:{kind}"
            self._args[kind] = (key, round(interval), round((burst - 1.0) * interval))
        self._down_until = 0.0
        self._warned = False
        self.down = False
        self._lock = threading.Lock()

    def args(self, kind: str) -> tuple[str, int, int]:
        """``(key, interval, tolerance)`` for ``kind``; microseconds."""
        return self._args[kind]

    def usable(self, now: float) -> bool:
        return now >= self._down_until

    def failed(self, now: float) -> bool:
        """Redis failed: True the first time (log it)."""
        with self._lock:
            self._down_until = now + SHARED_RETRY
            self.down = True
            first, self._warned = not self._warned, True
            return first

    def succeeded(self) -> bool:
        """Redis answered: True if it had failed before (log the recovery)."""
        if not self.down:
            return False
        with self._lock:
            back, self.down = self.down, False
            return back
