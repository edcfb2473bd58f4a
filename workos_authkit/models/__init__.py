"""attrs models for the AuthKit API: pure data, shared by the async client and its sync twin.

Field names follow the API's snake_case wire names. Models ignore fields they do not know (the API
adds fields over time) and keep timestamps as timezone-aware ``datetime`` objects.
"""

from ._common import ListMetadata, Page
from .api_keys import (
    ApiKey,
    ApiKeyOwner,
    ApiKeyValidation,
    OrganizationApiKey,
    OrganizationApiKeyOwner,
    OrganizationApiKeyWithValue,
)
from .auth import (
    AccessTokenClaims,
    Actor,
    AuthenticationResponse,
    DeviceAuthorization,
    Impersonator,
    Jwks,
    OAuthTokens,
    Session,
)
from .auth_flow import AuthenticationFactorRef, AuthMethods, OrganizationRef
from .invitations import Invitation
from .mfa import (
    AuthenticationChallenge,
    AuthenticationFactor,
    ChallengeVerification,
    EnrolledAuthenticationFactor,
    FactorEnrollment,
    SmsFactor,
    TotpEnrollment,
    TotpFactor,
)
from .one_time_codes import EmailVerification, MagicAuth, PasswordReset, UserResponse
from .organization_memberships import OrganizationMembership, RoleRef
from .users import Identity, User

__all__ = [
    "AccessTokenClaims",
    "Actor",
    "ApiKey",
    "ApiKeyOwner",
    "ApiKeyValidation",
    "AuthMethods",
    "AuthenticationChallenge",
    "AuthenticationFactor",
    "AuthenticationFactorRef",
    "AuthenticationResponse",
    "ChallengeVerification",
    "DeviceAuthorization",
    "EmailVerification",
    "EnrolledAuthenticationFactor",
    "FactorEnrollment",
    "Identity",
    "Impersonator",
    "Invitation",
    "Jwks",
    "ListMetadata",
    "MagicAuth",
    "OAuthTokens",
    "OrganizationApiKey",
    "OrganizationApiKeyOwner",
    "OrganizationApiKeyWithValue",
    "OrganizationMembership",
    "OrganizationRef",
    "Page",
    "PasswordReset",
    "RoleRef",
    "Session",
    "SmsFactor",
    "TotpEnrollment",
    "TotpFactor",
    "User",
    "UserList",
    "UserResponse",
]

UserList = Page[User]
