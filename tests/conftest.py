from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from tests.factories import BASE_URL


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Async tests run on both anyio backends (generated sync tests ignore it)."""
    return str(request.param)


@pytest.fixture
def router() -> respx.Router:
    """A fresh respx router per test, used as the inner transport under the retry middleware."""
    return respx.Router(base_url=BASE_URL, assert_all_called=False)


@pytest.fixture(scope="session")
def _redis_server() -> Iterator[str]:
    from tests.redis_server import MISSING_SERVER, redis_server_binary, running_redis

    pytest.importorskip("redis", reason="redis-py is not installed (the [redis] extra)")
    binary = redis_server_binary()
    if binary is None:
        pytest.skip(MISSING_SERVER)
    with running_redis(binary) as url:
        yield url


@pytest.fixture
def redis_url(_redis_server: str) -> str:
    """The URL of a real, empty ``redis-server`` on loopback (skips when it is not installed)."""
    import redis

    with redis.Redis.from_url(_redis_server) as conn:
        conn.flushall()
    return _redis_server
