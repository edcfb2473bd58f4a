# source-of-truth: async
"""MFA against FakeWorkOS (requests and responses checked against the spec): enrol a TOTP factor,
challenge it and verify a code computed from its secret."""

from __future__ import annotations

import json

import pytest
import respx

from tests._async.helpers import async_checked_fake_client, async_make_client
from tests.spec_payloads import example
from workos_authkit import (
    BadRequestError,
    ChallengeVerification,
    FactorEnrollment,
    InvalidArgumentError,
)
from workos_authkit.testing import FakeWorkOS, totp

pytestmark = pytest.mark.anyio


async def test_enroll_totp_challenge_and_verify(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    async with async_checked_fake_client(workos_fake) as client:
        enrolled = await client.mfa.enroll_factor(
            user["id"], totp_issuer="Acme", totp_user="ada@example.com"
        )
        assert isinstance(enrolled, FactorEnrollment)
        factor = enrolled.authentication_factor
        assert factor.totp is not None
        assert (factor.type, factor.user_id, factor.totp.issuer) == ("totp", user["id"], "Acme")
        secret = factor.totp.secret
        assert secret == workos_fake.totp_secret(factor.id)
        assert secret not in repr(enrolled)
        assert enrolled.authentication_challenge.authentication_factor_id == factor.id

        (listed,) = [f async for f in client.mfa.list_factors(user["id"])]
        assert listed.id == factor.id
        assert listed.totp is not None and not hasattr(listed.totp, "secret")

        challenge = await client.mfa.challenge(factor.id)
        assert challenge.authentication_factor_id == factor.id
        wrong = await client.mfa.verify_challenge(challenge.id, "000000")
        assert isinstance(wrong, ChallengeVerification)
        assert wrong.valid is False
        right = await client.mfa.verify_challenge(
            challenge.id, totp(secret, workos_fake.clock.now())
        )
        assert right.valid is True
        assert right.challenge.id == challenge.id


async def test_enroll_with_your_own_secret(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    async with async_checked_fake_client(workos_fake) as client:
        enrolled = await client.mfa.enroll_factor(user["id"], totp_secret="JBSWY3DPEHPK3PXP")
    totp_details = enrolled.authentication_factor.totp
    assert totp_details is not None
    assert totp_details.secret == "JBSWY3DPEHPK3PXP"
    assert "JBSWY3DPEHPK3PXP" in totp_details.uri


async def test_too_many_attempts_is_a_typed_error(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    async with async_checked_fake_client(workos_fake) as client:
        enrolled = await client.mfa.enroll_factor(user["id"])
        challenge = enrolled.authentication_challenge
        for _ in range(workos_fake.settings.one_time_code_max_attempts):
            assert not (await client.mfa.verify_challenge(challenge.id, "000000")).valid
        with pytest.raises(BadRequestError) as info:
            await client.mfa.verify_challenge(challenge.id, "000000")
    assert info.value.code == "one_time_code_too_many_attempts"


async def test_wire_format(router: respx.Router) -> None:
    """The challenge body is required but may be ``{}``; enrolling sends ``type``."""
    challenge = example("AuthenticationChallenge")
    challenged = router.post("/auth/factors/auth_factor_1/challenge").respond(201, json=challenge)
    enrolled = router.post("/user_management/users/user_1/auth_factors").respond(
        201, json=example("UserlandUserAuthenticationFactorEnrollResponse")
    )
    async with async_make_client(router) as client:
        await client.mfa.challenge("auth_factor_1")
        await client.mfa.challenge("auth_factor_1", sms_template="Code: {{code}}")
        await client.mfa.enroll_factor("user_1")
    first, second = (json.loads(c.request.content) for c in challenged.calls)
    assert (first, second) == ({}, {"sms_template": "Code: {{code}}"})
    assert json.loads(enrolled.calls.last.request.content) == {"type": "totp"}
    assert "idempotency-key" in enrolled.calls.last.request.headers


async def test_bad_input_is_refused_before_sending(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="type must be one of totp"):
            await client.mfa.enroll_factor("user_1", type="sms")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="user_id must not be empty"):
            await client.mfa.enroll_factor("")
        with pytest.raises(InvalidArgumentError, match="totp_secret must be a string"):
            await client.mfa.enroll_factor("user_1", totp_secret=b"JBSW")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="code must not be empty"):
            await client.mfa.verify_challenge("auth_challenge_1", "")
        with pytest.raises(InvalidArgumentError, match="authentication_factor_id"):
            await client.mfa.challenge("")
        with pytest.raises(InvalidArgumentError, match="user_id"):
            client.mfa.list_factors("")
    assert not router.calls
