# source-of-truth: async
"""Client configuration: environment defaults, validation, repr, lifecycle, copies."""

from __future__ import annotations

import httpx
import pytest
import respx

from tests._async.helpers import async_make_client
from tests.factories import API_KEY, user_json
from workos_authkit import AsyncWorkOS, ConfigurationError

pytestmark = pytest.mark.anyio


async def test_missing_api_key_fails_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKOS_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="WORKOS_API_KEY"):
        AsyncWorkOS()
    with pytest.raises(ConfigurationError):
        AsyncWorkOS(api_key="  ")


async def test_environment_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKOS_API_KEY", API_KEY)
    monkeypatch.setenv("WORKOS_CLIENT_ID", "client_env")
    monkeypatch.setenv("WORKOS_BASE_URL", "http://127.0.0.1:4100/")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=user_json("user_01"))

    async with AsyncWorkOS(transport=httpx.MockTransport(handler)) as client:
        assert client.client_id == "client_env"
        assert client.base_url == "http://127.0.0.1:4100"
        await client.users.get("user_01")
    assert str(seen[0].url) == "http://127.0.0.1:4100/user_management/users/user_01"
    assert seen[0].headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "ftp://example.com"}, "http"),
        ({"base_url": "not a url"}, "base_url"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
async def test_bad_configuration(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        AsyncWorkOS(api_key=API_KEY, **kwargs)  # type: ignore[arg-type]


async def test_repr_never_shows_the_key(router: respx.Router) -> None:
    client = async_make_client(router)
    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert API_KEY not in repr(client.users.__dict__)
    assert "client_01TESTCLIENT" in repr(client)
    await client.aclose()


async def test_resources_are_created_lazily_and_cached(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        assert "users" not in client.__dict__
        users = client.users
        assert client.users is users


async def test_context_manager_closes(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        assert not client.is_closed
    assert client.is_closed


async def test_with_options_shares_the_pool_and_leaves_it_open(router: respx.Router) -> None:
    route = router.get("/user_management/users/user_01").respond(200, json=user_json("user_01"))
    async with async_make_client(router) as client:
        copy = client.with_options(extra_headers={"X-Tenant": "t1"}, timeout=2.0)
        await copy.users.get("user_01")
        await copy.aclose()
        assert not client.is_closed
        await client.users.get("user_01")
        assert copy.transport_stats is client.transport_stats
    first, second = route.calls
    assert first.request.headers["x-tenant"] == "t1"
    assert "x-tenant" not in second.request.headers
    assert first.request.extensions["timeout"]["read"] == 2.0


async def test_default_transport_verifies_tls_with_one_shared_context() -> None:
    import ssl

    from workos_authkit._tls import default_ssl_context

    context = default_ssl_context()
    assert context is default_ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    first, second = AsyncWorkOS(api_key=API_KEY), AsyncWorkOS(api_key=API_KEY)
    assert first._http.limiter is not second._http.limiter  # separate pools and limits
    await first.aclose()
    await second.aclose()
