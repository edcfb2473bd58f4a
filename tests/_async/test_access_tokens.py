# source-of-truth: async
"""Access-token verification: RS256 only, cached key set, expiry on the fake's clock, forgeries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests._async.helpers import async_spec_client, password_tokens
from workos_authkit import (
    AccessTokenExpiredError,
    InvalidAccessTokenError,
    JwksUnavailableError,
)
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio

PASSWORD = "correct horse battery staple"
JWKS_ROUTE = "GET /sso/jwks/{clientId}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _sign_in(fake: FakeWorkOS) -> tuple[str, str]:
    fake.add_user("ada@example.com", password=PASSWORD)
    return _sign_in_again(fake)


async def test_valid_token_then_forgeries_are_refused(
    workos_fake: FakeWorkOS, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token, refresh = _sign_in(workos_fake)
    claims = _claims(token)
    kid = jwt.get_unverified_header(token)["kid"]
    public_pem = workos_fake.signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged_hs = _unsigned({"alg": "HS256", "typ": "JWT", "kid": kid}, claims)
    forged_hs += "." + _b64(hmac.new(public_pem, forged_hs.encode(), hashlib.sha256).digest())
    forgeries = {
        "alg none": _unsigned({"alg": "none", "kid": kid}, claims) + ".",
        "HS256 with the public key": forged_hs,
        "wrong key, right kid": jwt.encode(claims, other_key, "RS256", headers={"kid": kid}),
        "unknown kid": jwt.encode(claims, other_key, "RS256", headers={"kid": "kid_unknown"}),
        "tampered payload": ".".join(
            [
                token.split(".")[0],
                _b64(json.dumps({**claims, "sub": "user_x"}).encode()),
                token.split(".")[2],
            ]
        ),
        "not a JWT": "garbage",
    }
    async with async_spec_client(workos_fake) as client:
        verified = await client.auth.verify_access_token(token)
        assert verified.sub == claims["sub"] and verified.sid == claims["sid"]
        assert verified.auth_time == claims["auth_time"]
        for name, forged in forgeries.items():
            with pytest.raises(InvalidAccessTokenError) as info:
                await client.auth.verify_access_token(forged)
            assert forged not in str(info.value), name
        with pytest.raises(InvalidAccessTokenError, match="issuer"):
            await client.auth.verify_access_token(token, issuer="https://evil.example")
        assert (await client.auth.verify_access_token(token, issuer=workos_fake.issuer)).sub
        with pytest.raises(InvalidAccessTokenError, match="audience"):
            await client.auth.verify_access_token(token, audience="someone-else")
        # one fetch, plus at most one refetch for the unknown kid within the interval
        assert workos_fake.stats.requests[JWKS_ROUTE] <= 2
        with pytest.raises(InvalidAccessTokenError):
            await client.auth.verify_access_token(forgeries["unknown kid"])
        assert workos_fake.stats.requests[JWKS_ROUTE] <= 2
        workos_fake.clock.advance(300 + 6)  # past exp + leeway, on the fake's clock
        with pytest.raises(AccessTokenExpiredError):
            await client.auth.verify_access_token(token)
        text = caplog.text + repr(client) + repr(client.auth)
    for secret in (token, refresh, PASSWORD, workos_fake.api_key):
        assert secret not in text


async def test_rotated_key_is_fetched_once_for_its_new_kid(workos_fake: FakeWorkOS) -> None:
    token, _ = _sign_in(workos_fake)
    async with async_spec_client(workos_fake) as client:
        await client.auth.verify_access_token(token)
        assert workos_fake.stats.requests[JWKS_ROUTE] == 1
        for _ in range(3):
            await client.auth.verify_access_token(token)  # cached: no request
        assert workos_fake.stats.requests[JWKS_ROUTE] == 1
        workos_fake.rotate_signing_key()
        client._clock.now += 60  # type: ignore[attr-defined]  # past the refetch interval
        new_token, _ = _sign_in_again(workos_fake)
        assert (await client.auth.verify_access_token(new_token)).sub
        assert workos_fake.stats.requests[JWKS_ROUTE] == 2


def _sign_in_again(fake: FakeWorkOS) -> tuple[str, str]:
    tokens = password_tokens(fake, "ada@example.com", PASSWORD)
    return tokens["access_token"], tokens["refresh_token"]


async def test_jwks_unavailable_is_its_own_error(workos_fake: FakeWorkOS) -> None:
    token, _ = _sign_in(workos_fake)
    workos_fake.faults.add("GET", "/sso/jwks/{clientId}", status=404, times=None)
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(JwksUnavailableError):
            await client.auth.verify_access_token(token)


async def test_a_token_seen_before_is_still_checked_on_every_call(workos_fake: FakeWorkOS) -> None:
    """Its signature is checked once per key; its claims on every call, from a fresh copy."""
    token, _ = _sign_in(workos_fake)
    async with async_spec_client(workos_fake) as client:
        claims = await client.auth.verify_access_token(token)
        claims.raw["sub"] = "user_someone_else"  # a caller scribbling on its copy
        again = await client.auth.verify_access_token(token)
        assert again.raw["sub"] == again.sub != "user_someone_else"
        with pytest.raises(InvalidAccessTokenError):
            await client.auth.verify_access_token(token, issuer="https://elsewhere.example")
        workos_fake.clock.advance(400)
        with pytest.raises(AccessTokenExpiredError):
            await client.auth.verify_access_token(token)
