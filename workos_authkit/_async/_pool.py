# source-of-truth: async
"""The default connection pool: httpx requests sent through httpcore2's pool.

httpx 0.28's own pool (httpcore 1.0) spends more CPU than the request itself at 16 requests in
flight (``make bench``, bulk import). httpcore2, the maintained continuation that ``httpx2``
runs on, is leaner with the same wire behaviour, and ``_sockets`` trims its async sockets
further. Everything above this transport (retry middleware, errors, respx in tests, a
``transport=`` of the user's) still speaks httpx: only this module and ``_sockets`` touch
httpcore2, and its exceptions leave here as httpx's.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterable, AsyncIterator

import httpcore2
import httpx

from .._sockets import async_network_backend
from .._wire import POOL_LIMITS, pool_errors


class AsyncPoolTransport(httpx.AsyncBaseTransport):
    """An ``httpx`` transport over an ``httpcore2`` connection pool (HTTP/1.1, no proxies)."""

    def __init__(self, ssl_context: ssl.SSLContext) -> None:
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=ssl_context, network_backend=async_network_backend(), **POOL_LIMITS
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore2.Request(
            method=request.method,
            url=httpcore2.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,  # httpx's body stream is both sync and async
            extensions=request.extensions,
        )
        with pool_errors():
            response = await self._pool.handle_async_request(core_request)
        assert isinstance(response.stream, AsyncIterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_AsyncResponseStream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class _AsyncResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with pool_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()
