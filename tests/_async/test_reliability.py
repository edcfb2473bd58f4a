# source-of-truth: async
"""Reliability under bad answers: the call deadline, retry classes per operation, cursor cycles."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from tests._async.helpers import FakeClock, async_make_client
from tests.factories import page_json, user_json
from workos_authkit import (
    APITimeoutError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    RequestOptions,
    ServerError,
    WorkOSError,
)
from workos_authkit._async._resource import AsyncResource
from workos_authkit._endpoint import Endpoint, Retry

pytestmark = pytest.mark.anyio

GET_PATH = "/user_management/users/user_01R"
USERS = "/user_management/users"
GRANT = Endpoint("POST", "/user_management/authenticate", "Test_grant", Retry.ONE_SHOT)


def ok_user() -> httpx.Response:
    return httpx.Response(200, json=user_json("user_01R"))


# ---------------------------------------------------------------------------- the deadline


async def test_a_rate_limit_pause_longer_than_the_deadline_fails_at_once(
    router: respx.Router,
) -> None:
    clock = FakeClock()
    router.get(GET_PATH).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "3"}), ok_user()]
    )
    async with async_make_client(router, clock=clock) as client:
        with pytest.raises(RateLimitError) as first:
            await client.users.get("user_01R", options=RequestOptions(deadline=0.5))
        assert first.value.retry_after == 3
        # a call made during the pause is not sent and does not sleep either
        with pytest.raises(RateLimitError) as second:
            await client.users.get(
                "user_01R", options=RequestOptions(timeout=0.5, max_retries=0, deadline=0.5)
            )
        assert second.value.retry_after == pytest.approx(3, abs=0.01)
        assert clock.now < 0.5
        assert len(router.calls) == 1
        # with time to wait, the same call waits the pause out
        assert (await client.users.get("user_01R")).id == "user_01R"
        assert clock.now >= 3


async def test_the_deadline_bounds_retries_and_backoff(router: respx.Router) -> None:
    clock = FakeClock()
    router.get(GET_PATH).mock(return_value=httpx.Response(503))
    async with async_make_client(router, clock=clock, max_retries=50, deadline=5.0) as client:
        with pytest.raises(ServerError):
            await client.users.get("user_01R")
    assert clock.now <= 5.0
    assert 2 <= len(router.calls) < 50


async def test_the_deadline_shrinks_the_last_attempts_timeout(router: respx.Router) -> None:
    clock = FakeClock()
    reads: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        reads.append(request.extensions["timeout"]["read"])
        return httpx.Response(503) if len(reads) == 1 else ok_user()

    router.get(GET_PATH).mock(side_effect=answer)
    async with async_make_client(router, clock=clock, timeout=30.0) as client:
        await client.users.get("user_01R", options=RequestOptions(deadline=2.0))
    assert reads[0] == 2.0  # the deadline is shorter than the 30 s per-attempt timeout
    assert 0 < reads[1] < 2.0


async def test_a_per_call_deadline_overrides_the_clients(router: respx.Router) -> None:
    clock = FakeClock()
    router.get(GET_PATH).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "10"}), ok_user()]
    )
    async with async_make_client(router, clock=clock, deadline=1.0) as client:
        user = await client.users.get("user_01R", options=RequestOptions(deadline=30.0))
        assert user.id == "user_01R"
        assert clock.now >= 10


async def test_no_deadline_when_disabled(router: respx.Router) -> None:
    clock = FakeClock()
    router.get(GET_PATH).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "50"}), ok_user()]
    )
    async with async_make_client(router, clock=clock, deadline=None) as client:
        assert (await client.users.get("user_01R")).id == "user_01R"
    assert clock.now >= 50


async def test_a_deadline_already_spent_raises_a_timeout(router: respx.Router) -> None:
    clock = FakeClock()

    def slow(request: httpx.Request) -> httpx.Response:
        clock.now += 5  # the attempt itself took 5 s
        return httpx.Response(503)

    router.get(GET_PATH).mock(side_effect=slow)
    async with async_make_client(router, clock=clock, deadline=4.0) as client:
        with pytest.raises((APITimeoutError, ServerError)):
            await client.users.get("user_01R")
    assert len(router.calls) == 1


# ---------------------------------------------------------------------------- retry classes


async def test_a_5xx_on_a_create_is_ambiguous_and_not_resent(router: respx.Router) -> None:
    route = router.post(USERS).mock(return_value=httpx.Response(500))
    async with async_make_client(router) as client:
        with pytest.raises(OutcomeUnknownError, match="idempotency key") as info:
            await client.users.create(email="a@b.co")
    assert len(route.calls) == 1
    assert info.value.status_code == 500
    assert info.value.idempotency_key == route.calls.last.request.headers["idempotency-key"]


async def test_a_create_opting_in_is_resent_with_the_same_key(router: respx.Router) -> None:
    route = router.post(USERS).mock(
        side_effect=[httpx.Response(500), httpx.Response(201, json=user_json())]
    )
    async with async_make_client(router) as client:
        await client.users.create(email="a@b.co", options=RequestOptions(retry_ambiguous=True))
    keys = {call.request.headers["idempotency-key"] for call in route.calls}
    assert len(route.calls) == 2
    assert len(keys) == 1


async def test_a_429_uses_no_attempt_of_the_budget(router: respx.Router) -> None:
    clock = FakeClock()
    route = router.get(GET_PATH).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(503),
            httpx.Response(429, headers={"Retry-After": "1"}),
            ok_user(),
        ]
    )
    async with async_make_client(router, clock=clock, max_retries=1) as client:
        assert (await client.users.get("user_01R")).id == "user_01R"
    assert len(route.calls) == 4


async def test_a_create_refused_with_429_is_resent(router: respx.Router) -> None:
    clock = FakeClock()
    route = router.post(USERS).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(201, json=user_json()),
        ]
    )
    async with async_make_client(router, clock=clock) as client:
        await client.users.create(email="a@b.co")
    assert len(route.calls) == 2


async def test_a_delete_resent_after_an_ambiguous_failure_that_answers_404_succeeds(
    router: respx.Router,
) -> None:
    clock = FakeClock()
    route = router.delete(GET_PATH).mock(
        side_effect=[httpx.ReadTimeout("lost the answer"), httpx.Response(404, json={})]
    )
    async with async_make_client(router, clock=clock) as client:
        await client.users.delete("user_01R")  # no NotFoundError: done
    assert len(route.calls) == 2


async def test_a_delete_that_answers_404_at_once_is_not_found(router: respx.Router) -> None:
    router.delete(GET_PATH).respond(404, json={"code": "entity_not_found", "message": "gone"})
    async with async_make_client(router) as client:
        with pytest.raises(NotFoundError):
            await client.users.delete("user_01R")


async def _grant(client: Any, options: RequestOptions | None = None) -> Any:
    resource = AsyncResource(client)
    return await resource._post(GRANT, dict[str, Any], body={"code": "c"}, options=options)


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(500), httpx.Response(502), httpx.ReadTimeout("no answer")],
)
async def test_a_one_shot_call_is_never_resent_once_it_may_have_arrived(
    router: respx.Router, failure: Any
) -> None:
    route = router.post("/user_management/authenticate").mock(
        side_effect=[failure, httpx.Response(200, json={})]
    )
    async with async_make_client(router) as client:
        with pytest.raises(OutcomeUnknownError, match="never resent"):
            await _grant(client, RequestOptions(retry_ambiguous=True))
    assert len(route.calls) == 1
    assert "idempotency-key" not in route.calls.last.request.headers


async def test_a_one_shot_call_that_never_left_or_was_refused_is_resent(
    router: respx.Router,
) -> None:
    clock = FakeClock()
    route = router.post("/user_management/authenticate").mock(
        side_effect=[
            httpx.ConnectError("refused"),
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    async with async_make_client(router, clock=clock) as client:
        assert await _grant(client) == {"ok": True}
    assert len(route.calls) == 3


# ---------------------------------------------------------------------------- pagination


async def test_a_cursor_cycle_is_an_error_not_a_loop(router: respx.Router) -> None:
    router.get(USERS).mock(
        side_effect=[
            httpx.Response(200, json=page_json([user_json("user_a")], before=None, after="A")),
            httpx.Response(200, json=page_json([user_json("user_b")], before=None, after="B")),
            httpx.Response(200, json=page_json([user_json("user_c")], before=None, after="A")),
        ]
    )
    async with async_make_client(router) as client:
        seen = []
        with pytest.raises(WorkOSError, match="cursor repeats"):
            async for user in client.users.list():
                seen.append(user.id)
    assert seen == ["user_a", "user_b", "user_c"]
