# source-of-truth: async
"""The default connection pool (httpcore2 under httpx's request and response types), over real
loopback sockets: stale keep-alive connections, refused connections, and its errors as httpx's."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest

from tests.factories import API_KEY, user_json
from workos_authkit import APIConnectionError, AsyncWorkOS, RequestOptions

pytestmark = pytest.mark.anyio

NO_RETRY = RequestOptions(max_retries=0)


class OneAnswerServer:
    """Answers one GET per connection without ``Connection: close``, then hangs up.

    Every connection the client keeps for reuse is dead by the time it is idle: a pool that
    does not notice sends the next request into a closed socket.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connections = 0
        self.hung_up = threading.Event()
        self._stop = threading.Event()
        self._listener.settimeout(0.05)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        body = json.dumps(user_json()).encode()
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(5)
            with conn:
                self.connections += 1
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                conn.sendall(head % len(body) + body)
            self.hung_up.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()


@pytest.fixture
def one_answer_server() -> Iterator[OneAnswerServer]:
    server = OneAnswerServer()
    try:
        yield server
    finally:
        server.close()


async def test_a_connection_the_server_closed_while_idle_is_not_reused(
    one_answer_server: OneAnswerServer,
) -> None:
    async with AsyncWorkOS(api_key=API_KEY, base_url=one_answer_server.url) as client:
        for expected in (1, 2, 3):
            one_answer_server.hung_up.clear()
            user = await client.users.get("user_01HZX0000000000000000000A1", options=NO_RETRY)
            assert user.email
            assert one_answer_server.hung_up.wait(5)
            # each call found the previous connection closed and opened a new one
            assert one_answer_server.connections == expected


async def test_a_refused_connection_is_a_connection_error_and_never_an_unknown_outcome() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    # nothing listens on ``port`` now: the create was provably never sent
    async with AsyncWorkOS(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}") as client:
        with pytest.raises(APIConnectionError) as info:
            await client.users.create(email="ada@example.com", options=NO_RETRY)
    assert type(info.value) is APIConnectionError
    assert "ConnectError" in str(info.value)
    assert API_KEY not in str(info.value)
