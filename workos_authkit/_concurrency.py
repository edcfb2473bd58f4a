"""Hand-written twins of the few primitives that differ between async and sync code.

The async source (``_async/``) uses the ``Async*`` / ``async_*`` names; unasync rewrites them to the
plain names below (see ``codegen/unasync_rules.py``). Nothing else in the package touches anyio
or ``time.sleep`` directly. anyio and asyncio are imported only by the async functions that use
them, so the sync client never loads them.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

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


def async_time_limit(seconds: float) -> contextlib.AbstractAsyncContextManager[object]:
    """Bound a block of async code by ``seconds`` of wall time (raises ``TimeoutError``).

    On asyncio this is ``asyncio.timeout`` (a few µs); elsewhere (trio) anyio's ``fail_after``.
    """
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None and asyncio._get_running_loop() is not None:
        limit: contextlib.AbstractAsyncContextManager[object] = asyncio.timeout(seconds)
        return limit
    import anyio

    return _AsyncContext(anyio.fail_after(seconds))


class _AsyncContext:
    """A synchronous context manager used with ``async with``."""

    __slots__ = ("_cm",)

    def __init__(self, cm: contextlib.AbstractContextManager[object]) -> None:
        self._cm = cm

    async def __aenter__(self) -> object:
        return self._cm.__enter__()

    async def __aexit__(self, *exc: Any) -> bool | None:
        return self._cm.__exit__(*exc)


_NO_LIMIT = contextlib.nullcontext()


def time_limit(seconds: float) -> contextlib.AbstractContextManager[object]:
    """Sync twin of ``async_time_limit``: a blocking call cannot be interrupted from inside its
    thread, so the sync client relies on the socket timeouts alone (connect, each read/write)."""
    return _NO_LIMIT


def async_shielded() -> contextlib.AbstractContextManager[object]:
    """A block that the caller's cancellation does not interrupt (delivered when it ends).

    For work that must finish once started: a request consuming a single-use token, and
    publishing its result to whoever waits for it."""
    import anyio

    return anyio.CancelScope(shield=True)


def shielded() -> contextlib.AbstractContextManager[object]:
    """Sync twin of ``async_shielded``: a thread is not cancelled from outside; nothing to do."""
    return _NO_LIMIT


K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

#: a no-argument function the async code awaits (``fn()`` of a single flight); sync: a plain call
AsyncThunk = Callable[[], Awaitable[T]]
Thunk = Callable[[], T]


class _Flight(Generic[T]):
    __slots__ = ("done", "error", "ok", "value")

    def __init__(self, done: Any) -> None:
        self.done = done
        self.ok = False
        self.value: T | None = None
        self.error: Exception | None = None


def _recent(done: dict[Any, tuple[float, Any]], key: Any, now: float) -> tuple[bool, Any]:
    entry = done.get(key)
    if entry is None:
        return False, None
    if entry[0] <= now:
        del done[key]
        return False, None
    return True, entry[1]


def _remember(done: dict[Any, tuple[float, Any]], key: Any, value: Any, ttl: float) -> None:
    if ttl <= 0:
        return
    now = time.monotonic()
    if len(done) >= 1024:
        for stale in [k for k, (until, _) in done.items() if until <= now]:
            del done[stale]
    done[key] = (now + ttl, value)


class AsyncSingleFlight(Generic[K, T]):
    """Concurrent ``run(key, fn)`` calls with one key share one run of ``fn``.

    The first caller runs it; the others wait and get its result (or its exception). A result is
    kept ``ttl`` seconds, so a caller arriving just after (with the same stale input) gets it too.
    If the runner is cancelled, a waiter takes over instead of inheriting the cancellation.
    """

    def __init__(self, ttl: float = 0.0) -> None:
        self._ttl = ttl
        self._flights: dict[K, _Flight[T]] = {}
        self._done: dict[K, tuple[float, T]] = {}

    async def run(self, key: K, fn: Callable[[], Awaitable[T]]) -> T:
        while True:
            hit, value = _recent(self._done, key, time.monotonic())
            if hit:
                return cast(T, value)
            flight = self._flights.get(key)
            if flight is None:
                break
            await flight.done.wait()
            if flight.ok:
                return cast(T, flight.value)
            if flight.error is not None:
                raise flight.error
            # the runner was cancelled: try again (one waiter becomes the runner)
        import anyio

        flight = self._flights[key] = _Flight(anyio.Event())
        try:
            value = await fn()
        except Exception as exc:
            flight.error = exc
            raise
        else:
            flight.ok, flight.value = True, value
            _remember(self._done, key, value, self._ttl)
            return value
        finally:
            del self._flights[key]
            flight.done.set()

    def forget(self, key: K) -> None:
        self._done.pop(key, None)


class SingleFlight(Generic[K, T]):
    """Sync twin of ``AsyncSingleFlight``: threads calling ``run(key, fn)`` share one run."""

    def __init__(self, ttl: float = 0.0) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._flights: dict[K, _Flight[T]] = {}
        self._done: dict[K, tuple[float, T]] = {}

    def run(self, key: K, fn: Callable[[], T]) -> T:
        while True:
            with self._lock:
                hit, value = _recent(self._done, key, time.monotonic())
                if hit:
                    return cast(T, value)
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = _Flight(threading.Event())
                    break
            flight.done.wait()
            if flight.ok:
                return cast(T, flight.value)
            if flight.error is not None:
                raise flight.error
        try:
            value = fn()
        except Exception as exc:
            flight.error = exc
            raise
        else:
            flight.ok, flight.value = True, value
            with self._lock:
                _remember(self._done, key, value, self._ttl)
            return value
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()

    def forget(self, key: K) -> None:
        with self._lock:
            self._done.pop(key, None)


class AsyncWorkerGroup(Generic[T]):
    """Run ``handler(item)`` for every item ``put``, on ``workers`` tasks of a task group.

    At most ``backlog`` items wait for a worker: ``put`` waits when the queue is full, so a
    producer reading a huge input holds only ``backlog`` items in memory. Leaving the block
    normally waits for every queued item; leaving it with an error or a cancellation cancels
    the workers (an item being handled sees the cancellation; queued items are dropped).
    """

    def __init__(
        self, handler: Callable[[T], Awaitable[object]], *, workers: int, backlog: int
    ) -> None:
        self._handler = handler
        self._workers = workers
        self._backlog = backlog

    async def __aenter__(self) -> AsyncWorkerGroup[T]:
        import anyio

        self._would_block = anyio.WouldBlock
        self._end_of_stream = anyio.EndOfStream
        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        send, receive = anyio.create_memory_object_stream[T](self._backlog)
        self._send: MemoryObjectSendStream[T] = send
        for _ in range(self._workers):
            self._group.start_soon(self._work, receive.clone())
        receive.close()
        return self

    async def put(self, item: T) -> None:
        # Only wait (and so yield) when the queue is full: an item that fits goes in at once.
        # The producer of a long input still yields, on every full queue.
        try:
            self._send.send_nowait(item)
        except self._would_block:
            await self._send.send(item)

    async def _work(self, receive: MemoryObjectReceiveStream[T]) -> None:
        # A queued item is taken without the two scheduling round-trips of ``receive()``: the
        # handler's own I/O is where this worker yields (and sees a cancellation).
        with receive:
            while True:
                try:
                    try:
                        item = receive.receive_nowait()
                    except self._would_block:
                        item = await receive.receive()
                except self._end_of_stream:
                    return
                await self._handler(item)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        self._send.close()
        if exc_type is not None:
            self._group.cancel_scope.cancel()
        return await self._group.__aexit__(exc_type, exc, tb)


class WorkerGroup(Generic[T]):
    """Sync twin of ``AsyncWorkerGroup``: ``workers`` threads fed by a bounded queue.

    Leaving the block normally waits for every queued item. Leaving it with an error (Ctrl-C
    arrives in the main thread, which is the producer) drops the queued items and waits for
    the items being handled to finish; a second Ctrl-C stops waiting. The first exception a
    handler raises stops the group and is raised to the producer.
    """

    _POLL = 0.05

    def __init__(self, handler: Callable[[T], object], *, workers: int, backlog: int) -> None:
        self._handler = handler
        self._workers = workers
        self._queue: queue.Queue[T] = queue.Queue(maxsize=backlog)
        self._closed = threading.Event()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> WorkerGroup[T]:
        for i in range(self._workers):
            thread = threading.Thread(target=self._work, name=f"workos-worker-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def put(self, item: T) -> None:
        while True:
            if self._error is not None:
                raise self._error
            try:
                self._queue.put(item, timeout=self._POLL)
                return
            except queue.Full:
                continue

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                item = self._queue.get(timeout=self._POLL)
            except queue.Empty:
                if self._closed.is_set():
                    return
                continue
            try:
                self._handler(item)
            except BaseException as exc:
                if self._error is None:
                    self._error = exc
                self._stop.set()
                return

    def _drain(self) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()

    def _join(self) -> None:
        for thread in self._threads:
            while thread.is_alive():
                thread.join(self._POLL * 2)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        self._closed.set()
        if exc_type is not None:
            self._stop.set()
            self._drain()
        try:
            self._join()
        except BaseException:
            self._stop.set()
            self._drain()
            self._join()  # items in hand finish; another Ctrl-C stops waiting
            raise
        if exc_type is None and self._error is not None:
            raise self._error
        return None
