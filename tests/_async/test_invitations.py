# source-of-truth: async
"""Invitations against FakeWorkOS (requests and responses checked against the spec)."""

from __future__ import annotations

import json

import pytest
import respx

from tests._async.helpers import async_checked_fake_client, async_make_client
from tests.spec_payloads import example
from workos_authkit import (
    BadRequestError,
    InvalidArgumentError,
    Invitation,
    NotFoundError,
    OutcomeUnknownError,
    RequestOptions,
)
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio


async def test_invite_find_by_token_accept_and_the_membership_is_active(
    workos_fake: FakeWorkOS,
) -> None:
    org = workos_fake.add_organization("Acme")
    inviter = workos_fake.add_user("boss@example.com")
    async with async_checked_fake_client(workos_fake) as client:
        sent = await client.invitations.send(
            email="ada@example.com",
            organization_id=org["id"],
            role_slug="admin",
            expires_in_days=3,
            inviter_user_id=inviter["id"],
            locale="fr-CA",
        )
        assert isinstance(sent, Invitation)
        assert (sent.state, sent.role_slug, sent.inviter_user_id) == (
            "pending",
            "admin",
            inviter["id"],
        )
        assert (sent.expires_at - sent.created_at).days == 3

        token = workos_fake.last_email("ada@example.com", "invitation").token
        assert token is not None
        found = await client.invitations.find_by_token(token)
        assert found == await client.invitations.get(sent.id)
        assert found.id == sent.id

        user = await client.users.create(email="ada@example.com")
        accepted = await client.invitations.accept(sent.id)
        assert (accepted.state, accepted.accepted_user_id) == ("accepted", user.id)
        assert accepted.accepted_at is not None

        (membership,) = [m async for m in client.organization_memberships.list(user_id=user.id)]
        assert (membership.status, membership.role.slug) == ("active", "admin")
        listed = [i.id async for i in client.invitations.list(organization_id=org["id"])]
        assert listed == [sent.id]
        assert [i.id async for i in client.invitations.list(email="nobody@example.com")] == []


async def test_resend_and_revoke(workos_fake: FakeWorkOS) -> None:
    async with async_checked_fake_client(workos_fake) as client:
        sent = await client.invitations.send(email="ada@example.com")
        again = await client.invitations.resend(sent.id)
        assert again.state == "pending"
        await client.invitations.resend(sent.id, locale="de")
        assert len(workos_fake.emails_to("ada@example.com", "invitation")) == 3
        revoked = await client.invitations.revoke(sent.id)
        assert revoked.state == "revoked"
        assert revoked.revoked_at is not None
        with pytest.raises(BadRequestError) as info:
            await client.invitations.resend(sent.id)
        assert info.value.code == "invite_revoked"
        with pytest.raises(BadRequestError) as info:
            await client.invitations.accept(sent.id)
        assert info.value.code == "invite_not_pending"
        with pytest.raises(NotFoundError):
            await client.invitations.find_by_token("not-a-token")


async def test_resend_sends_an_empty_object_and_accept_no_body(router: respx.Router) -> None:
    """The resend body is required by the spec but may be empty; accept declares none."""
    invitation = example("UserlandUserInvite")
    resend = router.post("/user_management/invitations/inv_1/resend").respond(200, json=invitation)
    accept = router.post("/user_management/invitations/inv_1/accept").respond(200, json=invitation)
    async with async_make_client(router) as client:
        await client.invitations.resend("inv_1")
        await client.invitations.accept("inv_1")
    assert json.loads(resend.calls.last.request.content) == {}
    assert accept.calls.last.request.content == b""


async def test_sending_is_never_repeated_after_an_unclear_outcome(workos_fake: FakeWorkOS) -> None:
    """Sending emails a person: one-shot, even when ambiguous retries are allowed."""
    workos_fake.faults.add("POST", "/user_management/invitations", drop="after")
    async with async_checked_fake_client(workos_fake) as client:
        with pytest.raises(OutcomeUnknownError):
            await client.invitations.send(
                email="ada@example.com", options=RequestOptions(retry_ambiguous=True)
            )
    assert len(workos_fake.emails_to("ada@example.com", "invitation")) == 1


async def test_the_token_is_not_in_the_repr(workos_fake: FakeWorkOS) -> None:
    async with async_checked_fake_client(workos_fake) as client:
        sent = await client.invitations.send(email="ada@example.com")
    assert sent.token not in repr(sent)
    assert "accept_invitation_url" not in repr(sent)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": ""}, "email must not be empty"),
        (
            {"email": "a@b.co", "expires_in_days": 0},
            "expires_in_days must be an integer from 1 to 30",
        ),
        ({"email": "a@b.co", "expires_in_days": 31}, "expires_in_days"),
        ({"email": "a@b.co", "expires_in_days": 7.5}, "expires_in_days"),
        ({"email": "a@b.co", "organization_id": 5}, "organization_id must be a string"),
        ({"email": "a@b.co", "locale": 5}, "locale must be a string"),
    ],
)
async def test_send_checks_arguments_before_sending(
    router: respx.Router, kwargs: dict[str, object], message: str
) -> None:
    async with async_make_client(router) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            await client.invitations.send(**kwargs)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="invitation_token must not be empty"):
            await client.invitations.find_by_token("")
        with pytest.raises(InvalidArgumentError, match="invitation_id"):
            await client.invitations.accept("")
    assert not router.calls
