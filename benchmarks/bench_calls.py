"""Per-call overhead on an in-process transport: "get one user" and "one 100-user page".

Contenders, all answered by the same ``httpx.MockTransport`` handler returning the same
canned ``UserlandUser`` bytes (no network, no sockets):

* ``raw``      - ``httpx.Client.get(...)`` + ``json.loads``: the floor (no SDK at all);
* ``ours``     - ``WorkOS(...).users.get(id)`` -> attrs ``User`` (retry transport, error
                 mapping, cattrs structuring);
* ``official`` - ``workos==10.8.0`` ``WorkOSClient(...).user_management.get_user(id)``.

The ``page`` scenario is the same three for one 100-user ``UserlandUserList`` page:
``GET /user_management/users?limit=100`` + ``json.loads`` (raw), ``users.list(limit=100)
.first_page()`` (ours, a typed ``Page[User]``), ``list_users(limit=100)`` (official).

Each exists in a sync and an async flavour; the async ones are awaited in a loop on one
event loop. How the official SDK is pointed at the fake transport: 10.8.0 takes an
``http_client=`` argument (an ``httpx2.Client``, an ``httpx.Client`` or any object with
``request()``/``close()``), and wraps an ``httpx.Client`` in its ``HttpxBackend``. We pass
``httpx.Client(transport=httpx.MockTransport(handler))`` (async: ``httpx.AsyncClient``) -
its documented injection point, no patching.

Our client is built with ``rate_limit=RateLimitConfig(enabled=False)``: its default
client-side token bucket (1,000 reads / 10 s, WorkOS's published limit) would otherwise
make a tight loop of thousands of calls measure sleeping. The official SDK has no
client-side limiter. Retries are left at their defaults in both (a 200 never retries).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks._common import (
    API_BASE,
    USER_ID,
    check_against_spec,
    environment,
    interleave,
    ratio,
    table,
    user_bytes,
    user_page_bytes,
)

PATH = f"/user_management/users/{USER_ID}"
LIST_PATH = "/user_management/users"
US = 1e-6


def _handler_for(body: bytes) -> Callable[[httpx.Request], httpx.Response]:
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers=headers)

    return handler


def _build(body: bytes, scenario: str) -> tuple[dict[str, Any], list[Any]]:
    """Contender name -> batch function(n); and the clients to close afterwards."""
    from workos import AsyncWorkOSClient, WorkOSClient

    from workos_authkit import AsyncWorkOS, WorkOS
    from workos_authkit._retry import RateLimitConfig

    handler = _handler_for(body)
    no_limit = RateLimitConfig(enabled=False)

    raw_sync = httpx.Client(base_url=API_BASE, transport=httpx.MockTransport(handler))
    raw_async = httpx.AsyncClient(base_url=API_BASE, transport=httpx.MockTransport(handler))
    ours_sync = WorkOS(
        api_key="sk_test",
        client_id="client_x",
        transport=httpx.MockTransport(handler),
        rate_limit=no_limit,
    )
    ours_async = AsyncWorkOS(
        api_key="sk_test",
        client_id="client_x",
        transport=httpx.MockTransport(handler),
        rate_limit=no_limit,
    )
    off_http_sync = httpx.Client(transport=httpx.MockTransport(handler))
    off_http_async = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    official_sync = WorkOSClient(api_key="sk_test", client_id="client_x", http_client=off_http_sync)
    official_async = AsyncWorkOSClient(
        api_key="sk_test", client_id="client_x", http_client=off_http_async
    )

    ours_s_call: Callable[[Any], Any]
    ours_a_call: Callable[[Any], Awaitable[Any]]
    off_s_call: Callable[[Any], Any]
    off_a_call: Callable[[Any], Awaitable[Any]]
    if scenario == "get":
        path, params = PATH, None
        ours_s_call = ours_sync.users.get
        ours_a_call = ours_async.users.get
        off_s_call = official_sync.user_management.get_user
        off_a_call = official_async.user_management.get_user
        arg: Any = USER_ID
    else:
        path, params = LIST_PATH, {"limit": 100}

        def ours_s_page(_: Any) -> Any:
            return ours_sync.users.list(limit=100).first_page()

        async def ours_a_page(_: Any) -> Any:
            return await ours_async.users.list(limit=100).first_page()

        def off_s_page(_: Any) -> Any:
            return official_sync.user_management.list_users(limit=100)

        async def off_a_page(_: Any) -> Any:
            return await official_async.user_management.list_users(limit=100)

        ours_s_call, ours_a_call, off_s_call, off_a_call = (
            ours_s_page,
            ours_a_page,
            off_s_page,
            off_a_page,
        )

        arg = None

    def raw_s(n: int) -> None:
        get, loads = raw_sync.get, json.loads
        for _ in range(n):
            loads(get(path, params=params).content)

    async def raw_a(n: int) -> None:
        get, loads = raw_async.get, json.loads
        for _ in range(n):
            loads((await get(path, params=params)).content)

    def ours_s(n: int) -> None:
        for _ in range(n):
            ours_s_call(arg)

    async def ours_a(n: int) -> None:
        for _ in range(n):
            await ours_a_call(arg)

    def official_s(n: int) -> None:
        for _ in range(n):
            off_s_call(arg)

    async def official_a(n: int) -> None:
        for _ in range(n):
            await off_a_call(arg)

    contenders = {
        "raw sync": raw_s,
        "ours sync": ours_s,
        "official sync": official_s,
        "raw async": raw_a,
        "ours async": ours_a,
        "official async": official_a,
    }
    closers = [raw_sync, raw_async, ours_sync, ours_async, off_http_sync, off_http_async]
    return contenders, closers


def _sanity(body: bytes, loop: asyncio.AbstractEventLoop) -> None:
    """Every contender really performs GET <path> and decodes the canned user."""
    from workos import AsyncWorkOSClient, WorkOSClient

    from workos_authkit import AsyncWorkOS, WorkOS

    seen: list[tuple[str, str]] = []
    inner = _handler_for(body)

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        assert request.headers["authorization"] == "Bearer sk_test"
        return inner(request)

    ours = WorkOS(api_key="sk_test", transport=httpx.MockTransport(recording))
    official = WorkOSClient(
        api_key="sk_test", http_client=httpx.Client(transport=httpx.MockTransport(recording))
    )
    assert ours.users.get(USER_ID).id == USER_ID
    assert official.user_management.get_user(USER_ID).id == USER_ID

    async def both_async() -> None:
        a_ours = AsyncWorkOS(api_key="sk_test", transport=httpx.MockTransport(recording))
        a_official = AsyncWorkOSClient(
            api_key="sk_test",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(recording)),
        )
        assert (await a_ours.users.get(USER_ID)).id == USER_ID
        assert (await a_official.user_management.get_user(USER_ID)).id == USER_ID
        await a_ours.aclose()

    loop.run_until_complete(both_async())
    ours.close()
    assert seen == [("GET", PATH)] * 4, seen


SCENARIOS = {
    "get": ("users.get", PATH),
    "page": ("one 100-user page", LIST_PATH),
}


def _measure(
    scenario: str, body: bytes, loop: asyncio.AbstractEventLoop, rounds: int, batch: int
) -> dict[str, Any]:
    contenders, closers = _build(body, scenario)

    def run_async(coro: Awaitable[None]) -> None:
        loop.run_until_complete(coro)

    series = interleave(
        contenders,
        rounds=rounds,
        batch=batch,
        warmup=max(batch // 4, 5),
        run_async=run_async,
        is_async=lambda name: name.endswith("async"),
    )
    for client in closers:
        close = getattr(client, "aclose", None)
        if close is not None:
            loop.run_until_complete(close())
        else:
            client.close()
    med = {name: s.median / US for name, s in series.items()}
    ratios = {}
    beyond_raw = {}
    for flavour in ("sync", "async"):
        raw, ours, off = (med[f"{who} {flavour}"] for who in ("raw", "ours", "official"))
        ratios[f"ours/raw {flavour}"] = ratio(ours, raw)
        ratios[f"ours/official {flavour}"] = ratio(ours, off)
        ratios[f"official/raw {flavour}"] = ratio(off, raw)
        beyond_raw[f"ours {flavour}"] = round(ours - raw, 1)
        beyond_raw[f"official {flavour}"] = round(off - raw, 1)
    return {
        "what": SCENARIOS[scenario][0],
        "fixture": check_against_spec("GET", SCENARIOS[scenario][1], body),
        "body_bytes": len(body),
        "calls_per_round": batch,
        "results_us": {name: s.summary(US, "us/call") for name, s in series.items()},
        "ratios": ratios,
        "beyond_raw_us": beyond_raw,
    }


def run(*, rounds: int = 21, batch: int = 200, quiet: bool = False) -> dict[str, Any]:
    loop = asyncio.new_event_loop()
    try:
        _sanity(user_bytes(), loop)
        scenarios = {
            "get": _measure("get", user_bytes(), loop, rounds, batch),
            "page": _measure("page", user_page_bytes(100), loop, rounds, max(batch // 10, 3)),
        }
    finally:
        loop.close()
    result: dict[str, Any] = {
        "benchmark": "calls",
        "what": "calls on an in-process httpx.MockTransport: microseconds per call",
        "rounds": rounds,
        "scenarios": scenarios,
        "notes": [
            "ours: rate_limit=RateLimitConfig(enabled=False) (client-side token bucket off)",
            "official: workos==10.8.0 given http_client=httpx.Client(transport=MockTransport)",
            "raw: httpx.Client.get + json.loads (dicts, no typed objects)",
        ],
    }
    if not quiet:
        print(render(result))
    return result


def render(result: dict[str, Any]) -> str:
    out = []
    for sc in result["scenarios"].values():
        rows = [[name, r["median"], r["p25"], r["p75"]] for name, r in sc["results_us"].items()]
        out += [
            f"{sc['what']} per call ({result['rounds']} rounds x {sc['calls_per_round']} calls, "
            f"{sc['body_bytes']:,} B body; {sc['fixture']})",
            table(["contender", "median us", "p25", "p75"], rows),
            "ratios: " + ", ".join(f"{k} {v:.2f}x" for k, v in sc["ratios"].items()),
            "cost beyond raw httpx (us): "
            + ", ".join(f"{k} {v:+.1f}" for k, v in sc["beyond_raw_us"].items()),
            "",
        ]
    return "\n".join(out).rstrip()


if __name__ == "__main__":
    import pprint

    res = run()
    pprint.pprint(environment())
