"""What observability costs per call: ``users.get`` on an in-process ``httpx.MockTransport``.

Contenders, sync and async, all one client setup (client-side rate limiter off):

* ``off``   - the default: OpenTelemetry not configured (no tracer: the plain path), DEBUG off;
* ``spans`` - ``tracer_provider=`` an OpenTelemetry SDK ``TracerProvider`` (real spans, no
              exporter, so the SDK's span cost and ours, not an exporter's);
* ``debug`` - the ``workos_authkit`` logger at DEBUG into a ``NullHandler`` (one record per call).

``added when off`` times, on their own, the statements the observability adds to a call when it
is off (one ``is None`` check, one ``perf_counter``, one ``isEnabledFor``, one more call frame),
so it can be read against the whole call.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks._common import USER_ID, interleave, ratio, table, user_bytes

US = 1e-6


def _added_when_off_ns() -> float:
    from logging import DEBUG
    from time import perf_counter

    logger = logging.getLogger("workos_authkit")
    tracer = None

    def inner() -> None:
        perf_counter()
        logger.isEnabledFor(DEBUG)

    def added() -> None:
        if tracer is None:
            inner()

    n = 200_000
    best = min(timeit.repeat(added, number=n, repeat=7))
    return best / n * 1e9


def run(*, rounds: int = 21, batch: int = 200, quiet: bool = False) -> dict[str, Any]:
    from opentelemetry.sdk.trace import TracerProvider

    from workos_authkit import AsyncWorkOS, WorkOS
    from workos_authkit._retry import RateLimitConfig

    body = user_bytes()
    headers = {"content-type": "application/json", "x-request-id": "req_bench"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers=headers)

    def sync_client(**kw: Any) -> WorkOS:
        return WorkOS(
            api_key="sk_test",
            transport=httpx.MockTransport(handler),
            rate_limit=RateLimitConfig(enabled=False),
            **kw,
        )

    def async_client(**kw: Any) -> AsyncWorkOS:
        return AsyncWorkOS(
            api_key="sk_test",
            transport=httpx.MockTransport(handler),
            rate_limit=RateLimitConfig(enabled=False),
            **kw,
        )

    provider = TracerProvider()
    clients_s = {"off": sync_client(), "spans": sync_client(tracer_provider=provider)}
    clients_a = {"off": async_client(), "spans": async_client(tracer_provider=provider)}
    assert clients_s["off"]._http._tracer is None and clients_s["spans"]._http._tracer is not None
    logger = logging.getLogger("workos_authkit")
    null = logging.NullHandler()

    def with_debug(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(n: int) -> Any:
            logger.setLevel(logging.DEBUG)
            logger.addHandler(null)
            logger.propagate = False
            try:
                return fn(n)
            finally:
                logger.removeHandler(null)
                logger.setLevel(logging.NOTSET)
                logger.propagate = True

        return wrapped

    def sync_batch(client: WorkOS) -> Callable[[int], None]:
        def batch_fn(n: int) -> None:
            get = client.users.get
            for _ in range(n):
                get(USER_ID)

        return batch_fn

    def async_batch(client: AsyncWorkOS) -> Callable[[int], Any]:
        async def batch_fn(n: int) -> None:
            get = client.users.get
            for _ in range(n):
                await get(USER_ID)

        return batch_fn

    async def debug_async(n: int) -> None:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(null)
        logger.propagate = False
        try:
            await async_batch(clients_a["off"])(n)
        finally:
            logger.removeHandler(null)
            logger.setLevel(logging.NOTSET)
            logger.propagate = True

    contenders: dict[str, Any] = {
        "off sync": sync_batch(clients_s["off"]),
        "spans sync": sync_batch(clients_s["spans"]),
        "debug sync": with_debug(sync_batch(clients_s["off"])),
        "off async": async_batch(clients_a["off"]),
        "spans async": async_batch(clients_a["spans"]),
        "debug async": debug_async,
    }
    loop = asyncio.new_event_loop()
    try:
        series = interleave(
            contenders,
            rounds=rounds,
            batch=batch,
            warmup=max(batch // 4, 5),
            run_async=loop.run_until_complete,
            is_async=lambda name: name.endswith("async"),
        )
        for a in clients_a.values():
            loop.run_until_complete(a.aclose())
    finally:
        loop.close()
    for s in clients_s.values():
        s.close()
    med = {name: s.median / US for name, s in series.items()}
    added_ns = _added_when_off_ns()
    ratios = {}
    for flavour in ("sync", "async"):
        off = med[f"off {flavour}"]
        ratios[f"spans/off {flavour}"] = ratio(med[f"spans {flavour}"], off)
        ratios[f"debug/off {flavour}"] = ratio(med[f"debug {flavour}"], off)
        ratios[f"added when off / off {flavour}"] = round(added_ns / 1000 / off, 4)
    result: dict[str, Any] = {
        "benchmark": "otel",
        "what": "users.get on an in-process MockTransport: microseconds per call",
        "rounds": rounds,
        "calls_per_round": batch,
        "results_us": {name: s.summary(US, "us/call") for name, s in series.items()},
        "added_when_off_ns": round(added_ns, 1),
        "ratios": ratios,
    }
    if not quiet:
        print(render(result))
    return result


def render(result: dict[str, Any]) -> str:
    rows = [[name, r["median"], r["p25"], r["p75"]] for name, r in result["results_us"].items()]
    return "\n".join(
        [
            f"observability per call ({result['rounds']} rounds x {result['calls_per_round']} "
            "calls)",
            table(["contender", "median us", "p25", "p75"], rows),
            f"added when off: {result['added_when_off_ns']:.0f} ns per call",
            "ratios: " + ", ".join(f"{k} {v}x" for k, v in result["ratios"].items()),
        ]
    )


if __name__ == "__main__":
    run(rounds=int(sys.argv[1]) if len(sys.argv) > 1 else 21)
