# source-of-truth: async
"""A shared store (Redis) for session refreshes across processes: one refresh per session."""

from __future__ import annotations

import secrets
from typing import Any

from .._concurrency import AsyncClock


class AsyncRedisStore:
    """Refresh lock + short result cache in Redis, so several workers refresh a session once.

    Pass a ``redis.asyncio.Redis`` client (``redis.Redis`` for the sync ``RedisStore``); install
    the ``[redis]`` extra. Keys are prefixed with ``prefix`` and hold only hashes of refresh
    tokens; values are sealed (encrypted) cookies, kept a few seconds. Never a token in the clear.
    """

    _RELEASE = (
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end "
        "return 0"
    )

    def __init__(
        self,
        redis: Any,
        *,
        prefix: str = "workos_authkit",
        lock_timeout: float = 30.0,
        poll_interval: float = 0.01,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._lock_ms = int(lock_timeout * 1000)
        self._poll = poll_interval
        self._clock = AsyncClock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self._prefix!r})"

    async def single_flight(self, key: str, fn: Any, *, ttl: float) -> str:
        """``fn()``'s result for ``key``: computed by one process, shared with the others."""
        redis = self._redis
        result_key = f"{self._prefix}:refresh:result:{key}"
        lock_key = f"{self._prefix}:refresh:lock:{key}"
        token = secrets.token_hex(16)
        while True:
            found = await redis.get(result_key)
            if found is not None:
                return found.decode() if isinstance(found, bytes) else str(found)
            if await redis.set(lock_key, token, nx=True, px=self._lock_ms):
                try:
                    found = await redis.get(result_key)
                    if found is not None:
                        return found.decode() if isinstance(found, bytes) else str(found)
                    value: str = await fn()
                    await redis.set(result_key, value, px=max(1, int(ttl * 1000)))
                    return value
                finally:
                    await redis.eval(self._RELEASE, 1, lock_key, token)
            # another process is refreshing (its lock expires if it dies): wait for its result
            await self._clock.sleep(self._poll)
