# source-of-truth: async
from __future__ import annotations

from .._http import AsyncHTTP


class AsyncResource:
    """Base of every resource: holds the client's shared HTTP layer."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._http = http
