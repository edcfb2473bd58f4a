"""Small shared types: per-call options and the "argument not given" sentinel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, Literal, ParamSpec, TypeAlias, TypeVar

import attrs

from .errors import InvalidArgumentError

__all__ = ["NOT_GIVEN", "AsyncMethod", "Method", "NotGiven", "Order", "RequestOptions"]

P = ParamSpec("P")
T = TypeVar("T")

#: a resource method of the async client, and of the sync one (``with_raw_response`` takes one)
AsyncMethod: TypeAlias = Callable[P, Awaitable[T]]
Method: TypeAlias = Callable[P, T]

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


def _mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"expected a mapping, got {type(value).__name__}")
    return dict(value)


def _positive_seconds(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidArgumentError(
            f"{attribute.name} must be a positive number of seconds, got {value!r}"
        )


def _retries(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"{attribute.name} must be an integer >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class RequestOptions:
    """Per-call overrides, passed as ``options=`` to any resource method.

    ``timeout`` in seconds for each attempt; ``deadline`` in seconds for the whole call (every
    attempt, backoff and rate-limit wait; ``math.inf`` for none); ``max_retries`` for this call;
    ``extra_headers`` sent as well (they never replace ``Authorization``); ``extra_query`` and
    ``extra_body`` add query parameters and JSON body fields the SDK does not know yet (they
    override what the SDK would send under the same name); ``idempotency_key`` for a create
    (reused across its retries; by default a fresh UUID per call); ``retry_ambiguous`` lets a
    create whose outcome is unknown be retried with its idempotency key instead of raising
    ``OutcomeUnknownError``.
    """

    timeout: float | None = attrs.field(default=None, validator=_positive_seconds)
    deadline: float | None = attrs.field(default=None, validator=_positive_seconds)
    max_retries: int | None = attrs.field(default=None, validator=_retries)
    extra_headers: Mapping[str, str] | None = attrs.field(default=None, converter=_headers)
    extra_query: Mapping[str, Any] | None = attrs.field(default=None, converter=_mapping)
    extra_body: Mapping[str, Any] | None = attrs.field(default=None, converter=_mapping)
    idempotency_key: str | None = None
    retry_ambiguous: bool | None = None

    def __repr__(self) -> str:
        # extra headers may carry credentials: show only their names
        names = sorted(self.extra_headers) if self.extra_headers else None
        return (
            f"RequestOptions(timeout={self.timeout!r}, deadline={self.deadline!r}, "
            f"max_retries={self.max_retries!r}, "
            f"extra_headers={names!r}, extra_query={self.extra_query!r}, "
            f"extra_body={sorted(self.extra_body) if self.extra_body else None!r}, "
            f"idempotency_key={self.idempotency_key!r}, "
            f"retry_ambiguous={self.retry_ambiguous!r})"
        )
