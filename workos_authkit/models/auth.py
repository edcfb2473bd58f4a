"""Authentication results, sessions, device authorization, key sets and access-token claims."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from .users import User


@attrs.frozen(kw_only=True)
class Impersonator:
    """The WorkOS Dashboard user impersonating the signed-in user."""

    email: str
    reason: str | None = None


@attrs.frozen(kw_only=True)
class OAuthTokens:
    """The identity provider's own tokens, when the sign-in went through one."""

    provider: str
    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    expires_at: int
    scopes: list[str] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class AuthenticationResponse:
    """A successful sign-in or refresh (spec schema ``UserlandAuthenticateResponse``).

    The tokens are credentials: they are left out of ``repr``.
    """

    user: User
    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    organization_id: str | None = None
    authkit_authorization_code: str | None = attrs.field(default=None, repr=False)
    authentication_method: str | None = None
    impersonator: Impersonator | None = None
    oauth_tokens: OAuthTokens | None = None


@attrs.frozen(kw_only=True)
class Session:
    """A user's session (``GET /user_management/users/{id}/sessions``)."""

    id: str
    user_id: str
    status: str
    auth_method: str
    expires_at: datetime
    created_at: datetime
    updated_at: datetime
    organization_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    impersonator: Impersonator | None = None
    ended_at: datetime | None = None
    object: Literal["session"] = "session"


@attrs.frozen(kw_only=True)
class DeviceAuthorization:
    """The start of a CLI sign-in (RFC 8628): show ``user_code`` and ``verification_uri``.

    ``device_code`` is what polling exchanges for tokens: a credential, left out of ``repr``.
    """

    device_code: str = attrs.field(repr=False)
    user_code: str
    verification_uri: str
    expires_in: float
    verification_uri_complete: str | None = None
    interval: float | None = None


@attrs.frozen(kw_only=True)
class Jwks:
    """The JSON Web Key Set that signs access tokens; each key as the JWK object it is."""

    keys: list[dict[str, Any]]


@attrs.frozen(kw_only=True)
class Actor:
    """``act``: who acts for the user (the impersonator's email in ``sub``)."""

    sub: str


@attrs.frozen(kw_only=True)
class AccessTokenClaims:
    """The verified claims of an AuthKit access token.

    ``raw`` holds every claim as sent, including ones this class does not name.
    """

    sub: str
    sid: str | None = None
    iss: str | None = None
    exp: int | None = None
    iat: int | None = None
    nbf: int | None = None
    jti: str | None = None
    auth_time: int | None = None
    org_id: str | None = None
    role: str | None = None
    roles: list[str] | None = None
    permissions: list[str] | None = None
    entitlements: list[str] | None = None
    feature_flags: list[str] | None = None
    act: Actor | None = None
    raw: dict[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
