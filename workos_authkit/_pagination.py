"""Cursor walking shared by both pagers (no I/O): which cursor leads on, and cycle detection."""

from __future__ import annotations

from typing import Any

from .errors import WorkOSError
from .models import Page


def direction(params: dict[str, Any]) -> str:
    """Which cursor leads to the next page."""
    if "after" in params:
        return "after"
    if "before" in params or params.get("order") == "normal":
        return "before"
    return "after"


def next_cursor(path: str, params: dict[str, Any], page: Page[Any], seen: set[str]) -> bool:
    """Move ``params`` to the page after ``page``; False when the list is done.

    Raises ``WorkOSError`` when the server sends a cursor already followed: a cycle (A -> B -> A)
    would otherwise be walked forever.
    """
    way = direction(params)
    cursor = getattr(page.list_metadata, way)
    if not page.data or not cursor:
        return False
    start = params.get(way)
    if start is not None:
        seen.add(start)
    if cursor in seen:
        raise WorkOSError(f"GET {path}: the list cursor repeats ({way}={cursor!r}); stopping")
    seen.add(cursor)
    params[way] = cursor
    return True
