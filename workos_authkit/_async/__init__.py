# source-of-truth: async
"""The client package. ``_async/`` is written by hand; ``_sync/`` is generated from it by codegen.

The client and the pager load with the package; the rest on first use.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr
from ._pagination import AsyncPager
from .client import AsyncWorkOS

if TYPE_CHECKING:
    from .redis_store import AsyncRedisStore
    from .resources import (
        AsyncApiKeys,
        AsyncAuth,
        AsyncCliAuth,
        AsyncEmailVerifications,
        AsyncInvitations,
        AsyncMagicAuthCodes,
        AsyncMfa,
        AsyncOrganizationMemberships,
        AsyncPasswordResets,
        AsyncSessions,
        AsyncUsers,
    )
    from .session_cookies import AsyncSessionCookies

__all__ = [
    "AsyncApiKeys",
    "AsyncAuth",
    "AsyncCliAuth",
    "AsyncEmailVerifications",
    "AsyncInvitations",
    "AsyncMagicAuthCodes",
    "AsyncMfa",
    "AsyncOrganizationMemberships",
    "AsyncPager",
    "AsyncPasswordResets",
    "AsyncRedisStore",
    "AsyncSessionCookies",
    "AsyncSessions",
    "AsyncUsers",
    "AsyncWorkOS",
]

_LAZY = {
    "AsyncApiKeys": ".resources",
    "AsyncAuth": ".resources",
    "AsyncCliAuth": ".resources",
    "AsyncEmailVerifications": ".resources",
    "AsyncInvitations": ".resources",
    "AsyncMagicAuthCodes": ".resources",
    "AsyncMfa": ".resources",
    "AsyncOrganizationMemberships": ".resources",
    "AsyncPasswordResets": ".resources",
    "AsyncSessions": ".resources",
    "AsyncUsers": ".resources",
    "AsyncRedisStore": ".redis_store",
    "AsyncSessionCookies": ".session_cookies",
}

__getattr__ = lazy_getattr(__name__, _LAZY)
