"""Single-flight refresh: many concurrent refreshes of one expired cookie make one request.

Async tasks (asyncio and trio) and sync threads; a slow key-set endpoint does not stall other tasks.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest

from tests._async.helpers import async_spec_client
from tests._sync.helpers import spec_client
from workos_authkit import RefreshedSession
from workos_authkit.testing import FakeWorkOS

PASSWORD = "correct horse battery staple"
COOKIE_PASSWORD = "a-cookie-password-of-at-least-32-chars"
AUTHENTICATE = "POST /user_management/authenticate"


def _tokens(fake: FakeWorkOS) -> dict[str, str]:
    fake.add_user("ada@example.com", password=PASSWORD)
    body = {
        "client_id": fake.client_id,
        "client_secret": fake.api_key,
        "grant_type": "password",
        "email": "ada@example.com",
        "password": PASSWORD,
    }
    return dict(
        fake.handle("POST", "/user_management/authenticate", body=json.dumps(body).encode()).json()
    )


@pytest.mark.anyio
async def test_fifty_concurrent_refreshes_make_one_request(workos_fake: FakeWorkOS) -> None:
    from workos_authkit._decode import decode
    from workos_authkit.models import AuthenticationResponse

    raw = _tokens(workos_fake)
    response = decode(
        json.dumps(raw).encode(), AuthenticationResponse, status_code=200, request_id=None
    )
    workos_fake.faults.add("POST", "/user_management/authenticate", latency=0.05)
    async with async_spec_client(workos_fake) as client:
        cookies = client.session_cookies(cookie_password=COOKIE_PASSWORD)
        cookie = cookies.seal(response)
        workos_fake.clock.advance(400)
        before = workos_fake.stats.requests[AUTHENTICATE]
        results: list[object] = []

        async def one() -> None:
            results.append(await cookies.refresh(cookie))

        async with anyio.create_task_group() as tg:
            for _ in range(50):
                tg.start_soon(one)
    assert workos_fake.stats.requests[AUTHENTICATE] - before == 1
    assert all(isinstance(r, RefreshedSession) for r in results)
    assert len({r.sealed_session for r in results if isinstance(r, RefreshedSession)}) == 1


def test_fifty_threads_refreshing_make_one_request(workos_fake: FakeWorkOS) -> None:
    from workos_authkit._decode import decode
    from workos_authkit.models import AuthenticationResponse

    raw = _tokens(workos_fake)
    response = decode(
        json.dumps(raw).encode(), AuthenticationResponse, status_code=200, request_id=None
    )
    workos_fake.faults.add("POST", "/user_management/authenticate", latency=0.05)
    with spec_client(workos_fake) as client:
        cookies = client.session_cookies(cookie_password=COOKIE_PASSWORD)
        cookie = cookies.seal(response)
        workos_fake.clock.advance(400)
        before = workos_fake.stats.requests[AUTHENTICATE]
        with ThreadPoolExecutor(50) as pool:
            results = list(pool.map(lambda _: cookies.refresh(cookie), range(50)))
    assert workos_fake.stats.requests[AUTHENTICATE] - before == 1
    assert len({r.sealed_session for r in results if isinstance(r, RefreshedSession)}) == 1
    assert all(isinstance(r, RefreshedSession) for r in results)


@pytest.mark.anyio
async def test_a_slow_key_set_does_not_stop_other_tasks(workos_fake: FakeWorkOS) -> None:
    raw = _tokens(workos_fake)
    workos_fake.faults.add("GET", "/sso/jwks/{clientId}", latency=1.0)
    ticks = 0
    async with async_spec_client(workos_fake) as client:

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await anyio.sleep(0.01)

        async with anyio.create_task_group() as tg:
            tg.start_soon(ticker)
            started = time.monotonic()
            claims = await client.auth.verify_access_token(raw["access_token"])
            elapsed = time.monotonic() - started
            tg.cancel_scope.cancel()
    assert claims.sub and elapsed >= 1.0
    assert ticks >= 50  # the loop kept running while the key set was fetched


@pytest.mark.anyio
async def test_a_refresher_cancelled_mid_request_does_not_lose_the_new_tokens(
    workos_fake: FakeWorkOS,
) -> None:
    """The first caller's request is in flight (the refresh token is spent) when it is cancelled:
    the exchange finishes and the waiters get its cookie, with no second (failing) request."""
    from workos_authkit._decode import decode
    from workos_authkit.models import AuthenticationResponse

    raw = _tokens(workos_fake)
    response = decode(
        json.dumps(raw).encode(), AuthenticationResponse, status_code=200, request_id=None
    )
    workos_fake.faults.add("POST", "/user_management/authenticate", latency=0.2)
    async with async_spec_client(workos_fake) as client:
        cookies = client.session_cookies(cookie_password=COOKIE_PASSWORD)
        cookie = cookies.seal(response)
        workos_fake.clock.advance(400)
        before = workos_fake.stats.requests[AUTHENTICATE]
        results: list[object] = []

        async def one() -> None:
            results.append(await cookies.refresh(cookie))

        first = anyio.CancelScope()

        async def runner() -> None:
            with first:
                await cookies.refresh(cookie)

        async with anyio.create_task_group() as tg:
            tg.start_soon(runner)
            await anyio.sleep(0.05)  # the runner's request has reached the fake (token spent)
            for _ in range(10):
                tg.start_soon(one)
            await anyio.sleep(0.01)
            first.cancel()
    assert first.cancel_called
    assert workos_fake.stats.requests[AUTHENTICATE] - before == 1
    assert len(results) == 10
    assert all(isinstance(r, RefreshedSession) for r in results)
    assert len({r.sealed_session for r in results if isinstance(r, RefreshedSession)}) == 1
