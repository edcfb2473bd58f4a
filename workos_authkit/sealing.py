"""Sealed session cookies: iron (``Fe26.2*…``) sealing, and Fernet unsealing. Pure, no I/O.

The default seal is the iron format that ``iron-webcrypto`` (``@hapi/iron``) produces with its
default options, as ``@workos-inc/node``, ``@workos/authkit-session`` and the Next.js AuthKit
library seal their session cookies (AES-256-CBC, HMAC-SHA256, keys derived from the password by
PBKDF2-SHA1 with a 256-bit salt, iron-session's ``~2`` suffix). A Python backend and such a front
end read each other's cookies given the same password. Cookies sealed by the official WorkOS
Python SDK (Fernet, keyed by a Fernet key) are accepted on read.

``cookie_password`` may be a list: the first seals, every one unseals (rotation). Passwords are
never shown in a ``repr``, message or log line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from .errors import ConfigurationError, InvalidSessionCookieError

__all__ = ["MIN_PASSWORD_LENGTH", "Sealer", "iron_seal", "iron_unseal"]

MIN_PASSWORD_LENGTH = 32
PREFIX = "Fe26.2"
_SUFFIX = "~2"  # iron-session's format version, which workos-node appends
_SALT_BYTES = 32  # saltBits 256
_SKEW = 60.0  # timestampSkewSec


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if any(c in text for c in "+/="):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=512)
def _key(password: bytes, salt: str) -> bytes:
    # iron: PBKDF2(password, salt = the salt's hex text, 1 iteration, SHA-1), 256-bit key.
    # Cached: a cookie comes back on every request with the same two salts. The cache lives in
    # memory only (bounded, never shown); fresh seals use fresh random salts (no reuse).
    return hashlib.pbkdf2_hmac("sha1", password, salt.encode("ascii"), 1, 32)


def _cipher(key: bytes, iv: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    return Cipher(algorithms.AES(key), modes.CBC(iv))


def iron_seal(data: Any, password: str, *, password_id: str = "", ttl: float = 0) -> str:
    """Seal ``data`` (JSON) as iron-webcrypto's ``seal(data, password, defaults)`` does."""
    from cryptography.hazmat.primitives import padding

    secret = password.encode("utf-8")
    enc_salt = os.urandom(_SALT_BYTES).hex()
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(data, separators=(",", ":")).encode()) + padder.finalize()
    encryptor = _cipher(_key(secret, enc_salt), iv).encryptor()
    encrypted = encryptor.update(plain) + encryptor.finalize()
    expiration = str(int((time.time() + ttl) * 1000)) if ttl else ""
    base = f"{PREFIX}*{password_id}*{enc_salt}*{_b64(iv)}*{_b64(encrypted)}*{expiration}"
    mac_salt = os.urandom(_SALT_BYTES).hex()
    digest = hmac.new(_key(secret, mac_salt), base.encode("ascii"), hashlib.sha256).digest()
    return f"{base}*{mac_salt}*{_b64(digest)}{_SUFFIX}"


def iron_unseal(sealed: str, passwords: Mapping[str, str] | Sequence[str], *, now: float) -> Any:
    """Unseal an iron seal (with or without the ``~2`` suffix); raises ``InvalidSessionCookieError``.

    ``passwords``: a mapping of password id to password, or a list tried in turn for seals
    without an id.
    """
    from cryptography.hazmat.primitives import padding

    body, _, version = sealed.partition("~")
    if version not in ("", "2"):
        raise InvalidSessionCookieError("the session cookie has an unknown format version")
    parts = body.split("*")
    if len(parts) != 8 or parts[0] != PREFIX:
        raise InvalidSessionCookieError("the session cookie is not an iron seal")
    pid, enc_salt, iv_b64, enc_b64, expiration, mac_salt, digest_b64 = parts[1:]
    if expiration:
        if not expiration.isdigit() or expiration.startswith("0"):
            raise InvalidSessionCookieError("the session cookie has an invalid expiration")
        if int(expiration) <= (now - _SKEW) * 1000:
            raise InvalidSessionCookieError("the session cookie's seal has expired")
    if isinstance(passwords, Mapping):
        found = passwords.get(pid or "default") if pid else None
        candidates = [found] if found else ([] if pid else list(passwords.values()))
    else:
        candidates = [] if pid else list(passwords)
    base = "*".join(parts[:6]).encode("ascii", "replace")
    try:
        digest = _unb64(digest_b64)
        iv = _unb64(iv_b64)
        encrypted = _unb64(enc_b64)
    except ValueError:
        raise InvalidSessionCookieError("the session cookie is not valid base64url") from None
    for password in candidates:
        secret = password.encode("utf-8")
        mac = hmac.new(_key(secret, mac_salt), base, hashlib.sha256).digest()
        if not hmac.compare_digest(mac, digest):
            continue
        try:
            decryptor = _cipher(_key(secret, enc_salt), iv).decryptor()
            padded = decryptor.update(encrypted) + decryptor.finalize()
            unpadder = padding.PKCS7(128).unpadder()
            return json.loads(unpadder.update(padded) + unpadder.finalize())
        except ValueError:
            raise InvalidSessionCookieError("the session cookie does not decrypt") from None
    raise InvalidSessionCookieError("the session cookie was not sealed with a known password")


def _fernet_unseal(sealed: str, passwords: Sequence[str]) -> Any:
    from cryptography.fernet import Fernet, InvalidToken

    for password in passwords:
        try:
            fernet = Fernet(password)
        except (ValueError, TypeError):
            continue  # not a Fernet key: this password is for iron only
        try:
            return json.loads(fernet.decrypt(sealed.encode("ascii")))
        except (InvalidToken, ValueError, UnicodeError):
            continue
    raise InvalidSessionCookieError("the session cookie was not sealed with a known password")


class Sealer:
    """Seals with the first cookie password, unseals with any (iron, or Fernet on read)."""

    __slots__ = ("_passwords",)

    def __init__(self, cookie_password: str | Sequence[str]) -> None:
        passwords = [cookie_password] if isinstance(cookie_password, str) else cookie_password
        if not isinstance(passwords, Sequence) or not passwords:
            raise ConfigurationError("cookie_password must be a string or a non-empty list")
        for password in passwords:
            if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
                raise ConfigurationError(
                    f"each cookie_password must be a string of at least {MIN_PASSWORD_LENGTH} "
                    "characters"
                )
        self._passwords: tuple[str, ...] = tuple(passwords)

    def __repr__(self) -> str:
        return f"Sealer(passwords={len(self._passwords)})"

    def seal(self, data: Any) -> str:
        return iron_seal(data, self._passwords[0])

    def unseal(self, sealed: object, *, now: float | None = None) -> Any:
        if not isinstance(sealed, str) or not sealed:
            raise InvalidSessionCookieError("no session cookie")
        if not sealed.isascii():
            raise InvalidSessionCookieError("the session cookie is not ASCII")
        if sealed.startswith(PREFIX + "*"):
            return iron_unseal(sealed, self._passwords, now=time.time() if now is None else now)
        if sealed.startswith("gAAAAA"):  # Fernet: version byte 0x80, then a timestamp
            return _fernet_unseal(sealed, self._passwords)
        raise InvalidSessionCookieError("the session cookie is neither an iron nor a Fernet seal")
