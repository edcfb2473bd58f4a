"""RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s steps), stdlib only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

__all__ = ["totp", "verify_totp"]

STEP = 30
DIGITS = 6


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    cleaned += "=" * (-len(cleaned) % 8)
    return base64.b32decode(cleaned)


def _hotp(key: bytes, counter: int) -> str:
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def totp(secret: str, at: float | None = None) -> str:
    """The 6-digit TOTP code for a base32 ``secret`` at epoch second ``at`` (default: now).

    Pass ``fake.clock.now()`` as ``at`` when the fake's clock has been moved.
    """
    when = time.time() if at is None else at
    return _hotp(_key(secret), int(when // STEP))


def verify_totp(secret: str, code: str, at: float, window: int = 1) -> bool:
    """True if ``code`` matches the step at ``at`` or one of ``window`` steps either side."""
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return False
    key = _key(secret)
    step = int(at // STEP)
    return any(hmac.compare_digest(_hotp(key, step + d), code) for d in range(-window, window + 1))
