"""Client configuration and per-call settings: resolved here, once, into concrete values.

``ClientConfig`` is the one frozen configuration object of a client (API key, client id, base URL,
timeouts, retry and rate-limit policy, default headers). Resources read it; ``with_options``
derives a new one with ``evolve``. ``ClientConfig.resolve`` merges it with a call's
``RequestOptions`` into ``CallSettings``: concrete values only, which the HTTP layer and the
retry middleware read without looking anything up again. Pure code, shared by both twins.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs

from ._endpoint import Endpoint, Retry
from ._retry import RateLimitConfig, RetryConfig
from ._types import NOT_GIVEN, NotGiven, RequestOptions
from .errors import ConfigurationError, InvalidArgumentError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_DEADLINE",
    "DEFAULT_TIMEOUT",
    "CallSettings",
    "ClientConfig",
]

DEFAULT_BASE_URL = "https://api.workos.com"
DEFAULT_TIMEOUT = 30.0
DEFAULT_DEADLINE = 60.0
_NO_OPTIONS = RequestOptions()


@attrs.frozen(kw_only=True)
class CallSettings:
    """Everything one call needs, resolved: attached to the request for the retry middleware."""

    operation_id: str
    retry: Retry
    #: whether the API key goes with the call (not for the spec's public operations)
    authenticated: bool
    #: seconds for each attempt
    timeout: float
    #: seconds for the whole call (attempts, backoff, rate-limit waits); ``None`` for no limit
    deadline: float | None
    max_retries: int
    retry_ambiguous: bool
    #: extra headers to send (credentials filtered out), ``None`` when there are none
    headers: dict[str, str] | None
    extra_query: Mapping[str, Any] | None
    extra_body: Mapping[str, Any] | None


def _check_header(name: object, value: object, *, what: str) -> None:
    if not isinstance(name, str) or not isinstance(value, str):
        raise InvalidArgumentError(f"{what}: header names and values must be strings")
    for text, part in ((name, "name"), (value, "value")):
        if any(c in text for c in "\r\n\0"):
            raise InvalidArgumentError(
                f"{what}: the {part} of header {name!r} holds a line break or NUL"
                if part == "value"
                else f"{what}: a header name holds a line break or NUL"
            )
        if not text.isascii():
            raise InvalidArgumentError(
                f"{what}: the {part} of header {name!r} is not ASCII"
                if part == "value"
                else f"{what}: a header name is not ASCII"
            )


def _headers(*layers: Mapping[str, str] | None, what: str) -> dict[str, str] | None:
    """Merge header layers (later wins); ``Authorization`` is never taken from them."""
    merged: dict[str, str] = {}
    for layer in layers:
        if not layer:
            continue
        for name, value in layer.items():
            _check_header(name, value, what=what)
            if name.lower() != "authorization":
                merged[name] = value
    return merged or None


def _api_key(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            "No WorkOS API key: pass api_key=... or set the WORKOS_API_KEY environment variable."
        )
    key = value.strip()  # keys read from secret files often end with a newline
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        # never show the key itself
        raise ConfigurationError(
            "The WorkOS API key holds characters an API key cannot have (spaces, control or "
            "non-ASCII characters); check where it is read from."
        )
    return key


def _base_url(value: str) -> str:
    if not isinstance(value, str):
        raise ConfigurationError(f"base_url must be a string, got {type(value).__name__}")
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ConfigurationError(f"base_url is not a valid URL: {_redact_url(value)!r}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base_url must be an http(s) URL, got {_redact_url(value)!r}")
    return urlunsplit(parts).rstrip("/")


def _redact_url(url: str) -> str:
    """``url`` with any user:password part hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def _timeout(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigurationError(f"timeout must be a positive number of seconds, got {value!r}")
    return float(value)


def _deadline(value: object) -> float | None:
    if value is None or value == math.inf:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigurationError(
            f"deadline must be a positive number of seconds or None, got {value!r}"
        )
    return float(value)


def _max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, got {value!r}")
    return value


@attrs.frozen(kw_only=True, repr=False)
class ClientConfig:
    """One client's configuration. Build it with ``from_arguments``; derive with ``evolve``."""

    api_key: str
    client_id: str | None
    base_url: str
    timeout: float
    deadline: float | None
    retry: RetryConfig
    rate_limit: RateLimitConfig
    extra_headers: Mapping[str, str] | None = None
    _defaults: dict[Endpoint, CallSettings] = attrs.field(factory=dict, init=False, eq=False)

    @classmethod
    def from_arguments(
        cls,
        *,
        api_key: str | None,
        client_id: str | None,
        base_url: str | None,
        timeout: float,
        deadline: float | None,
        max_retries: int | None,
        retry: RetryConfig | None,
        rate_limit: RateLimitConfig | None,
    ) -> ClientConfig:
        """Validate the client's arguments, falling back to ``WORKOS_*`` environment variables."""
        key = _api_key(api_key if api_key is not None else os.environ.get("WORKOS_API_KEY"))
        if client_id is None:
            client_id = os.environ.get("WORKOS_CLIENT_ID") or None
        if client_id is not None and (not isinstance(client_id, str) or not client_id.strip()):
            raise ConfigurationError("client_id must be a non-empty string")
        url = _base_url(base_url or os.environ.get("WORKOS_BASE_URL") or DEFAULT_BASE_URL)
        retry = retry or RetryConfig()
        if max_retries is not None:
            retry = attrs.evolve(retry, max_retries=_max_retries(max_retries))
        return cls(
            api_key=key,
            client_id=client_id.strip() if client_id else None,
            base_url=url,
            timeout=_timeout(timeout),
            deadline=_deadline(deadline),
            retry=retry,
            rate_limit=rate_limit or RateLimitConfig(),
        )

    def __repr__(self) -> str:
        # never the API key, header values or credentials in the URL
        headers = sorted(self.extra_headers) if self.extra_headers else None
        return (
            f"ClientConfig(base_url={_redact_url(self.base_url)!r}, "
            f"client_id={self.client_id!r}, timeout={self.timeout!r}, "
            f"deadline={self.deadline!r}, "
            f"max_retries={self.retry.max_retries!r}, extra_headers={headers!r})"
        )

    @property
    def redacted_base_url(self) -> str:
        return _redact_url(self.base_url)

    def evolve(
        self,
        *,
        timeout: float | None = None,
        deadline: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        retry_ambiguous: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ClientConfig:
        """A copy with other call defaults (``None`` keeps the current value; for ``deadline``,
        ``NOT_GIVEN`` keeps it and ``None`` removes it)."""
        retry = self.retry
        if max_retries is not None:
            retry = attrs.evolve(retry, max_retries=_max_retries(max_retries))
        if retry_ambiguous is not None:
            retry = attrs.evolve(retry, retry_ambiguous=bool(retry_ambiguous))
        return attrs.evolve(
            self,
            timeout=self.timeout if timeout is None else _timeout(timeout),
            deadline=self.deadline if isinstance(deadline, NotGiven) else _deadline(deadline),
            retry=retry,
            extra_headers=_headers(self.extra_headers, extra_headers, what="extra_headers"),
        )

    def resolve(self, endpoint: Endpoint, options: RequestOptions | None) -> CallSettings:
        """The concrete settings of one call of ``endpoint`` with ``options``."""
        if options is None:
            settings = self._defaults.get(endpoint)
            if settings is None:
                settings = self._defaults[endpoint] = self._resolve(endpoint, _NO_OPTIONS)
            return settings
        return self._resolve(endpoint, options)

    def _resolve(self, endpoint: Endpoint, options: RequestOptions) -> CallSettings:
        headers = _headers(self.extra_headers, options.extra_headers, what="extra_headers")
        key = options.idempotency_key
        if key is not None:
            if endpoint.retry is not Retry.CREATE_WITH_KEY:
                raise InvalidArgumentError(
                    f"idempotency_key applies to creates only, not to {endpoint.operation_id}"
                )
            _check_header("Idempotency-Key", key, what="idempotency_key")
            headers = {**(headers or {}), "Idempotency-Key": key}
        if options.extra_body and endpoint.method in ("GET", "DELETE"):
            raise InvalidArgumentError(
                f"extra_body: {endpoint.method} {endpoint.template} sends no body"
            )
        retry = self.retry
        return CallSettings(
            operation_id=endpoint.operation_id,
            retry=endpoint.retry,
            authenticated=not endpoint.public,
            timeout=self.timeout if options.timeout is None else float(options.timeout),
            deadline=self.deadline if options.deadline is None else _deadline(options.deadline),
            max_retries=retry.max_retries if options.max_retries is None else options.max_retries,
            retry_ambiguous=(
                retry.retry_ambiguous
                if options.retry_ambiguous is None
                else bool(options.retry_ambiguous)
            ),
            headers=headers,
            extra_query=options.extra_query or None,
            extra_body=options.extra_body or None,
        )


#: the settings of a request sent through a client's transport without the HTTP layer
UNMANAGED_CALL = CallSettings(
    operation_id="",
    retry=Retry.ONE_SHOT,
    authenticated=True,
    timeout=DEFAULT_TIMEOUT,
    deadline=None,
    max_retries=0,
    retry_ambiguous=False,
    headers=None,
    extra_query=None,
    extra_body=None,
)
