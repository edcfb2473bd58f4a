# source-of-truth: async
"""Organization API keys against FakeWorkOS (requests and responses checked against the spec)."""

from __future__ import annotations

import json

import pytest
import respx

from tests._async.helpers import async_checked_fake_client, async_make_client
from tests.spec_payloads import example
from workos_authkit import InvalidArgumentError, NotFoundError, OrganizationApiKeyWithValue
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio


async def test_create_validate_delete_then_validate_gives_none(workos_fake: FakeWorkOS) -> None:
    org = workos_fake.add_organization("Acme")
    async with async_checked_fake_client(workos_fake) as client:
        keys = client.api_keys
        created = await keys.create_for_organization(
            org["id"], name="CI", permissions=["posts:read"]
        )
        assert isinstance(created, OrganizationApiKeyWithValue)
        assert (created.owner.type, created.owner.id) == ("organization", org["id"])
        assert created.permissions == ["posts:read"]
        assert created.value not in repr(created)
        assert created.expires_at is None and created.last_used_at is None

        found = await keys.validate(created.value)
        assert found is not None
        assert (found.id, found.owner.id, found.name) == (created.id, org["id"], "CI")
        assert found.last_used_at is not None
        (listed,) = [k async for k in keys.list_for_organization(org["id"])]
        assert listed.id == created.id
        assert not hasattr(listed, "value")

        await keys.delete(created.id)
        assert await keys.validate(created.value) is None
        assert [k async for k in keys.list_for_organization(org["id"], limit=5)] == []
        with pytest.raises(NotFoundError):
            await keys.delete(created.id)


async def test_validation_is_retried_like_a_read(workos_fake: FakeWorkOS) -> None:
    """Validating only reads: a 502 is retried, unlike other POSTs."""
    workos_fake.faults.add("POST", "/api_keys/validations", status=502)
    async with async_checked_fake_client(workos_fake) as client:
        assert await client.api_keys.validate("sk_not_a_key") is None
    assert workos_fake.stats.requests["POST /api_keys/validations"] == 2


async def test_keys_without_optional_fields_parse(router: respx.Router) -> None:
    """The official SDK fails on spec-valid keys without ``expires_at``; these parse."""
    created = example("OrganizationApiKeyWithValue")
    created.pop("expires_at", None)
    route = router.post("/organizations/org_1/api_keys").respond(201, json=created)
    router.post("/api_keys/validations").respond(
        200, json={"api_key": {**example("ApiKey"), "expires_at": "2030-01-01T00:00:00.000Z"}}
    )
    async with async_make_client(router) as client:
        key = await client.api_keys.create_for_organization("org_1", name="CI")
        found = await client.api_keys.validate("sk_example")
    assert key.expires_at is None
    assert json.loads(route.calls.last.request.content) == {"name": "CI"}
    assert found is not None and found.expires_at is not None
    assert found.expires_at.year == 2030


async def test_bad_input_is_refused_before_sending(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="name must not be empty"):
            await client.api_keys.create_for_organization("org_1", name="")
        with pytest.raises(InvalidArgumentError, match="permissions must be a list of strings"):
            await client.api_keys.create_for_organization("org_1", name="CI", permissions="a:b")
        with pytest.raises(InvalidArgumentError, match="organization_id must not be empty"):
            await client.api_keys.create_for_organization("", name="CI")
        with pytest.raises(InvalidArgumentError, match="value must not be empty"):
            await client.api_keys.validate("")
        with pytest.raises(InvalidArgumentError, match="api_key_id"):
            await client.api_keys.delete("")
    assert not router.calls
