"""The pure retry and rate-limit policy (run once: it is shared by both twins)."""

from __future__ import annotations

import pytest

from workos_authkit._retry import (
    PROBE_HOLD,
    PROBE_POLL,
    RateLimitConfig,
    RateLimiter,
    RetryConfig,
    Slot,
    TokenBucket,
    parse_retry_after,
)

NOW = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": " 3 "}, 3.0),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"}, 10.0),
        ({"retry-after": "Tue, 14 Nov 2023 22:13:00 GMT"}, 0.0),  # in the past
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "x", "retry-after": "9"}, 9.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, NOW) == (
        pytest.approx(expected) if expected is not None else None
    )


@pytest.mark.parametrize("attempt", range(8))
@pytest.mark.parametrize("draw", [0.0, 0.5, 0.999])
def test_backoff_is_exponential_capped_with_equal_jitter(attempt: int, draw: float) -> None:
    config = RetryConfig(initial_delay=0.5, max_delay=8.0)
    nominal = min(0.5 * 2**attempt, 8.0)
    delay = config.backoff(attempt, lambda: draw)
    assert nominal / 2 <= delay <= nominal
    assert delay == pytest.approx(nominal * (0.5 + 0.5 * draw))


def test_backoff_never_overflows() -> None:
    assert RetryConfig().backoff(10_000) <= 8.0


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryConfig(max_retries=-1)
    with pytest.raises(ValueError, match="reads"):
        RateLimitConfig(reads=0)


def test_token_bucket_reservations_queue_in_order() -> None:
    bucket = TokenBucket(capacity=2, per_second=1, now=0.0)
    assert [bucket.reserve(0.0) for _ in range(4)] == [0.0, 0.0, 1.0, 2.0]
    assert bucket.reserve(10.0) == 0.0  # refilled (to capacity, not beyond)
    assert bucket.reserve(10.0) == 0.0
    assert bucket.reserve(10.0) == 1.0


def answered(limiter: RateLimiter, now: float = 0.0) -> None:
    """Both kinds have had an answer without rate-limit headers (the probe is over)."""
    for method in ("GET", "POST"):
        limiter.observe(method, 200, {}, now, NOW)


def sent(slot: Slot) -> bool:
    return slot.sent and slot.wait == 0.0


def test_limiter_pause_is_shared_and_counted_once() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    answered(limiter)
    assert limiter.pause(2.0, now=0.0) is True
    assert limiter.pause(2.0, now=0.1) is False  # extends, does not start a new pause
    assert limiter.pauses == 1
    assert limiter.paused_for(1.0) == pytest.approx(1.1)
    slot = limiter.acquire("GET", 1.0)
    assert slot.wait == pytest.approx(1.1)
    assert (slot.reason, slot.reserved) == ("pause", False)
    assert limiter.confirm(slot, 2.1) == 0.0
    # at the lowered rate (70/s), bursting only a tenth of a second of it
    waits = [limiter.acquire("GET", 2.1).wait for _ in range(7)]
    assert waits == [0.0] * 6 + [pytest.approx(1 / 70, rel=0.02)]
    assert limiter.pause(1.0, now=5.0) is True
    assert limiter.pauses == 2


def test_server_window_paces_requests_until_reset() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=1000, writes=500, window=10.0), now=0.0)
    assert sent(limiter.acquire("GET", 0.0))
    headers = {"x-ratelimit-limit": "3", "x-ratelimit-remaining": "2", "x-ratelimit-reset": "4"}
    limiter.observe("GET", 200, headers, 0.0, NOW)
    limiter.release("GET")
    # the two requests left are spread over the 4 s left, not sent at once
    assert sent(limiter.acquire("GET", 0.0))
    second = limiter.acquire("GET", 0.0)
    assert (second.wait, second.reason, second.reserved) == (2.0, "server", True)
    assert limiter.confirm(second, 2.0) == 0.0
    late = limiter.acquire("GET", 2.5)  # window spent: the first slot of the next one, at t=4
    assert (late.wait, late.reserved) == (1.5, True)
    assert sent(limiter.acquire("POST", 2.5))  # writes have their own window
    # at the reset a new window of the last known limit opens, with the same length, paced
    assert limiter.confirm(late, 4.0) == 0.0
    assert limiter.acquire("GET", 4.0).wait == pytest.approx(4 / 3)


def test_requests_in_flight_count_against_remaining() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    answered(limiter)
    for _ in range(5):
        assert sent(limiter.acquire("GET", 0.0))
    # the first answer says 3 remain, but 4 more requests are still in flight
    limiter.observe("GET", 200, {"x-ratelimit-remaining": "3", "x-ratelimit-reset": "9"}, 0.0, NOW)
    limiter.release("GET")
    assert limiter.acquire("GET", 0.0).wait == 9.0


@pytest.mark.parametrize(
    ("reset", "wait"),
    [
        (str(NOW + 4), 4.0),  # epoch seconds
        (str(int((NOW + 7) * 1000)), 7.0),  # epoch milliseconds
        ("3600", 60.0),  # seconds from now, beyond the cap
        (str(NOW + 86_400), 60.0),
        (str((NOW + 86_400) * 1000), 60.0),
    ],
)
def test_reset_conventions_and_the_cap(reset: str, wait: float) -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0, max_wait=60.0)
    assert sent(limiter.acquire("POST", 0.0))
    limiter.observe("POST", 200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}, 0, NOW)
    limiter.release("POST")
    assert limiter.acquire("POST", 0.0).wait == pytest.approx(wait)


def test_malformed_rate_limit_headers_are_ignored() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    assert sent(limiter.acquire("GET", 0.0))
    limiter.observe("GET", 200, {"x-ratelimit-remaining": "many"}, 0.0, NOW)
    limiter.release("GET")
    assert sent(limiter.acquire("GET", 0.0))


def test_429_without_headers_lowers_the_rate_and_successes_restore_it() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=100, writes=100, window=1.0), now=0.0)
    answered(limiter)
    bucket = limiter._buckets["read"]
    assert limiter.pause(1.0, now=0.0)
    assert bucket.per_second == pytest.approx(70.0)
    # after the pause the queue forms again from empty, at the lower rate
    waits = [limiter.acquire("GET", 1.0).wait for _ in range(3)]
    assert waits == [pytest.approx(n / 70) for n in (1, 2, 3)]
    # successes climb back to just under the refused rate, then creep past it, slowly
    limiter.observe("GET", 200, {}, 3.0, NOW)
    assert bucket.per_second == pytest.approx(95.0)
    limiter.observe("GET", 200, {}, 4.0, NOW)
    assert bucket.per_second == pytest.approx(95.95)
    limiter.observe("GET", 200, {}, 100.0, NOW)
    assert bucket.per_second == pytest.approx(100.0)


def test_limiter_disabled_still_honours_pauses() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=1, writes=1, enabled=False), now=0.0)
    assert all(sent(limiter.acquire("GET", 0.0)) for _ in range(5))
    limiter.pause(3.0, now=0.0)
    assert limiter.acquire("GET", 0.0).wait == 3.0


def test_first_request_of_a_kind_goes_alone_until_answered() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    assert sent(limiter.acquire("POST", 0.0))
    second = limiter.acquire("POST", 0.0)
    assert (second.wait, second.reason, second.reserved) == (PROBE_POLL, "probe", False)
    assert limiter.confirm(second, PROBE_POLL) == PROBE_POLL  # still no answer
    limiter.observe("POST", 201, {}, 0.03, NOW)
    assert limiter.confirm(second, 0.04) == 0.0
    # without an answer, the others go anyway after PROBE_HOLD
    assert sent(limiter.acquire("GET", 0.0))
    assert not sent(limiter.acquire("GET", PROBE_HOLD - 0.01))
    assert sent(limiter.acquire("GET", PROBE_HOLD))


def test_cancelled_slots_are_given_back() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=1, writes=1, window=10.0), now=0.0)
    answered(limiter)
    assert sent(limiter.acquire("GET", 0.0))
    queued = [limiter.acquire("GET", 0.0) for _ in range(3)]
    assert [slot.wait for slot in queued] == [10.0, 20.0, 30.0]
    for slot in queued:
        limiter.cancel(slot, 0.0)
    assert limiter.acquire("GET", 0.0).wait == 10.0  # not 40: the ghosts are gone
    # a slot of the server window is given back too
    headers = {"x-ratelimit-limit": "5", "x-ratelimit-remaining": "2", "x-ratelimit-reset": "10"}
    assert sent(limiter.acquire("POST", 0.0))
    limiter.observe("POST", 201, headers, 0.0, NOW)
    limiter.release("POST")
    ghost = limiter.acquire("POST", 0.0)
    assert ghost.wait == 0.0 or ghost.reserved
    limiter.cancel(ghost, 0.0)
    assert limiter._windows["write"].remaining == 2


def test_slots_reserved_before_a_pause_queue_again_after_it() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=10, writes=10, window=1.0), now=0.0)
    answered(limiter)
    assert sent(limiter.acquire("GET", 0.0))
    queued = [limiter.acquire("GET", 0.0) for _ in range(4)]
    assert [slot.wait for slot in queued] == [pytest.approx(n / 10) for n in (1, 2, 3, 4)]
    limiter.pause(2.0, now=0.05)  # a 429: the client holds until t=2.05
    # each wakes at its old slot, finds the pause, and waits for its end...
    assert [limiter.confirm(s, (n + 1) / 10) for n, s in enumerate(queued)] == [
        pytest.approx(2.05 - (n + 1) / 10) for n in range(4)
    ]
    # ...then they queue again at the lowered rate instead of stampeding
    after = [limiter.confirm(s, 2.05) for s in queued]
    assert after == [pytest.approx(n / 7) for n in (1, 2, 3, 4)]


def test_long_server_waits_are_announced_once() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    assert sent(limiter.acquire("GET", 0.0))
    limiter.observe("GET", 200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "30"}, 0, NOW)
    limiter.release("GET")
    first, second = limiter.acquire("GET", 0.0), limiter.acquire("GET", 1.0)
    assert (first.wait, second.wait) == (30.0, 29.0)
    assert limiter.announce(first, 0.0) is True
    assert limiter.announce(second, 1.0) is False
