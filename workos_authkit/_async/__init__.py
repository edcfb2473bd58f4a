# source-of-truth: async
"""The client package. ``_async/`` is written by hand; ``_sync/`` is generated from it by codegen."""

from ._pagination import AsyncPager
from .client import AsyncWorkOS
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
