"""Response bodies -> models: JSON bytes decoded straight into the attrs classes by msgspec.

msgspec reads the bytes and builds the attrs objects in one pass (no intermediate dicts), checks
every field's type, runs the classes' validators, parses timestamps into ``datetime`` and ignores
fields the models do not know (the API adds fields over time). One decoder per target type,
built on first use. A body that does not fit raises ``ResponseValidationError`` naming the path of
the bad field (``$.data[3].email``).

cattrs (``_converter``) stays the converter for Python-side data; it is not on this path.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from .errors import ResponseValidationError

__all__ = ["decode"]

T = TypeVar("T")

_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def decoder_for(cast_to: Any) -> msgspec.json.Decoder[Any]:
    found = _decoders.get(cast_to)
    if found is None:
        found = _decoders[cast_to] = msgspec.json.Decoder(cast_to)
    return found


def decode(content: bytes, cast_to: type[T], *, status_code: int, request_id: str | None) -> T:
    """Decode one response body as ``cast_to``."""
    dec = _decoders.get(cast_to) or decoder_for(cast_to)
    try:
        result: T = dec.decode(content)
    except msgspec.ValidationError as exc:
        name = getattr(cast_to, "__name__", None) or repr(cast_to)
        raise ResponseValidationError(
            f"HTTP {status_code}: the response does not match {name}: {exc}",
            status_code=status_code,
            request_id=request_id,
        ) from exc
    except msgspec.DecodeError as exc:
        raise ResponseValidationError(
            f"HTTP {status_code}: the response body is not valid JSON ({exc})",
            status_code=status_code,
            request_id=request_id,
        ) from exc
    return result
