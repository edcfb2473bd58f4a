# source-of-truth: async
"""The pager: lazy iteration over WorkOS cursor lists.

Iterating a pager walks every item, fetching pages on demand by following
``list_metadata.after``, or ``before`` when the walk started from a ``before`` cursor or uses
``order="normal"`` (newest first, where ``before`` points at older records);
iterating ``pager.pages()`` yields whole pages. Nothing is fetched until iteration starts,
and each page is read completely before anything is yielded: no response, lock or task group is
held across a ``yield``. To stop early with prompt cleanup, close ``pager.pages()``
(``contextlib.aclosing`` / ``contextlib.closing``). A server that sends a cursor it already sent
(a cycle) raises ``WorkOSError`` instead of looping forever.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, Generic, TypeVar

from .._config import CallSettings
from .._pagination import next_cursor
from ..models import Page
from ._http import AsyncHTTP

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Items of a cursor list, fetched page by page as iteration needs them."""

    def __init__(
        self,
        http: AsyncHTTP,
        settings: CallSettings,
        path: str,
        page_type: type[Page[T]],
        params: Mapping[str, Any],
    ) -> None:
        self._http = http
        self._settings = settings
        self._path = path
        self._page_type = page_type
        self._params = {k: v for k, v in params.items() if v is not None}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self._path!r}, params={self._params!r})"

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncGenerator[T, None]:
        async for page in self.pages():
            for item in page.data:
                yield item

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield each page in turn, from the cursor the list was created with."""
        params = dict(self._params)
        seen: set[str] = set()
        while True:
            page = await self.first_page(params)
            yield page
            if not next_cursor(self._path, params, page, seen):
                return

    async def first_page(self, params: Mapping[str, Any] | None = None) -> Page[T]:
        """Fetch only the first page (or the page at the cursor in ``params``)."""
        return await self._http.request_model(
            self._settings,
            "GET",
            self._path,
            self._page_type,
            params=self._params if params is None else params,
        )
