"""A real ``redis-server`` for the shared-store tests, and redis-py clients for both twins.

``redis_url`` (a fixture in ``tests/conftest.py``) starts one server per test session on a free
127.0.0.1 port in a temporary directory (no persistence), flushes it before each test and stops
it at the end. Without the ``redis-server`` binary or redis-py the tests skip with that reason.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from typing import Any

MISSING_SERVER = "redis-server is not installed (Debian: apt-get install redis-server)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def running_redis(binary: str) -> Iterator[str]:
    """Start ``binary`` on a free loopback port; yields its URL and stops it on exit."""
    with tempfile.TemporaryDirectory(prefix="workos-authkit-redis-") as workdir:
        for _attempt in range(5):  # a port found free may be taken before the server binds it
            port = _free_port()
            process = subprocess.Popen(
                [
                    binary,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--dir",
                    workdir,
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--protected-mode",
                    "yes",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while process.poll() is None and time.monotonic() < deadline:
                if _ping(port):
                    break
                time.sleep(0.02)
            if process.poll() is None and _ping(port):
                break
            process.kill()
            process.wait()
        else:
            raise RuntimeError("redis-server did not start on a free loopback port")
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


def async_redis_client(url: str) -> Any:
    """A ``redis.asyncio.Redis`` client (what ``AsyncRedisStore`` takes)."""
    import redis.asyncio

    return redis.asyncio.Redis.from_url(url)


def redis_client(url: str) -> Any:
    """A ``redis.Redis`` client (what ``RedisStore`` takes)."""
    import redis

    return redis.Redis.from_url(url)
