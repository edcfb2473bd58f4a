# source-of-truth: async
"""The retry + rate-limit middleware, on a fake clock: no real waiting."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from tests._async.helpers import FakeClock, async_make_client, async_raw_get
from tests.factories import API_KEY, user_json
from workos_authkit import (
    APIConnectionError,
    APITimeoutError,
    OutcomeUnknownError,
    RateLimitConfig,
    RateLimitError,
    RequestOptions,
    RetryConfig,
    ServerError,
)

pytestmark = pytest.mark.anyio

GET_PATH = "/user_management/users/user_01R"
POST_PATH = "/user_management/users"


def ok_user() -> httpx.Response:
    return httpx.Response(200, json=user_json("user_01R"))


async def test_429_with_retry_after_retries_once_after_the_wait(router: respx.Router) -> None:
    clock = FakeClock()
    seen_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at.append(clock.now)
        if len(seen_at) == 1:
            return httpx.Response(429, headers={"Retry-After": "2"}, json={"message": "slow down"})
        return ok_user()

    router.get(GET_PATH).mock(side_effect=answer)
    async with async_make_client(router, clock=clock) as client:
        user = await client.users.get("user_01R")
        assert user.id == "user_01R"
        assert client.rate_limit_pauses == 1
        assert client.transport_stats.retries == 1
    assert len(seen_at) == 2
    assert seen_at[1] - seen_at[0] >= 2.0


async def test_retry_after_as_http_date(router: respx.Router) -> None:
    clock = FakeClock()
    date = "Tue, 14 Nov 2023 22:13:25 GMT"  # 5 s after FakeClock's wall start
    router.get(GET_PATH).mock(
        side_effect=[httpx.Response(503, headers={"Retry-After": date}), ok_user()]
    )
    async with async_make_client(router, clock=clock) as client:
        await client.users.get("user_01R")
    assert clock.sleeps == [pytest.approx(5.0)]


async def test_retry_after_beyond_the_cap_is_not_waited_out(router: respx.Router) -> None:
    clock = FakeClock()
    route = router.get(GET_PATH).respond(
        429, headers={"Retry-After": "3600"}, json={"message": "x"}
    )
    async with async_make_client(router, clock=clock) as client:
        with pytest.raises(RateLimitError) as info:
            await client.users.get("user_01R")
    assert info.value.retry_after == 3600.0
    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_retried_for_gets(router: respx.Router, status: int) -> None:
    route = router.get(GET_PATH).mock(side_effect=[httpx.Response(status), ok_user()])
    async with async_make_client(router) as client:
        assert (await client.users.get("user_01R")).id == "user_01R"
    assert route.call_count == 2


async def test_backoff_grows_and_attempts_are_bounded(router: respx.Router) -> None:
    clock = FakeClock()
    route = router.get(GET_PATH).respond(500, json={"message": "boom"})
    retry = RetryConfig(max_retries=3, initial_delay=0.5, max_delay=8.0)
    async with async_make_client(router, clock=clock, retry=retry) as client:
        with pytest.raises(ServerError):
            await client.users.get("user_01R")
    assert route.call_count == 4
    assert len(clock.sleeps) == 3
    for attempt, slept in enumerate(clock.sleeps):
        nominal = 0.5 * 2**attempt
        assert nominal / 2 <= slept <= nominal


async def test_total_wait_is_bounded(router: respx.Router) -> None:
    clock = FakeClock()
    route = router.get(GET_PATH).respond(503, headers={"Retry-After": "4"})
    retry = RetryConfig(max_retries=10, max_total_wait=10.0)
    async with async_make_client(router, clock=clock, retry=retry) as client:
        with pytest.raises(ServerError):
            await client.users.get("user_01R")
    assert sum(clock.sleeps) <= 10.0
    assert route.call_count == 3


async def test_per_call_max_retries_override(router: respx.Router) -> None:
    route = router.get(GET_PATH).respond(500)
    async with async_make_client(router) as client:
        with pytest.raises(ServerError):
            await client.users.get("user_01R", options=RequestOptions(max_retries=0))
        assert route.call_count == 1
        with pytest.raises(ServerError):
            await client.with_options(max_retries=1).users.get("user_01R")
        assert route.call_count == 3


async def test_connection_errors_before_sending_are_retried_even_for_post(
    router: respx.Router,
) -> None:
    route = router.post(POST_PATH).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(201, json=user_json("user_01R"))]
    )
    async with async_make_client(router) as client:
        await client.users.create(email="a@example.com")
    assert route.call_count == 2


async def test_read_timeouts_are_retried_for_gets(router: respx.Router) -> None:
    route = router.get(GET_PATH).mock(side_effect=[httpx.ReadTimeout("slow"), ok_user()])
    async with async_make_client(router) as client:
        await client.users.get("user_01R")
    assert route.call_count == 2


async def test_exhausted_timeouts_raise_api_timeout(router: respx.Router) -> None:
    router.get(GET_PATH).mock(side_effect=httpx.ReadTimeout("slow"))
    async with async_make_client(router, max_retries=2) as client:
        with pytest.raises(APITimeoutError):
            await client.users.get("user_01R")


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset"),
        httpx.Response(502, text="Bad Gateway"),
        httpx.Response(504, text="Gateway Timeout"),
    ],
)
async def test_ambiguous_post_failure_is_not_retried_by_default(
    router: respx.Router, failure: Exception | httpx.Response
) -> None:
    route = router.post(POST_PATH).mock(
        side_effect=[failure, httpx.Response(201, json=user_json("user_01R"))]
    )
    async with async_make_client(router) as client:
        with pytest.raises(OutcomeUnknownError) as info:
            await client.users.create(email="a@example.com", password="s3cret-pass")
    assert route.call_count == 1
    err = info.value
    assert err.method == "POST"
    assert err.path == POST_PATH
    assert err.idempotency_key == route.calls.last.request.headers["idempotency-key"]
    assert "s3cret-pass" not in str(err)
    assert API_KEY not in str(err)


async def test_ambiguous_post_is_retried_with_the_same_key_when_opted_in(
    router: respx.Router,
) -> None:
    route = router.post(POST_PATH).mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.Response(502),
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(201, json=user_json("user_01R")),
        ]
    )
    async with async_make_client(router, retry=RetryConfig(retry_ambiguous=True)) as client:
        await client.users.create(email="a@example.com")
    keys = {call.request.headers["idempotency-key"] for call in route.calls}
    assert route.call_count == 4
    assert len(keys) == 1
    assert next(iter(keys))


async def test_retrying_after_outcome_unknown_with_the_reported_key(router: respx.Router) -> None:
    route = router.post(POST_PATH).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(201, json=user_json("user_01R"))]
    )
    async with async_make_client(router) as client:
        with pytest.raises(OutcomeUnknownError) as info:
            await client.users.create(email="a@example.com")
        await client.users.create(
            email="a@example.com",
            options=RequestOptions(idempotency_key=info.value.idempotency_key),
        )
    first, second = (call.request.headers["idempotency-key"] for call in route.calls)
    assert first == second


async def test_each_post_gets_its_own_key_and_a_caller_key_is_kept(router: respx.Router) -> None:
    route = router.post(POST_PATH).respond(201, json=user_json("user_01R"))
    async with async_make_client(router) as client:
        await client.users.create(email="a@example.com")
        await client.users.create(email="b@example.com")
        await client.users.create(
            email="c@example.com", options=RequestOptions(idempotency_key="import-row-42")
        )
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert keys[0] != keys[1]
    assert keys[2] == "import-row-42"


async def test_gets_carry_no_idempotency_key(router: respx.Router) -> None:
    route = router.get(GET_PATH).mock(return_value=ok_user())
    async with async_make_client(router) as client:
        await client.users.get("user_01R")
    assert "idempotency-key" not in route.calls.last.request.headers


async def test_puts_and_deletes_are_retried_after_ambiguous_failures(router: respx.Router) -> None:
    put = router.put(GET_PATH).mock(side_effect=[httpx.ReadTimeout("x"), ok_user()])
    delete = router.delete(GET_PATH).mock(side_effect=[httpx.Response(502), httpx.Response(200)])
    async with async_make_client(router) as client:
        await client.users.update("user_01R", first_name="Ada")
        await client.users.delete("user_01R")
    assert (put.call_count, delete.call_count) == (2, 2)


async def test_retries_and_waits_are_logged_without_secrets(
    router: respx.Router, caplog: pytest.LogCaptureFixture
) -> None:
    router.post(POST_PATH).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.ConnectError("refused"),
            httpx.Response(201, json=user_json("user_01R")),
        ]
    )
    router.get(GET_PATH).mock(
        side_effect=[httpx.Response(500, headers={"X-Request-ID": "req_retry_1"}), ok_user()]
    )
    caplog.set_level(logging.DEBUG, logger="workos_authkit")
    async with async_make_client(router) as client:
        await client.users.create(email="a@example.com", password="pw-should-not-leak")
        await client.users.get("user_01R")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "rate limited (429); pausing the client for 1.00s" in text
    assert "failed (ConnectError); retry 1/3" in text
    assert "answered 500; retry 1/3" in text
    assert "[request_id=req_retry_1]" in text  # the failed attempt's id, to quote to support
    assert API_KEY not in text
    assert "pw-should-not-leak" not in text
    assert all(r.name == "workos_authkit" for r in caplog.records)


async def test_server_rate_limit_headers_hold_requests_until_reset(router: respx.Router) -> None:
    clock = FakeClock()
    seen_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at.append(clock.now)
        remaining = "0" if len(seen_at) == 1 else "9"
        return httpx.Response(
            200,
            json=user_json("user_01R"),
            headers={
                "X-RateLimit-Limit": "10",
                "X-RateLimit-Remaining": remaining,
                "X-RateLimit-Reset": "3",
            },
        )

    router.get(GET_PATH).mock(side_effect=answer)
    async with async_make_client(router, clock=clock) as client:
        await client.users.get("user_01R")
        await client.users.get("user_01R")
        assert client.rate_limit_pauses == 0  # no 429: the server's window is enough
    assert seen_at[1] - seen_at[0] >= 3.0


async def test_client_side_token_bucket_paces_requests(router: respx.Router) -> None:
    clock = FakeClock()
    seen_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at.append(clock.now)
        return ok_user()

    router.get(GET_PATH).mock(side_effect=answer)
    limits = RateLimitConfig(reads=5, writes=5, window=1.0)  # 5 per second
    async with async_make_client(router, clock=clock, rate_limit=limits) as client:
        for _ in range(15):
            await client.users.get("user_01R")
    # the server does not say its limit, so the client does not burst: 5 per second, evenly
    assert seen_at == [pytest.approx(n * 0.2) for n in range(15)]
    assert client.transport_stats.retries == 0


async def test_rate_limit_buckets_can_be_disabled(router: respx.Router) -> None:
    clock = FakeClock()
    router.get(GET_PATH).mock(return_value=ok_user())
    limits = RateLimitConfig(reads=1, writes=1, window=100.0, enabled=False)
    async with async_make_client(router, clock=clock, rate_limit=limits) as client:
        for _ in range(5):
            await client.users.get("user_01R")
    assert clock.sleeps == []


async def test_closed_client_refuses_calls(router: respx.Router) -> None:
    from workos_authkit import WorkOSError

    client = async_make_client(router)
    await client.aclose()
    assert client.is_closed
    with pytest.raises(WorkOSError, match="closed"):
        await client.users.get("user_01R")


async def test_connection_error_after_retries_is_typed(router: respx.Router) -> None:
    router.get(GET_PATH).mock(side_effect=httpx.ConnectError("refused"))
    async with async_make_client(router, max_retries=2) as client:
        with pytest.raises(APIConnectionError):
            await client.users.get("user_01R")


async def test_a_final_429_still_pauses_the_client(router: respx.Router) -> None:
    clock = FakeClock()
    seen_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at.append(clock.now)
        if len(seen_at) == 1:
            return httpx.Response(429, headers={"Retry-After": "3"})
        return ok_user()

    router.get(GET_PATH).mock(side_effect=answer)
    async with async_make_client(router, clock=clock, max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.users.get("user_01R")
        await client.users.get("user_01R")  # waits for the pause the 429 started
        assert client.rate_limit_pauses == 1
        assert client.transport_stats.rate_limited == 1
    assert seen_at[1] - seen_at[0] >= 3.0


async def test_credential_path_segments_are_masked_in_logs_and_errors(
    router: respx.Router, caplog: pytest.LogCaptureFixture
) -> None:
    from workos_authkit import APIConnectionError

    token = "inv_tok_SECRET123"
    router.get(f"/user_management/invitations/by_token/{token}").mock(
        side_effect=[httpx.Response(503), httpx.ConnectError("refused"), httpx.ConnectError("x")]
    )
    caplog.set_level(logging.DEBUG, logger="workos_authkit")
    async with async_make_client(router, max_retries=2) as client:
        with pytest.raises(APIConnectionError) as info:
            await async_raw_get(client, f"/user_management/invitations/by_token/{token}")
    text = "\n".join(r.getMessage() for r in caplog.records) + str(info.value)
    assert "/by_token/***" in text
    assert token not in text


class Interrupted(BaseException):
    """Stands for a cancellation (async) or a KeyboardInterrupt (sync) while a caller waits."""


class InterruptingClock(FakeClock):
    """Interrupts the next ``interrupts`` sleeps, like a caller given up on while queued."""

    def __init__(self) -> None:
        super().__init__()
        self.interrupts = 0

    async def sleep(self, seconds: float) -> None:
        if self.interrupts > 0:
            self.interrupts -= 1
            self.sleeps.append(seconds)
            raise Interrupted
        await super().sleep(seconds)


async def test_callers_given_up_while_queued_give_their_slots_back(router: respx.Router) -> None:
    clock = InterruptingClock()
    seen_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at.append(clock.now)
        return ok_user()

    router.get(GET_PATH).mock(side_effect=answer)
    limits = RateLimitConfig(reads=1, writes=1, window=10.0)  # one token per 10 s
    async with async_make_client(router, clock=clock, rate_limit=limits) as client:
        await client.users.get("user_01R")  # takes the only token
        clock.interrupts = 20
        for _ in range(20):  # each reserves the next slot, then is given up on while waiting
            with pytest.raises(Interrupted):
                await client.users.get("user_01R")
        await client.users.get("user_01R")
    # the next caller waits for the next token, not behind 20 ghosts (200 s)
    assert seen_at == [0.0, pytest.approx(10.0)]


async def test_server_window_waits_are_capped_like_retry_after(
    router: respx.Router, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    seen_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at.append(clock.now)
        headers = {"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0"}
        headers["X-RateLimit-Reset"] = "3600"
        return httpx.Response(200, json=user_json("user_01R"), headers=headers)

    router.get(GET_PATH).mock(side_effect=answer)
    caplog.set_level(logging.WARNING, logger="workos_authkit")
    retry = RetryConfig(max_retry_after=20.0)
    async with async_make_client(router, clock=clock, retry=retry) as client:
        await client.users.get("user_01R")
        await client.users.get("user_01R")
    assert seen_at == [0.0, pytest.approx(20.0)]  # not an hour
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "rate limit" in warnings[0] and "20.00s" in warnings[0]


async def test_reset_in_epoch_milliseconds(router: respx.Router) -> None:
    clock = FakeClock()
    seen_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at.append(clock.now)
        reset_ms = int((clock.time() + 4.0) * 1000)
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset_ms)}
        return httpx.Response(200, json=user_json("user_01R"), headers=headers)

    router.get(GET_PATH).mock(side_effect=answer)
    async with async_make_client(router, clock=clock) as client:
        await client.users.get("user_01R")
        await client.users.get("user_01R")
    assert seen_at == [0.0, pytest.approx(4.0)]
