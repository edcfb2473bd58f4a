# source-of-truth: async
"""One module per AuthKit area. Resources stay thin: build the call, let the HTTP layer do the rest."""

from .invitations import AsyncInvitations
from .organization_memberships import AsyncOrganizationMemberships
from .users import AsyncUsers

__all__ = [
    "AsyncInvitations",
    "AsyncOrganizationMemberships",
    "AsyncUsers",
]
