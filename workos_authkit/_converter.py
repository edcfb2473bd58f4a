"""The one cattrs converter, for Python-side data: models <-> plain dicts.

Response bodies do not come through here: ``_decode`` reads their bytes straight into the models
with msgspec. cattrs turns models into plain data (request bodies, import rows, session payloads)
and plain data already in Python into models (the next-step data of authentication errors).
``converter`` is tolerant (unknown fields are ignored: the API adds fields over time);
``strict_converter`` also forbids unknown fields, for tests that check our models cover the wire
format. Both are built by the same ``configure`` function and refuse coercions (``str(5)``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

T = TypeVar("T")

_MISSING = object()


def _structure_datetime(value: Any, _: type) -> datetime:
    if type(value) is not str:
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    return datetime.fromisoformat(value)


def _exact(tp: type) -> Any:
    """A hook that accepts only ``tp`` itself: cattrs would otherwise coerce (``str(5)``, ``bool("no")``)."""

    def hook(value: Any, _: type) -> Any:
        if type(value) is not tp:
            raise TypeError(f"expected {tp.__name__}, got {type(value).__name__}")
        return value

    return hook


def _unstructure_datetime(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def configure(conv: cattrs.Converter, *, forbid_extra_keys: bool = False) -> cattrs.Converter:
    # Primitive hooks first: the attrs hook factories below capture them when they build a class.
    conv.register_structure_hook(datetime, _structure_datetime)
    for exact in (str, bool, int):
        conv.register_structure_hook(exact, _exact(exact))
    conv.register_unstructure_hook(datetime, _unstructure_datetime)

    def attrs_factory(cls: type[Any]) -> Any:
        return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=forbid_extra_keys)

    conv.register_structure_hook_factory(attrs.has, attrs_factory)
    return conv


# ---------------------------------------------------------------------------- the converters

converter = configure(cattrs.Converter())
strict_converter = configure(cattrs.Converter(forbid_extra_keys=True), forbid_extra_keys=True)


def structure(data: Any, cls: type[T]) -> T:
    """Wire data -> ``cls``. Raises a ``cattrs`` validation error (or TypeError) when it can't."""
    return converter.structure(data, cls)


def structure_lenient(data: Any, cls: type[T]) -> T | None:
    """Structure ``data`` or return ``None`` if it is absent or malformed (for optional extras)."""
    if data is None:
        return None
    try:
        return structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError):
        return None


def structure_list_lenient(data: Any, cls: type[T]) -> list[T]:
    if not isinstance(data, list):
        return []
    items = (structure_lenient(item, cls) for item in data)
    return [item for item in items if item is not None]
