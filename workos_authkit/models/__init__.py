"""attrs models for the AuthKit API: pure data, shared by the async client and its sync twin.

Field names follow the API's snake_case wire names. Models ignore fields they do not know (the API
adds fields over time) and keep timestamps as timezone-aware ``datetime`` objects. Each area's
models load on first use (a client that only reads users never builds the MFA classes).
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr
from ._common import ListMetadata, Page

if TYPE_CHECKING:
    from ._lists import UserList
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

_LAZY = {
    "UserList": "._lists",
    "AccessTokenClaims": ".auth",
    "Actor": ".auth",
    "ApiKey": ".api_keys",
    "ApiKeyOwner": ".api_keys",
    "ApiKeyValidation": ".api_keys",
    "AuthMethods": ".auth_flow",
    "AuthenticationChallenge": ".mfa",
    "AuthenticationFactor": ".mfa",
    "AuthenticationFactorRef": ".auth_flow",
    "AuthenticationResponse": ".auth",
    "ChallengeVerification": ".mfa",
    "DeviceAuthorization": ".auth",
    "EmailVerification": ".one_time_codes",
    "EnrolledAuthenticationFactor": ".mfa",
    "FactorEnrollment": ".mfa",
    "Identity": ".users",
    "Impersonator": ".auth",
    "Invitation": ".invitations",
    "Jwks": ".auth",
    "MagicAuth": ".one_time_codes",
    "OAuthTokens": ".auth",
    "OrganizationApiKey": ".api_keys",
    "OrganizationApiKeyOwner": ".api_keys",
    "OrganizationApiKeyWithValue": ".api_keys",
    "OrganizationMembership": ".organization_memberships",
    "OrganizationRef": ".auth_flow",
    "PasswordReset": ".one_time_codes",
    "RoleRef": ".organization_memberships",
    "Session": ".auth",
    "SmsFactor": ".mfa",
    "TotpEnrollment": ".mfa",
    "TotpFactor": ".mfa",
    "User": ".users",
    "UserResponse": ".one_time_codes",
}

__getattr__ = lazy_getattr(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted(__all__)


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
