# source-of-truth: async
"""One module per AuthKit area, each loaded on first use. Resources stay thin: build the call, let
the HTTP layer do the rest."""

from typing import TYPE_CHECKING

from ..._lazy import lazy_getattr

if TYPE_CHECKING:
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

_LAZY = {
    "AsyncApiKeys": ".api_keys",
    "AsyncAuth": ".auth",
    "AsyncCliAuth": ".cli_auth",
    "AsyncEmailVerifications": ".email_verification",
    "AsyncInvitations": ".invitations",
    "AsyncMagicAuthCodes": ".magic_auth",
    "AsyncMfa": ".mfa",
    "AsyncOrganizationMemberships": ".organization_memberships",
    "AsyncPasswordResets": ".password_reset",
    "AsyncSessions": ".sessions",
    "AsyncUsers": ".users",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
