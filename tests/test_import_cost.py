"""``import workos_authkit`` stays cheap: nothing heavy loads until it is used."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = [
    "httpx",
    "attrs",
    "cattrs",
    "msgspec",
    "anyio",
    "jwt",
    "cryptography",
    "yaml",
    "respx",
    "workos_authkit._sync",
]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_bare_import_loads_nothing_heavy() -> None:
    loaded = _modules_after("import workos_authkit")
    assert not [m for m in HEAVY if m in loaded]


def test_errors_can_be_caught_without_loading_the_client() -> None:
    loaded = _modules_after("from workos_authkit import NotFoundError, RateLimitError, WorkOSError")
    assert not [m for m in HEAVY if m in loaded]


def test_the_async_client_does_not_load_jwt_crypto_or_the_sync_twin() -> None:
    loaded = _modules_after(
        "from workos_authkit import AsyncWorkOS\nAsyncWorkOS(api_key='sk_x').users"
    )
    assert "httpx" in loaded
    assert not [
        m for m in ("jwt", "cryptography", "yaml", "respx", "workos_authkit._sync") if m in loaded
    ]


def test_a_sync_call_loads_neither_cattrs_nor_anyio() -> None:
    """Response bodies go straight into models through msgspec; cattrs is not on the hot path."""
    code = (
        "import httpx\n"
        "from tests.factories import user_json\n"
        "from workos_authkit import WorkOS\n"
        "reply = httpx.Response(200, json=user_json())\n"
        "c = WorkOS(api_key='sk_x', transport=httpx.MockTransport(lambda r: reply))\n"
        "assert c.users.get('user_1').email"
    )
    loaded = _modules_after(code)
    assert "msgspec" in loaded
    assert "cattrs" not in loaded
    # the sync client needs no event-loop machinery
    assert "anyio" not in loaded
    assert "asyncio" not in loaded


_A_CALL = (
    "import httpx\n"
    "from tests.factories import user_json\n"
    "from workos_authkit import WorkOS\n"
    "reply = httpx.Response(200, json=user_json())\n"
    "c = WorkOS(api_key='sk_x', transport=httpx.MockTransport(lambda r: reply))\n"
    "assert c.users.get('user_1').email\n"
)


def test_calls_import_no_opentelemetry_unless_the_application_did() -> None:
    """OpenTelemetry is installed here (the dev extra), yet a client never imports it itself."""
    loaded = _modules_after(_A_CALL)
    assert not [m for m in loaded if m.split(".")[0] == "opentelemetry"]


def test_calls_work_without_opentelemetry_installed() -> None:
    blocked = "import sys\nsys.modules['opentelemetry'] = None  # as if not installed\n"
    loaded = _modules_after(blocked + _A_CALL)
    assert "workos_authkit._observe" in loaded
