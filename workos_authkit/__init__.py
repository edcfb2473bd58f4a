"""workos-authkit: an async-first Python SDK for the WorkOS AuthKit (User Management) API.

``AsyncWorkOS`` is the hand-written async client; ``WorkOS`` is its sync twin, generated from the
same source at build time. Importing this package is cheap: the clients, models and their
dependencies (httpx, cattrs) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_getattr
from ._version import __version__
from .errors import (
    AccessTokenError,
    AccessTokenExpiredError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    AuthenticationFlowError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DeviceAccessDenied,
    DeviceAuthorizationPending,
    DeviceCodeExpired,
    DeviceSlowDown,
    EmailVerificationRequired,
    InvalidAccessTokenError,
    InvalidArgumentError,
    InvalidSessionCookieError,
    JwksUnavailableError,
    MfaChallengeRequired,
    MfaEnrollmentRequired,
    NotFoundError,
    OrganizationAuthMethodsRequired,
    OrganizationSelectionRequired,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    SsoRequired,
    UnprocessableEntityError,
    WorkOSError,
)

if TYPE_CHECKING:
    from ._async import AsyncPager, AsyncRedisStore, AsyncSessionCookies, AsyncWorkOS
    from ._response import APIResponse, RateLimitInfo
    from ._retry import RateLimitConfig, RetryConfig
    from ._sync import Pager, RedisStore, SessionCookies, WorkOS
    from ._types import NOT_GIVEN, NotGiven, RequestOptions
    from .models import (
        AccessTokenClaims,
        AuthenticationResponse,
        DeviceAuthorization,
        Identity,
        Impersonator,
        Jwks,
        ListMetadata,
        OAuthTokens,
        Page,
        Session,
        User,
    )
    from .models.session_cookies import (
        AuthenticatedSession,
        RefreshedSession,
        SessionData,
        SessionFailure,
        SessionFailureReason,
    )

_LAZY = {
    "AsyncWorkOS": "._async",
    "AsyncPager": "._async",
    "WorkOS": "._sync",
    "Pager": "._sync",
    "RetryConfig": "._retry",
    "RateLimitConfig": "._retry",
    "RequestOptions": "._types",
    "APIResponse": "._response",
    "RateLimitInfo": "._response",
    "NOT_GIVEN": "._types",
    "NotGiven": "._types",
    "User": ".models",
    "Identity": ".models",
    "Page": ".models",
    "ListMetadata": ".models",
    "AsyncSessionCookies": "._async",
    "AsyncRedisStore": "._async",
    "SessionCookies": "._sync",
    "RedisStore": "._sync",
    "AccessTokenClaims": ".models",
    "AuthenticationResponse": ".models",
    "DeviceAuthorization": ".models",
    "Impersonator": ".models",
    "Jwks": ".models",
    "OAuthTokens": ".models",
    "Session": ".models",
    "AuthenticatedSession": ".models.session_cookies",
    "RefreshedSession": ".models.session_cookies",
    "SessionData": ".models.session_cookies",
    "SessionFailure": ".models.session_cookies",
    "SessionFailureReason": ".models.session_cookies",
}


__getattr__ = lazy_getattr(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APITimeoutError",
    "AccessTokenClaims",
    "AccessTokenError",
    "AccessTokenExpiredError",
    "AsyncPager",
    "AsyncRedisStore",
    "AsyncSessionCookies",
    "AsyncWorkOS",
    "AuthenticatedSession",
    "AuthenticationError",
    "AuthenticationFlowError",
    "AuthenticationResponse",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DeviceAccessDenied",
    "DeviceAuthorization",
    "DeviceAuthorizationPending",
    "DeviceCodeExpired",
    "DeviceSlowDown",
    "EmailVerificationRequired",
    "Identity",
    "Impersonator",
    "InvalidAccessTokenError",
    "InvalidArgumentError",
    "InvalidSessionCookieError",
    "Jwks",
    "JwksUnavailableError",
    "ListMetadata",
    "MfaChallengeRequired",
    "MfaEnrollmentRequired",
    "NotFoundError",
    "NotGiven",
    "OAuthTokens",
    "OrganizationAuthMethodsRequired",
    "OrganizationSelectionRequired",
    "OutcomeUnknownError",
    "Page",
    "Pager",
    "PermissionDeniedError",
    "RateLimitConfig",
    "RateLimitError",
    "RateLimitInfo",
    "RedisStore",
    "RefreshedSession",
    "RequestOptions",
    "ResponseValidationError",
    "RetryConfig",
    "ServerError",
    "Session",
    "SessionCookies",
    "SessionData",
    "SessionFailure",
    "SessionFailureReason",
    "SsoRequired",
    "UnprocessableEntityError",
    "User",
    "WorkOS",
    "WorkOSError",
    "__version__",
]
