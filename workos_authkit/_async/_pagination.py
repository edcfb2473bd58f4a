# source-of-truth: async
"""The pager: lazy iteration over WorkOS cursor lists.

Iterating a pager walks every item, fetching pages on demand by following
``list_metadata.after``, or ``before`` when the walk started from a ``before`` cursor or uses
``order="normal"`` (newest first, where ``before`` points at older records);
iterating ``pager.pages()`` yields whole pages. Nothing is fetched until iteration starts,
and each page is read completely before anything is yielded: no response, lock or task group is
held across a ``yield``. To stop early with prompt cleanup, close ``pager.pages()``
(``contextlib.aclosing`` / ``contextlib.closing``).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, Generic, TypeVar

from .._types import RequestOptions
from ..errors import WorkOSError
from ..models import Page
from ._http import AsyncHTTP

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Items of a cursor list, fetched page by page as iteration needs them."""

    def __init__(
        self,
        http: AsyncHTTP,
        path: str,
        page_type: type[Page[T]],
        params: Mapping[str, Any],
        options: RequestOptions | None = None,
    ) -> None:
        self._http = http
        self._path = path
        self._page_type = page_type
        self._params = {k: v for k, v in params.items() if v is not None}
        self._options = options

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
        direction = _direction(params)
        while True:
            page = await self._http.request_model(
                "GET", self._path, self._page_type, params=params, options=self._options
            )
            yield page
            cursor = getattr(page.list_metadata, direction)
            if not page.data or not cursor:
                return
            if cursor == params.get(direction):
                raise WorkOSError(
                    f"GET {self._path}: the list cursor did not advance ({direction}={cursor!r})"
                )
            params[direction] = cursor

    async def first_page(self) -> Page[T]:
        """Fetch only the first page."""
        return await self._http.request_model(
            "GET", self._path, self._page_type, params=self._params, options=self._options
        )


def _direction(params: Mapping[str, Any]) -> str:
    """Which cursor leads to the next page."""
    if "after" in params:
        return "after"
    if "before" in params or params.get("order") == "normal":
        return "before"
    return "after"
