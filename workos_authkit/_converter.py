"""The one cattrs converter: wire JSON <-> attrs models.

``converter`` is tolerant (unknown fields are ignored: the API adds fields over time);
``strict_converter`` forbids unknown fields and is meant for tests that check our models cover
the wire format. Both are built by the same ``configure`` function.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

T = TypeVar("T")


def _structure_datetime(value: Any, _: type) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    return datetime.fromisoformat(value)


def _unstructure_datetime(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def configure(conv: cattrs.Converter, *, forbid_extra_keys: bool = False) -> cattrs.Converter:
    # Primitive hooks first: the attrs hook factory below captures them when it builds a class.
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)

    def attrs_factory(cls: type[Any]) -> Any:
        return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=forbid_extra_keys)

    conv.register_structure_hook_factory(attrs.has, attrs_factory)
    return conv


converter = configure(cattrs.Converter(omit_if_default=False))
strict_converter = configure(cattrs.Converter(forbid_extra_keys=True), forbid_extra_keys=True)


def structure(data: Any, cls: type[T]) -> T:
    return converter.structure(data, cls)


def structure_lenient(data: Any, cls: type[T]) -> T | None:
    """Structure ``data`` or return ``None`` if it is absent or malformed (for optional extras)."""
    if data is None:
        return None
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError):
        return None


def structure_list_lenient(data: Any, cls: type[T]) -> list[T]:
    if not isinstance(data, list):
        return []
    items = (structure_lenient(item, cls) for item in data)
    return [item for item in items if item is not None]


def unstructure(value: Any) -> Any:
    return converter.unstructure(value)
