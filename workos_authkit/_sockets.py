"""The sockets under the default connection pool: a hand-written twin pair, as in ``_concurrency``.

``async_network_backend`` (async pool) and ``network_backend`` (sync pool; the codegen maps one
name to the other). The sync pool keeps httpcore2's own sockets. The async one gets these anyio
streams (asyncio or trio) instead of httpcore2's, for two costs measured by ``make bench``
(bulk import):

* The pool asks every idle connection, on each request it queues, whether the server has closed
  it. httpcore2's anyio stream answers by building the stream's whole attribute table (one
  ``getpeername`` call included) before polling; here the socket is looked up once.
* httpcore2 opens an anyio cancel scope around every read and write for its per-operation
  timeout. Under the async client the retry transport already bounds each attempt as a whole
  (``async_time_limit``: connecting, sending and the whole body), so reads and writes here take
  no timeout of their own; connecting and the TLS handshake keep theirs.

Imported only with the default pool (``_async/_pool.py``), like httpcore2, which loads anyio
itself.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterable, Iterator
from typing import Any

import anyio
import anyio.abc
import anyio.streams.tls
import httpcore2

from ._wire import socket_readable, translated

__all__ = ["async_network_backend", "network_backend"]


def network_backend() -> httpcore2.NetworkBackend | None:
    """The sync pool's sockets: httpcore2's own (their idle check is already one ``poll``)."""
    return None


def async_network_backend() -> httpcore2.AsyncNetworkBackend:
    """The async pool's sockets."""
    return _AnyIOBackend()


_CONNECT_ERRORS: dict[type[BaseException], type[Exception]] = {
    TimeoutError: httpcore2.ConnectTimeout,
    ssl.SSLError: httpcore2.ConnectError,
    OSError: httpcore2.ConnectError,
    anyio.BrokenResourceError: httpcore2.ConnectError,
    anyio.EndOfStream: httpcore2.ConnectError,
}
_READ_FAILED = (anyio.BrokenResourceError, anyio.ClosedResourceError)
_WRITE_FAILED = (anyio.BrokenResourceError, anyio.ClosedResourceError, anyio.EndOfStream)
_ATTRIBUTES: dict[str, Any] = {
    "ssl_object": anyio.streams.tls.TLSAttribute.ssl_object,
    "client_addr": anyio.abc.SocketAttribute.local_address,
    "server_addr": anyio.abc.SocketAttribute.remote_address,
    "socket": anyio.abc.SocketAttribute.raw_socket,
}


@contextlib.contextmanager
def _connecting(timeout: float | None) -> Iterator[None]:
    """Connecting and the TLS handshake: bounded by ``timeout``, failures as httpcore2's."""
    with translated(_CONNECT_ERRORS), anyio.fail_after(timeout):
        yield


class _AnyIOStream(httpcore2.AsyncNetworkStream):
    def __init__(self, stream: anyio.abc.ByteStream) -> None:
        self._stream = stream
        self._socket = stream.extra(anyio.abc.SocketAttribute.raw_socket, None)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        try:
            return await self._stream.receive(max_bytes)
        except anyio.EndOfStream:
            return b""
        except _READ_FAILED as exc:
            raise httpcore2.ReadError(type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        if not buffer:
            return
        try:
            await self._stream.send(buffer)
        except _WRITE_FAILED as exc:
            raise httpcore2.WriteError(type(exc).__name__) from exc

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore2's interface)
    ) -> httpcore2.AsyncNetworkStream:
        try:
            with _connecting(timeout):
                tls = await anyio.streams.tls.TLSStream.wrap(
                    self._stream,
                    ssl_context=ssl_context,
                    hostname=server_hostname,
                    standard_compatible=False,
                    server_side=False,
                )
        except BaseException:
            await self.aclose()
            raise
        return _AnyIOStream(tls)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return socket_readable(self._socket)
        attribute = _ATTRIBUTES.get(info)
        return None if attribute is None else self._stream.extra(attribute, None)


class _AnyIOBackend(httpcore2.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore2's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        with _connecting(timeout):
            stream = await anyio.connect_tcp(host, port, local_host=local_address)
        return _with_options(stream, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore2's interface)
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        with _connecting(timeout):
            stream = await anyio.connect_unix(path)
        return _with_options(stream, socket_options)

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


def _with_options(
    stream: anyio.abc.ByteStream, options: Iterable[httpcore2.SOCKET_OPTION] | None
) -> _AnyIOStream:
    sock = stream.extra(anyio.abc.SocketAttribute.raw_socket)
    for option in options or ():
        sock.setsockopt(*option)
    return _AnyIOStream(stream)
