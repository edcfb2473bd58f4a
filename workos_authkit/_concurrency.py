"""Hand-written twins of the few primitives that differ between async and sync code.

The async source (``_async/``) uses the ``Async*`` / ``async_*`` names; unasync rewrites them to the
plain names below (see ``codegen/unasync_rules.py``). Nothing else in the package touches anyio
or ``time.sleep`` directly.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time

import anyio
import anyio.lowlevel

logger = logging.getLogger("workos_authkit")


class AsyncClock:
    """Time source and sleep of the async client. Tests pass a fake one to skip real waits."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
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
    in_loop = asyncio._get_running_loop() is not None
    if not in_loop:
        trio = sys.modules.get("trio")
        in_loop = trio is not None and trio.lowlevel.in_trio_run()
    if in_loop:
        _warned_in_loop = True
        logger.warning(
            "the sync WorkOS client was called inside a running event loop: each call blocks the "
            "loop until it returns. Use AsyncWorkOS there (or run the call in a worker thread)."
        )
