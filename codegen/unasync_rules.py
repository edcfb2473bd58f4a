"""The unasync replacement table: how the hand-written async source maps to its sync twin.

Every key must occur in the async source (``unasync_build`` warns about keys that never fire), and
everything hand-written in pairs lives in ``workos_authkit/_concurrency.py`` under the names below.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (async source dir, generated sync dir), relative to the repository root.
TREES: tuple[tuple[str, str], ...] = (
    ("workos_authkit/_async", "workos_authkit/_sync"),
    ("tests/_async", "tests/_sync"),
)


def public_names(root: Path = ROOT) -> dict[str, str]:
    """``AsyncX -> X`` for every public name the async package exports."""
    module = ast.parse((root / "workos_authkit/_async/__init__.py").read_text(encoding="utf-8"))
    for node in module.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "__all__"
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            names = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
            return {n: n.removeprefix("Async") for n in names if isinstance(n, str)}
    raise RuntimeError("workos_authkit/_async/__init__.py has no __all__ list")


#: Names whose default unasync rewrite (``AsyncFoo -> SyncFoo``) would be wrong, and helpers.
STATIC_REPLACEMENTS: dict[str, str] = {
    "_async": "_sync",  # import paths
    # httpx: the default rule would invent SyncClient / SyncBaseTransport.
    "AsyncClient": "Client",
    "AsyncBaseTransport": "BaseTransport",
    "handle_async_request": "handle_request",
    "AsyncConnectionPool": "ConnectionPool",  # httpcore2
    "AsyncPoolTransport": "PoolTransport",
    "_AsyncResponseStream": "_ResponseStream",
    # internal async classes: the default rule would give Sync* names
    "AsyncHTTP": "HTTP",
    "AsyncRetryTransport": "RetryTransport",
    "AsyncResource": "Resource",
    "AsyncMethod": "Method",
    "AsyncClock": "Clock",
    "AsyncWorkerGroup": "WorkerGroup",
    "AsyncUserImporter": "UserImporter",
    "AsyncSingleFlight": "SingleFlight",
    "AsyncThunk": "Thunk",
    "AsyncWebFlow": "WebFlow",  # workos_authkit/_async/web_flow.py (framework integrations)
    "aclose": "close",
    "aread": "read",
    "aclosing": "closing",
    # respx, in tests
    "async_handler": "handler",
    # hand-written twins in workos_authkit/_concurrency.py
    "async_checkpoint": "checkpoint",
    "async_loop_check": "loop_check",
    "async_current_loop": "current_loop",
    "async_time_limit": "time_limit",
    "async_network_backend": "network_backend",  # workos_authkit/_sockets.py
    "async_shielded": "shielded",
    # tests: the async test client factory and markers
    "async_make_client": "make_client",
    "async_workos_client": "workos_client",
    "async_fake_client": "fake_client",
    "async_raw_get": "raw_get",
    "async_spec_client": "spec_client",
    "async_redis_client": "redis_client",
}


def replacements(root: Path = ROOT) -> dict[str, str]:
    return {**public_names(root), **STATIC_REPLACEMENTS}
