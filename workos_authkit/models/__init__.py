"""attrs models for the AuthKit API: pure data, shared by the async client and its sync twin.

Field names follow the API's snake_case wire names. Models ignore fields they do not know (the API
adds fields over time) and keep timestamps as timezone-aware ``datetime`` objects.
"""

from ._common import ListMetadata, Page
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
from .users import Identity, User

__all__ = [
    "AccessTokenClaims",
    "Actor",
    "AuthenticationResponse",
    "DeviceAuthorization",
    "Impersonator",
    "Jwks",
    "OAuthTokens",
    "Session",
    "AuthMethods",
    "AuthenticationFactorRef",
    "Identity",
    "ListMetadata",
    "OrganizationRef",
    "Page",
    "User",
    "UserList",
]

UserList = Page[User]
