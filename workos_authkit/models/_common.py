from __future__ import annotations

from typing import Generic, Literal, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class ListMetadata:
    """Cursors of a list page: pass ``after`` (or ``before``) to fetch the next (previous) page."""

    before: str | None = None
    after: str | None = None


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a cursor list: ``{"object": "list", "data": [...], "list_metadata": {...}}``."""

    data: list[T] = attrs.field(factory=list)  # some list schemas (memberships) do not require it
    list_metadata: ListMetadata = attrs.field(factory=ListMetadata)
    object: Literal["list"] = "list"
