"""The pure retry and rate-limit policy (run once: it is shared by both twins)."""

from __future__ import annotations

import pytest

from workos_authkit._retry import (
    RateLimitConfig,
    RateLimiter,
    RetryConfig,
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


def assert_wait(result: tuple[float, bool], seconds: float) -> None:
    """``acquire`` said: wait ``seconds`` and ask again (nothing reserved)."""
    wait, reserved = result
    assert not reserved
    assert wait == pytest.approx(seconds)


def test_limiter_pause_is_shared_and_counted_once() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    assert limiter.pause(2.0, now=0.0) is True
    assert limiter.pause(2.0, now=0.1) is False  # extends, does not start a new pause
    assert limiter.pauses == 1
    assert limiter.paused_for(1.0) == pytest.approx(1.1)
    assert_wait(limiter.acquire("GET", 1.0), 1.1)  # nothing taken
    assert limiter.acquire("GET", 5.0) == (0.0, True)
    assert limiter.pause(1.0, now=5.0) is True
    assert limiter.pauses == 2


def test_server_window_gates_requests_until_reset() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=100, writes=50, window=10.0), now=0.0)
    assert limiter.acquire("GET", 0.0) == (0.0, True)
    limiter.observe(
        "GET",
        200,
        {"x-ratelimit-limit": "3", "x-ratelimit-remaining": "2", "x-ratelimit-reset": "4"},
        0.0,
        NOW,
    )
    limiter.release("GET")
    assert limiter.acquire("GET", 0.0) == (0.0, True)
    assert limiter.acquire("GET", 0.0) == (0.0, True)
    assert_wait(limiter.acquire("GET", 1.0), 3.0)  # window spent until t=4
    assert limiter.acquire("POST", 1.0) == (0.0, True)  # writes have their own window
    # a new window of the last known limit opens at the reset, with the same length
    assert [limiter.acquire("GET", 4.0)[1] for _ in range(4)] == [True, True, True, False]
    assert limiter.acquire("GET", 4.0)[0] == pytest.approx(4.0)


def test_requests_in_flight_count_against_remaining() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    for _ in range(5):
        assert limiter.acquire("GET", 0.0)[1]
    # the first answer says 3 remain, but 4 more requests are still in flight
    limiter.observe("GET", 200, {"x-ratelimit-remaining": "3", "x-ratelimit-reset": "9"}, 0.0, NOW)
    limiter.release("GET")
    assert_wait(limiter.acquire("GET", 0.0), 9.0)


def test_reset_as_epoch_seconds() -> None:
    limiter = RateLimiter(RateLimitConfig(), now=0.0)
    limiter.acquire("POST", 0.0)
    limiter.observe(
        "POST", 200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(NOW + 4)}, 0.0, NOW
    )
    limiter.release("POST")
    assert_wait(limiter.acquire("POST", 0.0), 4.0)
    # malformed headers are ignored
    limiter.observe("GET", 200, {"x-ratelimit-remaining": "many"}, 0.0, NOW)
    assert limiter.acquire("GET", 0.0) == (0.0, True)


def test_429_without_headers_halves_the_bucket_and_successes_restore_it() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=100, writes=100, window=1.0), now=0.0)
    assert limiter.pause(1.0, now=0.0)
    # after the pause the bucket is empty and refills at half the rate: 50/s
    waits = [limiter.acquire("GET", 1.0)[0] for _ in range(3)]
    assert waits == [pytest.approx(0.02), pytest.approx(0.04), pytest.approx(0.06)]
    for _ in range(200):
        limiter.observe("GET", 200, {}, 2.0, NOW)
    assert limiter.acquire("GET", 100.0) == (0.0, True)
    assert limiter._buckets["read"].per_second == pytest.approx(100.0)


def test_limiter_disabled_still_honours_pauses() -> None:
    limiter = RateLimiter(RateLimitConfig(reads=1, writes=1, enabled=False), now=0.0)
    assert [limiter.acquire("GET", 0.0) for _ in range(5)] == [(0.0, True)] * 5
    limiter.pause(3.0, now=0.0)
    assert limiter.acquire("GET", 0.0) == (3.0, False)
