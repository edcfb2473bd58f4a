# source-of-truth: async
"""One module per AuthKit area. Resources stay thin: build the call, let the HTTP layer do the rest."""

from .users import AsyncUsers

__all__ = ["AsyncUsers"]
