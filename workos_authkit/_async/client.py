# source-of-truth: async
"""The client class: configuration and the resource namespaces."""

from __future__ import annotations

import os
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

import attrs
import httpx

from .._concurrency import AsyncClock
from .._retry import RateLimitConfig, RetryConfig, TransportStats
from .._types import NOT_GIVEN, NotGiven
from ..errors import ConfigurationError
from ._http import AsyncHTTP, Defaults

if TYPE_CHECKING:
    from .resources.users import AsyncUsers

DEFAULT_BASE_URL = "https://api.workos.com"
DEFAULT_TIMEOUT = 30.0


class AsyncWorkOS:
    """Client for the WorkOS AuthKit API.

    ``api_key``, ``client_id`` and ``base_url`` default to ``WORKOS_API_KEY``, ``WORKOS_CLIENT_ID``
    and ``WORKOS_BASE_URL``. ``max_retries`` and ``retry`` shape retries; ``rate_limit`` the
    client-side token buckets (``RateLimitConfig(enabled=False)`` turns them off). ``transport`` is
    the inner httpx transport under the retry middleware (for tests, proxies, custom TLS).
    ``clock`` replaces the time source and sleep (tests).
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        client_id: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry: RetryConfig | None = None,
        rate_limit: RateLimitConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: AsyncClock | None = None,
    ) -> None:
        api_key = api_key if api_key is not None else os.environ.get("WORKOS_API_KEY")
        if not api_key or not isinstance(api_key, str) or not api_key.strip():
            raise ConfigurationError(
                "No WorkOS API key: pass api_key=... or set the WORKOS_API_KEY environment variable."
            )
        base_url = base_url or os.environ.get("WORKOS_BASE_URL") or DEFAULT_BASE_URL
        try:
            parsed = httpx.URL(base_url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise ConfigurationError(f"base_url is not a valid URL: {base_url!r}") from exc
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ConfigurationError(f"base_url must be an http(s) URL, got {base_url!r}")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ConfigurationError(
                f"timeout must be a positive number of seconds, got {timeout!r}"
            )
        retry = retry or RetryConfig()
        if max_retries is not None:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise ConfigurationError(
                    f"max_retries must be an integer >= 0, got {max_retries!r}"
                )
            retry = attrs.evolve(retry, max_retries=max_retries)
        self.client_id = client_id if client_id is not None else os.environ.get("WORKOS_CLIENT_ID")
        self.base_url = str(parsed).rstrip("/")
        self._http = AsyncHTTP(
            api_key=api_key,
            base_url=self.base_url,
            timeout=float(timeout),
            retry=retry,
            rate_limit=rate_limit or RateLimitConfig(),
            transport=transport,
            clock=clock or AsyncClock(),
        )
        self._owns_http = True

    def __repr__(self) -> str:
        # never the API key
        return f"{type(self).__name__}(base_url={self.base_url!r}, client_id={self.client_id!r})"

    def with_options(
        self,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven | None = NOT_GIVEN,
        retry_ambiguous: bool | NotGiven | None = NOT_GIVEN,
        extra_headers: dict[str, str] | NotGiven = NOT_GIVEN,
    ) -> AsyncWorkOS:
        """A copy with other per-call defaults that shares this client's connections and limits.

        Closing the copy does nothing; close the original.
        """
        current = self._http.defaults
        defaults = Defaults(
            timeout=current.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=current.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            retry_ambiguous=(
                current.retry_ambiguous
                if isinstance(retry_ambiguous, NotGiven)
                else retry_ambiguous
            ),
            extra_headers=(
                current.extra_headers
                if isinstance(extra_headers, NotGiven)
                else {**current.extra_headers, **extra_headers}
            ),
        )
        clone = object.__new__(type(self))
        clone.client_id = self.client_id
        clone.base_url = self.base_url
        clone._http = self._http.with_defaults(defaults)
        clone._owns_http = False
        return clone

    @cached_property
    def users(self) -> AsyncUsers:
        """Users: create, get, list, update, delete, identities."""
        from .resources.users import AsyncUsers

        return AsyncUsers(self._http)

    @property
    def transport_stats(self) -> TransportStats:
        """Counters of the shared retry transport: attempts, retries, 429s, seconds waited."""
        return self._http.transport.stats

    @property
    def rate_limit_pauses(self) -> int:
        """How many times a 429 (or an exhausted server quota) paused the whole client."""
        return self._http.transport.limiter.pauses

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        """Close the connection pool (a copy made by ``with_options`` leaves it open)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncWorkOS:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
