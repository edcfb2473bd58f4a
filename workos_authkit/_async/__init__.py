# source-of-truth: async
"""The client package. ``_async/`` is written by hand; ``_sync/`` is generated from it by codegen."""

from ._pagination import AsyncPager
from .client import AsyncWorkOS
from .resources import AsyncInvitations, AsyncOrganizationMemberships, AsyncUsers

__all__ = [
    "AsyncInvitations",
    "AsyncOrganizationMemberships",
    "AsyncPager",
    "AsyncUsers",
    "AsyncWorkOS",
]
