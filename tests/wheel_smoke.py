"""Run from a clean venv that has only the built wheel: the generated sync twin must be there."""

from __future__ import annotations

import importlib.util

import httpx

import workos_authkit
from workos_authkit import AsyncWorkOS, NotFoundError, WorkOS

assert importlib.util.find_spec("workos_authkit._sync") is not None, "wheel lacks _sync/"
assert "site-packages" in (workos_authkit.__file__ or ""), workos_authkit.__file__

USER = {
    "object": "user",
    "id": "user_01",
    "email": "ada@example.com",
    "email_verified": True,
    "first_name": "Ada",
    "last_name": None,
    "profile_picture_url": None,
    "external_id": None,
    "last_sign_in_at": None,
    "created_at": "2024-01-01T00:00:00.000Z",
    "updated_at": "2024-01-01T00:00:00.000Z",
}


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/user_management/users/user_01":
        return httpx.Response(200, json=USER)
    return httpx.Response(404, json={"message": "Not found"})


with WorkOS(api_key="sk_test_wheel", transport=httpx.MockTransport(handler)) as client:
    assert client.users.get("user_01").email == "ada@example.com"
    try:
        client.users.get("user_02")
    except NotFoundError:
        pass
    else:
        raise AssertionError("expected NotFoundError")
assert AsyncWorkOS.__module__ == "workos_authkit._async.client"
assert WorkOS.__module__ == "workos_authkit._sync.client"
print("wheel smoke test passed:", workos_authkit.__file__)

# The fake server ships in the wheel and works with only the wheel's own dependencies.
from workos_authkit.testing import FakeWorkOS  # noqa: E402

fake = FakeWorkOS()
with WorkOS(api_key=fake.api_key, base_url=fake.base_url, transport=fake.transport) as client:
    created = client.users.create(email="grace@example.com")
    assert [u.id for u in client.users.list()] == [created.id]
print("fake server from the wheel works:", created.id)

# The default connection pool (httpcore2, a dependency of the wheel) over a real loopback
# socket, from both clients.
import asyncio  # noqa: E402

with fake.serve() as base_url:
    with WorkOS(api_key=fake.api_key, base_url=base_url) as client:
        assert client.users.get(created.id).email == "grace@example.com"

    async def _over_loopback() -> str:
        async with AsyncWorkOS(api_key=fake.api_key, base_url=base_url) as aclient:
            return (await aclient.users.create(email="alan@example.com")).id

    second = asyncio.run(_over_loopback())
    assert len(fake.users) == 2
print("default pool over loopback works, sync and async:", second)
