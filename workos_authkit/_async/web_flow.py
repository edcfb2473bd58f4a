# source-of-truth: async
"""The web sign-in flow the framework integrations share: the I/O half (the pure half, settings
and cookies, is ``workos_authkit.integrations.common``). Starlette uses this class; Django its
generated sync twin."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._jwt import unverified_claims
from ..errors import AccessTokenError, APIError, InvalidSessionCookieError, WorkOSError
from ..integrations.common import (
    AuthKitSettings,
    Cookie,
    RequestAuth,
    SessionCache,
    SignInError,
    SignInStart,
    read_sign_in,
    sign_in_cookie_name,
    start_sign_in,
)
from ..models import AccessTokenClaims
from ..models.session_cookies import RefreshedSession, SessionFailure, SessionFailureReason

if TYPE_CHECKING:
    from .client import AsyncWorkOS
    from .redis_store import AsyncRedisStore

logger = logging.getLogger("workos_authkit.integrations")


class AsyncWebFlow:
    """Login, callback, per-request session check with refresh, and logout, framework-free.

    ``client`` defaults to one built from ``settings`` (share one per process); ``settings`` to
    ``AuthKitSettings.from_env()``; a Redis ``store`` makes refreshes single-flight across
    processes.
    """

    def __init__(
        self,
        client: AsyncWorkOS | None = None,
        settings: AuthKitSettings | None = None,
        *,
        store: AsyncRedisStore | None = None,
    ) -> None:
        settings = settings or AuthKitSettings.from_env()
        if client is None:
            from .client import AsyncWorkOS

            client = AsyncWorkOS(
                api_key=settings.api_key, client_id=settings.client_id, base_url=settings.base_url
            )
        self.client = client
        self.settings = settings
        self.cookies = client.session_cookies(cookie_password=settings.cookie_password, store=store)
        self._sealer = settings.sealer()
        self._checked = SessionCache()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(settings={self.settings!r})"

    async def authenticate(self, cookie: str | None) -> RequestAuth:
        """The session of a request's cookie. An expired access token is refreshed (once for
        all concurrent requests) and the new cookie returned; a bad cookie is deleted."""
        if not cookie:
            return RequestAuth(session=None)
        cached = self._checked.get(cookie, self.client._clock.time())
        if cached is not None:
            return RequestAuth(session=cached)
        result = await self.cookies.authenticate(cookie)
        if not isinstance(result, SessionFailure):
            self._checked.put(cookie, result)
            return RequestAuth(session=result)
        reason = result.reason
        if reason is SessionFailureReason.EXPIRED_ACCESS_TOKEN:
            refreshed = await self.cookies.refresh(cookie)
            if isinstance(refreshed, RefreshedSession):
                new = self.settings.session_cookie(refreshed.sealed_session)
                return RequestAuth(session=refreshed.session, cookie=new)
            reason = refreshed.reason
        if reason is SessionFailureReason.JWKS_UNAVAILABLE:
            # the key set could not be fetched: not the cookie's fault, keep it
            return RequestAuth(session=None)
        logger.info("session cookie refused (%s): signed out", reason.value)
        return RequestAuth(session=None, cookie=self.settings.clear_session_cookie())

    async def verify_bearer(self, token: str) -> AccessTokenClaims | None:
        """The claims of a bearer access token, or ``None`` when it does not verify."""
        try:
            return await self.client.auth.verify_access_token(token)
        except AccessTokenError as exc:
            logger.info("bearer token refused: %s", type(exc).__name__)
            return None

    def start(self, return_to: str | None) -> SignInStart:
        """A new sign-in attempt (state + PKCE in its own sealed cookie)."""
        return start_sign_in(
            self.settings,
            self._sealer,
            self.client.auth,
            return_to=return_to,
            now=self.client._clock.time(),
        )

    async def callback(
        self, query: Mapping[str, str], cookies: Mapping[str, str]
    ) -> tuple[str, list[Cookie]]:
        """Complete a sign-in: where to redirect, and the cookies to set (the session) and
        delete (the attempt). Raises ``SignInError``."""
        code, attempt = read_sign_in(
            self.settings, self._sealer, query, cookies, now=self.client._clock.time()
        )
        try:
            response = await self.client.auth.authenticate_with_code(
                code=code, code_verifier=attempt.code_verifier
            )
        except APIError as exc:
            logger.info("code exchange refused: %s", type(exc).__name__)
            raise SignInError("code_refused", "the sign-in code was refused") from None
        state = query.get("state", "")
        done = self.settings.cookie(sign_in_cookie_name(state), "", 0)
        session = self.settings.session_cookie(self.cookies.seal(response))
        return attempt.return_to, [session, done]

    async def sign_out(self, cookie: str | None) -> tuple[str, Cookie]:
        """Revoke the cookie's session; where to send the browser, and the cookie deletion."""
        clear = self.settings.clear_session_cookie()
        fallback = self.settings.logout_return_to or self.settings.after_sign_in_path
        if not cookie:
            return fallback, clear
        self._checked.discard(cookie)
        try:
            data = self.cookies.load(cookie)
            sid = unverified_claims(data.access_token).get("sid")
        except (InvalidSessionCookieError, AccessTokenError):
            return fallback, clear
        if not isinstance(sid, str) or not sid:
            return fallback, clear
        try:
            await self.client.sessions.revoke(sid)
        except WorkOSError as exc:  # already ended, or WorkOS unreachable: still sign out here
            logger.info("session revoke failed: %s", type(exc).__name__)
        url = self.cookies.get_logout_url(cookie, return_to=self.settings.logout_return_to)
        return url, clear
