"""Hand-written twins of the few primitives that differ between async and sync code.

The async source (``_async/``) uses the ``Async*`` / ``async_*`` names; unasync rewrites them to the
plain names below (see ``codegen/unasync_rules.py``). Nothing else in the package touches anyio
or ``time.sleep`` directly. anyio and asyncio are imported only by the async functions that use
them, so the sync client never loads them.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time

logger = logging.getLogger("workos_authkit")


class AsyncClock:
    """Time source and sleep of the async client. Tests pass a fake one to skip real waits."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        import anyio

        await anyio.sleep(seconds)


class Clock:
    """Time source and sleep of the sync client. Tests pass a fake one to skip real waits."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


async def async_checkpoint() -> None:
    """Let other tasks run (and cancellation reach us)."""
    import anyio.lowlevel

    await anyio.lowlevel.checkpoint()


def checkpoint() -> None:
    """Sync twin of ``async_checkpoint``: nothing to yield to."""


def async_loop_check() -> None:
    """The async client runs in an event loop by design: nothing to check."""


_warned_in_loop = False


def loop_check() -> None:
    """Sync twin of ``async_loop_check``: warn once when a sync call blocks a running event loop."""
    global _warned_in_loop
    if _warned_in_loop:
        return
    asyncio = sys.modules.get("asyncio")  # not imported: no loop can be running
    in_loop = asyncio is not None and asyncio._get_running_loop() is not None
    if not in_loop:
        trio = sys.modules.get("trio")
        in_loop = trio is not None and trio.lowlevel.in_trio_run()
    if in_loop:
        _warned_in_loop = True
        logger.warning(
            "the sync WorkOS client was called inside a running event loop: each call blocks the "
            "loop until it returns. Use AsyncWorkOS there (or run the call in a worker thread)."
        )


def async_current_loop() -> object:
    """The running asyncio loop or trio run: what a connection pool is bound to."""
    asyncio = sys.modules.get("asyncio")
    loop = asyncio._get_running_loop() if asyncio is not None else None
    if loop is not None:
        return loop
    trio = sys.modules.get("trio")
    if trio is not None and trio.lowlevel.in_trio_run():
        return trio.lowlevel.current_trio_token()
    raise RuntimeError("the async client must be used inside a running event loop")


def current_loop() -> object:
    """Sync twin of ``async_current_loop``: one pool, shared by every thread."""
    return None


def async_time_limit(seconds: float) -> contextlib.AbstractContextManager[object]:
    """Bound a block of async code by ``seconds`` of wall time (raises ``TimeoutError``)."""
    import anyio

    return anyio.fail_after(seconds)


_NO_LIMIT = contextlib.nullcontext()


def time_limit(seconds: float) -> contextlib.AbstractContextManager[object]:
    """Sync twin of ``async_time_limit``: a blocking call cannot be interrupted from inside its
    thread, so the sync client relies on the socket timeouts alone (connect, each read/write)."""
    return _NO_LIMIT
