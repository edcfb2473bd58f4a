# source-of-truth: async
"""The Redis store as two workers share it: the key set fetched once for both, a refresh's result
read by the other, and nothing secret in Redis. Needs ``redis-server`` (skips otherwise)."""

from __future__ import annotations

import pytest

from tests._async.helpers import async_spec_client, password_tokens
from tests.redis_server import async_redis_client
from workos_authkit import AsyncRedisStore, RefreshedSession
from workos_authkit._concurrency import AsyncClock
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio

PASSWORD = "correct horse battery staple"
COOKIE_PASSWORD = "a-cookie-password-of-at-least-32-chars"
JWKS = "GET /sso/jwks/{clientId}"
AUTHENTICATE = "POST /user_management/authenticate"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # redis.asyncio runs on asyncio only


async def test_the_key_set_is_fetched_once_for_all_workers(
    workos_fake: FakeWorkOS, redis_url: str
) -> None:
    workos_fake.add_user("ada@example.com", password=PASSWORD)
    token = password_tokens(workos_fake, "ada@example.com", PASSWORD)["access_token"]
    redis_a, redis_b = async_redis_client(redis_url), async_redis_client(redis_url)
    async with (
        async_spec_client(workos_fake) as worker_a,
        async_spec_client(workos_fake) as worker_b,
    ):
        worker_a.session_cookies(cookie_password=COOKIE_PASSWORD, store=AsyncRedisStore(redis_a))
        worker_b.session_cookies(cookie_password=COOKIE_PASSWORD, store=AsyncRedisStore(redis_b))
        for worker in (worker_a, worker_b):
            worker.auth.jwks_refetch_interval = 0.2  # short, for the rotation below
        assert (await worker_a.auth.verify_access_token(token)).sub
        assert (await worker_b.auth.verify_access_token(token)).sub
        assert workos_fake.stats.requests[JWKS] == 1  # worker b read worker a's key set

        # a new signing key: the first worker to see it refetches, the other reads that set.
        # Refetches are spaced by the interval on each client's clock and, in Redis, in real time
        workos_fake.rotate_signing_key()
        new_token = password_tokens(workos_fake, "ada@example.com", PASSWORD)["access_token"]
        for worker in (worker_a, worker_b):
            worker._clock.now += 60  # type: ignore[attr-defined]
        await AsyncClock().sleep(0.3)
        assert (await worker_a.auth.verify_access_token(new_token)).sub
        assert (await worker_b.auth.verify_access_token(new_token)).sub
        assert workos_fake.stats.requests[JWKS] == 2
    await redis_a.aclose()
    await redis_b.aclose()


async def test_a_refresh_by_one_worker_answers_the_other_and_redis_holds_no_secret(
    workos_fake: FakeWorkOS, redis_url: str
) -> None:
    workos_fake.add_user("ada@example.com", password=PASSWORD)
    redis_a, redis_b = async_redis_client(redis_url), async_redis_client(redis_url)
    async with (
        async_spec_client(workos_fake) as worker_a,
        async_spec_client(workos_fake) as worker_b,
    ):
        cookies_a = worker_a.session_cookies(
            cookie_password=COOKIE_PASSWORD, store=AsyncRedisStore(redis_a)
        )
        store_b = AsyncRedisStore(redis_b)
        cookies_b = worker_b.session_cookies(cookie_password=COOKIE_PASSWORD, store=store_b)
        response = await worker_a.auth.authenticate_with_password(
            email="ada@example.com", password=PASSWORD
        )
        cookie = cookies_a.seal(response)
        workos_fake.clock.advance(400)  # the access token expires
        before = workos_fake.stats.requests[AUTHENTICATE]
        first = await cookies_a.refresh(cookie)
        second = await cookies_b.refresh(cookie)  # another worker, the same stale cookie
        assert isinstance(first, RefreshedSession) and isinstance(second, RefreshedSession)
        assert first.sealed_session == second.sealed_session
        assert workos_fake.stats.requests[AUTHENTICATE] - before == 1
        new = cookies_b.load(first.sealed_session)

        stored = []
        for key in await redis_a.keys("*"):
            stored.append(key.decode())
            value = await redis_a.get(key)
            stored.append(value.decode() if value is not None else "")
        text = "\n".join(stored) + repr(store_b) + repr(cookies_b)
    for secret in (
        response.access_token,
        response.refresh_token,
        new.access_token,
        new.refresh_token,
        COOKIE_PASSWORD,
    ):
        assert secret not in text
    await redis_a.aclose()
    await redis_b.aclose()
