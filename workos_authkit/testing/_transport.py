"""In-process mounts of the fake: one httpx transport (sync + async) and a respx router."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

import anyio
import httpx

from ._wire import FakeResponse, Handler

__all__ = ["FakeTransport", "make_router"]


def _call(fake: Handler, request: httpx.Request, body: bytes) -> FakeResponse:
    url = request.url
    query = dict(parse_qsl(url.query.decode("ascii", "replace"), keep_blank_values=True))
    # the raw path, as the loopback server sees it: the fake decodes each segment itself, so an
    # id holding an encoded "/" (``a%2Fb``) stays one path parameter
    path = url.raw_path.decode("ascii").split("?", 1)[0]
    return fake.handle(request.method, path, query, request.headers, body)


def _finish(resp: FakeResponse, request: httpx.Request) -> httpx.Response:
    if resp.disconnect == "before":
        raise httpx.ConnectError("Connection refused (injected by FakeWorkOS).", request=request)
    if resp.disconnect == "after":
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    if resp.disconnect == "timeout":
        raise httpx.ReadTimeout(
            "The read operation timed out (injected by FakeWorkOS).", request=request
        )
    return httpx.Response(resp.status, headers=resp.headers, content=resp.body, request=request)


def _handle_sync(fake: Handler, request: httpx.Request) -> httpx.Response:
    resp = _call(fake, request, request.read())
    if resp.latency > 0:
        time.sleep(resp.latency)
    return _finish(resp, request)


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers every request (any host) from a :class:`FakeWorkOS`; usable by sync and async clients."""

    def __init__(self, fake: Handler) -> None:
        self.fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return _handle_sync(self.fake, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        resp = _call(self.fake, request, await request.aread())
        if resp.latency > 0:
            await anyio.sleep(resp.latency)
        return _finish(resp, request)

    def close(self) -> None:
        """Closing a client does not affect the fake; the transport stays usable."""

    async def aclose(self) -> None:
        """See :meth:`close`."""

    def __repr__(self) -> str:
        return f"FakeTransport({self.fake!r})"


def make_router(fake: Handler) -> Any:
    import respx  # the `testing` extra

    router = respx.Router(assert_all_called=False, assert_all_mocked=True)

    router.route().mock(side_effect=lambda request: _handle_sync(fake, request))
    return router
