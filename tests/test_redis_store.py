"""The Redis store against a real ``redis-server``: lock, result cache, lock expiry, fencing,
cancellation, and two worker processes refreshing one cookie 50 times with one request.

Skips (with the reason) when ``redis-server`` or redis-py is missing; see ``tests/redis_server.py``.
``redis.asyncio`` runs on asyncio only, so the async tests here do not run on trio.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.redis_server import async_redis_client, redis_client
from workos_authkit import AsyncRedisStore, RedisStore, WorkOS
from workos_authkit.testing import FakeWorkOS

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
COOKIE_PASSWORD = "a-cookie-password-of-at-least-32-chars"
AUTHENTICATE = "POST /user_management/authenticate"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_one_computation_for_concurrent_callers_then_a_short_result_cache(
    redis_url: str,
) -> None:
    calls = 0

    async def compute() -> str:
        nonlocal calls
        calls += 1
        await anyio.sleep(0.1)
        return f"value-{calls}"

    clients = [async_redis_client(redis_url) for _ in range(2)]  # two "processes"
    stores = [AsyncRedisStore(c, poll_interval=0.005) for c in clients]
    results: list[str] = []

    async def one(store: AsyncRedisStore) -> None:
        results.append(await store.single_flight("k", compute, ttl=0.5))

    async with anyio.create_task_group() as tg:
        for i in range(20):
            tg.start_soon(one, stores[i % 2])
    assert calls == 1
    assert results == ["value-1"] * 20
    assert await stores[1].single_flight("k", compute, ttl=0.5) == "value-1"  # cached
    assert await clients[0].keys("*lock*") == []  # the lock was released
    await anyio.sleep(0.6)  # the result expires
    assert await stores[0].single_flight("k", compute, ttl=0.5) == "value-2"
    assert calls == 2
    for c in clients:
        await c.aclose()


@pytest.mark.anyio
async def test_a_failure_releases_the_lock_at_once(redis_url: str) -> None:
    redis = async_redis_client(redis_url)
    store = AsyncRedisStore(redis, lock_timeout=30)

    async def fail() -> str:
        raise RuntimeError("refused")

    async def succeed() -> str:
        return "ok"

    with pytest.raises(RuntimeError):
        await store.single_flight("k", fail, ttl=5)
    started = time.monotonic()
    assert await store.single_flight("k", succeed, ttl=5) == "ok"
    assert time.monotonic() - started < 1  # not waiting 30 s for the failed holder's lock
    await redis.aclose()


@pytest.mark.anyio
async def test_a_dead_holders_lock_expires_and_a_late_holder_does_not_free_a_new_lock(
    redis_url: str,
) -> None:
    redis = async_redis_client(redis_url)
    # a process died holding the lock: the waiter takes over once it expires
    await redis.set("workos_authkit:flight:lock:k", "someone-else", px=300)
    started = time.monotonic()
    store = AsyncRedisStore(redis, poll_interval=0.01)

    async def value(v: str, delay: float = 0.0) -> str:
        await anyio.sleep(delay)
        return v

    assert await store.single_flight("k", lambda: value("mine"), ttl=5) == "mine"
    assert 0.25 <= time.monotonic() - started < 5

    # fencing: a holder slower than its lock finds another holder's lock and leaves it alone
    short = AsyncRedisStore(redis, lock_timeout=0.1, poll_interval=0.01)
    other = AsyncRedisStore(redis, lock_timeout=30, poll_interval=0.01)
    lock = "workos_authkit:flight:lock:k2"
    async with anyio.create_task_group() as tg:
        tg.start_soon(partial(short.single_flight, "k2", lambda: value("slow", 0.3), ttl=0.01))
        await anyio.sleep(0.15)  # short's lock has expired: other takes it
        tg.start_soon(partial(other.single_flight, "k2", lambda: value("other", 0.5), ttl=5))
        await anyio.sleep(0.3)  # short has published and released... only its own lock
        assert await redis.exists(lock) == 1
    assert await redis.exists(lock) == 0
    await redis.aclose()


@pytest.mark.anyio
async def test_a_cancelled_holder_still_publishes_its_result(redis_url: str) -> None:
    redis = async_redis_client(redis_url)
    store = AsyncRedisStore(redis, poll_interval=0.01)
    calls = 0

    async def compute() -> str:
        nonlocal calls
        calls += 1
        await anyio.sleep(0.2)  # the request is in flight when the caller is cancelled
        return "new-cookie"

    with anyio.move_on_after(0.05) as scope:
        await store.single_flight("k", compute, ttl=5)
    assert scope.cancel_called  # the caller was cancelled while its computation ran
    assert await AsyncRedisStore(redis).single_flight("k", compute, ttl=5) == "new-cookie"
    assert calls == 1
    assert await redis.keys("*lock*") == []
    await redis.aclose()


def test_sync_store_threads_share_one_computation(redis_url: str) -> None:
    calls = 0
    lock = threading.Lock()

    def compute() -> str:
        nonlocal calls
        with lock:
            calls += 1
        time.sleep(0.1)
        return "v"

    clients = [redis_client(redis_url) for _ in range(2)]
    stores = [RedisStore(c, poll_interval=0.005) for c in clients]
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda s=stores[i % 2]: results.append(s.single_flight("k", compute, ttl=5))
        )
        for i in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (calls, results) == (1, ["v"] * 20)
    for c in clients:
        c.close()


def _start_worker(mode: str, settings: dict[str, Any]) -> subprocess.Popen[str]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.redis_worker", mode],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(json.dumps(settings) + "\n")
    worker.stdin.flush()
    return worker


@pytest.mark.parametrize("mode", ["AsyncWorkOS", "WorkOS"])
def test_two_processes_fifty_refreshes_one_request(redis_url: str, mode: str) -> None:
    fake = FakeWorkOS()
    fake.clock.advance(-400)  # sign in 400 s ago: the cookie's access token (300 s) has expired
    cookie = _cookie_at(fake)
    fake.clock.advance(400)  # now: the refreshed tokens are valid on the workers' real clocks
    fake.faults.add("POST", "/user_management/authenticate", latency=0.05)
    with fake.serve() as base_url:
        before = fake.stats.requests[AUTHENTICATE]
        settings = {
            "base_url": base_url,
            "api_key": fake.api_key,
            "client_id": fake.client_id,
            "redis_url": redis_url,
            "cookie_password": COOKIE_PASSWORD,
            "cookie": cookie,
            "count": 25,
        }
        workers = [_start_worker(mode, settings) for _ in range(2)]
        try:
            for w in workers:  # both have imported everything: start them together
                assert w.stdout is not None and w.stdout.readline().strip() == "ready"
            for w in workers:
                assert w.stdin is not None
                w.stdin.write("go\n")
                w.stdin.flush()
            outputs = [w.communicate(timeout=60)[0] for w in workers]
        finally:
            for w in workers:
                if w.poll() is None:
                    w.kill()
                    w.wait()
        assert [w.returncode for w in workers] == [0, 0]
        refreshes = fake.stats.requests[AUTHENTICATE] - before
    results = [r for out in outputs for r in json.loads(out.strip().splitlines()[-1])]
    assert len(results) == 50
    assert {kind for kind, _ in results} == {"refreshed"}
    assert len({digest for _, digest in results}) == 1  # every caller got the same new cookie
    assert refreshes == 1


def _cookie_at(fake: FakeWorkOS) -> str:
    fake.add_user("ada@example.com", password=PASSWORD)
    with WorkOS(
        api_key=fake.api_key,
        client_id=fake.client_id,
        base_url=fake.base_url,
        transport=fake.transport,
    ) as client:
        response = client.auth.authenticate_with_password(
            email="ada@example.com", password=PASSWORD
        )
        return client.session_cookies(cookie_password=COOKIE_PASSWORD).seal(response)
