# source-of-truth: async
"""The HTTP layer: builds requests, sends them through the retry transport, maps errors, decodes.

Resources call ``request`` (no response body wanted) or ``request_model`` (JSON -> model).
"""

from __future__ import annotations

import functools
import json
import platform
import ssl
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
import cattrs
import httpx

from .._concurrency import AsyncClock
from .._converter import structure
from .._retry import RateLimitConfig, RetryConfig
from .._types import RequestOptions
from .._validation import loggable_path
from .._version import __version__
from ..errors import (
    APIConnectionError,
    APITimeoutError,
    ResponseValidationError,
    WorkOSError,
    error_from_response,
)
from ._transport import EXTENSION, AsyncRetryTransport, CallSettings

T = TypeVar("T")

USER_AGENT = (
    f"workos-authkit-python/{__version__} "
    f"(python {platform.python_version()}; httpx {httpx.__version__})"
)


@attrs.frozen(kw_only=True)
class Defaults:
    """Client-level defaults that ``with_options`` may change without a new connection pool."""

    timeout: float | None = None
    max_retries: int | None = None
    retry_ambiguous: bool | None = None
    extra_headers: Mapping[str, str] = attrs.field(factory=dict)


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process: building one costs ~25 ms, sharing it is safe."""
    return httpx.create_ssl_context()


_NO_OPTIONS = RequestOptions()


class AsyncHTTP:
    """One connection pool and one retry transport, shared by every resource of a client."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout: float,
        retry: RetryConfig,
        rate_limit: RateLimitConfig,
        transport: httpx.AsyncBaseTransport | None,
        clock: AsyncClock,
    ) -> None:
        if transport is None:
            transport = httpx.AsyncHTTPTransport(verify=default_ssl_context())
        self.transport = AsyncRetryTransport(
            transport, retry=retry, rate_limit=rate_limit, clock=clock
        )
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            transport=self.transport,
            headers={
                "Authorization": f"Bearer {api_key}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            follow_redirects=False,
        )
        self._use(Defaults())

    def _use(self, defaults: Defaults) -> None:
        self.defaults = defaults
        self._settings = CallSettings(
            max_retries=defaults.max_retries, retry_ambiguous=defaults.retry_ambiguous
        )

    def with_defaults(self, defaults: Defaults) -> AsyncHTTP:
        """A view of this pool with other defaults (shares the pool, transport and limits)."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._use(defaults)
        return clone

    @property
    def is_closed(self) -> bool:
        return self._client.is_closed

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> httpx.Response:
        """Send one API call (with retries); raise the typed error for an error status."""
        if self._client.is_closed:
            raise WorkOSError("the client is closed; create a new one")
        opts = options or _NO_OPTIONS
        base = self.defaults
        headers: dict[str, str] | None = None
        if base.extra_headers or opts.extra_headers or opts.idempotency_key is not None:
            merged = {**base.extra_headers, **(opts.extra_headers or {})}
            # extra headers never replace the client's credentials
            headers = {k: v for k, v in merged.items() if k.lower() != "authorization"}
            if opts.idempotency_key is not None:
                headers["Idempotency-Key"] = opts.idempotency_key
        timeout = opts.timeout if opts.timeout is not None else base.timeout
        if opts.max_retries is None and opts.retry_ambiguous is None:
            settings = self._settings
        else:
            settings = CallSettings(
                max_retries=opts.max_retries if opts.max_retries is not None else base.max_retries,
                retry_ambiguous=(
                    opts.retry_ambiguous
                    if opts.retry_ambiguous is not None
                    else base.retry_ambiguous
                ),
            )
        request = self._client.build_request(
            method,
            path,
            params=params,
            json=json_body,
            headers=headers,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            extensions={EXTENSION: settings},
        )
        try:
            response = await self._client.send(request)
        except httpx.TimeoutException as exc:
            where = loggable_path(path)
            raise APITimeoutError(f"{method} {where} timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            where = loggable_path(path)
            raise APIConnectionError(
                f"{method} {where}: connection failed ({type(exc).__name__}: {exc})"
            ) from exc
        if response.status_code >= 400:
            raise error_from_response(response.status_code, response.headers, response.content)
        return response

    async def request_model(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> T:
        """Send one API call and read its JSON body as ``cast_to``."""
        response = await self.request(
            method, path, params=params, json_body=json_body, options=options
        )
        return decode(response, cast_to)


def decode(response: httpx.Response, cast_to: type[T]) -> T:
    try:
        data = json.loads(response.content)
    except ValueError as exc:
        raise ResponseValidationError(
            f"HTTP {response.status_code}: the response body is not JSON",
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        ) from exc
    try:
        return structure(data, cast_to)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError) as exc:
        detail = (
            "; ".join(cattrs.transform_error(exc))
            if isinstance(exc, cattrs.BaseValidationError)
            else str(exc)
        )
        raise ResponseValidationError(
            f"HTTP {response.status_code}: the response does not match "
            f"{getattr(cast_to, '__name__', cast_to)}: {detail}",
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        ) from exc
