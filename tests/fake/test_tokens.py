"""Access tokens: real RS256 JWTs verifiable against the served JWKS; key rotation; determinism."""

from __future__ import annotations

import base64
import hashlib
import json

import jwt
import pytest
from cryptography import x509

from workos_authkit.testing import FakeWorkOS, totp

from .conftest import Api

PASSWORD = "correct horse battery"


def _verify(token: str, jwks: dict[str, object]) -> dict[str, object]:
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)  # type: ignore[attr-defined]
    key = jwt.PyJWK.from_dict(jwk).key
    return jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})


def test_access_token_claims_verify_against_jwks(http_api: Api, fake: FakeWorkOS) -> None:
    user = fake.add_user("ada@example.com", password=PASSWORD)
    org = fake.add_organization("Acme")
    fake.add_membership(user["id"], org["id"], role_slug="admin")
    fake.clock.unfreeze()  # PyJWT checks exp/iat against real time
    auth = http_api.password_sign_in("ada@example.com", PASSWORD).json()
    jwks = http_api.get(f"/sso/jwks/{fake.client_id}").json()
    claims = _verify(auth["access_token"], jwks)
    assert claims["sub"] == user["id"] and claims["org_id"] == org["id"]
    assert claims["role"] == "admin" and claims["permissions"] == fake.settings.roles["admin"]
    assert claims["iss"] == fake.issuer and claims["exp"] - claims["iat"] == 300  # type: ignore[operator]
    sessions = http_api.get(f"/user_management/users/{user['id']}/sessions").json()["data"]
    assert claims["sid"] == sessions[0]["id"] and claims["jti"]


def test_jwks_shape_and_certificate(api: Api, fake: FakeWorkOS) -> None:
    (key,) = api.get(f"/sso/jwks/{fake.client_id}", headers={"Authorization": ""}).json()["keys"]
    assert (key["alg"], key["kty"], key["use"], key["e"]) == ("RS256", "RSA", "sig", "AQAB")
    der = base64.b64decode(key["x5c"][0])
    cert = x509.load_der_x509_certificate(der)
    assert cert.public_key().public_numbers().n == int.from_bytes(  # type: ignore[union-attr]
        base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4)), "big"
    )
    thumb = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
    assert key["x5t#S256"] == thumb


def test_rotation_changes_kid_and_keeps_old_tokens_verifiable(api: Api, fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com", password=PASSWORD)
    fake.clock.unfreeze()
    old = api.password_sign_in("ada@example.com", PASSWORD).json()["access_token"]
    old_kid = jwt.get_unverified_header(old)["kid"]
    new_kid = fake.rotate_signing_key()
    assert new_kid != old_kid
    new = api.password_sign_in("ada@example.com", PASSWORD).json()["access_token"]
    assert jwt.get_unverified_header(new)["kid"] == new_kid
    jwks = api.get(f"/sso/jwks/{fake.client_id}").json()
    assert [k["kid"] for k in jwks["keys"]] == [new_kid, old_kid]
    assert _verify(old, jwks)["sub"] == _verify(new, jwks)["sub"]
    fake.rotate_signing_key(keep_previous=False)
    assert len(api.get(f"/sso/jwks/{fake.client_id}").json()["keys"]) == 1


def test_lifetime_configurable_and_expiry(api: Api, fake: FakeWorkOS) -> None:
    fake.settings.access_token_lifetime = 60
    fake.add_user("ada@example.com", password=PASSWORD)
    fake.clock.freeze(1_700_000_000)
    token = api.password_sign_in("ada@example.com", PASSWORD).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iat"], claims["exp"]) == (1_700_000_000, 1_700_000_060)
    with pytest.raises(jwt.ExpiredSignatureError):
        _verify(token, fake.jwks())


def test_seed_determinism() -> None:
    def run(seed: int) -> tuple[list[str], str, str]:
        f = FakeWorkOS(rng_seed=seed)
        ids = [f.add_user(f"u{i}@example.com")["id"] for i in range(3)]
        return ids, f.signing_key.kid, json.dumps(f.jwks())

    a, b = run(11), run(11)
    assert a == b
    assert run(12)[0] != a[0] and run(12)[1] != a[1]
    ids = a[0]
    assert ids == sorted(ids)  # monotonic: id order == creation order
    assert all(len(i) == len("user_") + 26 and i.startswith("user_01") for i in ids)


def test_totp_helper_rfc6238_vector() -> None:
    secret = base64.b32encode(b"12345678901234567890").decode()
    # RFC 6238 appendix B (SHA-1), last 6 digits
    assert totp(secret, 59) == "287082"
    assert totp(secret, 1111111109) == "081804"
    assert totp(secret, 20000000000) == "353130"
