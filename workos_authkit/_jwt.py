"""Access-token verification: the pure part (key set, header checks, claims). No I/O.

PyJWT is imported on first use (``import workos_authkit`` stays light). The async resource fetches the JSON Web Key Set through the client's HTTP layer and keeps a
``KeySet``; everything else happens here, with PyJWT and cryptography: RS256 only (``none``,
``HS*`` and an HS/RS confusion are refused before any key is used), ``exp``/``nbf`` checked
against the caller's clock with a small leeway, optional issuer and audience checks.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import attrs
import msgspec

from .errors import AccessTokenExpiredError, InvalidAccessTokenError
from .models import AccessTokenClaims, Jwks

__all__ = [
    "DEFAULT_LEEWAY",
    "KeySet",
    "VerifyOptions",
    "jwks_from_json",
    "jwks_has_kid",
    "jwks_to_json",
    "token_kid",
    "verify",
]

DEFAULT_LEEWAY = 5.0
ALGORITHM = "RS256"


@attrs.frozen(kw_only=True)
class VerifyOptions:
    """What a verification checks besides the signature."""

    leeway: float = DEFAULT_LEEWAY
    issuer: str | None = None
    audience: str | None = None


class KeySet:
    """The signing keys of one fetched key set, parsed once, by ``kid``."""

    __slots__ = ("fetched_at", "keys")

    def __init__(self, jwks: Jwks, fetched_at: float) -> None:
        import jwt  # deferred: PyJWT and cryptography load on first verification

        self.fetched_at = fetched_at
        self.keys: dict[str, Any] = {}
        for jwk in jwks.keys:
            if not isinstance(jwk, Mapping) or jwk.get("kty") != "RSA":
                continue
            if jwk.get("alg", ALGORITHM) != ALGORITHM or jwk.get("use", "sig") != "sig":
                continue
            kid = jwk.get("kid")
            if not isinstance(kid, str):
                continue
            try:
                self.keys[kid] = jwt.PyJWK(dict(jwk), algorithm=ALGORITHM).key
            except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
                continue  # one malformed key does not spoil the others

    def __repr__(self) -> str:
        return f"KeySet(kids={sorted(self.keys)!r})"


def jwks_to_json(jwks: Jwks) -> str:
    """A key set as JSON text (public keys only: what a shared cache holds)."""
    return msgspec.json.encode({"keys": jwks.keys}).decode()


def jwks_from_json(text: str) -> Jwks | None:
    """The key set a shared cache holds, or None if the entry is not one (ignored, refetched)."""
    try:
        return msgspec.json.decode(text, type=Jwks)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def jwks_has_kid(jwks: Jwks, kid: str | None) -> bool:
    return kid is None or any(isinstance(k, Mapping) and k.get("kid") == kid for k in jwks.keys)


def _b64_json(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def token_kid(token: object) -> str:
    """The ``kid`` of an RS256 token's header; anything else is refused before a key is looked up."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidAccessTokenError("the access token is not a JWS compact token")
    try:
        header = _b64_json(token.split(".", 1)[0])
    except (ValueError, UnicodeError):
        raise InvalidAccessTokenError("the access token's header is not valid JSON") from None
    if not isinstance(header, dict):
        raise InvalidAccessTokenError("the access token's header is not a JSON object")
    alg = header.get("alg")
    if alg != ALGORITHM:
        raise InvalidAccessTokenError(f"the access token's algorithm must be RS256, not {alg!r}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidAccessTokenError("the access token names no signing key (kid)")
    return kid


_OPTIONS = {
    "verify_signature": True,
    "verify_exp": False,  # checked below against the caller's clock
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "require": ["sub"],
}


#: signature checks already passed: SHA-256 of the token -> (the key that verified it, payload
#: JSON; tokens are never kept).
#: A session's access token comes back on every request until it expires; its signature (pure
#: function of token and key) is checked once per key, its claims (exp, nbf, iss, aud) every time.
_VERIFIED: dict[bytes, tuple[Any, bytes]] = {}
_VERIFIED_MAX = 4096


def _signed_payload(token: str, key: Any) -> dict[str, Any]:
    import jwt

    digest = hashlib.sha256(token.encode()).digest()
    hit = _VERIFIED.get(digest)
    if hit is not None and hit[0] is key:
        cached: dict[str, Any] = msgspec.json.decode(hit[1])  # a fresh copy for each caller
        return cached
    try:
        payload = jwt.decode(token, key, algorithms=[ALGORITHM], options=_OPTIONS)  # type: ignore[arg-type]
    except jwt.InvalidTokenError as exc:
        raise InvalidAccessTokenError(f"the access token is invalid: {exc}") from None
    if not isinstance(payload, dict):
        raise InvalidAccessTokenError("the access token's payload is not a JSON object")
    if len(_VERIFIED) >= _VERIFIED_MAX:
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            del _VERIFIED[next(iter(_VERIFIED))]  # the oldest entry (insertion order)
    _VERIFIED[digest] = (key, msgspec.json.encode(payload))
    return payload


def verify(token: str, key: Any, *, now: float, options: VerifyOptions) -> AccessTokenClaims:
    """Check ``token``'s RS256 signature with ``key`` and its claims at time ``now``."""
    payload = _signed_payload(token, key)
    exp = payload.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        raise InvalidAccessTokenError("the access token has no numeric exp claim")
    if exp <= now - options.leeway:
        raise AccessTokenExpiredError("the access token has expired")
    nbf = payload.get("nbf")
    if nbf is not None and (not isinstance(nbf, int | float) or nbf > now + options.leeway):
        raise InvalidAccessTokenError("the access token is not valid yet (nbf)")
    if options.issuer is not None and payload.get("iss") != options.issuer:
        raise InvalidAccessTokenError("the access token's issuer is not the expected one")
    if options.audience is not None:
        aud = payload.get("aud")
        auds = aud if isinstance(aud, list) else [aud]
        if options.audience not in auds:
            raise InvalidAccessTokenError("the access token's audience is not the expected one")
    try:
        return msgspec.convert({**payload, "raw": payload}, AccessTokenClaims)
    except msgspec.ValidationError as exc:
        raise InvalidAccessTokenError(f"the access token's claims are malformed: {exc}") from None


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims of a token *without* checking it: only for tokens read from our own sealed cookie."""
    try:
        payload = _b64_json(token.split(".")[1])
    except (ValueError, UnicodeError, IndexError):
        raise InvalidAccessTokenError("the access token's payload is not valid JSON") from None
    if not isinstance(payload, dict):
        raise InvalidAccessTokenError("the access token's payload is not a JSON object")
    return payload
