"""Hand-written twins of the few primitives that differ between async and sync code.

The async source (``_async/``) uses the ``Async*`` / ``async_*`` names; unasync rewrites them to the
plain names below (see ``codegen/unasync_rules.py``). Nothing else in the package touches anyio
or ``time.sleep`` directly.
"""

from __future__ import annotations

import time

import anyio
import anyio.lowlevel


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
