"""The verified-signature cache of ``_jwt.verify``: a hit needs the very key that verified it."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from workos_authkit._jwt import VerifyOptions, verify
from workos_authkit.errors import InvalidAccessTokenError


def test_a_token_verified_with_one_key_is_not_accepted_with_another() -> None:
    signer = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    token = jwt.encode(
        {"sub": "user_1", "sid": "session_1", "exp": now + 60},
        signer,
        algorithm="RS256",
        headers={"kid": "k"},
    )
    options = VerifyOptions()
    assert verify(token, signer.public_key(), now=now, options=options).sub == "user_1"
    with pytest.raises(InvalidAccessTokenError):  # same kid, the key behind it changed
        verify(token, other.public_key(), now=now, options=options)
