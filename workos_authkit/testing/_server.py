"""Loopback HTTP/1.1 server (stdlib, threaded, keep-alive) in front of a FakeWorkOS."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ._wire import Handler

__all__ = ["FakeHTTPServer", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeWorkOS/1"
    sys_version = ""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        resp = self.server.fake.handle(  # type: ignore[attr-defined]
            self.command, parts.path, query, dict(self.headers.items()), body
        )
        if resp.latency > 0:
            time.sleep(resp.latency)
        if resp.disconnect is not None:
            if resp.disconnect == "timeout" and resp.hold > 0:
                time.sleep(resp.hold)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        # one write per response (status line, headers and body): no Nagle/delayed-ACK stalls
        reason = _REASONS.get(resp.status, "")
        lines = [f"HTTP/1.1 {resp.status} {reason}", f"Content-Length: {len(resp.body)}"]
        lines += [f"{k}: {v}" for k, v in resp.headers.items()]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + resp.body if self.command != "HEAD" else head)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def __getattr__(self, name: str) -> Callable[[], None]:
        # any other method (TRACE, OPTIONS, QUERY, ...) reaches the fake too, as it does through
        # the in-process transport: a JSON 405/404 rather than http.server's 501 HTML page
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_message(self, format: str, *args: object) -> None:  # quiet; no secrets in logs
        return


_REASONS = {s.value: s.phrase for s in HTTPStatus}


class FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (load generators, dropped-connection faults) are not errors."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, addr

    def __init__(self, fake: Handler, host: str, port: int) -> None:
        self.fake = fake
        super().__init__((host, port), _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}"


@contextlib.contextmanager
def serve(
    fake: Handler, host: str = "127.0.0.1", port: int = 0, *, allow_remote: bool = False
) -> Iterator[str]:
    """Serve ``fake`` in a background thread; yields the base URL and stops on exit."""
    if not allow_remote and not is_loopback(host):
        raise ValueError(f"refusing to bind to non-loopback host {host!r}")
    server = FakeHTTPServer(fake, host, port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    old_base = fake.base_url
    fake.base_url = server.base_url
    try:
        yield server.base_url
    finally:
        fake.base_url = old_base
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
