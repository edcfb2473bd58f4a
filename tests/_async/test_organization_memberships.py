# source-of-truth: async
"""Organization memberships against FakeWorkOS (every request and response checked against the
spec), plus the wire details and the local argument checks."""

from __future__ import annotations

import json

import pytest
import respx

from tests._async.helpers import async_checked_fake_client, async_make_client
from tests.factories import user_json
from workos_authkit import (
    BadRequestError,
    InvalidArgumentError,
    NotFoundError,
    OrganizationMembership,
    RoleRef,
)
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio

MEMBERSHIPS = "/user_management/organization_memberships"


def membership_json(**overrides: object) -> dict[str, object]:
    """A membership as the spec requires it: no ``roles``, ``organization_name`` or attributes."""
    return {
        "object": "organization_membership",
        "id": "om_01",
        "user_id": "user_01",
        "organization_id": "org_01",
        "status": "active",
        "directory_managed": False,
        "role": {"slug": "member"},
        "user": user_json("user_01"),
        "created_at": "2024-05-01T12:00:00.000Z",
        "updated_at": "2024-05-01T12:00:00.000Z",
        **overrides,
    }


async def test_membership_lifecycle(workos_fake: FakeWorkOS) -> None:
    workos_fake.settings.multiple_roles = True
    user = workos_fake.add_user("ada@example.com")
    org = workos_fake.add_organization("Acme")
    async with async_checked_fake_client(workos_fake) as client:
        memberships = client.organization_memberships
        created = await memberships.create(
            user_id=user["id"], organization_id=org["id"], role_slug="admin"
        )
        assert isinstance(created, OrganizationMembership)
        assert (created.status, created.role, created.roles) == (
            "active",
            RoleRef(slug="admin"),
            [RoleRef(slug="admin")],
        )
        assert created.user.email == "ada@example.com"
        assert created.organization_name == "Acme"
        assert await memberships.get(created.id) == created

        updated = await memberships.update(created.id, role_slugs=["admin", "member"])
        assert updated.roles == [RoleRef(slug="admin"), RoleRef(slug="member")]
        by_user = [m.id async for m in memberships.list(user_id=user["id"])]
        by_org = [m.id async for m in memberships.list(organization_id=org["id"], limit=1)]
        assert by_user == by_org == [created.id]

        inactive = await memberships.deactivate(created.id)
        assert inactive.status == "inactive"
        active = [m async for m in memberships.list(user_id=user["id"], statuses=["active"])]
        assert active == []
        assert (await memberships.reactivate(created.id)).status == "active"

        await memberships.delete(created.id)
        with pytest.raises(NotFoundError):
            await memberships.get(created.id)


async def test_a_pending_membership_cannot_be_deactivated(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    org = workos_fake.add_organization("Acme")
    async with async_checked_fake_client(workos_fake) as client:
        await client.invitations.send(email="ada@example.com", organization_id=org["id"])
        (pending,) = [m async for m in client.organization_memberships.list(user_id=user["id"])]
        assert pending.status == "pending"
        with pytest.raises(BadRequestError) as info:
            await client.organization_memberships.deactivate(pending.id)
    assert info.value.code == "cannot_deactivate_pending_organization_membership"


async def test_statuses_are_comma_joined_and_deactivate_sends_no_body(
    router: respx.Router,
) -> None:
    listed = router.get(MEMBERSHIPS).respond(
        200,
        json={"object": "list", "data": [], "list_metadata": {"before": None, "after": None}},
    )
    put = router.put(f"{MEMBERSHIPS}/om_01/deactivate").respond(
        200, json=membership_json(status="inactive")
    )
    async with async_make_client(router) as client:
        await client.organization_memberships.list(
            organization_id="org_01", statuses=["active", "pending"]
        ).first_page()
        membership = await client.organization_memberships.deactivate("om_01")
    assert dict(listed.calls.last.request.url.params) == {
        "organization_id": "org_01",
        "statuses": "active,pending",
    }
    assert put.calls.last.request.content == b""
    assert membership.status == "inactive"


async def test_a_membership_without_roles_or_optional_fields_parses(router: respx.Router) -> None:
    """The official SDK fails on a spec-valid membership without ``roles``; this one does not."""
    router.get(f"{MEMBERSHIPS}/om_01").respond(200, json=membership_json())
    async with async_make_client(router) as client:
        membership = await client.organization_memberships.get("om_01")
    assert membership.roles is None
    assert membership.organization_name is None
    assert membership.custom_attributes == {}


async def test_create_sends_role_slugs(router: respx.Router) -> None:
    route = router.post(MEMBERSHIPS).respond(201, json=membership_json())
    async with async_make_client(router) as client:
        await client.organization_memberships.create(
            user_id="user_01", organization_id="org_01", role_slugs=("admin", "billing")
        )
        await client.organization_memberships.create(user_id="user_01", organization_id="org_01")
    first, second = (json.loads(call.request.content) for call in route.calls)
    assert first == {
        "user_id": "user_01",
        "organization_id": "org_01",
        "role_slugs": ["admin", "billing"],
    }
    assert second == {"user_id": "user_01", "organization_id": "org_01"}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            {
                "create": {
                    "user_id": "u",
                    "organization_id": "o",
                    "role_slug": "a",
                    "role_slugs": ["b"],
                }
            },
            "not both",
        ),
        ({"create": {"user_id": "", "organization_id": "o"}}, "user_id must not be empty"),
        (
            {"create": {"user_id": "u", "organization_id": "o", "role_slugs": "admin"}},
            "list of strings",
        ),
        (
            {"create": {"user_id": "u", "organization_id": "o", "role_slugs": []}},
            "at least one role",
        ),
        ({"update": {"organization_membership_id": "om_01"}}, "role_slug or role_slugs"),
        (
            {"update": {"organization_membership_id": "", "role_slug": "a"}},
            "organization_membership_id",
        ),
        (
            {"get": {"organization_membership_id": " "}},
            "organization_membership_id must not be empty",
        ),
        ({"deactivate": {"organization_membership_id": ""}}, "organization_membership_id"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    router: respx.Router, call: dict[str, dict[str, object]], message: str
) -> None:
    ((name, kwargs),) = call.items()
    async with async_make_client(router) as client:
        method = getattr(client.organization_memberships, name)
        with pytest.raises(InvalidArgumentError, match=message):
            await method(**kwargs)
    assert not router.calls


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "user_id or organization_id"),
        ({"user_id": "u", "statuses": ["active", "gone"]}, "statuses"),
        ({"user_id": "u", "statuses": "active"}, "list of strings"),
        ({"user_id": "u", "limit": 0}, "limit"),
    ],
)
async def test_list_arguments_are_checked(
    router: respx.Router, kwargs: dict[str, object], message: str
) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            client.organization_memberships.list(**kwargs)  # type: ignore[arg-type]
