# source-of-truth: async
"""The base of every resource: the client's configuration and HTTP layer, and the verb helpers.

A typical endpoint is one line of I/O over a helper::

    return await self._get(api.GET_USER, User, user_id, options=options)

Each helper takes the operation's ``Endpoint`` (method, path template, spec ``operationId``,
retry class), the model to decode the body into, the ids that fill the path, and the caller's
``RequestOptions``, which are resolved here, once, against the client's configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._endpoint import Endpoint
from .._types import RequestOptions
from ..models import Page
from ._pagination import AsyncPager

if TYPE_CHECKING:
    from .client import AsyncWorkOS

T = TypeVar("T")


class AsyncResource:
    """Holds the client (its frozen configuration and shared HTTP layer)."""

    def __init__(self, client: AsyncWorkOS) -> None:
        self._client = client
        self._config = client._config
        self._http = client._http
        self._clock = client._clock

    async def _get(
        self,
        endpoint: Endpoint,
        cast_to: type[T],
        *ids: str,
        params: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> T:
        settings = self._config.resolve(endpoint, options)
        return await self._http.request_model(
            settings, endpoint.method, endpoint.path(*ids), cast_to, params=params
        )

    async def _post(
        self,
        endpoint: Endpoint,
        cast_to: type[T],
        *ids: str,
        body: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> T:
        settings = self._config.resolve(endpoint, options)
        return await self._http.request_model(
            settings, endpoint.method, endpoint.path(*ids), cast_to, body=body
        )

    #: a ``PUT`` has the same shape as a ``POST``: an optional body, a decoded answer (the
    #: method comes from the endpoint)
    _put = _post

    async def _delete(
        self, endpoint: Endpoint, *ids: str, options: RequestOptions | None = None
    ) -> None:
        await self._send(endpoint, *ids, options=options)

    async def _send(
        self,
        endpoint: Endpoint,
        *ids: str,
        body: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> None:
        """A call whose success response has no body."""
        settings = self._config.resolve(endpoint, options)
        await self._http.request(settings, endpoint.method, endpoint.path(*ids), body=body)

    def _list(
        self,
        endpoint: Endpoint,
        item_type: type[T],
        *ids: str,
        params: Mapping[str, Any],
        options: RequestOptions | None = None,
    ) -> AsyncPager[T]:
        settings = self._config.resolve(endpoint, options)
        page_type: type[Page[T]] = Page[item_type]  # type: ignore[valid-type]
        return AsyncPager(self._http, settings, endpoint.path(*ids), page_type, params)
