# source-of-truth: async
"""The retry + rate-limit middleware: one httpx transport wrapper per client.

Every request of a client, from every resource and every concurrent task, goes through the same
instance, so the token buckets and the 429 pause are shared: a 429 holds the whole client until
the server's ``Retry-After`` instead of letting each task retry on its own.

Each call's settings arrive resolved in ``request.extensions["workos_authkit"]`` (a
``CallSettings``): its retry class (safe / create-with-key / one-shot), retry budget, and
whether an ambiguous failure may be repeated.
"""

from __future__ import annotations

import logging
import uuid

import httpx

from .._concurrency import AsyncClock
from .._config import CallSettings
from .._endpoint import Retry
from .._retry import (
    AMBIGUOUS_STATUSES,
    RETRYABLE_STATUSES,
    RateLimitConfig,
    RateLimiter,
    RetryConfig,
    TransportStats,
    parse_retry_after,
)
from .._validation import loggable_path
from .._wire import EXTENSION, NOT_SENT
from ..errors import OutcomeUnknownError

logger = logging.getLogger("workos_authkit")


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Wraps the inner transport with retries, backoff, ``Retry-After`` and client-side limits."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        retry: RetryConfig,
        rate_limit: RateLimitConfig,
        clock: AsyncClock,
    ) -> None:
        self._inner = inner
        self._retry = retry
        self._clock = clock
        self.limiter = RateLimiter(rate_limit, clock.monotonic(), max_wait=retry.max_retry_after)
        self.stats = TransportStats()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        settings: CallSettings | None = request.extensions.get(EXTENSION)
        if settings is None:  # a request built without the HTTP layer: be conservative
            max_retries, retry_class, retry_ambiguous = 0, Retry.ONE_SHOT, False
        else:
            max_retries = settings.max_retries
            retry_class = settings.retry
            retry_ambiguous = settings.retry_ambiguous and retry_class is Retry.CREATE_WITH_KEY
        method = request.method
        idempotent = retry_class is Retry.SAFE
        if retry_class is Retry.CREATE_WITH_KEY and "idempotency-key" not in request.headers:
            request.headers["Idempotency-Key"] = str(uuid.uuid4())
        path = loggable_path(request.url.path)
        total_wait = 0.0
        attempt = 0
        while True:
            await self._wait_for_slot(method, path)
            self.stats.count(attempts=1)
            try:
                response = await self._inner.handle_async_request(request)
            except httpx.TransportError as exc:
                self.limiter.release(method)
                ambiguous = not isinstance(exc, NOT_SENT)
                if ambiguous and not idempotent and not retry_ambiguous:
                    raise self._outcome_unknown(request, f"{type(exc).__name__}") from exc
                delay = self._retry.backoff(attempt)
                if attempt >= max_retries or total_wait + delay > self._retry.max_total_wait:
                    raise
                logger.info(
                    "%s %s failed (%s); retry %d/%d in %.2fs",
                    method,
                    path,
                    type(exc).__name__,
                    attempt + 1,
                    max_retries,
                    delay,
                )
            except BaseException:
                self.limiter.release(method)
                raise
            else:
                status = response.status_code
                self.limiter.observe(
                    method, status, response.headers, self._clock.monotonic(), self._clock.time()
                )
                self.limiter.release(method)
                if status not in RETRYABLE_STATUSES:
                    return response
                if status in AMBIGUOUS_STATUSES and not idempotent and not retry_ambiguous:
                    await response.aclose()
                    raise self._outcome_unknown(
                        request,
                        f"HTTP {status}",
                        status_code=status,
                        request_id=response.headers.get("x-request-id"),
                    )
                hint = parse_retry_after(response.headers, self._clock.time())
                if hint is not None and hint > self._retry.max_retry_after:
                    return response  # too long to wait out here: the caller gets retry_after
                delay = hint if hint is not None else self._retry.backoff(attempt)
                if status == 429:
                    # Hold the whole client, whether or not this call retries.
                    self.stats.count(rate_limited=1)
                    if self.limiter.pause(delay, self._clock.monotonic(), method):
                        logger.warning(
                            "%s %s: rate limited (429); pausing the client for %.2fs",
                            method,
                            path,
                            delay,
                        )
                if attempt >= max_retries or total_wait + delay > self._retry.max_total_wait:
                    return response
                await response.aclose()  # hand the connection back before waiting
                if status == 429:
                    total_wait += delay
                    delay = 0.0  # the shared pause does the waiting, in _wait_for_slot
                # A 429 is announced once per pause (above); each request's retry is detail.
                logger.log(
                    logging.DEBUG if status == 429 else logging.INFO,
                    "%s %s answered %d; retry %d/%d%s",
                    method,
                    path,
                    status,
                    attempt + 1,
                    max_retries,
                    f" in {delay:.2f}s" if delay else " after the pause",
                )
            attempt += 1
            self.stats.count(retries=1)
            if delay > 0:
                await self._clock.sleep(delay)
                total_wait += delay
                self.stats.count(waited=delay)

    async def _wait_for_slot(self, method: str, path: str) -> None:
        """Wait for the shared pause, the server's window and a token of the right bucket."""
        waited = 0.0
        slot = self.limiter.acquire(method, self._clock.monotonic())
        try:
            while slot.wait > 0:
                if self.limiter.announce(slot, self._clock.monotonic()):
                    logger.warning(
                        "%s %s: the server's rate limit is used up; holding requests for %.2fs",
                        method,
                        path,
                        slot.wait,
                    )
                logger.debug("%s %s: waiting %.3fs for the rate limit", method, path, slot.wait)
                await self._clock.sleep(slot.wait)
                waited += slot.wait
                self.limiter.confirm(slot, self._clock.monotonic())
        except BaseException:
            self.limiter.cancel(slot, self._clock.monotonic())  # give its turn to those queued
            raise
        self.stats.count(waited=waited)

    @staticmethod
    def _outcome_unknown(
        request: httpx.Request,
        what: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> OutcomeUnknownError:
        key = request.headers.get("idempotency-key")
        path = loggable_path(request.url.path)
        return OutcomeUnknownError(
            f"{request.method} {path}: {what} after the request was sent; it may or "
            "may not have been applied. Not retried automatically: retry with the same "
            "idempotency key, or pass retry_ambiguous=True.",
            method=request.method,
            path=path,
            idempotency_key=key,
            status_code=status_code,
            request_id=request_id,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()
