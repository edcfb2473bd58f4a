# source-of-truth: async
"""Test helpers with an async and a generated sync form."""

from __future__ import annotations

import json
from typing import Any

import httpx
import respx

from tests.factories import API_KEY, BASE_URL, CLIENT_ID
from tests.spec_contract import spec
from workos_authkit import AsyncWorkOS
from workos_authkit._api import users as users_api
from workos_authkit._concurrency import AsyncClock, async_checkpoint
from workos_authkit.testing import FakeWorkOS


class FakeClock(AsyncClock):
    """Virtual time. ``sleep`` lets other tasks run, and the earliest sleeper moves the clock to
    its deadline, so concurrent sleepers wake in deadline order whatever the scheduler does."""

    def __init__(self) -> None:
        self.now = 0.0
        self.wall = 1_700_000_000.0
        self.sleeps: list[float] = []
        self._pending: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall + self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        deadline = self.now + seconds
        self._pending.append(deadline)
        try:
            while True:
                for _ in range(3):
                    await async_checkpoint()
                if min(self._pending) >= deadline:
                    break
        finally:
            self._pending.remove(deadline)
        self.now = max(self.now, deadline)


def async_make_client(
    router: respx.Router | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: FakeClock | None = None,
    **kwargs: Any,
) -> AsyncWorkOS:
    if transport is None:
        assert router is not None
        transport = httpx.MockTransport(router.async_handler)
    return AsyncWorkOS(
        api_key=API_KEY,
        client_id=CLIENT_ID,
        base_url=BASE_URL,
        transport=transport,
        clock=clock or FakeClock(),
        **kwargs,
    )


class LinkedClock(FakeClock):
    """A client clock whose waits also move a FakeWorkOS clock: Retry-After passes on both sides."""

    def __init__(self, fake: FakeWorkOS) -> None:
        super().__init__()
        self.fake = fake

    async def sleep(self, seconds: float) -> None:
        before = self.now
        await super().sleep(seconds)
        self.fake.clock.advance(self.now - before)


def async_fake_client(fake: FakeWorkOS, **kwargs: Any) -> AsyncWorkOS:
    """A client bound to ``fake`` in-process, on virtual time linked to the fake's clock."""
    fake.clock.freeze()
    kwargs.setdefault("clock", LinkedClock(fake))
    kwargs.setdefault("transport", fake.transport)
    return AsyncWorkOS(
        api_key=fake.api_key, client_id=fake.client_id, base_url=fake.base_url, **kwargs
    )


async def async_raw_get(
    client: AsyncWorkOS, path: str, params: dict[str, Any] | None = None
) -> httpx.Response:
    """GET any path through the client's HTTP layer (for paths no SDK method builds)."""
    settings = client._config.resolve(users_api.GET, None)
    return await client._http.request(settings, "GET", path, params=params)


#: fields the live API sends that the spec does not declare yet (the fake sends them too)
BEYOND_SPEC_FIELDS = ("roles", "expires_at")


class SpecCheckedTransport(httpx.AsyncBaseTransport):
    """Checks every request and response against the vendored spec around an inner transport,
    and records the operation ids it saw."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.operations: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        op = spec().validate_request(request)
        response = await self.inner.handle_async_request(request)
        if response.status_code >= 400:
            # error bodies: sign-in steps carry next-step data the spec's error schemas do not
            # declare yet, and injected faults have none; the fake's own tests check them
            return response
        spec().validate_response(
            request.method,
            request.url,
            response.status_code,
            response.content,
            strict=True,
            extra_ok=BEYOND_SPEC_FIELDS,
        )
        self.operations.append(op.operation_id)
        return response


def async_checked_fake_client(fake: FakeWorkOS, **kwargs: Any) -> AsyncWorkOS:
    """``async_fake_client`` whose requests and responses are all checked against the spec."""
    return async_fake_client(fake, transport=SpecCheckedTransport(fake.transport), **kwargs)


async def async_password_sign_in(fake: FakeWorkOS, email: str, password: str) -> httpx.Response:
    """Sign in with a password straight against the fake (the SDK's authentication calls live
    elsewhere): what a test needs to see that a password works."""
    async with httpx.AsyncClient(base_url=fake.base_url, transport=fake.transport) as http:
        return await http.post(
            "/user_management/authenticate",
            json={
                "client_id": fake.client_id,
                "client_secret": fake.api_key,
                "grant_type": "password",
                "email": email,
                "password": password,
            },
        )


class FakeTimeClock(LinkedClock):
    """A linked clock whose wall time is the fake's: token expiry follows ``fake.clock``."""

    def time(self) -> float:
        return self.fake.clock.now()


def async_spec_client(fake: FakeWorkOS, **kwargs: Any) -> AsyncWorkOS:
    """A client bound to ``fake`` whose requests are all checked against the spec.

    Its clock is the fake's (frozen), so expiry tests move ``fake.clock``.
    """
    fake.clock.freeze()
    transport = SpecCheckedTransport(fake.transport)
    return AsyncWorkOS(
        api_key=fake.api_key,
        client_id=fake.client_id,
        base_url=fake.base_url,
        transport=transport,
        clock=FakeTimeClock(fake),
        **kwargs,
    )


def fake_call(fake: FakeWorkOS, method: str, path: str, body: Any = None) -> Any:
    """A setup request straight to the fake, as the API key holder (for areas outside this test)."""
    response = fake.handle(
        method,
        path,
        headers={"Authorization": f"Bearer {fake.api_key}", "Content-Type": "application/json"},
        body=json.dumps(body).encode() if body is not None else b"",
    )
    return json.loads(response.body) if response.body else None


def password_tokens(fake: FakeWorkOS, email: str, password: str) -> dict[str, Any]:
    """Sign ``email`` in at the fake directly: the raw authenticate response (tokens, user)."""
    body = {
        "client_id": fake.client_id,
        "client_secret": fake.api_key,
        "grant_type": "password",
        "email": email,
        "password": password,
    }
    result: dict[str, Any] = fake_call(fake, "POST", "/user_management/authenticate", body)
    return result
