"""How well the client-side rate limiter uses a rate-limited server, on loopback.

Many concurrent ``users.create`` calls (each with its own email) from one ``AsyncWorkOS``
against ``FakeWorkOS`` served on 127.0.0.1 with its fixed-window rate limiter on
(``fake.rate_limit(limit, window)``; a refused request gets a 429 with ``Retry-After`` until
the end of the window). Two scenarios:

* ``headers``    - the fake as it is: every answer carries ``X-RateLimit-Limit/Remaining/Reset``;
* ``no headers`` - the same server, but the client never sees ``X-RateLimit-*`` (a small
                   transport in this module deletes them from each response before the SDK
                   does): the limit is unknown to the client, and below its default (500
                   writes / 10 s); only 429s and ``Retry-After`` tell it anything.

Reported per scenario: achieved rate (creates that succeeded / seconds from the first call to
the last answer) over the allowed rate (``limit / window``); the share of requests the server
answered 429; users created vs asked (from the fake's state); duplicates (two users with the
same email: a create applied twice); and calls that raised. Client defaults throughout
(``RetryConfig()``, ``RateLimitConfig()``): nothing is tuned to the server.

The fake's windows are aligned to its clock, so a run may start mid-window and get a partial
first window in full: the achieved rate can exceed the allowed one by up to one window's limit
over the run. Everything binds to 127.0.0.1 only.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import anyio
import httpx

from benchmarks._common import table

#: ``--quick``: check that it runs (too short for the ratios to mean much)
QUICK: dict[str, Any] = {"creates_headers": 100, "creates_plain": 200}
#: the goals of issue 12 §3: (min achieved/allowed, max share of 429s)
GOALS = {"headers": (0.95, 0.01), "no headers": (0.90, 0.05)}


class _NoRateLimitHeaders(httpx.AsyncHTTPTransport):
    """Loopback transport that hides the server's ``X-RateLimit-*`` headers from the SDK."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        for name in [k for k in response.headers if k.lower().startswith("x-ratelimit-")]:
            del response.headers[name]
        return response


def _scenario(name: str, *, creates: int, limit: int, window: float) -> dict[str, Any]:
    from workos_authkit import AsyncWorkOS, WorkOSError
    from workos_authkit.testing import FakeWorkOS

    fake = FakeWorkOS()
    fake.rate_limit(limit, window)
    errors: dict[str, int] = {}
    done: list[float] = []

    async def main(url: str) -> float:
        transport = _NoRateLimitHeaders() if name == "no headers" else None
        async with AsyncWorkOS(api_key=fake.api_key, base_url=url, transport=transport) as client:

            async def one(i: int) -> None:
                try:
                    await client.users.create(email=f"user{i}@bench.example")
                except WorkOSError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                done.append(time.perf_counter())

            start = time.perf_counter()
            async with anyio.create_task_group() as tg:
                for i in range(creates):
                    tg.start_soon(one, i)
            return start

    with fake.serve("127.0.0.1") as url:
        start = anyio.run(main, url)
    elapsed = max(done) - start
    emails = [str(u["email"]) for u in fake.users.values()]
    created = len(emails)
    requests = sum(n for key, n in fake.stats.requests.items() if key.startswith("POST "))
    refused = fake.stats.statuses[429]
    allowed = limit / window
    achieved = created / elapsed
    min_ratio, max_429 = GOALS[name]
    result = {
        "scenario": name,
        "asked": creates,
        "created": created,
        "duplicates": created - len(set(emails)),
        "raised": sum(errors.values()),
        "errors": errors,
        "requests": requests,
        "answered_429": refused,
        "share_429": round(refused / requests, 4) if requests else 0.0,
        "seconds": round(elapsed, 2),
        "allowed_per_s": allowed,
        "achieved_per_s": round(achieved, 2),
        "achieved/allowed": round(achieved / allowed, 3),
        "server": f"{limit} per {window:g} s, fixed windows",
    }
    share = refused / requests if requests else 0.0
    result["meets_goal"] = bool(
        achieved / allowed >= min_ratio
        and share <= max_429
        and created == creates
        and result["duplicates"] == 0
    )
    return result


def run(
    *,
    creates_headers: int = 500,
    limit_headers: int = 50,
    window_headers: float = 1.0,
    creates_plain: int = 1000,
    limit_plain: int = 250,
    window_plain: float = 10.0,
    quiet: bool = False,
) -> dict[str, Any]:
    """(a) ``headers``: 50 per 1 s; (b) ``no headers``: 250 per 10 s, half the client's default
    (500 writes per 10 s) and unknown to it."""
    results = []
    for name, creates, limit, window in (
        ("headers", creates_headers, limit_headers, window_headers),
        ("no headers", creates_plain, limit_plain, window_plain),
    ):
        r = _scenario(name, creates=creates, limit=limit, window=window)
        results.append(r)
        if not quiet:
            print(render({"scenarios": [r]}), flush=True)
    return {"scenarios": results, "goals": GOALS}


def render(result: dict[str, Any]) -> str:
    rows = []
    for r in result["scenarios"]:
        min_ratio, max_429 = GOALS[r["scenario"]]
        rows.append(
            [
                r["scenario"],
                r["server"],
                r["achieved/allowed"],
                f"{100 * r['share_429']:.1f} % ({r['answered_429']}/{r['requests']})",
                f"{r['created']}/{r['asked']}",
                r["duplicates"],
                r["raised"],
                r["seconds"],
                f">= {min_ratio:.2f}x, <= {100 * max_429:.0f} %: "
                + ("met" if r["meets_goal"] else "MISSED"),
            ]
        )
    return table(
        [
            "scenario",
            "server",
            "achieved/allowed",
            "answered 429",
            "created/asked",
            "duplicates",
            "raised",
            "s",
            "goal",
        ],
        rows,
    )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    kwargs: dict[str, Any] = QUICK if args.quick else {}
    out = run(**kwargs, quiet=True)
    print(render(out))
