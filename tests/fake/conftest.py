from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from workos_authkit.testing import FakeWorkOS

# Shared by the fake's test modules.
PASSWORD = "correct horse battery"
MAGIC = "urn:workos:oauth:grant-type:magic-auth:code"
EMAIL_GRANT = "urn:workos:oauth:grant-type:email-verification:code"
TOTP_GRANT = "urn:workos:oauth:grant-type:mfa-totp"
ORG_GRANT = "urn:workos:oauth:grant-type:organization-selection"
DEVICE = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake() -> FakeWorkOS:
    f = FakeWorkOS(rng_seed=7)
    f.clock.freeze()
    return f


class Api:
    """A thin httpx wrapper that sends the fake's API key and builds authenticate bodies."""

    def __init__(self, fake: FakeWorkOS, client: httpx.Client) -> None:
        self.fake = fake
        self.http = client

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.http.post(path, json=json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.http.put(path, json=json, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.delete(path, **kw)

    def authenticate(self, grant_type: str, **fields: Any) -> httpx.Response:
        body = {"client_id": self.fake.client_id, "grant_type": grant_type, **fields}
        if grant_type != "urn:ietf:params:oauth:grant-type:device_code":
            body.setdefault("client_secret", self.fake.api_key)
        return self.http.post("/user_management/authenticate", json=body)

    def password_sign_in(self, email: str, password: str, **fields: Any) -> httpx.Response:
        return self.authenticate("password", email=email, password=password, **fields)


def _client(fake: FakeWorkOS, base_url: str, transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {fake.api_key}"},
        transport=transport,
        follow_redirects=False,
        timeout=10,
    )


@pytest.fixture
def api(fake: FakeWorkOS) -> Iterator[Api]:
    """In-process access to ``fake`` through its httpx transport."""
    with _client(fake, fake.base_url, fake.transport) as client:
        yield Api(fake, client)


@pytest.fixture
def http_api(fake: FakeWorkOS) -> Iterator[Api]:
    """Access to ``fake`` over real loopback HTTP (``fake.serve()``)."""
    with fake.serve() as url, _client(fake, url, None) as client:
        yield Api(fake, client)
