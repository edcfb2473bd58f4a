"""Test helpers: :class:`FakeWorkOS`, a stateful in-memory WorkOS AuthKit server, and :func:`totp`.

Names are loaded lazily so that importing ``workos_authkit.testing.pytest_plugin`` (which pytest
does in every project that installs us) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._lazy import lazy_getattr

if TYPE_CHECKING:
    from ._fake import FakeResponse, FakeWorkOS, SentEmail, Settings
    from ._faults import FakeRateLimiter as RateLimiter
    from ._faults import Fault, Faults, Stats
    from ._totp import totp
    from ._transport import FakeTransport
    from ._util import FakeClock as Clock

__all__ = [
    "Clock",
    "FakeResponse",
    "FakeTransport",
    "FakeWorkOS",
    "Fault",
    "Faults",
    "RateLimiter",
    "SentEmail",
    "Settings",
    "Stats",
    "totp",
]

_WHERE = {
    "Clock": "._util",
    "FakeResponse": "._fake",
    "FakeTransport": "._transport",
    "FakeWorkOS": "._fake",
    "Fault": "._faults",
    "Faults": "._faults",
    "RateLimiter": "._faults",
    "SentEmail": "._fake",
    "Settings": "._fake",
    "Stats": "._faults",
    "totp": "._totp",
}


_RENAMED = {"Clock": "FakeClock", "RateLimiter": "FakeRateLimiter"}
_lazy = lazy_getattr(__name__, {_RENAMED.get(k, k): v for k, v in _WHERE.items()})


def __getattr__(name: str) -> Any:
    value = _lazy(_RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
