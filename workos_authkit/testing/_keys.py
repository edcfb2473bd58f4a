"""Deterministic RS256 signing keys for the fake, derived from its seed (no entropy needed).

The primes come from ``random.Random(seed)`` + Miller-Rabin, so the same seed always gives the
same key, kid and self-signed certificate. Keys are built lazily and cached per process.
"""

from __future__ import annotations

import base64
import hashlib
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

__all__ = ["SigningKey", "signing_key"]

_E = 65537
_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]


def _is_probable_prime(n: int, rng: random.Random, rounds: int = 24) -> bool:
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(rng: random.Random, bits: int) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if (candidate - 1) % _E != 0 and _is_probable_prime(candidate, rng):
            return candidate


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True, repr=False)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    jwk: dict[str, Any]

    def __repr__(self) -> str:  # never show key material
        return f"SigningKey(kid={self.kid!r})"

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def _build(seed: str, generation: int) -> SigningKey:
    rng = random.Random(f"{seed}:rsa:{generation}")
    while True:
        p = _prime(rng, 1024)
        q = _prime(rng, 1024)
        if p != q and (p * q).bit_length() == 2048:
            break
    if p < q:
        p, q = q, p
    n = p * q
    d = pow(_E, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(_E, n),
    )
    key = numbers.private_key()
    kid = "key_" + hashlib.sha256(n.to_bytes(256, "big")).hexdigest()[:26].upper()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "workos-authkit fake signing key")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(rng.getrandbits(64) | 1)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2099, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    jwk = {
        "alg": "RS256",
        "kty": "RSA",
        "use": "sig",
        "x5c": [base64.b64encode(der).decode()],
        "n": _b64url_uint(n),
        "e": _b64url_uint(_E),
        "kid": kid,
        "x5t#S256": base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode(),
    }
    return SigningKey(kid=kid, private_key=key, jwk=jwk)


_cache: dict[tuple[str, int], SigningKey] = {}
_lock = threading.Lock()


def signing_key(seed: object, generation: int = 0) -> SigningKey:
    """The (cached) signing key number ``generation`` for ``seed``."""
    cache_key = (repr(seed), generation)
    found = _cache.get(cache_key)
    if found is not None:
        return found
    with _lock:
        found = _cache.get(cache_key)
        if found is None:
            found = _build(cache_key[0], generation)
            _cache[cache_key] = found
        return found
