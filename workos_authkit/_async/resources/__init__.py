# source-of-truth: async
"""One module per AuthKit area. Resources stay thin: build the call, let the HTTP layer do the rest."""

from .api_keys import AsyncApiKeys
from .auth import AsyncAuth
from .cli_auth import AsyncCliAuth
from .email_verification import AsyncEmailVerifications
from .invitations import AsyncInvitations
from .magic_auth import AsyncMagicAuthCodes
from .mfa import AsyncMfa
from .organization_memberships import AsyncOrganizationMemberships
from .password_reset import AsyncPasswordResets
from .sessions import AsyncSessions
from .users import AsyncUsers

__all__ = [
    "AsyncApiKeys",
    "AsyncAuth",
    "AsyncCliAuth",
    "AsyncEmailVerifications",
    "AsyncInvitations",
    "AsyncMagicAuthCodes",
    "AsyncMfa",
    "AsyncOrganizationMemberships",
    "AsyncPasswordResets",
    "AsyncSessions",
    "AsyncUsers",
]
