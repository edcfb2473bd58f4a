# source-of-truth: async
"""One module per AuthKit area. Resources stay thin: build the call, let the HTTP layer do the rest."""

from .auth import AsyncAuth
from .cli_auth import AsyncCliAuth
from .sessions import AsyncSessions
from .users import AsyncUsers

__all__ = ["AsyncAuth", "AsyncCliAuth", "AsyncSessions", "AsyncUsers"]
