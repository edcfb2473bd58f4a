# source-of-truth: async
"""A shared store (Redis) for several processes: one refresh per session, one key-set fetch, and
one rate-limit budget."""

from __future__ import annotations

import secrets
from typing import Any

from .._concurrency import AsyncClock, AsyncThunk, async_shielded
from .._retry import SHARED_ADMIT
from ..errors import ConfigurationError


class AsyncRedisStore:
    """Refresh lock + short result cache, the key-set cache, and the shared rate limit, in Redis.

    Pass a ``redis.asyncio.Redis`` client (asyncio only; ``redis.Redis`` for the sync
    ``RedisStore``); install the ``[redis]`` extra. Keys start with ``prefix``. A refresh's key is
    a SHA-256 of its refresh token, its value the new *sealed* cookie (encrypted), kept a few
    seconds: never a token in the clear. The lock expires after ``lock_timeout`` seconds if its
    holder dies; keep it longer than a refresh request can take (its deadline).

    Given to the client (``AsyncWorkOS(store=...)``), it also makes every process share one
    rate-limit budget per environment (see ``SharedLimit``). Each request then makes one Redis
    call before it is sent: give the Redis client a connection pool at least as large as the
    number of requests in flight at once (redis-py's holds 100 by default; when it runs out, the
    client falls back to the in-process limiter for a while, with a WARNING).
    """

    # Publish a result and release the lock in one step; the lock is deleted only if it is still
    # ours (it may have expired and been taken by another process: never delete someone else's).
    _PUBLISH = (
        "redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3]) "
        "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end "
        "return 1"
    )
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
        if lock_timeout <= 0 or poll_interval <= 0:
            raise ConfigurationError("lock_timeout and poll_interval must be positive")
        self._redis = redis
        self._prefix = prefix
        self._lock_ms = max(1, int(lock_timeout * 1000))
        self._poll = poll_interval
        self._clock = AsyncClock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self._prefix!r})"

    async def single_flight(self, key: str, fn: AsyncThunk[str], *, ttl: float) -> str:
        """``fn()``'s result for ``key``: computed by one process, shared with the others.

        The result is kept ``ttl`` seconds for late arrivals. If ``fn`` fails, the lock is
        released and the next waiter tries. Once the lock is taken, ``fn`` and the publishing
        of its result finish even if the caller is cancelled (it may consume a single-use token).
        """
        redis = self._redis
        result_key = f"{self._prefix}:flight:result:{key}"
        lock_key = f"{self._prefix}:flight:lock:{key}"
        ttl_ms = max(1, int(ttl * 1000))
        token = secrets.token_hex(16)  # fencing: only this holder releases its lock
        while True:
            found = await redis.get(result_key)
            if found is not None:
                return found.decode() if isinstance(found, bytes) else str(found)
            if await redis.set(lock_key, token, nx=True, px=self._lock_ms):
                with async_shielded():
                    try:
                        found = await redis.get(result_key)  # published while we polled
                        value = await fn() if found is None else None
                    except BaseException:
                        await redis.eval(self._RELEASE, 1, lock_key, token)
                        raise
                    if value is None:
                        await redis.eval(self._RELEASE, 1, lock_key, token)
                        return found.decode() if isinstance(found, bytes) else str(found)
                    await redis.eval(self._PUBLISH, 2, lock_key, result_key, token, value, ttl_ms)
                    return value
            # another process holds the lock (it expires if that process dies): wait for its result
            await self._clock.sleep(self._poll)

    async def cached(self, key: str) -> str | None:
        """The value cached under ``key``, or None."""
        found = await self._redis.get(f"{self._prefix}:cache:{key}")
        if found is None:
            return None
        return found.decode() if isinstance(found, bytes) else str(found)

    async def cache(self, key: str, value: str, *, ttl: float) -> None:
        """Cache ``value`` under ``key`` for ``ttl`` seconds."""
        await self._redis.set(f"{self._prefix}:cache:{key}", value, px=max(1, int(ttl * 1000)))

    async def admit(
        self, key: str, interval: int, tolerance: int, max_wait: int
    ) -> tuple[bool, int]:
        """One admission to the shared rate limit ``key`` (GCRA; microseconds): ``(reserved,
        wait)``. A slot more than ``max_wait`` away is not reserved."""
        reserved, wait = await self._redis.eval(
            SHARED_ADMIT, 1, f"{self._prefix}:{key}", interval, tolerance, max_wait
        )
        return bool(reserved), int(wait)
