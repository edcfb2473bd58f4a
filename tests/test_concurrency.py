"""Many tasks sharing one client: a 429 pauses them all once (async only: tasks, not threads)."""

from __future__ import annotations

import anyio
import httpx
import pytest
import respx

from tests._async.helpers import FakeClock, async_make_client
from tests.factories import user_json

pytestmark = pytest.mark.anyio

PATH = "/user_management/users/user_01C"


async def test_fifty_tasks_hitting_a_429_cause_one_pause(router: respx.Router) -> None:
    clock = FakeClock()
    log: list[tuple[float, int]] = []
    release = anyio.Event()

    async def server(request: httpx.Request) -> httpx.Response:
        # Hold every request until all 50 are in flight, as on a busy server.
        if len(log) < 50 and not release.is_set():
            log.append((clock.now, 0))
            if len(log) == 50:
                release.set()
            await release.wait()
        status = 429 if clock.now < 2.0 else 200
        log.append((clock.now, status))
        if status == 429:
            return httpx.Response(429, headers={"Retry-After": "2"}, json={"message": "Too many"})
        return httpx.Response(200, json=user_json("user_01C"))

    router.get(PATH).mock(side_effect=server)
    results: list[str] = []
    async with async_make_client(router, clock=clock) as client:

        async def one() -> None:
            results.append((await client.users.get("user_01C")).id)

        async with anyio.create_task_group() as tg:
            for _ in range(50):
                tg.start_soon(one)

        answered = [status for _, status in log if status]
        assert answered.count(429) == 50  # all 50 were in flight when the limit hit
        assert answered.count(200) == 50  # and each retried exactly once
        assert client.rate_limit_pauses == 1  # one shared pause, not 50 independent ones
        assert client.transport_stats.retries == 50
        refused_at = max(t for t, status in log if status == 429)
        assert all(t >= refused_at + 2.0 for t, status in log if status == 200)
        # After the one pause the retries are released through the (lowered) token bucket,
        # spread over most of a second instead of stampeding the server all at once.
        ok_times = sorted(t for t, status in log if status == 200)
        assert ok_times[0] - (refused_at + 2.0) < 0.1
        assert 0.5 <= ok_times[-1] - ok_times[0] <= 1.0
        assert len(set(ok_times)) > 25

        # A task that starts while the client is paused waits without touching the server.
        clock.now = 10.0
        late_log: list[float] = []

        async def limited(request: httpx.Request) -> httpx.Response:
            late_log.append(clock.now)
            if len(late_log) == 1:
                return httpx.Response(429, headers={"Retry-After": "5"})
            return httpx.Response(200, json=user_json("user_01C"))

        router.routes.clear()
        router.get(PATH).mock(side_effect=limited)
        async with anyio.create_task_group() as tg:
            tg.start_soon(one)
            await anyio.wait_all_tasks_blocked()
            tg.start_soon(one)
        assert len(late_log) == 3  # one 429, then each task once after the pause
        assert all(t >= 15.0 for t in late_log[1:])  # the late task waited for the shared pause
        assert client.rate_limit_pauses == 2
    assert len(results) == 52


async def test_concurrent_pages_do_not_share_state(router: respx.Router) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        org = request.url.params["organization_id"]
        if after is None:
            return httpx.Response(
                200,
                json={
                    "object": "list",
                    "data": [user_json(f"user_{org}_1")],
                    "list_metadata": {"before": None, "after": f"user_{org}_1"},
                },
            )
        return httpx.Response(
            200,
            json={
                "object": "list",
                "data": [user_json(f"user_{org}_2")],
                "list_metadata": {"before": after, "after": None},
            },
        )

    router.get("/user_management/users").mock(side_effect=server)
    seen: dict[str, list[str]] = {}
    async with async_make_client(router) as client:

        async def walk(org: str) -> None:
            seen[org] = [u.id async for u in client.users.list(organization_id=org, limit=1)]

        async with anyio.create_task_group() as tg:
            for org in ("a", "b", "c"):
                tg.start_soon(walk, org)
    assert seen == {o: [f"user_{o}_1", f"user_{o}_2"] for o in ("a", "b", "c")}


class StuckClock(FakeClock):
    """Every wait blocks until cancelled: tasks park wherever the limiter makes them wait."""

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await anyio.sleep_forever()


async def test_cancelled_waiters_release_their_slots(router: respx.Router) -> None:
    from workos_authkit import RateLimitConfig

    router.get(PATH).respond(200, json=user_json("user_01C"))
    clock = StuckClock()
    limits = RateLimitConfig(reads=1, writes=1, window=10.0)  # one token: the rest must queue
    async with async_make_client(router, clock=clock, rate_limit=limits) as client:
        limiter = client._http.limiter
        bucket = limiter._buckets["read"]
        async with anyio.create_task_group() as tg:
            for _ in range(5):
                tg.start_soon(client.users.get, "user_01C")
            await anyio.wait_all_tasks_blocked()
            # one request went through; four reserved the next slots and sleep for their turn
            assert len(router.calls) == 1
            assert len(clock.sleeps) == 4
            assert bucket._tokens == -4
            tg.cancel_scope.cancel()
        assert limiter._in_flight == {"read": 0, "write": 0}
        assert bucket._tokens == 0  # the next caller waits for the next token, not 4 more
