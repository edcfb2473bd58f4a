# source-of-truth: async
"""The HTTP layer: sends each call through the retry transport, maps errors, decodes bodies.

Resources reach it through the verb helpers of ``AsyncResource``; what a call may do (timeout,
retries, extra headers, query and body fields) arrives already resolved as ``CallSettings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from .._concurrency import AsyncClock, async_loop_check
from .._config import CallSettings, ClientConfig
from .._decode import decode
from .._response import capture
from .._tls import default_ssl_context
from .._wire import EXTENSION, base_headers, timeouts, transport_error
from ..errors import WorkOSError, error_from_response
from ._transport import AsyncRetryTransport

T = TypeVar("T")


class AsyncHTTP:
    """One connection pool and one retry transport, shared by every resource of a client."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: httpx.AsyncBaseTransport | None,
        clock: AsyncClock,
    ) -> None:
        if transport is None:
            transport = httpx.AsyncHTTPTransport(verify=default_ssl_context())
        self.transport = AsyncRetryTransport(
            transport, retry=config.retry, rate_limit=config.rate_limit, clock=clock
        )
        self._client = httpx.AsyncClient(
            transport=self.transport, follow_redirects=False, trust_env=False
        )
        # Requests are built here rather than by the client (``build_request`` would parse and
        # merge the URL and headers again on every call).
        self._base_url = config.base_url
        self._headers = base_headers(config.api_key)

    @property
    def is_closed(self) -> bool:
        return self._client.is_closed

    async def aclose(self) -> None:
        await self._client.aclose()

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
        client = self._client
        if client.is_closed:
            raise WorkOSError("the client is closed; create a new one")
        if settings.extra_query:
            params = {**(params or {}), **settings.extra_query}
        if settings.extra_body:
            body = {**(body or {}), **settings.extra_body}
        headers = self._headers
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
        try:
            response = await client.send(request)
        except httpx.TransportError as exc:
            raise transport_error(method, path, exc) from exc
        sink = capture.get()
        if sink is not None:
            sink.append((response.status_code, response.headers))
        if response.status_code >= 400:
            raise error_from_response(response.status_code, response.headers, response.content)
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
