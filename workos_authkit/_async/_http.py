# source-of-truth: async
"""The HTTP layer: sends each call through the retry transport, maps errors, decodes bodies.

Resources reach it through the verb helpers of ``AsyncResource``; what a call may do (timeout,
retries, extra headers, query and body fields) arrives already resolved as ``CallSettings``.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import AsyncGenerator, Mapping
from logging import DEBUG
from time import perf_counter
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .._concurrency import AsyncClock, async_current_loop, async_loop_check
from .._config import CallSettings, ClientConfig
from .._decode import decode
from .._observe import call_span, log_call, logger, span_answered, tracer_for
from .._response import capture
from .._retry import RateLimiter, SharedLimit, TransportStats
from .._tls import default_ssl_context
from .._wire import EXTENSION, base_headers, timeouts, transport_error
from ..errors import WorkOSError, error_from_response
from ._transport import AsyncRetryTransport

if TYPE_CHECKING:
    from opentelemetry.trace import Span

    from .redis_store import AsyncRedisStore

T = TypeVar("T")


class AsyncHTTP:
    """The client's connections and its retry + rate-limit state, shared by every resource.

    An async connection pool belongs to the event loop it was made in, so the async client keeps
    one pool per loop, made on first use there: one ``AsyncWorkOS`` works from several
    ``asyncio.run`` calls, from threads each running their own loop, and under trio. The rate
    limiter and the counters are one per client, shared by all of them. (The sync client has one
    pool, shared by every thread.)
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: httpx.AsyncBaseTransport | None,
        clock: AsyncClock,
        tracer_provider: Any = None,
        store: AsyncRedisStore | None = None,
    ) -> None:
        self._config = config
        # Decided once: without a tracer, calls take the plain path (no span, no import).
        self._tracer = tracer_for(tracer_provider)
        self._clock = clock
        self._user_transport = transport
        self.limiter = RateLimiter(
            config.rate_limit, clock.monotonic(), max_wait=config.retry.max_retry_after
        )
        self.stats = TransportStats()
        #: with a store, the rate limit is shared by every process through Redis
        self.store = store
        self.shared = None if store is None else SharedLimit(config.rate_limit, config.api_key)
        # Requests are built here and go straight to the retry transport: httpx's client would
        # parse and merge the URL and headers again and run its cookie jar on every response,
        # none of which an API client uses (``make bench``: the bulk import's throughput).
        self._base_url = config.base_url
        self._headers = base_headers(config.api_key)
        self._public_headers = base_headers(None)
        self._pools: weakref.WeakKeyDictionary[
            object, tuple[AsyncRetryTransport, AsyncGenerator[None, None]]
        ] = weakref.WeakKeyDictionary()
        self._last: tuple[object, AsyncRetryTransport] | None = None
        self._lock = threading.Lock()
        self._closed = False

    async def _pool(self) -> AsyncRetryTransport:
        """The connection pool of the running event loop, made on first use there."""
        loop = async_current_loop()
        last = self._last
        if last is not None and last[0] is loop:
            return last[1]
        with self._lock:
            key = loop if loop is not None else self
            entry = self._pools.get(key)
            made = entry is None
            if entry is None:
                inner = self._user_transport
                if inner is None:
                    from ._pool import AsyncPoolTransport  # deferred: imports httpcore2

                    inner = AsyncPoolTransport(default_ssl_context())
                retry = AsyncRetryTransport(
                    inner,
                    retry=self._config.retry,
                    limiter=self.limiter,
                    stats=self.stats,
                    clock=self._clock,
                    store=self.store,
                    shared=self.shared,
                )
                entry = self._pools[key] = (retry, _closed_with_the_loop(retry))
            self._last = (loop, entry[0])
        if made and loop is not None:
            # Step into the closer: the loop now finalizes it when it ends (asyncio.run and
            # trio.run close their async generators), which closes this pool's connections
            # in the loop that owns them.
            await entry[1].__anext__()
        return entry[0]

    @property
    def is_closed(self) -> bool:
        return self._closed

    async def aclose(self) -> None:
        """Close the pool of this event loop (pools of other loops close when their loop ends)."""
        self._closed = True
        loop = async_current_loop()
        with self._lock:
            entry = self._pools.pop(loop if loop is not None else self, None)
            self._last = None
        if entry is not None:
            transport, closer = entry
            if loop is None:
                await transport.aclose()
            else:
                await closer.aclose()  # its ``finally`` closes the transport

    async def request(
        self,
        settings: CallSettings,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """Send one call (with retries); raise the typed error for an error status."""
        async_loop_check()
        if self._closed:
            raise WorkOSError("the client is closed; create a new one")
        if self._tracer is None:
            return await self._send(settings, method, path, params, body, None)
        with call_span(self._tracer, settings.operation_id, method, path) as span:
            return await self._send(settings, method, path, params, body, span)

    async def _send(
        self,
        settings: CallSettings,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        span: Span | None,
    ) -> httpx.Response:
        transport = await self._pool()
        if settings.extra_query:
            params = {**(params or {}), **settings.extra_query}
        if settings.extra_body:
            body = {**(body or {}), **settings.extra_body}
        headers = self._headers if settings.authenticated else self._public_headers
        if settings.headers:
            headers = {**headers, **settings.headers}
        request = httpx.Request(
            method,
            self._base_url + path,
            params=params,
            json=body,
            headers=headers,
            extensions={"timeout": timeouts(settings.timeout), EXTENSION: settings},
        )
        started = perf_counter()
        try:
            response = await transport.handle_async_request(request)
        except httpx.TransportError as exc:
            error = transport_error(method, path, exc)
            if logger.isEnabledFor(DEBUG):
                log_call(
                    settings.operation_id,
                    method,
                    path,
                    None,
                    None,
                    perf_counter() - started,
                    type(error).__name__,
                )
            raise error from exc
        except WorkOSError as exc:  # decided by the retry transport (outcome unknown, deadline)
            if logger.isEnabledFor(DEBUG):
                log_call(
                    settings.operation_id,
                    method,
                    path,
                    getattr(exc, "status_code", None),
                    getattr(exc, "request_id", None),
                    perf_counter() - started,
                    type(exc).__name__,
                )
            raise
        status = response.status_code
        request_id = response.headers.get("x-request-id")
        if logger.isEnabledFor(DEBUG):
            log_call(
                settings.operation_id, method, path, status, request_id, perf_counter() - started
            )
        if span is not None:
            span_answered(span, status, request_id)
        sink = capture.get()
        if sink is not None:
            sink.append((status, response.headers))
        if status >= 400:
            raise error_from_response(status, response.headers, response.content)
        return response

    async def request_model(
        self,
        settings: CallSettings,
        method: str,
        path: str,
        cast_to: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> T:
        """Send one call and decode its JSON body as ``cast_to``."""
        response = await self.request(settings, method, path, params=params, body=body)
        return decode(
            response.content,
            cast_to,
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        )


async def _closed_with_the_loop(
    transport: AsyncRetryTransport,
) -> AsyncGenerator[None, None]:
    """Closes ``transport`` when its event loop finalizes this generator (at the loop's end)."""
    try:
        yield
    finally:
        await transport.aclose()
