# source-of-truth: async
"""Authentication: the authorization URL, the eight grants, access-token verification, logout URL."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..._api import auth as api
from ..._concurrency import AsyncSingleFlight
from ..._jwt import (
    KeySet,
    VerifyOptions,
    jwks_from_json,
    jwks_has_kid,
    jwks_to_json,
    token_kid,
    verify,
)
from ..._types import RequestOptions
from ...errors import (
    APIConnectionError,
    APIError,
    InvalidAccessTokenError,
    JwksUnavailableError,
    ResponseValidationError,
)
from ...models import AccessTokenClaims, AuthenticationResponse, Jwks
from .._resource import AsyncResource

if TYPE_CHECKING:
    from ..client import AsyncWorkOS
    from ..redis_store import AsyncRedisStore

logger = logging.getLogger("workos_authkit")


class AsyncAuth(AsyncResource):
    """Sign users in (hosted AuthKit, password, codes, MFA, refresh, device) and check their tokens.

    Grants are one-shot: a request that may have reached the server is never sent again (it
    consumes a code or a refresh token). Sign-in steps that need more from the user raise their
    ``AuthenticationFlowError`` subclass with what the next step needs.
    """

    #: a key set is refetched at most this often when a token names an unknown key (seconds)
    jwks_refetch_interval: float = 30.0
    #: a key set older than this is refreshed before use (seconds); the old one serves on failure
    jwks_max_age: float = 3600.0

    def __init__(self, client: AsyncWorkOS) -> None:
        super().__init__(client)
        self._key_set: KeySet | None = None
        self._jwks_flight: AsyncSingleFlight[str, KeySet] = AsyncSingleFlight()
        self._verify_options = VerifyOptions()
        self._store: AsyncRedisStore | None = None

    def _share_key_set(self, store: AsyncRedisStore) -> None:
        """Cache the key set in ``store`` too (set by ``session_cookies(store=...)``)."""
        self._store = store

    def get_authorization_url(
        self,
        *,
        redirect_uri: str,
        provider: api.Provider | None = None,
        connection_id: str | None = None,
        organization_id: str | None = None,
        state: str | None = None,
        code_challenge: str | None = None,
        code_challenge_method: str | None = None,
        screen_hint: api.ScreenHint | None = None,
        login_hint: str | None = None,
        domain_hint: str | None = None,
        provider_scopes: Sequence[str] | None = None,
        provider_query_params: Mapping[str, str] | None = None,
        invitation_token: str | None = None,
        prompt: str | None = None,
    ) -> str:
        """The URL to send the browser to for sign-in (built locally: no request is made).

        Give exactly one of ``provider`` (``"authkit"`` for the hosted UI), ``connection_id`` or
        ``organization_id``. For PKCE pass ``code_challenge`` (``workos_authkit.pkce``).
        """
        return api.authorization_url(
            self._config.base_url,
            self._config.client_id,
            redirect_uri=redirect_uri,
            provider=provider,
            connection_id=connection_id,
            organization_id=organization_id,
            state=state,
            code_challenge=code_challenge,
            code_challenge_method=code_challenge_method,
            screen_hint=screen_hint,
            login_hint=login_hint,
            domain_hint=domain_hint,
            provider_scopes=provider_scopes,
            provider_query_params=provider_query_params,
            invitation_token=invitation_token,
            prompt=prompt,
        )

    def get_logout_url(self, session_id: str, *, return_to: str | None = None) -> str:
        """The URL that ends session ``session_id`` (the ``sid`` claim) in the browser."""
        return api.logout_url(self._config.base_url, session_id=session_id, return_to=return_to)

    async def _grant(
        self,
        grant_type: str,
        required: Mapping[str, str],
        optional: Mapping[str, str | None] | None,
        ip_address: str | None,
        user_agent: str | None,
        options: RequestOptions | None,
        *,
        secret: bool = True,
    ) -> AuthenticationResponse:
        body = api.grant_body(
            grant_type,
            self._config.client_id,
            self._config.api_key if secret else None,
            required=required,
            optional=optional,
            ip_address=ip_address,
            user_agent=user_agent,
        )
        return await self._post(
            api.AUTHENTICATE, AuthenticationResponse, body=body, options=options
        )

    async def authenticate_with_code(
        self,
        *,
        code: str,
        code_verifier: str | None = None,
        invitation_token: str | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """Exchange the ``code`` from the redirect (with the PKCE ``code_verifier`` if used)."""
        return await self._grant(
            api.GRANT_CODE,
            {"code": code},
            {"code_verifier": code_verifier, "invitation_token": invitation_token},
            ip_address,
            user_agent,
            options,
        )

    async def authenticate_with_password(
        self,
        *,
        email: str,
        password: str,
        invitation_token: str | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """Sign in with email and password."""
        return await self._grant(
            api.GRANT_PASSWORD,
            {"email": email, "password": password},
            {"invitation_token": invitation_token},
            ip_address,
            user_agent,
            options,
        )

    async def authenticate_with_magic_auth(
        self,
        *,
        code: str,
        email: str,
        invitation_token: str | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """Sign in with the one-time code emailed by Magic Auth."""
        return await self._grant(
            api.GRANT_MAGIC_AUTH,
            {"code": code, "email": email},
            {"invitation_token": invitation_token},
            ip_address,
            user_agent,
            options,
        )

    async def authenticate_with_email_verification(
        self,
        *,
        code: str,
        pending_authentication_token: str,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """Finish a sign-in that raised ``EmailVerificationRequired``, with the emailed code."""
        return await self._grant(
            api.GRANT_EMAIL_VERIFICATION,
            {"code": code, "pending_authentication_token": pending_authentication_token},
            None,
            ip_address,
            user_agent,
            options,
        )

    async def authenticate_with_totp(
        self,
        *,
        code: str,
        authentication_challenge_id: str,
        pending_authentication_token: str,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """Finish an MFA sign-in with the TOTP ``code`` for the challenge."""
        return await self._grant(
            api.GRANT_TOTP,
            {
                "code": code,
                "authentication_challenge_id": authentication_challenge_id,
                "pending_authentication_token": pending_authentication_token,
            },
            None,
            ip_address,
            user_agent,
            options,
        )

    async def authenticate_with_organization_selection(
        self,
        *,
        organization_id: str,
        pending_authentication_token: str,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """Finish a sign-in that raised ``OrganizationSelectionRequired``."""
        return await self._grant(
            api.GRANT_ORGANIZATION_SELECTION,
            {
                "organization_id": organization_id,
                "pending_authentication_token": pending_authentication_token,
            },
            None,
            ip_address,
            user_agent,
            options,
        )

    async def authenticate_with_refresh_token(
        self,
        *,
        refresh_token: str,
        organization_id: str | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """New tokens for a session (refresh tokens are single-use: keep the new one).

        ``organization_id`` scopes the session to (or switches it to) that organization.
        """
        return await self._grant(
            api.GRANT_REFRESH_TOKEN,
            {"refresh_token": refresh_token},
            {"organization_id": organization_id},
            ip_address,
            user_agent,
            options,
        )

    async def authenticate_with_device_code(
        self,
        *,
        device_code: str,
        ip_address: str | None = None,
        user_agent: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """One poll of the device flow (``cli_auth.poll_for_token`` keeps polling for you)."""
        return await self._grant(
            api.GRANT_DEVICE_CODE,
            {"device_code": device_code},
            None,
            ip_address,
            user_agent,
            options,
            secret=False,
        )

    async def get_jwks(self, *, options: RequestOptions | None = None) -> Jwks:
        """The JSON Web Key Set that signs this client's access tokens."""
        client_id = api.require_client_id(self._config.client_id)
        return await self._get(api.JWKS, Jwks, client_id, options=options)

    async def _shared_jwks(self, store: AsyncRedisStore, kid: str | None) -> Jwks:
        """The key set through the shared store: a cached one that has ``kid``, else one fetch
        for all processes (at most one per ``jwks_refetch_interval``)."""
        name = f"jwks:{api.require_client_id(self._config.client_id)}"
        cached = await store.cached(name)
        jwks = jwks_from_json(cached) if cached is not None else None
        if jwks is not None and jwks_has_kid(jwks, kid):
            return jwks

        async def fetch() -> str:
            text = jwks_to_json(await self.get_jwks())
            await store.cache(name, text, ttl=self.jwks_max_age)
            return text

        text = await store.single_flight(name, fetch, ttl=self.jwks_refetch_interval)
        jwks = jwks_from_json(text)
        if jwks is None:
            raise JwksUnavailableError("the shared store holds a malformed key set")
        return jwks

    async def _fetch_key_set(self, kid: str | None = None) -> KeySet:
        try:
            jwks: Jwks | None = None
            if self._store is not None:
                try:
                    jwks = await self._shared_jwks(self._store, kid)
                except (
                    APIError,
                    APIConnectionError,
                    ResponseValidationError,
                    JwksUnavailableError,
                ):
                    raise
                except Exception as exc:  # the store is down: fetch the keys ourselves
                    logger.warning("shared key-set cache unavailable (%s)", type(exc).__name__)
            if jwks is None:
                jwks = await self.get_jwks()
        except (APIError, APIConnectionError, ResponseValidationError, JwksUnavailableError) as exc:
            if self._key_set is not None:
                return self._key_set  # serve the keys we have while the endpoint is down
            raise JwksUnavailableError(f"the key set could not be fetched: {exc}") from exc
        key_set = KeySet(jwks, self._clock.monotonic())
        self._key_set = key_set
        return key_set

    async def _signing_key(self, kid: str) -> object:
        key_set = self._key_set
        now = self._clock.monotonic()
        if key_set is None or now - key_set.fetched_at > self.jwks_max_age:
            key_set = await self._jwks_flight.run("jwks", self._fetch_key_set)
        key = key_set.keys.get(kid)
        if key is None and now - key_set.fetched_at >= self.jwks_refetch_interval:
            key_set = await self._jwks_flight.run("jwks", lambda: self._fetch_key_set(kid))
            key = key_set.keys.get(kid)
        if key is None:
            raise InvalidAccessTokenError("the access token's signing key is not in the key set")
        return key

    async def verify_access_token(
        self, token: str, *, issuer: str | None = None, audience: str | None = None
    ) -> AccessTokenClaims:
        """Verify an access token (RS256, against the cached key set) and return its claims.

        Raises ``AccessTokenExpiredError``, ``InvalidAccessTokenError`` or
        ``JwksUnavailableError``. The key set is fetched once and cached; a token signed by an
        unknown key triggers at most one refetch per ``jwks_refetch_interval``.
        """
        kid = token_kid(token)
        key = await self._signing_key(kid)
        options = self._verify_options
        if issuer is not None or audience is not None:
            options = VerifyOptions(leeway=options.leeway, issuer=issuer, audience=audience)
        return verify(token, key, now=self._clock.time(), options=options)
