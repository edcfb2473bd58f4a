# source-of-truth: async
"""The SDK against FakeWorkOS served on loopback: real sockets, the default httpx transport."""

from __future__ import annotations

import pytest

from workos_authkit import (
    APITimeoutError,
    AsyncWorkOS,
    NotFoundError,
    OutcomeUnknownError,
    RequestOptions,
)
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio


async def test_users_over_loopback(workos_fake: FakeWorkOS) -> None:
    with workos_fake.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        async with AsyncWorkOS(api_key=workos_fake.api_key, base_url=base_url) as client:
            created = [await client.users.create(email=f"u{i}@example.com") for i in range(12)]
            listed = [u.id async for u in client.users.list(limit=5)]
            assert sorted(listed) == sorted(u.id for u in created)
            user = await client.users.update(created[0].id, first_name="Ada")
            assert user.first_name == "Ada"
            await client.users.delete(user.id)
            with pytest.raises(NotFoundError) as info:
                await client.users.get(user.id)
            assert info.value.request_id


async def test_faults_over_loopback(workos_fake: FakeWorkOS) -> None:
    workos_fake.faults.add("POST", "/user_management/users", drop="after")
    workos_fake.faults.add("GET", "/user_management/users/*", status=502, times=1)
    workos_fake.faults.add("GET", "/user_management/users/*", latency=1.0, times=1)
    with workos_fake.serve() as base_url:
        async with AsyncWorkOS(
            api_key=workos_fake.api_key, base_url=base_url, timeout=5.0
        ) as client:
            with pytest.raises(OutcomeUnknownError) as info:
                await client.users.create(email="ada@example.com")
            assert len(workos_fake.users) == 1
            user = await client.users.create(
                email="ada@example.com",
                options=RequestOptions(idempotency_key=info.value.idempotency_key),
            )
            assert len(workos_fake.users) == 1
            # a 502 on a GET is retried; a slow answer past the call's timeout is a timeout
            with pytest.raises(APITimeoutError):
                await client.users.get(user.id, options=RequestOptions(timeout=0.2, max_retries=1))
            assert (await client.users.get(user.id)).id == user.id
