# source-of-truth: async
"""The retry + rate-limit middleware: one httpx transport wrapper per client.

Every request of a client, from every resource and every concurrent task, goes through the same
instance, so the token buckets and the 429 pause are shared: a 429 holds the whole client until
the server's ``Retry-After`` instead of letting each task retry on its own.

Each call's settings arrive resolved in ``request.extensions["workos_authkit"]`` (a
``CallSettings``): its retry class, retry budget, per-attempt timeout and deadline.

What is repeated depends on the operation's retry class, not on the HTTP method:

* ``SAFE`` (reads, ``PUT``, ``DELETE``): after 429, 5xx, timeouts and dropped connections. A
  ``DELETE`` resent after an ambiguous failure that then answers 404 was applied the first time:
  it is reported as done.
* ``CREATE_WITH_KEY``: after 429 and connections never made (nothing reached the server); after
  a 5xx, a timeout or a dropped connection only when the caller opted in (``retry_ambiguous``),
  with the same ``Idempotency-Key``; otherwise ``OutcomeUnknownError``.
* ``ONE_SHOT``: after 429 and connections never made; never once it may have reached the server.

A 429 does not use up an attempt of ``max_retries`` (it is bounded by ``max_rate_limited``, the
wait budget and the deadline). The call's **deadline** bounds everything: every rate-limit wait,
backoff and attempt; when a wait would pass it, the typed error comes at once instead of the
sleep (``RateLimitError`` with ``retry_after``, or a timeout). Each attempt's timeout covers the
whole response, from connecting to the last byte of the body (async client; the sync client
relies on httpx's per-operation socket timeouts) and shrinks to what is left of the deadline.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

import httpx

from .._concurrency import AsyncClock, async_time_limit
from .._config import UNMANAGED_CALL, CallSettings
from .._endpoint import Retry
from .._retry import (
    RETRYABLE_STATUSES,
    RateLimiter,
    RetryConfig,
    SharedLimit,
    TransportStats,
    parse_retry_after,
)
from .._validation import loggable_path
from .._wire import EXTENSION, NOT_SENT
from ..errors import OutcomeUnknownError, RateLimitError

if TYPE_CHECKING:
    from .redis_store import AsyncRedisStore

logger = logging.getLogger("workos_authkit")


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Wraps the inner transport with retries, backoff, ``Retry-After`` and client-side limits.

    ``limiter`` and ``stats`` belong to the client and are shared by every transport it makes
    (one per event loop). With a ``store`` (and its ``shared`` state), each request first takes
    its turn in the budget shared by every process through Redis, then the in-process one.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        retry: RetryConfig,
        limiter: RateLimiter,
        stats: TransportStats,
        clock: AsyncClock,
        store: AsyncRedisStore | None = None,
        shared: SharedLimit | None = None,
    ) -> None:
        self._inner = inner
        self._store = store
        self._shared = shared
        self._retry = retry
        self._clock = clock
        self.limiter = limiter
        self.stats = stats

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        settings: CallSettings = request.extensions.get(EXTENSION, UNMANAGED_CALL)
        clock = self._clock
        retry_class = settings.retry
        may_resend = retry_class is Retry.SAFE or (
            retry_class is Retry.CREATE_WITH_KEY and settings.retry_ambiguous
        )
        if retry_class is Retry.CREATE_WITH_KEY and "idempotency-key" not in request.headers:
            request.headers["Idempotency-Key"] = str(uuid.uuid4())
        method = request.method
        path = loggable_path(request.url.path)
        deadline_at = None if settings.deadline is None else clock.monotonic() + settings.deadline
        failures = 0  # attempts that failed for another reason than a 429
        rate_limited = 0
        total_wait = 0.0
        resent_after_ambiguity = False
        while True:
            await self._wait_for_slot(method, path, deadline_at)
            limit = settings.timeout
            if deadline_at is not None:
                left = deadline_at - clock.monotonic()
                if left <= 0:
                    self.limiter.release(method)
                    raise httpx.TimeoutException(
                        f"the call's deadline of {settings.deadline:g}s passed", request=request
                    )
                if left < limit:
                    limit = left
                    request.extensions["timeout"] = dict.fromkeys(
                        ("connect", "read", "write", "pool"), left
                    )
            self.stats.count(attempts=1)
            try:
                response = await self._attempt(request, limit)
            except httpx.TransportError as exc:
                self.limiter.release(method)
                sent = not isinstance(exc, NOT_SENT)
                if sent and not may_resend:
                    raise self._outcome_unknown(request, type(exc).__name__, retry_class) from exc
                delay = self._retry.backoff(failures)
                if not self._may_retry(failures, settings, delay, total_wait, deadline_at):
                    raise
                resent_after_ambiguity = resent_after_ambiguity or sent
                failures += 1
                logger.info(
                    "%s %s failed (%s); retry %d/%d in %.2fs",
                    method,
                    path,
                    type(exc).__name__,
                    failures,
                    settings.max_retries,
                    delay,
                )
            except BaseException:
                self.limiter.release(method)
                raise
            else:
                status = response.status_code
                self.limiter.observe(
                    method, status, response.headers, clock.monotonic(), clock.time()
                )
                self.limiter.release(method)
                if status == 404 and resent_after_ambiguity and method == "DELETE":
                    logger.info(
                        "%s %s: gone on a resend; the first attempt deleted it", method, path
                    )
                    return httpx.Response(204, headers=response.headers, request=request)
                if status not in RETRYABLE_STATUSES:
                    return response
                if status != 429 and not may_resend:  # a 5xx once the request reached the server
                    raise self._outcome_unknown(
                        request,
                        f"HTTP {status}",
                        retry_class,
                        status_code=status,
                        request_id=response.headers.get("x-request-id"),
                    )
                hint = parse_retry_after(response.headers, clock.time())
                if hint is not None and hint > self._retry.max_retry_after:
                    return response  # too long to wait out here: the caller gets retry_after
                delay = hint if hint is not None else self._retry.backoff(failures)
                if status == 429:
                    # Hold the whole client, whether or not this call retries.
                    self.stats.count(rate_limited=1)
                    if self.limiter.pause(delay, clock.monotonic(), method):
                        logger.warning(
                            "%s %s: rate limited (429); pausing the client for %.2fs "
                            "[request_id=%s]",
                            method,
                            path,
                            delay,
                            response.headers.get("x-request-id"),
                        )
                    # A 429 proves nothing was applied and uses no attempt of the budget (but a
                    # call allowed no retries at all is not retried).
                    rate_limited += 1
                    if (
                        settings.max_retries == 0
                        or rate_limited > self._retry.max_rate_limited
                        or not self._within(delay, total_wait, deadline_at)
                    ):
                        return response
                    total_wait += delay
                    delay = 0.0  # the shared pause does the waiting, in _wait_for_slot
                else:
                    if not self._may_retry(failures, settings, delay, total_wait, deadline_at):
                        return response
                    resent_after_ambiguity = True
                    failures += 1
                # A 429 is announced once per pause (above); each request's retry is detail.
                request_id = response.headers.get("x-request-id")
                if status == 429:
                    logger.debug(
                        "%s %s answered 429; retry after the pause [request_id=%s]",
                        method,
                        path,
                        request_id,
                    )
                else:
                    logger.info(
                        "%s %s answered %d; retry %d/%d in %.2fs [request_id=%s]",
                        method,
                        path,
                        status,
                        failures,
                        settings.max_retries,
                        delay,
                        request_id,
                    )
            self.stats.count(retries=1)
            if delay > 0:
                await clock.sleep(delay)
                total_wait += delay
                self.stats.count(waited=delay)

    async def _attempt(self, request: httpx.Request, limit: float) -> httpx.Response:
        """One attempt, body included, within ``limit`` seconds."""
        try:
            async with async_time_limit(limit):
                response = await self._inner.handle_async_request(request)
                try:
                    await response.aread()
                except BaseException:
                    await response.aclose()
                    raise
        except TimeoutError as exc:
            raise httpx.ReadTimeout(
                f"no complete response within {limit:.3g}s", request=request
            ) from exc
        return response

    def _within(self, delay: float, total_wait: float, deadline_at: float | None) -> bool:
        """Whether waiting ``delay`` more stays within the wait budget and the deadline."""
        if total_wait + delay > self._retry.max_total_wait:
            return False
        return deadline_at is None or self._clock.monotonic() + delay < deadline_at

    def _may_retry(
        self,
        failures: int,
        settings: CallSettings,
        delay: float,
        total_wait: float,
        deadline_at: float | None,
    ) -> bool:
        return failures < settings.max_retries and self._within(delay, total_wait, deadline_at)

    async def _wait_for_slot(self, method: str, path: str, deadline_at: float | None) -> None:
        """Wait for the shared pause, the server's window and a token of the right bucket."""
        if self._store is not None and self._shared is not None and self.limiter.config.enabled:
            await self._wait_for_shared(method, path, deadline_at)
        waited = 0.0
        clock = self._clock
        slot = self.limiter.acquire(method, clock.monotonic())
        try:
            while slot.wait > 0:
                if deadline_at is not None and clock.monotonic() + slot.wait >= deadline_at:
                    raise RateLimitError(
                        f"{method} {path}: the rate limit holds this call {slot.wait:.2f}s, past "
                        "its deadline; not sent",
                        status_code=429,
                        retry_after=slot.wait,
                    )
                if self.limiter.announce(slot, clock.monotonic()):
                    logger.warning(
                        "%s %s: the server's rate limit window is fully booked; holding "
                        "requests for %.2fs",
                        method,
                        path,
                        slot.wait,
                    )
                logger.debug("%s %s: waiting %.3fs for the rate limit", method, path, slot.wait)
                await clock.sleep(slot.wait)
                waited += slot.wait
                self.limiter.confirm(slot, clock.monotonic())
        except BaseException:
            self.limiter.cancel(slot, clock.monotonic())  # give its turn to those queued
            raise
        self.stats.count(waited=waited)

    async def _wait_for_shared(self, method: str, path: str, deadline_at: float | None) -> None:
        """Take this request's turn in the rate limit shared by every process (Redis); when
        Redis fails, the in-process limiter alone decides (for a while; logged once)."""
        clock = self._clock
        store, shared = self._store, self._shared
        assert store is not None and shared is not None
        if not shared.usable(clock.monotonic()):
            return
        key, interval, tolerance = shared.args(self.limiter.kind(method))
        max_wait = 10**15 if deadline_at is None else deadline_at - clock.monotonic()
        try:
            reserved, wait_us = await store.admit(
                key, interval, tolerance, max(0, int(max_wait * 1e6))
            )
        except Exception as exc:  # Redis unreachable or failing
            if shared.failed(clock.monotonic()):
                logger.warning(
                    "the shared rate limit (Redis) failed (%s); using the in-process limiter "
                    "until it answers again",
                    type(exc).__name__,
                )
            return
        if shared.succeeded():
            logger.info("the shared rate limit (Redis) answers again")
        wait = wait_us / 1e6
        if not reserved:
            raise RateLimitError(
                f"{method} {path}: the shared rate limit holds this call {wait:.2f}s, past "
                "its deadline; not sent",
                status_code=429,
                retry_after=wait,
            )
        if wait > 0:
            logger.debug("%s %s: waiting %.3fs for the shared rate limit", method, path, wait)
            await clock.sleep(wait)
            self.stats.count(waited=wait)

    @staticmethod
    def _outcome_unknown(
        request: httpx.Request,
        what: str,
        retry_class: Retry,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> OutcomeUnknownError:
        key = request.headers.get("idempotency-key")
        path = loggable_path(request.url.path)
        advice = (
            "Not retried automatically: retry with the same idempotency key, or pass "
            "retry_ambiguous=True."
            if retry_class is Retry.CREATE_WITH_KEY
            else "It is never resent automatically (it may consume a one-time code or send an "
            "email): check its effect before trying again."
        )
        return OutcomeUnknownError(
            f"{request.method} {path}: {what} after the request was sent; it may or "
            f"may not have been applied. {advice}",
            method=request.method,
            path=path,
            idempotency_key=key,
            status_code=status_code,
            request_id=request_id,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()
