"""A worker process for the shared-store tests: many concurrent refreshes of one cookie, or many
concurrent creates under the shared rate limit.

``python -m tests.redis_worker AsyncWorkOS|WorkOS|creates``, from the repository root. Reads its settings
as one JSON line on stdin (base URL of the fake on loopback, keys, Redis URL, cookie, count),
prints ``ready``, waits for a ``go`` line (so two workers start together), refreshes the cookie
``count`` times at once (tasks for ``AsyncWorkOS``, threads for ``WorkOS``) with the Redis store,
and prints one JSON line: each result's kind and a SHA-256 of its new cookie. ``creates`` makes
``count`` users at once (tasks, ``AsyncWorkOS(store=AsyncRedisStore(...))``) and prints how many
were created, how many 429s the client saw and the seconds it took.
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


def _run_creates(settings: dict[str, Any]) -> dict[str, Any]:
    import time

    import anyio
    import redis.asyncio

    from workos_authkit import AsyncRedisStore, AsyncWorkOS

    async def main() -> dict[str, Any]:
        # one Redis connection per concurrent request (redis-py's pool holds 100 by default)
        redis_ = redis.asyncio.Redis.from_url(settings["redis_url"], max_connections=1000)
        created: list[str] = []
        async with AsyncWorkOS(
            api_key=settings["api_key"],
            base_url=settings["base_url"],
            store=AsyncRedisStore(redis_),
        ) as client:
            start = time.monotonic()

            async def one(i: int) -> None:
                user = await client.users.create(email=f"{settings['name']}-{i}@example.com")
                created.append(user.id)

            async with anyio.create_task_group() as tg:
                for i in range(settings["count"]):
                    tg.start_soon(one, i)
            took = time.monotonic() - start
            rate_limited = client._http.stats.rate_limited
            shared = client._http.shared
            fell_back = shared is None or shared.down
        await redis_.aclose()
        return {
            "created": len(set(created)),
            "rate_limited": rate_limited,
            "fell_back": fell_back,
            "seconds": round(took, 2),
        }

    return anyio.run(main)


def main() -> None:
    mode = sys.argv[1]
    settings = json.loads(sys.stdin.readline())
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    results: Any
    if mode == "creates":
        results = _run_creates(settings)
    else:
        results = _run_async(settings) if mode == "AsyncWorkOS" else _run_sync(settings)
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
