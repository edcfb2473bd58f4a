"""The raw response of a call, for callers who need its status and headers.

``client.with_raw_response(client.users.get, user_id)`` returns an ``APIResponse`` holding the
parsed result (``.data``) beside the HTTP status and headers (``X-Request-ID``, the rate-limit
headers). The HTTP layer hands each final response to the innermost capture opened in the
current context (a ``ContextVar``: each task and each thread has its own), so it works the same
in both twins and costs one lookup per call when nobody asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Generic, TypeVar

import attrs

from ._retry import header_number

__all__ = ["APIResponse", "RateLimitInfo"]

T = TypeVar("T")

#: responses seen by the HTTP layer while a capture is open (the last one is the call's)
capture: ContextVar[list[tuple[int, Mapping[str, str]]] | None] = ContextVar(
    "workos_authkit_capture", default=None
)


@attrs.frozen(kw_only=True)
class RateLimitInfo:
    """The ``X-RateLimit-*`` headers of a response, when the server sent them."""

    limit: float | None
    remaining: float | None
    reset: float | None


@attrs.frozen(kw_only=True)
class APIResponse(Generic[T]):
    """A call's result with its HTTP status and headers (header names are case-insensitive)."""

    data: T
    status_code: int
    headers: Mapping[str, str] = attrs.field(repr=False)

    @property
    def request_id(self) -> str | None:
        return self.headers.get("x-request-id")

    @property
    def rate_limit(self) -> RateLimitInfo:
        get = self.headers.get
        return RateLimitInfo(
            limit=header_number(get("x-ratelimit-limit")),
            remaining=header_number(get("x-ratelimit-remaining")),
            reset=header_number(get("x-ratelimit-reset")),
        )
