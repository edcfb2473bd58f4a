"""Test helpers: :class:`FakeWorkOS`, a stateful in-memory WorkOS AuthKit server, and :func:`totp`."""

from ._fake import FakeResponse, FakeWorkOS, SentEmail, Settings
from ._faults import Fault, Faults, RateLimiter, Stats
from ._totp import totp
from ._transport import FakeTransport
from ._util import Clock

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
