"""Clients and event loops: what may be shared with what (see README, "Sharing a client")."""

from __future__ import annotations

import asyncio
import logging

import pytest

from workos_authkit import WorkOS
from workos_authkit.testing import FakeWorkOS


@pytest.fixture
def fresh_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import workos_authkit._concurrency as concurrency

    monkeypatch.setattr(concurrency, "_warned_in_loop", False)


@pytest.mark.usefixtures("fresh_warning")
def test_the_sync_client_inside_a_running_loop_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeWorkOS()
    user = fake.add_user("ada@example.com")
    client = WorkOS(api_key=fake.api_key, base_url=fake.base_url, transport=fake.transport)

    async def handler() -> None:
        for _ in range(3):
            assert client.users.get(user["id"]).email == "ada@example.com"

    with caplog.at_level(logging.WARNING, logger="workos_authkit"):
        client.users.get(user["id"])  # no loop: no warning
        assert not caplog.records
        asyncio.run(handler())
    warnings = [r for r in caplog.records if "inside a running event loop" in r.getMessage()]
    assert len(warnings) == 1
    client.close()


@pytest.mark.usefixtures("fresh_warning")
def test_the_sync_client_inside_trio_warns_too(caplog: pytest.LogCaptureFixture) -> None:
    import trio

    fake = FakeWorkOS()
    user = fake.add_user("ada@example.com")
    client = WorkOS(api_key=fake.api_key, base_url=fake.base_url, transport=fake.transport)

    async def handler() -> None:
        client.users.get(user["id"])

    with caplog.at_level(logging.WARNING, logger="workos_authkit"):
        trio.run(handler)
    assert any("inside a running event loop" in r.getMessage() for r in caplog.records)
    client.close()


def test_one_async_client_across_runs_loops_and_threads() -> None:
    """One AsyncWorkOS over real sockets: two asyncio.run calls, a trio run, four threads with
    their own loops at once. Each loop gets its own connection pool; the limits stay shared."""
    import threading

    import trio

    from workos_authkit import AsyncWorkOS

    fake = FakeWorkOS()
    user = fake.add_user("ada@example.com")
    with fake.serve() as base_url:
        client = AsyncWorkOS(api_key=fake.api_key, base_url=base_url, timeout=5, deadline=10)

        async def call() -> str:
            got = await client.users.get(user["id"])
            return got.email

        assert asyncio.run(call()) == "ada@example.com"
        assert asyncio.run(call()) == "ada@example.com"  # a new loop: before, "loop is closed"
        assert trio.run(call) == "ada@example.com"
        results: list[str] = []
        errors: list[BaseException] = []

        def worker() -> None:
            async def three() -> None:
                for _ in range(3):
                    results.append(await call())

            try:
                asyncio.run(three())
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert not any(t.is_alive() for t in threads), "a thread hung"
        assert errors == []
        assert results == ["ada@example.com"] * 12
        assert client.transport_stats.attempts == 15  # one limiter and one set of counters
        asyncio.run(client.aclose())
        assert client.is_closed


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_the_async_timeout_covers_the_whole_response(anyio_backend: str) -> None:
    """A server that drips its body never passes a 0.3 s per-attempt timeout (async client)."""
    import time

    import anyio
    import httpx

    from workos_authkit import APITimeoutError, AsyncWorkOS

    class Drip(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            for _ in range(20):
                await anyio.sleep(0.1)
                yield b" "

    class Dripping(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, stream=Drip())

    client = AsyncWorkOS(api_key="sk_test_x", transport=Dripping(), timeout=0.3, max_retries=0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        await client.users.get("user_1")
    assert time.monotonic() - started < 1.5  # not the 2 s the body takes
    await client.aclose()
