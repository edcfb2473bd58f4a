"""Pure pieces of the HTTP layer shared by both twins: headers, names and exception mapping.

Only ``_async/_http.py`` and ``_async/_transport.py`` (and their generated twins) import this:
it imports httpx.
"""

from __future__ import annotations

import contextlib
import functools
import platform
import select
import socket
import sys
from collections.abc import Iterator, Mapping
from typing import Any

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


#: the pool's size: httpx's defaults
POOL_LIMITS: dict[str, Any] = {
    "max_connections": 100,
    "max_keepalive_connections": 20,
    "keepalive_expiry": 5.0,
}


@functools.cache
def _pool_errors() -> dict[type[BaseException], type[Exception]]:
    """httpcore2's failures as httpx's (most specific first), so everything above the pool sees one
    set of exceptions.

    Built on first use: only the default pool imports httpcore2 (and, through it, anyio).
    """
    import httpcore2

    return {
        httpcore2.ConnectTimeout: httpx.ConnectTimeout,
        httpcore2.ReadTimeout: httpx.ReadTimeout,
        httpcore2.WriteTimeout: httpx.WriteTimeout,
        httpcore2.PoolTimeout: httpx.PoolTimeout,
        httpcore2.TimeoutException: httpx.TimeoutException,
        httpcore2.ConnectError: httpx.ConnectError,
        httpcore2.ReadError: httpx.ReadError,
        httpcore2.WriteError: httpx.WriteError,
        httpcore2.NetworkError: httpx.NetworkError,
        httpcore2.ProxyError: httpx.ProxyError,
        httpcore2.UnsupportedProtocol: httpx.UnsupportedProtocol,
        httpcore2.LocalProtocolError: httpx.LocalProtocolError,
        httpcore2.RemoteProtocolError: httpx.RemoteProtocolError,
        httpcore2.ProtocolError: httpx.ProtocolError,
    }


@contextlib.contextmanager
def translated(errors: Mapping[type[BaseException], type[Exception]]) -> Iterator[None]:
    """Re-raise a failure as the exception ``errors`` maps its first matching kind to.

    ``errors`` lists the most specific kinds first; anything else passes through unchanged.
    """
    try:
        yield
    except Exception as exc:
        for kind, mapped in errors.items():
            if isinstance(exc, kind):
                raise mapped(str(exc)) from exc
        raise


def pool_errors() -> contextlib.AbstractContextManager[None]:
    """Re-raise an httpcore2 failure as the httpx exception of the same name."""
    return translated(_pool_errors())


def socket_readable(sock: socket.socket | None) -> bool:
    """Whether reading ``sock`` would not block: on an idle connection, the server closed it.

    A socket that is gone counts as readable (its next read would return the end).
    """
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if sys.platform == "win32" or not hasattr(select, "poll"):
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


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
