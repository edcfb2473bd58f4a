"""Local argument checks: bad input fails before any request with an ``InvalidArgumentError``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._types import NotGiven
from .errors import InvalidArgumentError

ORDERS = ("normal", "desc", "asc")

# Path segments that are credentials (an invitation token): never logged or put in messages.
_SECRET_SEGMENT = re.compile(r"(/by_token/)[^/?#]+")


def loggable_path(path: str) -> str:
    """``path`` with credential segments masked, for log lines and error messages."""
    return _SECRET_SEGMENT.sub(r"\1***", path) if "/by_token/" in path else path


def list_params(
    *, limit: int | None, before: str | None, after: str | None, order: str | None
) -> dict[str, Any]:
    opt_str("before", before)
    opt_str("after", after)
    opt_int_range("limit", limit, 1, 100)
    if order is not None and order not in ORDERS:
        raise InvalidArgumentError(f"order must be one of {', '.join(ORDERS)}; got {order!r}")
    if before is not None and after is not None:
        raise InvalidArgumentError("pass before or after, not both")
    return {"limit": limit, "before": before, "after": after, "order": order}


def compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop arguments that were not given (``None`` for query strings, ``NOT_GIVEN`` for bodies)."""
    return {k: v for k, v in values.items() if v is not None and not isinstance(v, NotGiven)}


def given(values: Mapping[str, Any]) -> dict[str, Any]:
    """Keep every argument that was given, ``None`` included (a JSON ``null`` clears a field)."""
    return {k: v for k, v in values.items() if not isinstance(v, NotGiven)}


def required_str(name: str, value: object) -> str:
    """A non-empty string argument."""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise InvalidArgumentError(f"{name} must not be empty")
    return value


def _is_set(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def opt_str(name: str, value: object) -> None:
    """A string argument that may be left out (``None`` / ``NOT_GIVEN``)."""
    if _is_set(value) and not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, not {type(value).__name__}")


def opt_bool(name: str, value: object) -> None:
    if _is_set(value) and not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False, not {type(value).__name__}")


def opt_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if _is_set(value) and value not in choices:
        raise InvalidArgumentError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def opt_str_mapping(name: str, value: object) -> dict[str, str] | None:
    """A mapping of strings to strings (copied), or None when left out."""
    if not _is_set(value):
        return None
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"{name} must be a mapping of strings to strings")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise InvalidArgumentError(f"{name} keys and values must be strings")
    return dict(value)


def opt_str_list(name: str, value: object) -> list[str] | None:
    """A sequence of strings (copied into a list), or None when left out.

    A lone string is refused: ``role_slugs="admin"`` would otherwise be sent as five letters.
    """
    if not _is_set(value):
        return None
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        raise InvalidArgumentError(f"{name} must be a list of strings, not {type(value).__name__}")
    items = list(value)
    if not all(isinstance(item, str) for item in items):
        raise InvalidArgumentError(f"{name} must be a list of strings")
    return items


def one_of(first: str, first_value: object, second: str, second_value: object) -> None:
    """Two mutually exclusive arguments: at most one may be given."""
    if _is_set(first_value) and _is_set(second_value):
        raise InvalidArgumentError(f"pass {first} or {second}, not both")


def opt_int_range(name: str, value: object, low: int, high: int) -> None:
    """An integer from ``low`` to ``high`` inclusive, or left out."""
    if not _is_set(value):
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidArgumentError(f"{name} must be an integer from {low} to {high}, got {value!r}")


def filtered_list_params(
    filters: Mapping[str, object],
    *,
    limit: int | None,
    before: str | None,
    after: str | None,
    order: str | None,
) -> dict[str, Any]:
    """The query of a list: optional string ``filters`` plus the paging parameters."""
    for name, value in filters.items():
        opt_str(name, value)
    return {**list_params(limit=limit, before=before, after=after, order=order), **filters}
