# source-of-truth: async
"""The core's shape as users meet it: escape hatches, raw responses, copies, ids in paths."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from tests._async.helpers import async_make_client
from tests.factories import API_KEY, page_json, user_json
from workos_authkit import (
    APIResponse,
    AsyncWorkOS,
    ConfigurationError,
    InvalidArgumentError,
    NotFoundError,
    RequestOptions,
    WorkOSError,
)

pytestmark = pytest.mark.anyio

USERS = "/user_management/users"


async def test_extra_query_body_and_headers_reach_the_wire(router: respx.Router) -> None:
    create = router.post(USERS).respond(201, json=user_json())
    listing = router.get(USERS).respond(200, json=page_json([user_json()], before=None, after=None))
    async with async_make_client(router) as client:
        await client.users.create(
            email="a@b.co",
            first_name="Ada",
            options=RequestOptions(
                extra_body={"new_field": {"x": 1}, "first_name": "Override"},
                extra_headers={"X-Feature": "on"},
            ),
        )
        await client.users.list(
            limit=5, options=RequestOptions(extra_query={"new_filter": "yes", "limit": 7})
        ).first_page()
    sent = create.calls.last.request
    assert json.loads(sent.content) == {
        "email": "a@b.co",
        "first_name": "Override",
        "new_field": {"x": 1},
    }
    assert sent.headers["x-feature"] == "on"
    params = listing.calls.last.request.url.params
    assert params["new_filter"] == "yes"
    assert params["limit"] == "7"


async def test_extra_body_on_a_call_without_a_body_is_refused(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="extra_body"):
            await client.users.get("user_1", options=RequestOptions(extra_body={"a": 1}))
    assert not router.calls


async def test_with_raw_response_gives_status_and_headers(router: respx.Router) -> None:
    router.get(f"{USERS}/user_1").respond(
        200,
        json=user_json("user_1"),
        headers={
            "X-Request-ID": "req_123",
            "X-RateLimit-Limit": "1000",
            "X-RateLimit-Remaining": "998",
            "X-RateLimit-Reset": "9",
        },
    )
    async with async_make_client(router) as client:
        raw = await client.with_raw_response(client.users.get, "user_1")
        assert isinstance(raw, APIResponse)
        assert raw.data.id == "user_1"
        assert raw.status_code == 200
        assert raw.request_id == "req_123"
        assert raw.headers["x-ratelimit-remaining"] == "998"
        assert (raw.rate_limit.limit, raw.rate_limit.remaining, raw.rate_limit.reset) == (
            1000,
            998,
            9,
        )
        # nothing is captured outside the call
        assert (await client.users.get("user_1")).id == "user_1"


async def test_with_raw_response_of_a_delete_and_a_page(router: respx.Router) -> None:
    router.delete(f"{USERS}/user_1").respond(200, headers={"X-Request-ID": "req_del"})
    router.get(USERS).respond(
        200, json=page_json([user_json()], before=None, after=None), headers={"X-Request-ID": "r2"}
    )
    async with async_make_client(router) as client:
        deleted = await client.with_raw_response(client.users.delete, "user_1")
        assert (deleted.data, deleted.request_id) == (None, "req_del")
        page = await client.with_raw_response(client.users.list(limit=1).first_page)
        assert (len(page.data.data), page.request_id) == (1, "r2")


async def test_with_raw_response_needs_a_call_that_sends_a_request(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError):  # errors come as usual
            await client.with_raw_response(client.users.get, "")
        with pytest.raises(WorkOSError, match="made no API request"):

            async def nothing() -> int:
                return 1

            await client.with_raw_response(nothing)


async def test_errors_keep_the_response_headers(router: respx.Router) -> None:
    router.get(f"{USERS}/user_2").respond(
        404,
        json={"code": "entity_not_found", "message": "Not found"},
        headers={"X-Request-ID": "req_404", "X-RateLimit-Remaining": "5"},
    )
    async with async_make_client(router) as client:
        with pytest.raises(NotFoundError) as info:
            await client.users.get("user_2")
    assert info.value.headers["x-ratelimit-remaining"] == "5"
    assert info.value.request_id == "req_404"


async def test_copies_keep_every_setting_of_the_original(router: respx.Router) -> None:
    route = router.get(f"{USERS}/user_1").respond(200, json=user_json("user_1"))
    async with async_make_client(router, max_retries=5) as client:
        copy = client.with_options(timeout=4.0, extra_headers={"X-Tenant": "t1"})
        assert copy._config.api_key == client._config.api_key
        assert copy._config.client_id == client._config.client_id
        assert copy._config.base_url == client._config.base_url
        assert copy._config.rate_limit is client._config.rate_limit
        assert copy._config.retry.max_retries == 5
        assert copy._http is client._http
        again = copy.with_options(max_retries=0)
        assert again._config.timeout == 4.0
        assert dict(again._config.extra_headers or {}) == {"X-Tenant": "t1"}
        await again.users.get("user_1")
    assert route.calls.last.request.headers["x-tenant"] == "t1"


async def test_copies_hide_header_values_and_url_credentials() -> None:
    client = AsyncWorkOS(api_key=API_KEY, base_url="https://user:hunter2@proxy.example/")
    copy = client.with_options(extra_headers={"X-Secret": "tok_SECRET_VALUE"})
    for text in (repr(client), repr(copy), repr(copy._config)):
        assert "hunter2" not in text
        assert "tok_SECRET_VALUE" not in text
        assert API_KEY not in text
    assert "X-Secret" in repr(copy._config)
    await client.aclose()


@pytest.mark.parametrize("bad", [".", "..", "\ud800"])
async def test_ids_that_would_leave_their_path_segment_are_refused(
    router: respx.Router, bad: str
) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="user_id"):
            await client.users.delete(bad)
        with pytest.raises(InvalidArgumentError, match="user_id"):
            await client.users.list_identities(bad)
    assert not router.calls


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"idempotency_key": "a\r\nX-Injected: 1"}, "line break"),
        ({"extra_headers": {"X-Bad": "a\nb"}}, "line break"),
        ({"extra_headers": {"X-Bad": "caf\u00e9"}}, "not ASCII"),
    ],
)
async def test_bad_header_values_are_refused_before_sending(
    router: respx.Router, options: dict[str, object], message: str
) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            await client.users.create(email="a@b.co", options=RequestOptions(**options))  # type: ignore[arg-type]
    assert not router.calls


async def test_an_idempotency_key_applies_to_creates_only(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="idempotency_key"):
            await client.users.get("user_1", options=RequestOptions(idempotency_key="k1"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"timeout": -1}, "timeout"), ({"timeout": 0}, "timeout"), ({"max_retries": -2}, "retries")],
)
async def test_bad_request_options_are_typed_errors(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        RequestOptions(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [f"{API_KEY}\n", f"  {API_KEY} "])
async def test_surrounding_whitespace_is_stripped_from_the_key(
    router: respx.Router, key: str
) -> None:
    route = router.get(f"{USERS}/user_1").respond(200, json=user_json("user_1"))
    async with AsyncWorkOS(api_key=key, transport=httpx.MockTransport(router.async_handler)) as c:
        await c.users.get("user_1")
    assert route.calls.last.request.headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize("key", ["sk_test_caf\u00e9SECRET", "sk_test_a b SECRET", "sk\x00SECRET"])
async def test_a_malformed_key_fails_at_construction_without_showing_it(key: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        AsyncWorkOS(api_key=key)
    assert "SECRET" not in str(info.value)
    assert "SECRET" not in repr(info.value)
