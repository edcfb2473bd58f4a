# source-of-truth: async
"""Magic auth, email verification and password reset against FakeWorkOS (requests and
responses checked against the spec)."""

from __future__ import annotations

import pytest
import respx

from tests._async.helpers import (
    async_checked_fake_client,
    async_make_client,
    async_password_sign_in,
)
from tests.factories import user_json
from workos_authkit import (
    BadRequestError,
    EmailVerification,
    InvalidArgumentError,
    MagicAuth,
    OutcomeUnknownError,
    PasswordReset,
    User,
)
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio


async def test_magic_auth_create_and_get(workos_fake: FakeWorkOS) -> None:
    workos_fake.add_user("ada@example.com")
    async with async_checked_fake_client(workos_fake) as client:
        sent = await client.magic_auth.create(email="ada@example.com")
        assert isinstance(sent, MagicAuth)
        assert sent.code == workos_fake.last_email("ada@example.com", "magic_auth").code
        assert await client.magic_auth.get(sent.id) == sent
        invitation = await client.invitations.send(email="new@example.com")
        for_invitee = await client.magic_auth.create(
            email="new@example.com", invitation_token=invitation.token
        )
    assert for_invitee.email == "new@example.com"
    assert sent.code not in repr(sent)


async def test_send_verification_then_confirm(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com", email_verified=False)
    async with async_checked_fake_client(workos_fake) as client:
        sent_to = await client.email_verification.send(user["id"])
        assert isinstance(sent_to, User)
        assert (sent_to.id, sent_to.email_verified) == (user["id"], False)
        mail = workos_fake.last_email("ada@example.com", "email_verification")
        verification = await client.email_verification.get(mail.object_id)
        assert isinstance(verification, EmailVerification)
        assert verification.code == mail.code
        assert verification.code not in repr(verification)

        with pytest.raises(BadRequestError) as info:
            await client.email_verification.confirm(user["id"], "000000")
        assert info.value.code == "email_verification_code_incorrect"
        verified = await client.email_verification.confirm(user["id"], verification.code)
        assert verified.email_verified is True
        with pytest.raises(BadRequestError) as info:
            await client.email_verification.send(user["id"])
        assert info.value.code == "email_already_verified"


async def test_password_reset_then_sign_in_with_the_new_password(workos_fake: FakeWorkOS) -> None:
    workos_fake.add_user("ada@example.com", password="old password 123")
    async with async_checked_fake_client(workos_fake) as client:
        reset = await client.password_reset.create(email="ada@example.com")
        assert isinstance(reset, PasswordReset)
        mail = workos_fake.last_email("ada@example.com", "password_reset")
        assert mail.token == reset.password_reset_token
        assert reset.password_reset_token not in repr(reset)
        assert await client.password_reset.get(reset.id) == reset

        user = await client.password_reset.reset_password(
            token=reset.password_reset_token, new_password="new password 456"
        )
        assert user.email == "ada@example.com"
        with pytest.raises(BadRequestError) as info:
            await client.password_reset.reset_password(
                token=reset.password_reset_token, new_password="another one 789"
            )
        assert info.value.code == "password_reset_error"
    assert (
        await async_password_sign_in(workos_fake, "ada@example.com", "new password 456")
    ).is_success
    old = await async_password_sign_in(workos_fake, "ada@example.com", "old password 123")
    assert old.status_code == 400


async def test_one_shot_calls_retry_only_what_was_never_applied(workos_fake: FakeWorkOS) -> None:
    """A 429 is retried (nothing was done); a 503 or a dropped answer after sending is not."""
    user = workos_fake.add_user("ada@example.com", email_verified=False)
    path = f"/user_management/users/{user['id']}/email_verification"
    workos_fake.faults.add("POST", path + "/send", status=429, headers={"Retry-After": "0"})
    workos_fake.faults.add("POST", path + "/confirm", drop="after")
    async with async_checked_fake_client(workos_fake) as client:
        await client.email_verification.send(user["id"])
        assert len(workos_fake.emails_to("ada@example.com", "email_verification")) == 1
        workos_fake.faults.add("POST", path + "/send", status=503)
        with pytest.raises(OutcomeUnknownError, match="never resent"):
            await client.email_verification.send(user["id"])
        code = workos_fake.last_email("ada@example.com", "email_verification").code
        assert code is not None
        with pytest.raises(OutcomeUnknownError):
            await client.email_verification.confirm(user["id"], code)
    confirm = "POST /user_management/users/{id}/email_verification/confirm"
    assert workos_fake.stats.requests[confirm] == 1


async def test_send_verification_sends_no_body(router: respx.Router) -> None:
    """The spec declares no request body (the official SDK sends one)."""
    route = router.post("/user_management/users/user_01/email_verification/send").respond(
        200, json={"user": user_json("user_01")}
    )
    async with async_make_client(router) as client:
        await client.email_verification.send("user_01")
    assert route.calls.last.request.content == b""


async def test_bad_input_is_refused_before_sending(router: respx.Router) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match="email must not be empty"):
            await client.magic_auth.create(email="")
        with pytest.raises(InvalidArgumentError, match="invitation_token must be a string"):
            await client.magic_auth.create(email="a@b.co", invitation_token=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="code must not be empty"):
            await client.email_verification.confirm("user_01", "")
        with pytest.raises(InvalidArgumentError, match="user_id must not be empty"):
            await client.email_verification.send("")
        with pytest.raises(InvalidArgumentError, match="email"):
            await client.password_reset.create(email="")
        with pytest.raises(InvalidArgumentError, match="token must not be empty"):
            await client.password_reset.reset_password(token="", new_password="x")
        with pytest.raises(InvalidArgumentError, match="new_password"):
            await client.password_reset.reset_password(token="t", new_password="")
    assert not router.calls
