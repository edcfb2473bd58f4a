"""Pure pieces of the HTTP layer shared by both twins: headers, names and exception mapping.

Only ``_async/_http.py`` and ``_async/_transport.py`` (and their generated twins) import this:
it imports httpx.
"""

from __future__ import annotations

import functools
import platform

import httpx

from ._validation import loggable_path
from ._version import __version__
from .errors import APIConnectionError, APITimeoutError

USER_AGENT = (
    f"workos-authkit-python/{__version__} "
    f"(python {platform.python_version()}; httpx {httpx.__version__})"
)

#: the request extension carrying a call's ``CallSettings`` to the retry middleware
EXTENSION = "workos_authkit"

#: failures that prove the request never reached the server: always safe to repeat
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@functools.cache
def timeouts(seconds: float) -> dict[str, float]:
    """The httpx ``timeout`` extension for a per-attempt timeout of ``seconds``.

    It bounds connecting, each read and each write, and waiting for a pooled connection.
    """
    return {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}


def base_headers(api_key: str | None) -> dict[str, str]:
    """The headers of every call; without ``Authorization`` for the spec's public operations."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if api_key is not None:
        headers["Authorization"] = f"Bearer {api_key}"
    return headers


def transport_error(method: str, path: str, exc: httpx.TransportError) -> APIConnectionError:
    """The typed error for a failure with no usable response (never the request's headers)."""
    where = loggable_path(path)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{method} {where} timed out ({type(exc).__name__})")
    return APIConnectionError(f"{method} {where}: connection failed ({type(exc).__name__}: {exc})")
