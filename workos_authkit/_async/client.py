# source-of-truth: async
"""The client class: configuration and the resource namespaces."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import httpx

from .._concurrency import AsyncClock
from .._config import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, ClientConfig
from .._response import APIResponse, capture
from .._retry import RateLimitConfig, RetryConfig, TransportStats
from .._types import NOT_GIVEN, AsyncMethod, NotGiven
from ..errors import WorkOSError
from ._http import AsyncHTTP

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .redis_store import AsyncRedisStore
    from .resources.api_keys import AsyncApiKeys
    from .resources.auth import AsyncAuth
    from .resources.cli_auth import AsyncCliAuth
    from .resources.email_verification import AsyncEmailVerifications
    from .resources.invitations import AsyncInvitations
    from .resources.magic_auth import AsyncMagicAuthCodes
    from .resources.mfa import AsyncMfa
    from .resources.organization_memberships import AsyncOrganizationMemberships
    from .resources.password_reset import AsyncPasswordResets
    from .resources.sessions import AsyncSessions
    from .resources.users import AsyncUsers
    from .session_cookies import AsyncSessionCookies

P = ParamSpec("P")
T = TypeVar("T")


class AsyncWorkOS:
    """Client for the WorkOS AuthKit API.

    ``api_key``, ``client_id`` and ``base_url`` default to ``WORKOS_API_KEY``, ``WORKOS_CLIENT_ID``
    and ``WORKOS_BASE_URL``. ``timeout`` is in seconds per attempt; ``deadline`` bounds a whole
    call (attempts, backoff and rate-limit waits; ``None`` for no bound); ``max_retries`` and
    ``retry`` shape retries; ``rate_limit`` the client-side token buckets
    (``RateLimitConfig(enabled=False)`` turns them off). ``transport`` is the inner httpx
    transport under the retry middleware (for tests, proxies, custom TLS). ``clock`` replaces the
    time source and sleep (tests). ``tracer_provider`` is an OpenTelemetry ``TracerProvider`` for
    a span per API call; by default the global one, when the application set one before making
    the client. ``store`` (an ``AsyncRedisStore``) makes every process using it share one
    rate-limit budget per environment (falling back to the in-process limiter, with one WARNING,
    while Redis fails) and is the default store of ``session_cookies``.
    """

    _config: ClientConfig
    _http: AsyncHTTP
    _owns_http: bool
    _clock: AsyncClock

    def __init__(
        self,
        api_key: str | None = None,
        *,
        client_id: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float | None = DEFAULT_DEADLINE,
        max_retries: int | None = None,
        retry: RetryConfig | None = None,
        rate_limit: RateLimitConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: AsyncClock | None = None,
        tracer_provider: Any = None,
        store: AsyncRedisStore | None = None,
    ) -> None:
        config = ClientConfig.from_arguments(
            api_key=api_key,
            client_id=client_id,
            base_url=base_url,
            timeout=timeout,
            deadline=deadline,
            max_retries=max_retries,
            retry=retry,
            rate_limit=rate_limit,
        )
        clock = clock or AsyncClock()
        http = AsyncHTTP(
            config,
            transport=transport,
            clock=clock,
            tracer_provider=tracer_provider,
            store=store,
        )
        self._setup(config, http, clock, owns_http=True)

    def _setup(
        self, config: ClientConfig, http: AsyncHTTP, clock: AsyncClock, *, owns_http: bool
    ) -> None:
        """The one place a client's state is set, for new clients and for copies alike."""
        self._config = config
        self._http = http
        self._clock = clock
        self._owns_http = owns_http

    def _copy(self, config: ClientConfig) -> AsyncWorkOS:
        clone = type(self).__new__(type(self))
        clone._setup(config, self._http, self._clock, owns_http=False)
        return clone

    def __repr__(self) -> str:
        # never the API key, header values or credentials in the URL
        return (
            f"{type(self).__name__}(base_url={self._config.redacted_base_url!r}, "
            f"client_id={self.client_id!r})"
        )

    @property
    def client_id(self) -> str | None:
        return self._config.client_id

    @property
    def base_url(self) -> str:
        return self._config.base_url

    def with_options(
        self,
        *,
        timeout: float | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_ambiguous: bool | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
    ) -> AsyncWorkOS:
        """A copy with other per-call defaults that shares this client's connections and limits.

        Closing the copy does nothing; close the original.
        """
        return self._copy(
            self._config.evolve(
                timeout=None if isinstance(timeout, NotGiven) else timeout,
                deadline=deadline,
                max_retries=None if isinstance(max_retries, NotGiven) else max_retries,
                retry_ambiguous=None if isinstance(retry_ambiguous, NotGiven) else retry_ambiguous,
                extra_headers=None if isinstance(extra_headers, NotGiven) else extra_headers,
            )
        )

    async def with_raw_response(
        self, method: AsyncMethod[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> APIResponse[T]:
        """Call ``method`` (any resource method) and return its result with the raw response.

        ``(await workos.with_raw_response(workos.users.get, user_id)).headers["x-request-id"]``.
        Errors are raised as usual; they carry the response's ``headers`` too.
        """
        seen: list[tuple[int, Mapping[str, str]]] = []
        token = capture.set(seen)
        try:
            data = await method(*args, **kwargs)
        finally:
            capture.reset(token)
        if not seen:
            raise WorkOSError(
                f"{getattr(method, '__qualname__', method)!r} made no API request to report on"
            )
        status_code, headers = seen[-1]
        return APIResponse(data=data, status_code=status_code, headers=headers)

    @cached_property
    def users(self) -> AsyncUsers:
        """Users: create, get, list, update, delete, identities."""
        from .resources.users import AsyncUsers

        return AsyncUsers(self)

    @cached_property
    def auth(self) -> AsyncAuth:
        """Authentication: authorization URL, grants, access-token verification, logout URL."""
        from .resources.auth import AsyncAuth

        return AsyncAuth(self)

    @cached_property
    def sessions(self) -> AsyncSessions:
        """Sessions: list a user's sessions, revoke one."""
        from .resources.sessions import AsyncSessions

        return AsyncSessions(self)

    @cached_property
    def cli_auth(self) -> AsyncCliAuth:
        """CLI sign-in (device authorization grant): authorize a device, poll for its tokens."""
        from .resources.cli_auth import AsyncCliAuth

        return AsyncCliAuth(self)

    def session_cookies(
        self, *, cookie_password: str | Sequence[str], store: AsyncRedisStore | None = None
    ) -> AsyncSessionCookies:
        """Sealed session cookies: seal, load, authenticate, refresh, logout URL.

        ``cookie_password`` (at least 32 characters) or a list of them: the first seals, all
        unseal. ``store`` shares refreshes across processes (``AsyncRedisStore``; by default the
        client's own ``store``).
        """
        from .session_cookies import AsyncSessionCookies

        if store is None:
            store = self._http.store
        return AsyncSessionCookies(self, cookie_password=cookie_password, store=store)

    @cached_property
    def organization_memberships(self) -> AsyncOrganizationMemberships:
        """Organization memberships: create, get, list, update, delete, deactivate, reactivate."""
        from .resources.organization_memberships import AsyncOrganizationMemberships

        return AsyncOrganizationMemberships(self)

    @cached_property
    def invitations(self) -> AsyncInvitations:
        """Invitations: send, get, find_by_token, list, accept, revoke, resend."""
        from .resources.invitations import AsyncInvitations

        return AsyncInvitations(self)

    @cached_property
    def magic_auth(self) -> AsyncMagicAuthCodes:
        """Magic Auth: create (emails a code), get."""
        from .resources.magic_auth import AsyncMagicAuthCodes

        return AsyncMagicAuthCodes(self)

    @cached_property
    def email_verification(self) -> AsyncEmailVerifications:
        """Email verification: get, send, confirm."""
        from .resources.email_verification import AsyncEmailVerifications

        return AsyncEmailVerifications(self)

    @cached_property
    def password_reset(self) -> AsyncPasswordResets:
        """Password reset: create (emails a link), get, reset_password."""
        from .resources.password_reset import AsyncPasswordResets

        return AsyncPasswordResets(self)

    @cached_property
    def mfa(self) -> AsyncMfa:
        """MFA: enroll_factor, list_factors, challenge, verify_challenge."""
        from .resources.mfa import AsyncMfa

        return AsyncMfa(self)

    @cached_property
    def api_keys(self) -> AsyncApiKeys:
        """API keys: create_for_organization, list_for_organization, delete, validate."""
        from .resources.api_keys import AsyncApiKeys

        return AsyncApiKeys(self)

    @property
    def transport_stats(self) -> TransportStats:
        """Counters of the shared retry transport: attempts, retries, 429s, seconds waited."""
        return self._http.stats

    @property
    def rate_limit_pauses(self) -> int:
        """How many times a 429 (or an exhausted server quota) paused the whole client."""
        return self._http.limiter.pauses

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        """Close the connection pool (a copy made by ``with_options`` leaves it open)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncWorkOS:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
