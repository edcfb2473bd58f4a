# source-of-truth: async
"""The client package. ``_async/`` is written by hand; ``_sync/`` is generated from it by codegen."""

from ._pagination import AsyncPager
from .client import AsyncWorkOS
from .resources import (
    AsyncEmailVerifications,
    AsyncInvitations,
    AsyncMagicAuthCodes,
    AsyncOrganizationMemberships,
    AsyncPasswordResets,
    AsyncUsers,
)

__all__ = [
    "AsyncEmailVerifications",
    "AsyncInvitations",
    "AsyncMagicAuthCodes",
    "AsyncOrganizationMemberships",
    "AsyncPager",
    "AsyncPasswordResets",
    "AsyncUsers",
    "AsyncWorkOS",
]
