"""A worker process for the shared-store tests: many concurrent refreshes of one cookie.

``python -m tests.redis_worker AsyncWorkOS|WorkOS``, from the repository root. Reads its settings
as one JSON line on stdin (base URL of the fake on loopback, keys, Redis URL, cookie, count),
prints ``ready``, waits for a ``go`` line (so two workers start together), refreshes the cookie
``count`` times at once (tasks for ``AsyncWorkOS``, threads for ``WorkOS``) with the Redis store,
and prints one JSON line: each result's kind and a SHA-256 of its new cookie.
"""

from __future__ import annotations

import hashlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def _outcome(result: Any) -> list[str]:
    from workos_authkit import RefreshedSession

    if isinstance(result, RefreshedSession):
        return ["refreshed", hashlib.sha256(result.sealed_session.encode()).hexdigest()]
    return ["failed", str(getattr(result, "reason", result))]


def _run_async(settings: dict[str, Any]) -> list[list[str]]:
    import anyio

    from tests.redis_server import async_redis_client
    from workos_authkit import AsyncRedisStore, AsyncWorkOS

    async def main() -> list[list[str]]:
        redis = async_redis_client(settings["redis_url"])
        results: list[list[str]] = []
        async with AsyncWorkOS(
            api_key=settings["api_key"],
            client_id=settings["client_id"],
            base_url=settings["base_url"],
        ) as client:
            cookies = client.session_cookies(
                cookie_password=settings["cookie_password"], store=AsyncRedisStore(redis)
            )

            async def one() -> None:
                results.append(_outcome(await cookies.refresh(settings["cookie"])))

            async with anyio.create_task_group() as tg:
                for _ in range(settings["count"]):
                    tg.start_soon(one)
        await redis.aclose()
        return results

    return anyio.run(main)


def _run_sync(settings: dict[str, Any]) -> list[list[str]]:
    from tests.redis_server import redis_client
    from workos_authkit import RedisStore, WorkOS

    redis = redis_client(settings["redis_url"])
    with WorkOS(
        api_key=settings["api_key"],
        client_id=settings["client_id"],
        base_url=settings["base_url"],
    ) as client:
        cookies = client.session_cookies(
            cookie_password=settings["cookie_password"], store=RedisStore(redis)
        )
        with ThreadPoolExecutor(settings["count"]) as pool:
            results = list(
                pool.map(
                    lambda _: _outcome(cookies.refresh(settings["cookie"])),
                    range(settings["count"]),
                )
            )
    redis.close()
    return results


def main() -> None:
    mode = sys.argv[1]
    settings = json.loads(sys.stdin.readline())
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    results = _run_async(settings) if mode == "AsyncWorkOS" else _run_sync(settings)
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
