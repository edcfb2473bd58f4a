"""Bulk import on loopback: throughput against raw httpx and the official SDK, rate-limited
runs, and the peak memory of a 100,000-row dry run.

* ``throughput``: ``rows`` creates into a fresh ``FakeWorkOS`` served on 127.0.0.1 by a child
  process (no rate limit; ``fake_server_process``: the server does not share the measured
  client's GIL), ``concurrency`` at once, the contenders interleaved over ``rounds`` rounds
  (medians): ours (``users.import_users``, client-side buckets off: the server has no
  limit), raw ``httpx.AsyncClient`` POSTs from the same number of workers (no validation, no
  reconciliation, no report), and the official ``AsyncWorkOSClient`` driven with
  ``asyncio.gather`` + a semaphore. Goals (issue 16): >= 0.9x raw, >= 1.2x official. Raw
  ``httpx2`` POSTs (the official SDK's HTTP client) are shown too, without a goal: the
  floor of that stack. Each run's users are counted back through the API.
* ``limited``: the same import with the fake's limit on and the client's defaults: (a) the
  published 500 writes / 10 s with ``X-RateLimit-*`` headers, (b) a stricter 10 req/s the
  client does not know (429 + ``Retry-After`` only; the headers are hidden from it, with
  ``bench_ratelimit``'s transport). Goals: (a) >= 0.95x the allowed rate, <= 1 % refused;
  (b) >= 0.9x, <= 5 %; 0 failed rows.
* ``memory``: peak traced memory (``tracemalloc``) of ``import_users(read_rows(csv),
  dry_run=True)`` over a generated 100,000-row CSV. Goal: < 100 MB.
"""

from __future__ import annotations

import asyncio
import csv
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks._common import fake_server_process, table
from benchmarks.bench_ratelimit import _NoRateLimitHeaders

QUICK: dict[str, Any] = {
    "rows": 200,
    "rounds": 1,
    "limited_rows": 150,
    "strict_rows": 60,
    "memory_rows": 10_000,
}
GOALS = {"raw": 0.9, "official": 1.2}
LIMIT_GOALS: dict[str, tuple[float, float]] = {"headers": (0.95, 0.01), "no headers": (0.90, 0.05)}


def _rows(n: int, tag: str) -> list[dict[str, str]]:
    return [{"email": f"user{i}.{tag}@bench.example", "first_name": "Bench"} for i in range(n)]


async def _ours(url: str, key: str, rows: list[dict[str, str]], concurrency: int) -> int:
    from workos_authkit import AsyncWorkOS, RateLimitConfig

    limit = RateLimitConfig(enabled=False)
    async with AsyncWorkOS(api_key=key, base_url=url, rate_limit=limit) as client:
        report = await client.users.import_users(rows, concurrency=concurrency)
    return report.created


async def _raw(
    url: str, key: str, rows: list[dict[str, str]], concurrency: int, http_module: Any = httpx
) -> int:
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for row in rows:
        queue.put_nowait(row)
    created = 0
    headers = {"Authorization": f"Bearer {key}"}
    async with http_module.AsyncClient(base_url=url, headers=headers) as http:

        async def worker() -> None:
            nonlocal created
            while not queue.empty():
                row = queue.get_nowait()
                response = await http.post("/user_management/users", json=row)
                created += response.status_code == 201

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return created


async def _official(url: str, key: str, rows: list[dict[str, str]], concurrency: int) -> int:
    from workos import AsyncWorkOSClient

    client = AsyncWorkOSClient(api_key=key, client_id="client_bench", base_url=url)
    semaphore = asyncio.Semaphore(concurrency)
    created = 0

    async def one(row: dict[str, str]) -> None:
        nonlocal created
        async with semaphore:
            # typed loosely: the official SDK's stubs exist only where the bench extra is installed
            create: Any = client.user_management.create_user
            await create(**row)
            created += 1

    await asyncio.gather(*(one(r) for r in rows))
    close = getattr(client, "close", None)
    if close is not None:
        result = close()
        if asyncio.iscoroutine(result):
            await result
    return created


async def _raw_httpx2(url: str, key: str, rows: list[dict[str, str]], concurrency: int) -> int:
    import httpx2

    return await _raw(url, key, rows, concurrency, http_module=httpx2)


CONTENDERS = {
    "ours": _ours,
    "raw httpx": _raw,
    "official": _official,
    "raw httpx2": _raw_httpx2,
}


def _users_in(url: str, key: str) -> int:
    from workos_authkit import WorkOS

    with WorkOS(api_key=key, base_url=url) as client:
        return sum(1 for _ in client.users.list(limit=100))


def throughput(*, rows: int, rounds: int, concurrency: int = 16) -> dict[str, Any]:
    rates: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    names = list(CONTENDERS)
    for r in range(rounds + 1):  # round 0 warms up
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            with fake_server_process() as (url, key):
                data = _rows(rows, f"{name.replace(' ', '')}{r}")
                start = time.perf_counter()
                created = asyncio.run(CONTENDERS[name](url, key, data, concurrency))
                elapsed = time.perf_counter() - start
                stored = _users_in(url, key)
            assert created == rows == stored, (name, created, stored)
            if r:
                rates[name].append(rows / elapsed)
    medians = {name: round(statistics.median(v), 1) for name, v in rates.items()}
    return {
        "rows": rows,
        "concurrency": concurrency,
        "rounds": rounds,
        "rows_per_s": medians,
        "ours/raw": round(medians["ours"] / medians["raw httpx"], 2),
        "ours/official": round(medians["ours"] / medians["official"], 2),
        "ours/raw httpx2": round(medians["ours"] / medians["raw httpx2"], 2),
    }


def limited(name: str, *, rows: int, limit: int, window: float) -> dict[str, Any]:
    from workos_authkit import AsyncWorkOS
    from workos_authkit.testing import FakeWorkOS

    fake = FakeWorkOS()
    fake.rate_limit(limit, window)

    async def run(url: str) -> Any:
        transport = _NoRateLimitHeaders() if name == "no headers" else None
        async with AsyncWorkOS(api_key=fake.api_key, base_url=url, transport=transport) as c:
            return await c.users.import_users(_rows(rows, "limited"), concurrency=16)

    with fake.serve("127.0.0.1") as url:
        start = time.perf_counter()
        report = asyncio.run(run(url))
        elapsed = time.perf_counter() - start
    requests = sum(n for k, n in fake.stats.requests.items())
    refused = fake.stats.statuses[429]
    allowed = limit / window
    # the run needs at least (rows - 1 window's worth) / rate: a fixed window may start mid-way
    achieved = report.created / elapsed
    min_ratio, max_share = LIMIT_GOALS[name]
    return {
        "scenario": name,
        "server": f"{limit} per {window:g} s"
        + (", headers hidden" if name == "no headers" else ""),
        "rows": rows,
        "created": report.created,
        "failed": report.failed,
        "users_in_fake": len(fake.users),
        "requests": requests,
        "answered_429": refused,
        "share_429": round(refused / requests, 4) if requests else 0.0,
        "seconds": round(elapsed, 2),
        "achieved/allowed": round(achieved / allowed, 3),
        "meets_goal": bool(
            achieved / allowed >= min_ratio
            and refused / max(requests, 1) <= max_share
            and report.failed == 0
            and report.created == rows == len(fake.users)
        ),
    }


def memory(*, rows: int) -> dict[str, Any]:
    from workos_authkit import WorkOS
    from workos_authkit.bulk import read_rows

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "users.csv"
        with path.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["email", "first_name", "last_name", "external_id", "metadata"])
            for i in range(rows):
                writer.writerow(
                    [f"user{i}@bench.example", "Ada", "Lovelace", f"ext-{i}", '{"plan": "pro"}']
                )
        size = path.stat().st_size
        with WorkOS(api_key="sk_dry_run") as client:
            tracemalloc.start()
            start = time.perf_counter()
            report = client.users.import_users(read_rows(path), dry_run=True)
            elapsed = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    assert report.valid == rows
    return {
        "rows": rows,
        "csv_mb": round(size / 1e6, 1),
        "peak_mb": round(peak / 1e6, 1),
        "seconds": round(elapsed, 2),
        "meets_goal": peak < 100e6,
    }


def run(
    *,
    rows: int = 1000,
    rounds: int = 5,
    limited_rows: int = 1000,
    strict_rows: int = 1000,
    memory_rows: int = 100_000,
    quiet: bool = False,
) -> dict[str, Any]:
    result = {
        "throughput": throughput(rows=rows, rounds=rounds),
        "limited": [
            limited("headers", rows=limited_rows, limit=500, window=10.0),
            limited("no headers", rows=strict_rows, limit=100, window=10.0),
        ],
        "memory": memory(rows=memory_rows),
    }
    if not quiet:
        print(render(result))
    return result


def render(result: dict[str, Any]) -> str:
    t = result["throughput"]
    r = t["rows_per_s"]
    parts = [
        f"Bulk import, {t['rows']} rows, concurrency {t['concurrency']}, loopback fake in a child "
        f"process, no limit "
        f"(medians of {t['rounds']} rounds):",
        table(
            ["contender", "rows/s", "ours / it", "goal"],
            [
                ["ours (import_users)", r["ours"], "", ""],
                ["raw httpx POSTs", r["raw httpx"], t["ours/raw"], f">= {GOALS['raw']}x"],
                [
                    "official AsyncWorkOSClient, gather + semaphore",
                    r["official"],
                    t["ours/official"],
                    f">= {GOALS['official']}x",
                ],
                [
                    "raw httpx2 POSTs (the official SDK's HTTP client)",
                    r["raw httpx2"],
                    t["ours/raw httpx2"],
                    "",
                ],
            ],
        ),
        "",
        "Rate-limited import (client defaults):",
        table(
            [
                "scenario",
                "server",
                "achieved/allowed",
                "429 share",
                "created",
                "failed",
                "s",
                "goal",
            ],
            [
                [
                    x["scenario"],
                    x["server"],
                    x["achieved/allowed"],
                    f"{100 * x['share_429']:.1f} % ({x['answered_429']}/{x['requests']})",
                    f"{x['created']}/{x['rows']}",
                    x["failed"],
                    x["seconds"],
                    "met" if x["meets_goal"] else "MISSED",
                ]
                for x in result["limited"]
            ],
        ),
        "",
        "Dry run over a generated CSV (tracemalloc peak):",
        table(
            ["rows", "csv MB", "peak MB", "seconds", "< 100 MB"],
            [
                [
                    result["memory"]["rows"],
                    result["memory"]["csv_mb"],
                    result["memory"]["peak_mb"],
                    result["memory"]["seconds"],
                    "met" if result["memory"]["meets_goal"] else "MISSED",
                ]
            ],
        ),
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    run(**(QUICK if quick else {}))
