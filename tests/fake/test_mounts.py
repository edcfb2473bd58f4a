"""The three mounts share one handler; pagination, clock, seeding, inspection."""

from __future__ import annotations

import httpx
import pytest

from workos_authkit.testing import FakeTransport, FakeWorkOS

from .conftest import Api


def test_transport_is_sync_and_async(fake: FakeWorkOS) -> None:
    t = fake.transport
    assert isinstance(t, FakeTransport)
    assert isinstance(t, httpx.BaseTransport) and isinstance(t, httpx.AsyncBaseTransport)
    assert fake.transport is t


@pytest.mark.anyio
async def test_async_client_any_host(fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com")
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    async with httpx.AsyncClient(
        transport=fake.transport, base_url="https://api.workos.com", headers=headers
    ) as c:
        r = await c.get("/user_management/users", params={"email": "ADA@example.com"})
    assert [u["email"] for u in r.json()["data"]] == ["ada@example.com"]


def test_respx_router(fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com")
    router = fake.router
    with httpx.Client(
        base_url="https://api.workos.com", transport=httpx.MockTransport(router.handler)
    ) as c:
        r = c.get("/user_management/users", headers={"Authorization": f"Bearer {fake.api_key}"})
        assert r.status_code == 200 and len(r.json()["data"]) == 1
        assert c.get("/user_management/users").status_code == 401
    assert router.calls.call_count == 2


@pytest.mark.anyio
async def test_respx_router_async(fake: FakeWorkOS) -> None:
    transport = httpx.MockTransport(fake.router.async_handler)
    async with httpx.AsyncClient(base_url="https://api.workos.com", transport=transport) as c:
        assert (await c.get("/health")).json() == {"status": "ok"}


def test_health(api: Api) -> None:
    assert api.http.get("/health", headers={"Authorization": ""}).json() == {"status": "ok"}


def test_unknown_route_and_method(api: Api) -> None:
    assert api.get("/nope").status_code == 404
    assert api.http.patch("/user_management/users").status_code == 405


@pytest.mark.parametrize("order", ["desc", "asc", "normal"])
def test_cursor_pagination_both_ways(api: Api, fake: FakeWorkOS, order: str) -> None:
    ids = [fake.add_user(f"u{i}@example.com")["id"] for i in range(7)]
    expected = list(reversed(ids)) if order != "asc" else ids
    fwd_param, back_param = ("before", "after") if order == "normal" else ("after", "before")

    seen, cursor, pages = [], None, []
    while True:
        params = {"limit": 3, "order": order, **({fwd_param: cursor} if cursor else {})}
        page = api.get("/user_management/users", params=params).json()
        pages.append(page)
        seen += [u["id"] for u in page["data"]]
        cursor = page["list_metadata"][fwd_param]
        if cursor is None:
            break
    assert seen == expected and [len(p["data"]) for p in pages] == [3, 3, 1]
    assert pages[0]["list_metadata"][back_param] is None

    # and back again from the last page
    back = pages[-1]["list_metadata"][back_param]
    prev = api.get(
        "/user_management/users", params={"limit": 3, "order": order, back_param: back}
    ).json()
    assert [u["id"] for u in prev["data"]] == expected[3:6]


def test_invalid_paging_params(api: Api) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"limit": "ten"}, {"order": "up"}):
        r = api.get("/user_management/invitations", params=params)
        assert r.status_code == 422 and r.json()["code"] == "invalid_request_parameters"
    r = api.get("/user_management/users", params={"limit": 0})
    assert r.status_code == 422 and set(r.json()) == {"message"}
    assert api.get("/user_management/users", params={"limit": 100}).status_code == 200


def test_clock_controls_expiry_and_freezing(fake: FakeWorkOS) -> None:
    fake.clock.unfreeze()
    t0 = fake.clock.now()
    fake.clock.advance(3600)
    assert fake.clock.now() - t0 >= 3600
    fake.clock.freeze(1000.0)
    assert fake.clock.now() == 1000.0
    fake.clock.advance(5)
    assert fake.clock.now() == 1005.0 and fake.clock.frozen


def test_seed_helpers_and_inspection(api: Api, fake: FakeWorkOS) -> None:
    fake.seed(
        {
            "organizations": [{"name": "Acme", "domains": ["acme.example"]}],
            "users": [
                {
                    "email": "ada@example.com",
                    "password": "correct horse battery",
                    "first_name": "Ada",
                }
            ],
            "memberships": [
                {"user": "ada@example.com", "organization": "Acme", "role_slug": "admin"}
            ],
        }
    )
    org = next(iter(fake.organizations.values()))
    assert api.get(f"/organizations/{org['id']}").json()["domains"][0]["domain"] == "acme.example"
    assert api.get("/organizations").json()["data"][0]["id"] == org["id"]
    created = api.post("/organizations", {"name": "Beta"})
    assert created.status_code == 201 and created.json()["object"] == "organization"
    auth = api.password_sign_in("ada@example.com", "correct horse battery").json()
    assert auth["organization_id"] == org["id"]
    api.post("/user_management/magic_auth", {"email": "ada@example.com"})
    (mail,) = fake.emails_to("ada@example.com")
    assert mail.kind == "magic_auth" and mail.code and len(mail.code) == 6


def test_password_hash_import(api: Api) -> None:
    bcrypt_hash = "$2b$10$" + "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
    r = api.post(
        "/user_management/users",
        {"email": "imp@example.com", "password_hash": bcrypt_hash, "password_hash_type": "bcrypt"},
    )
    assert r.status_code == 201
    bad = api.post(
        "/user_management/users",
        {"email": "x@example.com", "password_hash": "plain", "password_hash_type": "bcrypt"},
    )
    assert bad.json()["code"] == "invalid_password_hash"
    both = api.post(
        "/user_management/users",
        {
            "email": "y@example.com",
            "password": "correct horse battery",
            "password_hash_type": "bcrypt",
        },
    )
    assert both.json()["code"] == "password_and_password_hash_type_provided"


def test_in_process_cost(fake: FakeWorkOS) -> None:
    """The handler itself must stay cheap (the SDK, not the fake, should dominate benchmarks)."""
    import time

    user = fake.add_user("ada@example.com")
    headers = {"authorization": f"Bearer {fake.api_key}"}
    path = f"/user_management/users/{user['id']}"
    n = 2000
    started = time.perf_counter()
    for _ in range(n):
        fake.handle("GET", path, {}, headers, b"")
    per_request = (time.perf_counter() - started) / n
    assert per_request < 0.001  # generous bound for slow CI; typically ~15 µs


def test_seeding_a_duplicate_membership_is_refused() -> None:
    fake = FakeWorkOS()
    user = fake.add_user("ada@example.com")
    org = fake.add_organization("Acme")
    fake.add_membership(user["id"], org["id"])
    with pytest.raises(ValueError, match="already has a membership"):
        fake.add_membership("ada@example.com", "Acme")
    assert len(fake.memberships) == 1
