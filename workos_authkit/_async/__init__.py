# source-of-truth: async
"""The hand-written async client. Its sync twin in ``_sync/`` is generated from this package."""

from ._pagination import AsyncPager
from .client import AsyncWorkOS
from .resources import AsyncUsers

__all__ = ["AsyncPager", "AsyncUsers", "AsyncWorkOS"]
