"""What a sealed session cookie holds, and what checking one gives back."""

from __future__ import annotations

import enum
from typing import Literal

import attrs

from .auth import AccessTokenClaims, Impersonator
from .users import User


class SessionFailureReason(enum.Enum):
    """Why a session cookie did not authenticate (or refresh)."""

    NO_SESSION_COOKIE = "no_session_cookie_provided"
    INVALID_SESSION_COOKIE = "invalid_session_cookie"
    EXPIRED_ACCESS_TOKEN = "expired_access_token"
    INVALID_ACCESS_TOKEN = "invalid_jwt"
    JWKS_UNAVAILABLE = "jwks_unavailable"
    REFRESH_DENIED = "refresh_denied"


@attrs.frozen(kw_only=True)
class SessionData:
    """The content of a session cookie. Tokens are credentials: left out of ``repr``."""

    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    user: User
    impersonator: Impersonator | None = None
    organization_id: str | None = None


@attrs.frozen(kw_only=True)
class AuthenticatedSession:
    """A session cookie whose access token verified: the user and the token's claims."""

    session_id: str
    user: User
    claims: AccessTokenClaims
    organization_id: str | None = None
    role: str | None = None
    roles: list[str] | None = None
    permissions: list[str] | None = None
    entitlements: list[str] | None = None
    feature_flags: list[str] | None = None
    impersonator: Impersonator | None = None
    authenticated: Literal[True] = True


@attrs.frozen(kw_only=True)
class SessionFailure:
    """A session cookie that did not authenticate; ``reason`` says why.

    ``error`` is the exception behind it, when there is one (a refused refresh's ``APIError``).
    """

    reason: SessionFailureReason
    error: Exception | None = attrs.field(default=None, eq=False)
    authenticated: Literal[False] = False


@attrs.frozen(kw_only=True)
class RefreshedSession:
    """A refreshed session: set ``sealed_session`` as the new cookie."""

    sealed_session: str = attrs.field(repr=False)
    session: AuthenticatedSession
    authenticated: Literal[True] = True
