# source-of-truth: async
"""The pager: lazy, follows cursors both ways, pages and items, no state between walks."""

from __future__ import annotations

from contextlib import aclosing

import httpx
import pytest
import respx

from tests._async.helpers import async_make_client
from tests.factories import page_json, user_json
from workos_authkit import Page, User, WorkOSError

pytestmark = pytest.mark.anyio

PATH = "/user_management/users"
IDS = [f"user_{i:02d}" for i in range(25)]


def paged_server(request: httpx.Request) -> httpx.Response:
    """25 users, newest first; honours limit, after and before like the API."""
    params = request.url.params
    limit = int(params.get("limit", "10"))
    if "after" in params:
        start = IDS.index(params["after"]) + 1
        chunk = IDS[start : start + limit]
    elif "before" in params:
        end = IDS.index(params["before"])
        chunk = IDS[max(0, end - limit) : end]
    else:
        chunk = IDS[:limit]
    first, last = IDS.index(chunk[0]), IDS.index(chunk[-1])
    return httpx.Response(
        200,
        json=page_json(
            [user_json(i) for i in chunk],
            before=chunk[0] if first > 0 else None,
            after=chunk[-1] if last < len(IDS) - 1 else None,
        ),
    )


async def test_iterating_items_walks_every_page(router: respx.Router) -> None:
    route = router.get(PATH).mock(side_effect=paged_server)
    async with async_make_client(router) as client:
        ids = [u.id async for u in client.users.list(limit=10)]
    assert ids == IDS
    assert route.call_count == 3
    cursors = [c.request.url.params.get("after") for c in route.calls]
    assert cursors == [None, "user_09", "user_19"]


async def test_pages_yields_page_models(router: respx.Router) -> None:
    router.get(PATH).mock(side_effect=paged_server)
    async with async_make_client(router) as client:
        pages = [p async for p in client.users.list(limit=10).pages()]
    assert [len(p.data) for p in pages] == [10, 10, 5]
    assert all(isinstance(p, Page) for p in pages)
    assert all(isinstance(u, User) for p in pages for u in p.data)
    assert pages[0].list_metadata.after == "user_09"
    assert pages[-1].list_metadata.after is None


async def test_nothing_is_fetched_until_iteration(router: respx.Router) -> None:
    route = router.get(PATH).mock(side_effect=paged_server)
    async with async_make_client(router) as client:
        pager = client.users.list(limit=10)
        assert route.call_count == 0
        assert "limit" in repr(pager)
        first = await pager.first_page()
    assert [u.id for u in first.data] == IDS[:10]
    assert route.call_count == 1


async def test_breaking_early_fetches_no_more_pages(router: respx.Router) -> None:
    route = router.get(PATH).mock(side_effect=paged_server)
    async with async_make_client(router) as client:
        got = []
        async with aclosing(client.users.list(limit=10).pages()) as pages:
            async for page in pages:
                got.extend(page.data)
                if len(got) >= 10:
                    break
    assert len(got) == 10
    assert route.call_count == 1


async def test_walking_backwards_from_a_before_cursor(router: respx.Router) -> None:
    route = router.get(PATH).mock(side_effect=paged_server)
    async with async_make_client(router) as client:
        pages = [p async for p in client.users.list(limit=10, before="user_20").pages()]
    assert [p.data[0].id for p in pages] == ["user_10", "user_00"]
    assert [c.request.url.params.get("before") for c in route.calls] == ["user_20", "user_10"]


async def test_a_pager_can_be_walked_twice(router: respx.Router) -> None:
    route = router.get(PATH).mock(side_effect=paged_server)
    async with async_make_client(router) as client:
        pager = client.users.list(limit=20)
        first = [u.id async for u in pager]
        second = [u.id async for u in pager]
    assert first == second == IDS
    assert route.call_count == 4


async def test_empty_list(router: respx.Router) -> None:
    router.get(PATH).respond(200, json=page_json([], before=None, after=None))
    async with async_make_client(router) as client:
        assert [u async for u in client.users.list()] == []


async def test_a_stuck_cursor_is_an_error_not_a_loop(router: respx.Router) -> None:
    router.get(PATH).respond(
        200, json=page_json([user_json("user_01")], before=None, after="user_01")
    )
    async with async_make_client(router) as client:
        with pytest.raises(WorkOSError, match="cursor repeats"):
            _ = [u async for u in client.users.list()]


async def test_errors_mid_walk_surface(router: respx.Router) -> None:
    from workos_authkit import UnprocessableEntityError

    router.get(PATH).mock(
        side_effect=[
            httpx.Response(
                200, json=page_json([user_json("user_01")], before=None, after="user_01")
            ),
            httpx.Response(422, json={"message": "Invalid cursor."}),
        ]
    )
    async with async_make_client(router) as client:
        got = []
        with pytest.raises(UnprocessableEntityError, match="Invalid cursor"):
            async for user in client.users.list():
                got.append(user.id)
    assert got == ["user_01"]


async def test_normal_order_follows_before_to_older_records(router: respx.Router) -> None:
    """``order="normal"``: newest first, ``before`` fetches older records (the spec's cursors)."""

    def server(request: httpx.Request) -> httpx.Response:
        assert request.url.params["order"] == "normal"
        newest_first = IDS[::-1]
        start = (
            newest_first.index(request.url.params["before"]) + 1
            if "before" in request.url.params
            else 0
        )
        chunk = newest_first[start : start + 10]
        older = start + 10 < len(newest_first)
        return httpx.Response(
            200,
            json=page_json(
                [user_json(i) for i in chunk],
                before=chunk[-1] if older else None,
                after=chunk[0] if start > 0 else None,
            ),
        )

    route = router.get(PATH).mock(side_effect=server)
    async with async_make_client(router) as client:
        ids = [u.id async for u in client.users.list(limit=10, order="normal")]
    assert ids == IDS[::-1]
    assert route.call_count == 3
