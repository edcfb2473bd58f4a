"""One verified TLS context per process, shared by every client of both twins."""

from __future__ import annotations

import functools
import ssl


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """Building a context costs ~25 ms (loading the CA bundle); sharing one is safe."""
    import httpx  # deferred: keeps this module free to import

    return httpx.create_ssl_context()
