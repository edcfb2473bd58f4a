"""Small shared types: per-call options and the "argument not given" sentinel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

import attrs

__all__ = ["NOT_GIVEN", "NotGiven", "Order", "RequestOptions"]

Order = Literal["normal", "desc", "asc"]


class NotGiven:
    """Marks an argument the caller did not pass (``None`` is a value: it clears a field)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


def _headers(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    return dict(value) if value is not None else None


@attrs.frozen(kw_only=True)
class RequestOptions:
    """Per-call overrides, passed as ``options=`` to any resource method.

    ``timeout`` in seconds; ``max_retries`` for this call only; ``extra_headers`` sent as well
    (they never replace ``Authorization``); ``idempotency_key`` for a POST (reused across its
    retries; by default a fresh UUID per call); ``retry_ambiguous`` lets a POST whose outcome is
    unknown be retried with its idempotency key instead of raising ``OutcomeUnknownError``.
    """

    timeout: float | None = None
    max_retries: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
    )
    extra_headers: Mapping[str, str] | None = attrs.field(default=None, converter=_headers)
    idempotency_key: str | None = None
    retry_ambiguous: bool | None = None

    def __repr__(self) -> str:
        # extra headers may carry credentials: show only their names
        names = sorted(self.extra_headers) if self.extra_headers else None
        return (
            f"RequestOptions(timeout={self.timeout!r}, max_retries={self.max_retries!r}, "
            f"extra_headers={names!r}, idempotency_key={self.idempotency_key!r}, "
            f"retry_ambiguous={self.retry_ambiguous!r})"
        )
