# source-of-truth: async
"""The client package. ``_async/`` is written by hand; ``_sync/`` is generated from it by codegen."""

from ._pagination import AsyncPager
from .client import AsyncWorkOS
from .resources import (
    AsyncApiKeys,
    AsyncEmailVerifications,
    AsyncInvitations,
    AsyncMagicAuthCodes,
    AsyncMfa,
    AsyncOrganizationMemberships,
    AsyncPasswordResets,
    AsyncUsers,
)

__all__ = [
    "AsyncApiKeys",
    "AsyncEmailVerifications",
    "AsyncInvitations",
    "AsyncMagicAuthCodes",
    "AsyncMfa",
    "AsyncOrganizationMemberships",
    "AsyncPager",
    "AsyncPasswordResets",
    "AsyncUsers",
    "AsyncWorkOS",
]
