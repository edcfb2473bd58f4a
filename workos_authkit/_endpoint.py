"""Endpoints: one declaration per API operation, shared by the async client and its sync twin.

An ``Endpoint`` names the operation (the spec's ``operationId``), its method and path template,
and its **retry class**, which decides what the retry middleware may repeat:

* ``Retry.SAFE`` - repeating it cannot change the outcome (reads, ``PUT``, ``DELETE``): retried
  after 429, 5xx, timeouts and dropped connections.
* ``Retry.CREATE_WITH_KEY`` - a create sent with an ``Idempotency-Key``: repeated (with the same
  key) only when the failure proves nothing was applied (429, connection never made), or when the
  caller opts in with ``retry_ambiguous=True``.
* ``Retry.ONE_SHOT`` - never repeated once the request may have reached the server (grants that
  consume one-time codes, requests that email a person).

Ids go into paths in one place, ``Endpoint.path``: each must be a non-empty string, is
percent-escaped as a single segment, and may not be ``.`` or ``..`` (which URL normalisation would
turn into another path).
"""

from __future__ import annotations

import enum
import re
from typing import Final
from urllib.parse import quote

from .errors import InvalidArgumentError

__all__ = ["Endpoint", "Retry"]

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Retry(enum.Enum):
    """What the retry middleware may repeat for an operation (see the module docstring)."""

    SAFE = "safe"
    CREATE_WITH_KEY = "create_with_key"
    ONE_SHOT = "one_shot"


class Endpoint:
    """One API operation: ``Endpoint("GET", "/user_management/users/{user_id}", "…_get", Retry.SAFE)``.

    Placeholders use the SDK's argument names, so errors name the argument the caller passed.
    ``public=True`` marks an operation the spec declares without security: the API key is not
    sent with it.
    """

    __slots__ = ("_parts", "method", "names", "operation_id", "public", "retry", "template")

    def __init__(
        self, method: str, template: str, operation_id: str, retry: Retry, *, public: bool = False
    ) -> None:
        if not isinstance(retry, Retry):
            raise TypeError(f"{operation_id}: retry must be a Retry class, got {retry!r}")
        self.method: Final = method
        self.template: Final = template
        self.operation_id: Final = operation_id
        self.retry: Final = retry
        #: the spec declares no security for it (``security: []``): sent without the API key
        self.public: Final = public
        pieces = _PLACEHOLDER.split(template)
        self._parts: tuple[str, ...] = tuple(pieces[0::2])
        self.names: tuple[str, ...] = tuple(pieces[1::2])

    def __repr__(self) -> str:
        return f"Endpoint({self.method} {self.template}, {self.operation_id}, {self.retry.name})"

    def path(self, *ids: object) -> str:
        """The template with ``ids`` filled in, each checked and escaped as one path segment."""
        names = self.names
        if len(ids) != len(names):
            raise TypeError(f"{self.operation_id} takes {len(names)} path ids, got {len(ids)}")
        if not names:
            return self.template
        parts = self._parts
        out = [parts[0]]
        for i, value in enumerate(ids):
            out.append(path_segment(names[i], value))
            out.append(parts[i + 1])
        return "".join(out)


def path_segment(name: str, value: object) -> str:
    """A non-empty string id, escaped for use as one path segment."""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise InvalidArgumentError(f"{name} must not be empty")
    if value in (".", ".."):
        raise InvalidArgumentError(f"{name} must not be {value!r}")
    try:
        return quote(value, safe="")
    except UnicodeEncodeError:
        raise InvalidArgumentError(
            f"{name} is not valid text (it holds an unpaired surrogate)"
        ) from None
