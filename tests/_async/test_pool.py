# source-of-truth: async
"""The default connection pool (httpcore2 under httpx's request and response types), over real
loopback sockets: stale keep-alive connections, refused connections, and its errors as httpx's."""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import API_KEY, user_json
from workos_authkit import (
    APIConnectionError,
    AsyncWorkOS,
    OutcomeUnknownError,
    RequestOptions,
)
from workos_authkit._async._pool import AsyncPoolTransport
from workos_authkit._tls import default_ssl_context

pytestmark = pytest.mark.anyio

NO_RETRY = RequestOptions(max_retries=0)


class OneAnswerServer:
    """Answers one GET per connection without ``Connection: close``, then hangs up.

    Every connection the client keeps for reuse is dead by the time it is idle: a pool that
    does not notice sends the next request into a closed socket.
    """

    def __init__(self, tls: ssl.SSLContext | None = None, *, reset: bool = False) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._tls = tls
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}"
        self.refused_handshakes = 0
        self._reset = reset  # answer nothing: reset the connection once the request is in
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
            if self._tls is not None:
                try:
                    conn = self._tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    self.refused_handshakes += 1  # the client did not trust us
                    conn.close()
                    continue
            with conn:
                self.connections += 1
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                if self._reset:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                else:
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


def _self_signed(tmp: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a fresh certificate for 127.0.0.1, and a client context trusting it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "workos-authkit test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (tmp / "cert.pem").write_bytes(pem)
    (tmp / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    client = ssl.create_default_context(cadata=pem.decode())
    return server, client


async def test_https_through_the_default_pool(tmp_path: Path) -> None:
    server_tls, client_tls = _self_signed(tmp_path)
    server = OneAnswerServer(tls=server_tls)
    try:
        async with AsyncWorkOS(
            api_key=API_KEY, base_url=server.url, transport=AsyncPoolTransport(client_tls)
        ) as client:
            for expected in (1, 2):
                server.hung_up.clear()
                user = await client.users.get("user_01HZX0000000000000000000A1", options=NO_RETRY)
                assert user.email
                assert server.hung_up.wait(5)
                assert server.connections == expected  # the closed TLS connection was noticed
    finally:
        server.close()


async def test_a_certificate_the_client_does_not_trust_is_refused(tmp_path: Path) -> None:
    server_tls, _ = _self_signed(tmp_path)
    server = OneAnswerServer(tls=server_tls)
    try:
        transport = AsyncPoolTransport(default_ssl_context())
        async with AsyncWorkOS(api_key=API_KEY, base_url=server.url, transport=transport) as c:
            with pytest.raises(APIConnectionError) as info:
                await c.users.get("user_01HZX0000000000000000000A1", options=NO_RETRY)
        assert "ConnectError" in str(info.value)
        assert server.connections == 0
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


def _failed_reading(message: str) -> bool:
    return "ReadError" in message or "RemoteProtocolError" in message


async def test_a_reset_after_the_request_is_a_read_error_and_an_unknown_outcome_for_a_create() -> (
    None
):
    server = OneAnswerServer(reset=True)
    try:
        async with AsyncWorkOS(api_key=API_KEY, base_url=server.url) as client:
            with pytest.raises(OutcomeUnknownError) as created:
                await client.users.create(email="ada@example.com", options=NO_RETRY)
            # a reset reads as ECONNRESET (ReadError); trio may see the end of the stream first
            assert _failed_reading(str(created.value))
            assert created.value.idempotency_key
            with pytest.raises(APIConnectionError) as read:
                await client.users.get("user_01HZX0000000000000000000A1", options=NO_RETRY)
            assert _failed_reading(str(read.value))
    finally:
        server.close()
