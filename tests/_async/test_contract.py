# source-of-truth: async
"""Contract: every request the users resource makes fits the vendored OpenAPI spec.

A respx route validates each outgoing request (method, path, query, JSON body) with
``tests.spec_contract`` and answers with a body that is itself checked against the spec.
"""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from tests._async.helpers import async_make_client, async_raw_get
from tests.factories import page_json, user_json
from tests.spec_contract import spec
from workos_authkit import AsyncWorkOS, RequestOptions

pytestmark = pytest.mark.anyio

IDENTITIES = [{"idp_id": "108872335", "type": "OAuth", "provider": "GoogleOAuth"}]


def contract_server(request: httpx.Request) -> httpx.Response:
    op = spec().validate_request(request)
    status, body = {
        "UserlandUsersController_create": (201, user_json()),
        "UserlandUsersController_get": (200, user_json()),
        "UserlandUsersController_getByExternalId": (200, user_json(external_id="ext_1")),
        "UserlandUsersController_list": (200, page_json([user_json()], before=None, after=None)),
        "UserlandUsersController_update": (200, user_json()),
        "UserlandUsersController_delete": (200, None),
        "UserlandUserIdentitiesController_get": (200, IDENTITIES),
    }[op.operation_id]
    spec().validate_response(request.method, request.url, status, body, strict=True)
    if body is None:
        return httpx.Response(status)
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )


async def _exercise(client: AsyncWorkOS) -> None:
    users = client.users
    await users.create(email="a@example.com")
    await users.create(
        email="a@example.com",
        password="pw-123456789",
        first_name="Ada",
        last_name="Lovelace",
        email_verified=False,
        external_id="ext_1",
        metadata={"tier": "gold"},
    )
    await users.create(
        email="b@example.com",
        password_hash="$2b$10$N9qo8uLOickgx2ZMRZoMye",
        password_hash_type="bcrypt",
    )
    await users.get("user_01E4ZCR3C56J083X43JQXF3JK5")
    await users.get_by_external_id("f1ffa2b2-c20b-4d39-be5c-212726e11222")
    _ = [u async for u in users.list()]
    _ = [
        u
        async for u in users.list(
            email="a@example.com", organization_id="org_01", limit=100, after="user_01", order="asc"
        )
    ]
    _ = [u async for u in users.list(limit=1, before="user_02", order="normal")]
    await users.update("user_01", first_name="Grace", last_name="Hopper", email_verified=True)
    await users.update("user_01", external_id=None, metadata=None, locale=None)
    await users.update("user_01", email="new@example.com", password="pw-abcdefgh12")
    await users.update(
        "user_01", password_hash="$2b$10$x", password_hash_type="bcrypt", locale="en-US"
    )
    await users.delete("user_01")
    await users.list_identities("user_01")


async def test_every_users_request_fits_the_spec(router: respx.Router) -> None:
    route = router.route().mock(side_effect=contract_server)
    async with async_make_client(router) as client:
        await _exercise(client)
    seen = {spec().operation(c.request.method, c.request.url).operation_id for c in route.calls}
    assert seen == {
        "UserlandUsersController_create",
        "UserlandUsersController_get",
        "UserlandUsersController_getByExternalId",
        "UserlandUsersController_list",
        "UserlandUsersController_update",
        "UserlandUsersController_delete",
        "UserlandUserIdentitiesController_get",
    }


async def test_the_contract_check_catches_a_bad_request(router: respx.Router) -> None:
    """The validator is live: a request the spec does not allow fails the route."""
    router.route().mock(side_effect=contract_server)
    async with async_make_client(router) as client:
        with pytest.raises(AssertionError, match="limit"):
            # extra_query goes around the SDK's own check of limit
            await client.users.list(options=RequestOptions(extra_query={"limit": 500})).first_page()
        with pytest.raises(AssertionError, match="no path in the spec"):
            await async_raw_get(client, "/user_management/nothing_here/x/y/z")
