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
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    AuthenticationFlowError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    EmailVerificationRequired,
    InvalidArgumentError,
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
    from ._async import AsyncPager, AsyncWorkOS
    from ._response import APIResponse, RateLimitInfo
    from ._retry import RateLimitConfig, RetryConfig
    from ._sync import Pager, WorkOS
    from ._types import NOT_GIVEN, NotGiven, RequestOptions
    from .models import (
        ApiKey,
        ApiKeyOwner,
        AuthenticationChallenge,
        AuthenticationFactor,
        ChallengeVerification,
        EmailVerification,
        EnrolledAuthenticationFactor,
        FactorEnrollment,
        Identity,
        Invitation,
        ListMetadata,
        MagicAuth,
        OrganizationApiKey,
        OrganizationApiKeyOwner,
        OrganizationApiKeyWithValue,
        OrganizationMembership,
        Page,
        PasswordReset,
        RoleRef,
        User,
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
    "ApiKey": ".models",
    "ApiKeyOwner": ".models",
    "OrganizationApiKey": ".models",
    "OrganizationApiKeyOwner": ".models",
    "OrganizationApiKeyWithValue": ".models",
    "AuthenticationChallenge": ".models",
    "AuthenticationFactor": ".models",
    "ChallengeVerification": ".models",
    "EnrolledAuthenticationFactor": ".models",
    "FactorEnrollment": ".models",
    "EmailVerification": ".models",
    "MagicAuth": ".models",
    "PasswordReset": ".models",
    "Invitation": ".models",
    "OrganizationMembership": ".models",
    "RoleRef": ".models",
}


__getattr__ = lazy_getattr(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APITimeoutError",
    "ApiKey",
    "ApiKeyOwner",
    "AsyncPager",
    "AsyncWorkOS",
    "AuthenticationChallenge",
    "AuthenticationError",
    "AuthenticationFactor",
    "AuthenticationFlowError",
    "BadRequestError",
    "ChallengeVerification",
    "ConfigurationError",
    "ConflictError",
    "EmailVerification",
    "EmailVerificationRequired",
    "EnrolledAuthenticationFactor",
    "FactorEnrollment",
    "Identity",
    "InvalidArgumentError",
    "Invitation",
    "ListMetadata",
    "MagicAuth",
    "MfaChallengeRequired",
    "MfaEnrollmentRequired",
    "NOT_GIVEN",
    "NotFoundError",
    "NotGiven",
    "OrganizationApiKey",
    "OrganizationApiKeyOwner",
    "OrganizationApiKeyWithValue",
    "OrganizationAuthMethodsRequired",
    "OrganizationMembership",
    "OrganizationSelectionRequired",
    "OutcomeUnknownError",
    "Page",
    "Pager",
    "PasswordReset",
    "PermissionDeniedError",
    "RateLimitConfig",
    "RateLimitError",
    "RateLimitInfo",
    "RequestOptions",
    "ResponseValidationError",
    "RetryConfig",
    "RoleRef",
    "ServerError",
    "SsoRequired",
    "UnprocessableEntityError",
    "User",
    "WorkOS",
    "WorkOSError",
    "__version__",
]
