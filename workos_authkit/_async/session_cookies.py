# source-of-truth: async
"""Sealed session cookies: authenticate on every request, refresh once for many callers."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._api import auth as auth_api
from .._concurrency import AsyncSingleFlight, async_shielded
from .._jwt import unverified_claims
from .._session import authenticated, failure_reason, payload_from_response, session_data
from ..errors import (
    AccessTokenError,
    APIError,
    InvalidAccessTokenError,
    InvalidSessionCookieError,
)
from ..models import AuthenticationResponse
from ..models.session_cookies import (
    AuthenticatedSession,
    RefreshedSession,
    SessionData,
    SessionFailure,
    SessionFailureReason,
)
from ..sealing import Sealer

if TYPE_CHECKING:
    from .client import AsyncWorkOS
    from .redis_store import AsyncRedisStore


class AsyncSessionCookies:
    """Seal, read, check and refresh session cookies (``workos.session_cookies(...)``).

    ``authenticate`` makes no request once the key set is cached. ``refresh`` is single-flight:
    concurrent refreshes of one session make one request and all get its new cookie (kept
    ``refresh_result_ttl`` seconds for late arrivals); with a ``store`` this holds across processes.
    """

    #: how long a refresh's result answers later refreshes of the same cookie (seconds)
    refresh_result_ttl: float = 10.0

    def __init__(
        self,
        client: AsyncWorkOS,
        *,
        cookie_password: str | Sequence[str],
        store: AsyncRedisStore | None = None,
    ) -> None:
        self._client = client
        self._sealer = Sealer(cookie_password)
        self._store = store
        if store is not None:
            client.auth._share_key_set(store)
        self._flight: AsyncSingleFlight[str, str] = AsyncSingleFlight(self.refresh_result_ttl)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(store={self._store!r})"

    def seal(self, response: AuthenticationResponse) -> str:
        """The cookie value for a successful sign-in (iron format, first cookie password)."""
        return self._sealer.seal(payload_from_response(response))

    def load(self, cookie: str) -> SessionData:
        """The content of a cookie, unchecked beyond its seal. Raises ``InvalidSessionCookieError``."""
        return session_data(self._sealer.unseal(cookie, now=self._client._clock.time()))

    def _load_or_failure(self, cookie: str | None) -> SessionData | SessionFailure:
        if not cookie:
            return SessionFailure(reason=SessionFailureReason.NO_SESSION_COOKIE)
        try:
            return self.load(cookie)
        except InvalidSessionCookieError as exc:
            return SessionFailure(reason=SessionFailureReason.INVALID_SESSION_COOKIE, error=exc)

    async def authenticate(self, cookie: str | None) -> AuthenticatedSession | SessionFailure:
        """Check a cookie: its seal, then its access token (no request once keys are cached)."""
        data = self._load_or_failure(cookie)
        if isinstance(data, SessionFailure):
            return data
        return await self._check(data)

    async def _check(self, data: SessionData) -> AuthenticatedSession | SessionFailure:
        try:
            claims = await self._client.auth.verify_access_token(data.access_token)
        except AccessTokenError as exc:
            return SessionFailure(reason=failure_reason(exc), error=exc)
        if not claims.sid:
            error = InvalidAccessTokenError("the access token is not a user session token (no sid)")
            return SessionFailure(reason=SessionFailureReason.INVALID_ACCESS_TOKEN, error=error)
        return authenticated(data, claims)

    async def refresh(
        self, cookie: str | None, *, organization_id: str | None = None
    ) -> RefreshedSession | SessionFailure:
        """Exchange the cookie's refresh token for new tokens; returns the new cookie.

        Many concurrent refreshes of one cookie make one request and share its result.
        """
        data = self._load_or_failure(cookie)
        if isinstance(data, SessionFailure):
            return data
        key = hashlib.sha256(f"{data.refresh_token}\0{organization_id or ''}".encode()).hexdigest()

        async def exchange() -> str:
            response = await self._client.auth.authenticate_with_refresh_token(
                refresh_token=data.refresh_token, organization_id=organization_id
            )
            return self.seal(response)

        async def shared() -> str:
            if self._store is None:
                # once sent, the refresh token is spent: finish the exchange and hand its result
                # to the waiters even if this caller is cancelled (delivered right after)
                with async_shielded():
                    return await exchange()
            return await self._store.single_flight(key, exchange, ttl=self.refresh_result_ttl)

        try:
            sealed = await self._flight.run(key, shared)
        except APIError as exc:
            return SessionFailure(reason=SessionFailureReason.REFRESH_DENIED, error=exc)
        checked = await self._check(self.load(sealed))
        if isinstance(checked, SessionFailure):
            return checked
        return RefreshedSession(sealed_session=sealed, session=checked)

    def get_logout_url(self, cookie: str, *, return_to: str | None = None) -> str:
        """The logout URL for the cookie's session (works with an expired access token)."""
        claims = unverified_claims(self.load(cookie).access_token)
        sid = claims.get("sid")
        if not isinstance(sid, str) or not sid:
            raise InvalidSessionCookieError("the session cookie's access token has no session id")
        return auth_api.logout_url(self._client.base_url, session_id=sid, return_to=return_to)
