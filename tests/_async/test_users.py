# source-of-truth: async
"""The users resource, request by request, over a respx router as the inner transport."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from tests._async.helpers import async_make_client
from tests.factories import API_KEY, page_json, user_json
from workos_authkit import InvalidArgumentError, NotFoundError, User

pytestmark = pytest.mark.anyio


async def test_create_sends_every_field_and_parses_the_user(router: respx.Router) -> None:
    route = router.post("/user_management/users").respond(
        201, json=user_json("user_01A", external_id="ext-1", metadata={"plan": "pro"})
    )
    async with async_make_client(router) as client:
        user = await client.users.create(
            email="ada@example.com",
            password="correct horse battery staple",
            first_name="Ada",
            last_name="Lovelace",
            email_verified=True,
            external_id="ext-1",
            metadata={"plan": "pro"},
        )
    assert isinstance(user, User)
    assert user.id == "user_01A"
    assert user.metadata == {"plan": "pro"}
    assert user.created_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "email": "ada@example.com",
        "password": "correct horse battery staple",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email_verified": True,
        "external_id": "ext-1",
        "metadata": {"plan": "pro"},
    }


async def test_create_with_password_hash(router: respx.Router) -> None:
    route = router.post("/user_management/users").respond(201, json=user_json("user_01B"))
    async with async_make_client(router) as client:
        await client.users.create(
            email="b@example.com", password_hash="$2b$10$abcdefghijk", password_hash_type="bcrypt"
        )
    assert json.loads(route.calls.last.request.content) == {
        "email": "b@example.com",
        "password_hash": "$2b$10$abcdefghijk",
        "password_hash_type": "bcrypt",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": ""}, "email"),
        (
            {
                "email": "a@b.co",
                "password": "x",
                "password_hash": "h",
                "password_hash_type": "bcrypt",
            },
            "not both",
        ),
        ({"email": "a@b.co", "password_hash": "h"}, "go together"),
        ({"email": "a@b.co", "password_hash_type": "bcrypt"}, "go together"),
        (
            {"email": "a@b.co", "password_hash": "h", "password_hash_type": "md5"},
            "password_hash_type",
        ),
        ({"email": "a@b.co", "metadata": {"k": 1}}, "strings"),
        ({"email": "a@b.co", "metadata": ["k"]}, "mapping"),
        ({"email": 5}, "email must be a string"),
        ({"email": "a@b.co", "first_name": 5}, "first_name must be a string"),
        ({"email": "a@b.co", "email_verified": "yes"}, "email_verified must be True or False"),
        ({"email": "a@b.co", "external_id": 5}, "external_id must be a string"),
    ],
)
async def test_create_rejects_bad_input_locally(
    router: respx.Router, kwargs: dict[str, object], message: str
) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            await client.users.create(**kwargs)  # type: ignore[arg-type]
    assert not router.calls


async def test_server_business_limits_are_left_to_the_server(router: respx.Router) -> None:
    """Sizes the server enforces (metadata, external_id) are not re-checked locally."""
    route = router.post("/user_management/users").respond(201, json=user_json())
    metadata = {f"k{i}": "v" * 700 for i in range(60)}
    async with async_make_client(router) as client:
        await client.users.create(email="a@b.co", external_id="x" * 200, metadata=metadata)
    assert json.loads(route.calls.last.request.content)["metadata"] == metadata


async def test_get_escapes_the_path(router: respx.Router) -> None:
    route = router.get(url__regex=r"/user_management/users/.*").respond(200, json=user_json())
    async with async_make_client(router) as client:
        await client.users.get("user/../01 ?#")
    assert (
        route.calls.last.request.url.raw_path == b"/user_management/users/user%2F..%2F01%20%3F%23"
    )


@pytest.mark.parametrize("bad", ["", "   "])
async def test_empty_ids_are_rejected_locally(router: respx.Router, bad: str) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="user_id must not be empty"):
            await client.users.get(bad)
        with pytest.raises(InvalidArgumentError, match="user_id"):
            await client.users.delete(bad)
        with pytest.raises(InvalidArgumentError, match="user_id"):
            await client.users.update(bad, first_name="x")
        with pytest.raises(InvalidArgumentError, match="user_id"):
            await client.users.list_identities(bad)
        with pytest.raises(InvalidArgumentError, match="external_id"):
            await client.users.get_by_external_id(bad)
        with pytest.raises(InvalidArgumentError, match="must be a string"):
            await client.users.get(None)  # type: ignore[arg-type]
    assert not router.calls


async def test_get_by_external_id(router: respx.Router) -> None:
    route = router.get("/user_management/users/external_id/crm%2F42").respond(
        200, json=user_json("user_01C", external_id="crm/42")
    )
    async with async_make_client(router) as client:
        user = await client.users.get_by_external_id("crm/42")
    assert user.external_id == "crm/42"
    assert route.call_count == 1


async def test_get_missing_user_raises_not_found(router: respx.Router) -> None:
    router.get("/user_management/users/user_404").respond(
        404, json={"message": "User not found."}, headers={"X-Request-ID": "req_123"}
    )
    async with async_make_client(router) as client:
        with pytest.raises(NotFoundError) as info:
            await client.users.get("user_404")
    assert info.value.status_code == 404
    assert info.value.request_id == "req_123"
    assert info.value.message == "User not found."


async def test_update_sends_only_given_fields_and_null_clears(router: respx.Router) -> None:
    route = router.put("/user_management/users/user_01D").respond(200, json=user_json("user_01D"))
    async with async_make_client(router) as client:
        await client.users.update("user_01D", first_name="Grace", external_id=None, metadata=None)
    assert route.calls.last.request.method == "PUT"
    assert json.loads(route.calls.last.request.content) == {
        "first_name": "Grace",
        "external_id": None,
        "metadata": None,
    }


async def test_update_needs_a_field(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="at least one field"):
            await client.users.update("user_01D")
    assert not router.calls


async def test_delete_returns_none(router: respx.Router) -> None:
    route = router.delete("/user_management/users/user_01E").respond(200)
    async with async_make_client(router) as client:
        await client.users.delete("user_01E")
    assert route.call_count == 1


async def test_list_identities_reads_the_bare_array(router: respx.Router) -> None:
    router.get("/user_management/users/user_01F/identities").respond(
        200,
        json=[
            {
                "idp_id": "4F42ABDE-1E44-4B66-824A-5F733C037A6D",
                "type": "OAuth",
                "provider": "GoogleOAuth",
            },
            {"idp_id": "12345", "type": "OAuth", "provider": "SomeFutureOAuth", "new_field": 1},
        ],
    )
    async with async_make_client(router) as client:
        identities = await client.users.list_identities("user_01F")
    assert [i.provider for i in identities] == ["GoogleOAuth", "SomeFutureOAuth"]


async def test_list_passes_filters_and_paging_params(router: respx.Router) -> None:
    route = router.get("/user_management/users").respond(
        200, json=page_json([user_json("user_01G")], before=None, after=None)
    )
    async with async_make_client(router) as client:
        users = [
            u
            async for u in client.users.list(
                email="ada@example.com", organization_id="org_01", limit=5, order="asc"
            )
        ]
    assert [u.id for u in users] == ["user_01G"]
    params = dict(route.calls.last.request.url.params)
    assert params == {
        "email": "ada@example.com",
        "organization_id": "org_01",
        "limit": "5",
        "order": "asc",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": True}, "limit"),
        ({"order": "sideways"}, "order"),
        ({"before": "a", "after": "b"}, "not both"),
    ],
)
async def test_list_rejects_bad_paging_locally(
    router: respx.Router, kwargs: dict[str, object], message: str
) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            client.users.list(**kwargs)  # type: ignore[arg-type]


async def test_models_tolerate_unknown_fields(router: respx.Router) -> None:
    router.get("/user_management/users/user_01H").respond(
        200, json=user_json("user_01H", brand_new_field={"x": 1}, locale="fr-CA")
    )
    async with async_make_client(router) as client:
        user = await client.users.get("user_01H")
    assert user.locale == "fr-CA"


async def test_the_response_for_a_wrong_shape_is_a_typed_error(router: respx.Router) -> None:
    from workos_authkit import ResponseValidationError

    router.get("/user_management/users/user_01I").respond(200, json={"id": 5})
    router.get("/user_management/users/user_01J").respond(200, text="<html>oops</html>")
    async with async_make_client(router) as client:
        with pytest.raises(ResponseValidationError, match="does not match User"):
            await client.users.get("user_01I")
        with pytest.raises(ResponseValidationError, match="not valid JSON"):
            await client.users.get("user_01J")


async def test_request_options_headers_timeout_and_no_auth_override(router: respx.Router) -> None:
    from workos_authkit import RequestOptions

    route = router.get("/user_management/users/user_01K").respond(200, json=user_json("user_01K"))
    async with async_make_client(router) as client:
        await client.users.get(
            "user_01K",
            options=RequestOptions(
                extra_headers={"X-Trace": "t1", "AUTHORIZATION": "Bearer other"}, timeout=3.5
            ),
        )
    request = route.calls.last.request
    assert request.headers["x-trace"] == "t1"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.extensions["timeout"]["read"] == 3.5


async def test_user_agent_is_sent(router: respx.Router) -> None:
    route = router.get("/user_management/users/user_01L").respond(200, json=user_json("user_01L"))
    async with async_make_client(router) as client:
        await client.users.get("user_01L")
    assert route.calls.last.request.headers["user-agent"].startswith("workos-authkit-python/")


async def test_connection_failure_is_typed(router: respx.Router) -> None:
    from workos_authkit import APIConnectionError, APITimeoutError

    router.get("/user_management/users/user_down").mock(side_effect=httpx.ConnectError("refused"))
    router.get("/user_management/users/user_slow").mock(side_effect=httpx.ConnectTimeout("slow"))
    async with async_make_client(router, max_retries=1) as client:
        with pytest.raises(APIConnectionError, match="connection failed"):
            await client.users.get("user_down")
        with pytest.raises(APITimeoutError):
            await client.users.get("user_slow")
