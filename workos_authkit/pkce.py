"""PKCE (RFC 7636): a code verifier and its ``S256`` code challenge. Pure, no I/O.

::

    from workos_authkit import pkce

    pair = pkce.generate()
    url = workos.auth.get_authorization_url(..., code_challenge=pair.code_challenge)
    # keep pair.code_verifier for the callback, then:
    await workos.auth.authenticate_with_code(code=code, code_verifier=pair.code_verifier)
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

import attrs

from .errors import InvalidArgumentError

__all__ = ["Pkce", "code_challenge", "code_verifier", "generate"]

# RFC 7636 section 4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def code_verifier(length: int = 64) -> str:
    """A random code verifier of ``length`` characters (43-128; 64 by default)."""
    if isinstance(length, bool) or not isinstance(length, int) or not 43 <= length <= 128:
        raise InvalidArgumentError(f"length must be an integer from 43 to 128, got {length!r}")
    # base64url of n random bytes gives ceil(4n/3) characters from the allowed alphabet
    return base64.urlsafe_b64encode(secrets.token_bytes(length)).decode("ascii")[:length]


def code_challenge(verifier: str) -> str:
    """The ``S256`` challenge of ``verifier``: ``BASE64URL(SHA256(verifier))`` without padding."""
    if not isinstance(verifier, str) or _VERIFIER.fullmatch(verifier) is None:
        raise InvalidArgumentError(
            "code_verifier must be 43-128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'"
        )
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@attrs.frozen(kw_only=True)
class Pkce:
    """A verifier and its challenge. The verifier is a secret: it is left out of ``repr``."""

    code_verifier: str = attrs.field(repr=False)
    code_challenge: str
    code_challenge_method: str = "S256"


def generate(length: int = 64) -> Pkce:
    """A fresh verifier and its ``S256`` challenge."""
    verifier = code_verifier(length)
    return Pkce(code_verifier=verifier, code_challenge=code_challenge(verifier))
