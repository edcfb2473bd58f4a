"""attrs models for the AuthKit API: pure data, shared by the async client and its sync twin.

Field names follow the API's snake_case wire names. Models ignore fields they do not know (the API
adds fields over time) and keep timestamps as timezone-aware ``datetime`` objects.
"""

from ._common import ListMetadata, Page
from .auth_flow import AuthenticationFactorRef, AuthMethods, OrganizationRef
from .invitations import Invitation
from .organization_memberships import OrganizationMembership, RoleRef
from .users import Identity, User

__all__ = [
    "AuthMethods",
    "AuthenticationFactorRef",
    "Identity",
    "Invitation",
    "ListMetadata",
    "OrganizationMembership",
    "OrganizationRef",
    "Page",
    "RoleRef",
    "User",
    "UserList",
]

UserList = Page[User]
