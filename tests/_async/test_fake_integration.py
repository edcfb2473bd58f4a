# source-of-truth: async
"""The SDK end to end against FakeWorkOS, in-process: users, the pager, errors, faults, limits."""

from __future__ import annotations

import pytest

from tests._async.helpers import async_fake_client
from workos_authkit import (
    AsyncWorkOS,
    BadRequestError,
    NotFoundError,
    OutcomeUnknownError,
    RequestOptions,
    ServerError,
    UnprocessableEntityError,
)
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio


async def test_users_lifecycle(workos_fake: FakeWorkOS, async_workos_client: AsyncWorkOS) -> None:
    async with async_workos_client as client:
        user = await client.users.create(
            email="ada@example.com",
            password="correct-horse-battery-staple",
            first_name="Ada",
            external_id="crm-1",
            metadata={"plan": "pro"},
        )
        assert (await client.users.get(user.id)) == user
        assert (await client.users.get_by_external_id("crm-1")).id == user.id
        updated = await client.users.update(user.id, last_name="Lovelace", metadata=None)
        assert updated.last_name == "Lovelace"
        assert updated.metadata == {}
        assert updated.updated_at >= user.updated_at
        assert await client.users.list_identities(user.id) == []
        await client.users.delete(user.id)
        with pytest.raises(NotFoundError):
            await client.users.get(user.id)
    assert workos_fake.stats.requests["POST /user_management/users"] == 1


async def test_duplicate_email_is_a_typed_error(
    workos_fake: FakeWorkOS, async_workos_client: AsyncWorkOS
) -> None:
    workos_fake.add_user("taken@example.com")
    with pytest.raises(BadRequestError) as info:
        await async_workos_client.users.create(email="taken@example.com")
    assert info.value.code == "user_creation_error"
    assert info.value.errors
    assert info.value.request_id


async def test_pager_walks_every_page_with_filters(workos_fake: FakeWorkOS) -> None:
    org = workos_fake.add_organization("Acme")
    for i in range(25):
        user = workos_fake.add_user(f"user{i:02d}@example.com")
        if i % 2 == 0:
            workos_fake.add_membership(user["id"], org["id"])
    async with async_fake_client(workos_fake) as client:
        everyone = [u.email async for u in client.users.list(limit=10)]
        assert len(everyone) == 25
        assert len(set(everyone)) == 25
        assert everyone == sorted(everyone, reverse=True)  # newest first (order=desc)
        ascending = [u.email async for u in client.users.list(limit=7, order="asc")]
        assert ascending == sorted(everyone)
        members = [u.email async for u in client.users.list(organization_id=org["id"], limit=5)]
        assert len(members) == 13
        pages = [p async for p in client.users.list(limit=10).pages()]
        assert [len(p.data) for p in pages] == [10, 10, 5]
        one = [u.email async for u in client.users.list(email="user07@example.com")]
        assert one == ["user07@example.com"]
    assert workos_fake.stats.requests["GET /user_management/users"] == 3 + 4 + 3 + 3 + 1


async def test_the_fake_rejects_what_the_spec_rejects(workos_fake: FakeWorkOS) -> None:
    async with async_fake_client(workos_fake) as client:
        with pytest.raises(UnprocessableEntityError):
            await client.users.list(options=RequestOptions(extra_query={"limit": 0})).first_page()


async def test_injected_5xx_is_retried(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    workos_fake.faults.add("GET", "/user_management/users/*", status=503, times=2)
    async with async_fake_client(workos_fake) as client:
        assert (await client.users.get(user["id"])).email == "ada@example.com"
        assert client.transport_stats.retries == 2
    assert workos_fake.stats.faults_fired == 2


async def test_persistent_5xx_surfaces_after_the_retry_budget(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    workos_fake.faults.add("GET", "/user_management/users/*", status=500, times=None)
    async with async_fake_client(workos_fake, max_retries=2) as client:
        with pytest.raises(ServerError):
            await client.users.get(user["id"])
    assert workos_fake.stats.faults_fired == 3


async def test_connection_dropped_before_the_request_is_retried_safely(
    workos_fake: FakeWorkOS,
) -> None:
    workos_fake.faults.add("POST", "/user_management/users", drop="before")
    async with async_fake_client(workos_fake) as client:
        await client.users.create(email="ada@example.com")
    assert len(workos_fake.users) == 1


async def test_dropped_after_commit_raises_outcome_unknown_and_the_key_makes_retry_safe(
    workos_fake: FakeWorkOS,
) -> None:
    workos_fake.faults.add("POST", "/user_management/users", drop="after")
    async with async_fake_client(workos_fake) as client:
        with pytest.raises(OutcomeUnknownError) as info:
            await client.users.create(email="ada@example.com")
        assert len(workos_fake.users) == 1  # it was applied
        again = await client.users.create(
            email="ada@example.com",
            options=RequestOptions(idempotency_key=info.value.idempotency_key),
        )
    assert len(workos_fake.users) == 1  # not applied twice
    assert again.email == "ada@example.com"
    assert workos_fake.stats.idempotent_replays == 1


async def test_opted_in_ambiguous_retry_creates_one_user(workos_fake: FakeWorkOS) -> None:
    workos_fake.faults.add("POST", "/user_management/users", timeout=True)
    async with async_fake_client(workos_fake) as client:
        user = await client.users.create(
            email="ada@example.com", options=RequestOptions(retry_ambiguous=True)
        )
    assert list(workos_fake.users) == [user.id]
    assert workos_fake.stats.idempotent_replays == 1


async def test_client_learns_the_server_rate_limit_and_is_never_refused(
    workos_fake: FakeWorkOS,
) -> None:
    user = workos_fake.add_user("ada@example.com")
    workos_fake.rate_limit(5, window=10.0)
    async with async_fake_client(workos_fake) as client:
        for _ in range(12):
            await client.users.get(user["id"])
        # X-RateLimit-Remaining reached 0 twice: the client waited for X-RateLimit-Reset
        # at the server window instead of being refused (no 429, so no pause)
        assert client.rate_limit_pauses == 0
        assert (
            client.transport_stats.waited >= 10.0
        )  # two window boundaries (windows are clock-aligned)
        assert client.transport_stats.retries == 0
    assert workos_fake.stats.rate_limited == 0


async def test_a_429_pauses_then_retries_after_retry_after(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    workos_fake.faults.add(
        "GET", "/user_management/users/*", status=429, headers={"Retry-After": "2"}, times=1
    )
    async with async_fake_client(workos_fake) as client:
        start = workos_fake.clock.now()
        await client.users.get(user["id"])
        assert workos_fake.clock.now() - start >= 2.0
        assert client.rate_limit_pauses == 1
        assert client.transport_stats.rate_limited == 1
    assert workos_fake.stats.requests["GET /user_management/users/{id}"] == 2


async def test_wrong_api_key_is_an_authentication_error(workos_fake: FakeWorkOS) -> None:
    from workos_authkit import AuthenticationError

    client = AsyncWorkOS(
        api_key="sk_test_wrong", base_url=workos_fake.base_url, transport=workos_fake.transport
    )
    with pytest.raises(AuthenticationError):
        await client.users.get("user_01")
    await client.aclose()


@pytest.mark.parametrize("external_id", ["crm/42", "ext id", "é%2F"])
async def test_ids_with_reserved_characters_round_trip(
    workos_fake: FakeWorkOS, async_workos_client: AsyncWorkOS, external_id: str
) -> None:
    created = await async_workos_client.users.create(
        email="ada@example.com", external_id=external_id
    )
    found = await async_workos_client.users.get_by_external_id(external_id)
    assert found.id == created.id
    with workos_fake.serve() as base_url:
        async with AsyncWorkOS(api_key=workos_fake.api_key, base_url=base_url) as client:
            assert (await client.users.get_by_external_id(external_id)).id == created.id
