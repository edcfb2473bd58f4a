"""Test helpers: :class:`FakeWorkOS`, a stateful in-memory WorkOS AuthKit server, and :func:`totp`.

Names are loaded lazily so that importing ``workos_authkit.testing.pytest_plugin`` (which pytest
does in every project that installs us) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr

if TYPE_CHECKING:
    from ._fake import FakeWorkOS, SentEmail, Settings
    from ._faults import FakeRateLimiter, Fault, Faults, Stats
    from ._totp import totp
    from ._transport import FakeTransport
    from ._util import FakeClock
    from ._wire import FakeResponse

__all__ = [
    "FakeClock",
    "FakeRateLimiter",
    "FakeResponse",
    "FakeTransport",
    "FakeWorkOS",
    "Fault",
    "Faults",
    "SentEmail",
    "Settings",
    "Stats",
    "totp",
]

_WHERE = {
    "FakeClock": "._util",
    "FakeRateLimiter": "._faults",
    "FakeResponse": "._wire",
    "FakeTransport": "._transport",
    "FakeWorkOS": "._fake",
    "Fault": "._faults",
    "Faults": "._faults",
    "SentEmail": "._fake",
    "Settings": "._fake",
    "Stats": "._faults",
    "totp": "._totp",
}


__getattr__ = lazy_getattr(__name__, _WHERE)


def __dir__() -> list[str]:
    return sorted(__all__)
