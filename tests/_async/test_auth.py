# source-of-truth: async
"""Authentication end to end against FakeWorkOS, every request checked against the spec."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests._async.helpers import async_spec_client, fake_call
from tests.spec_contract import spec
from workos_authkit import (
    AuthenticationResponse,
    BadRequestError,
    DeviceAccessDenied,
    DeviceCodeExpired,
    EmailVerificationRequired,
    InvalidArgumentError,
    MfaChallengeRequired,
    MfaEnrollmentRequired,
    OrganizationAuthMethodsRequired,
    OrganizationSelectionRequired,
    SsoRequired,
    pkce,
)
from workos_authkit.testing import FakeWorkOS, totp

pytestmark = pytest.mark.anyio

PASSWORD = "correct horse battery staple"


def _follow(fake: FakeWorkOS, url: str) -> dict[str, str]:
    """Open an authorize URL in the fake's "browser"; the query of the redirect it answers with."""
    parts = urlsplit(url)
    response = fake.handle("GET", parts.path, dict(parse_qsl(parts.query)))
    assert response.status == 302, response.body
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))


async def test_authorization_url_fits_the_spec_and_code_pkce_signs_in(
    workos_fake: FakeWorkOS,
) -> None:
    workos_fake.add_user("ada@example.com", password=PASSWORD)
    workos_fake.default_user = "ada@example.com"
    pair = pkce.generate()
    async with async_spec_client(workos_fake) as client:
        url = client.auth.get_authorization_url(
            redirect_uri="https://app.example.com/callback",
            provider="authkit",
            state="s-1",
            code_challenge=pair.code_challenge,
            screen_hint="sign-in",
            login_hint="ada@example.com",
            domain_hint="example.com",
            provider_scopes=["openid", "profile"],
            provider_query_params={"hd": "example.com", "access_type": "offline"},
            invitation_token="inv_tok",
            prompt="login",
        )
        spec().validate_request(httpx.Request("GET", url))
        query = parse_qsl(urlsplit(url).query)
        assert ("hd", "example.com") in query  # exploded form style, not a dict repr
        assert ("provider_scopes", "openid,profile") in query
        assert ("code_challenge_method", "S256") in query
        redirect = _follow(workos_fake, url)
        assert redirect["state"] == "s-1"
        with pytest.raises(BadRequestError):  # a wrong verifier does not redeem the code
            await client.auth.authenticate_with_code(
                code=redirect["code"], code_verifier=pkce.code_verifier()
            )
        redirect = _follow(workos_fake, url)
        response = await client.auth.authenticate_with_code(
            code=redirect["code"], code_verifier=pair.code_verifier
        )
    assert isinstance(response, AuthenticationResponse)
    assert response.user.email == "ada@example.com"
    assert response.authentication_method == "Password"
    assert pair.code_verifier not in repr(pair)
    assert response.access_token not in repr(response)
    assert response.refresh_token not in repr(response)


async def test_authorization_url_needs_exactly_one_target(workos_fake: FakeWorkOS) -> None:
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(InvalidArgumentError, match="exactly one"):
            client.auth.get_authorization_url(redirect_uri="https://a.example/cb")
        with pytest.raises(InvalidArgumentError, match="exactly one"):
            client.auth.get_authorization_url(
                redirect_uri="https://a.example/cb", provider="authkit", connection_id="conn_1"
            )
        with pytest.raises(InvalidArgumentError, match="provider_query_params"):
            client.auth.get_authorization_url(
                redirect_uri="https://a.example/cb",
                organization_id="org_1",
                provider_query_params={"state": "x"},
            )
        url = client.auth.get_authorization_url(
            redirect_uri="https://a.example/cb", connection_id="conn_1"
        )
        spec().validate_request(httpx.Request("GET", url))
        logout = client.auth.get_logout_url("session_1", return_to="https://a.example/bye")
        spec().validate_request(httpx.Request("GET", logout))
    assert url.startswith(f"{workos_fake.base_url}/user_management/authorize?client_id=")


async def test_password_sessions_refresh_rotation_and_revoke(workos_fake: FakeWorkOS) -> None:
    org = workos_fake.add_organization("Acme")
    user = workos_fake.add_user("ada@example.com", password=PASSWORD)
    workos_fake.add_membership(user["id"], org["id"], role_slug="admin")
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(BadRequestError) as info:
            await client.auth.authenticate_with_password(email="ada@example.com", password="nope")
        assert info.value.code == "invalid_credentials"
        assert "nope" not in str(info.value) + repr(info.value)
        first = await client.auth.authenticate_with_password(
            email="ada@example.com", password=PASSWORD, ip_address="203.0.113.9", user_agent="t/1"
        )
        assert first.organization_id == org["id"]
        claims = await client.auth.verify_access_token(first.access_token)
        assert (claims.sub, claims.org_id, claims.role) == (user["id"], org["id"], "admin")
        assert claims.permissions == ["users:read", "users:write"]
        assert claims.sid
        sessions = [s async for s in client.sessions.list(user["id"])]
        assert [(s.id, s.status, s.ip_address) for s in sessions] == [
            (claims.sid, "active", "203.0.113.9")
        ]
        second = await client.auth.authenticate_with_refresh_token(
            refresh_token=first.refresh_token
        )
        assert second.refresh_token != first.refresh_token
        with pytest.raises(BadRequestError) as info:  # single use
            await client.auth.authenticate_with_refresh_token(refresh_token=first.refresh_token)
        assert info.value.code == "invalid_grant"
        await client.sessions.revoke(claims.sid)
        with pytest.raises(BadRequestError):
            await client.auth.authenticate_with_refresh_token(refresh_token=second.refresh_token)
        assert [s.status async for s in client.sessions.list(user["id"])] == ["revoked"]


async def test_magic_auth(workos_fake: FakeWorkOS) -> None:
    workos_fake.add_user("ada@example.com")
    fake_call(workos_fake, "POST", "/user_management/magic_auth", {"email": "ada@example.com"})
    code = workos_fake.last_email("ada@example.com", "magic_auth").code
    assert code is not None
    async with async_spec_client(workos_fake) as client:
        response = await client.auth.authenticate_with_magic_auth(
            code=code, email="ada@example.com"
        )
    assert response.authentication_method == "MagicAuth"


async def test_email_verification_required_then_verify(workos_fake: FakeWorkOS) -> None:
    workos_fake.add_user("ada@example.com", password=PASSWORD, email_verified=False)
    workos_fake.require_on_sign_in("ada@example.com", "email_verification_required")
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(EmailVerificationRequired) as info:
            await client.auth.authenticate_with_password(email="ada@example.com", password=PASSWORD)
        err = info.value
        assert (err.status_code, err.email) == (403, "ada@example.com")
        assert err.email_verification_id and err.pending_authentication_token
        assert err.pending_authentication_token not in str(err) + repr(err)
        code = workos_fake.last_email("ada@example.com", "email_verification").code
        assert code is not None
        response = await client.auth.authenticate_with_email_verification(
            code=code, pending_authentication_token=err.pending_authentication_token
        )
    assert response.user.email_verified


async def test_mfa_enrollment_then_challenge_then_totp(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com", password=PASSWORD)
    workos_fake.require_on_sign_in("ada@example.com", "mfa_enrollment")
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(MfaEnrollmentRequired) as enroll:
            await client.auth.authenticate_with_password(email="ada@example.com", password=PASSWORD)
        assert enroll.value.user is not None and enroll.value.user.id == user["id"]
        factor = fake_call(
            workos_fake,
            "POST",
            f"/user_management/users/{user['id']}/auth_factors",
            {"type": "totp"},
        )
        challenge_id = factor["authentication_challenge"]["id"]
        secret = workos_fake.totp_secret(factor["authentication_factor"]["id"])
        token = enroll.value.pending_authentication_token
        assert token is not None
        response = await client.auth.authenticate_with_totp(
            code=totp(secret, workos_fake.clock.now()),
            authentication_challenge_id=challenge_id,
            pending_authentication_token=token,
        )
        assert response.user.id == user["id"]
        workos_fake.require_on_sign_in("ada@example.com", "mfa_challenge")
        with pytest.raises(MfaChallengeRequired) as challenge:
            await client.auth.authenticate_with_password(email="ada@example.com", password=PASSWORD)
        factors = challenge.value.authentication_factors
        assert [f.type for f in factors] == ["totp"]


async def test_organization_selection(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com", password=PASSWORD)
    orgs = [workos_fake.add_organization(n) for n in ("Acme", "Globex")]
    for org in orgs:
        workos_fake.add_membership(user["id"], org["id"])
    workos_fake.require_on_sign_in("ada@example.com", "organization_selection_required")
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(OrganizationSelectionRequired) as info:
            await client.auth.authenticate_with_password(email="ada@example.com", password=PASSWORD)
        assert {o.name for o in info.value.organizations} == {"Acme", "Globex"}
        token = info.value.pending_authentication_token
        assert token is not None
        response = await client.auth.authenticate_with_organization_selection(
            organization_id=orgs[1]["id"], pending_authentication_token=token
        )
    assert response.organization_id == orgs[1]["id"]


async def test_sso_and_org_auth_methods_required_in_the_400_oauth_form(
    workos_fake: FakeWorkOS,
) -> None:
    workos_fake.add_user("ada@example.com", password=PASSWORD)
    workos_fake.require_on_sign_in("ada@example.com", "sso_required")
    workos_fake.require_on_sign_in(
        "ada@example.com", "organization_authentication_methods_required"
    )
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(SsoRequired) as sso:
            await client.auth.authenticate_with_password(email="ada@example.com", password=PASSWORD)
        assert sso.value.status_code == 400
        assert sso.value.connection_ids and sso.value.email == "ada@example.com"
        url = client.auth.get_authorization_url(
            redirect_uri="https://a.example/cb",
            connection_id=sso.value.connection_ids[0],
            login_hint="ada@example.com",
        )
        with pytest.raises(OrganizationAuthMethodsRequired) as methods:
            await client.auth.authenticate_with_password(email="ada@example.com", password=PASSWORD)
        assert methods.value.auth_methods is not None and methods.value.auth_methods.magic_auth
        code = _follow(workos_fake, url)["code"]  # SSO sign-in through the connection
        response = await client.auth.authenticate_with_code(code=code)
    assert response.authentication_method == "SSO"


async def test_device_flow_pending_slow_down_then_tokens(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    async with async_spec_client(workos_fake) as client:
        device = await client.cli_auth.authorize_device()
        assert device.device_code not in repr(device)
        with pytest.raises(BadRequestError) as info:
            await client.auth.authenticate_with_device_code(device_code=device.device_code)
        assert info.value.code == "authorization_pending"
        workos_fake.approve_device(device.user_code, user["id"])
        response = await client.cli_auth.poll_for_token(device.device_code)
        assert response.user.id == user["id"]
        denied = await client.cli_auth.authorize_device()
        workos_fake.deny_device(denied.user_code)
        with pytest.raises(DeviceAccessDenied):
            await client.cli_auth.poll_for_token(denied.device_code)
        expired = await client.cli_auth.authorize_device()
        workos_fake.clock.advance(expired.expires_in + 1)
        with pytest.raises(DeviceCodeExpired):
            await client.cli_auth.poll_for_token(expired.device_code)


async def test_poll_for_token_keeps_polling_and_slows_down(workos_fake: FakeWorkOS) -> None:
    user = workos_fake.add_user("ada@example.com")
    async with async_spec_client(workos_fake) as client:
        device = await client.cli_auth.authorize_device()
        sleeps = client._clock.sleeps  # type: ignore[attr-defined]
        original = client._clock.sleep

        async def sleep_then_approve(seconds: float) -> None:
            await original(seconds)
            if len(sleeps) == 3:
                workos_fake.approve_device(device.user_code, user["id"])

        client._clock.sleep = sleep_then_approve  # type: ignore[method-assign]
        # interval=1 polls faster than the fake's 5 s: the fake answers slow_down, +5 s each time
        response = await client.cli_auth.poll_for_token(device.device_code, interval=1)
    assert response.user.id == user["id"]
    assert sleeps == [1.0, 6.0, 11.0]  # pending, then slow_down twice


async def test_poll_for_token_stops_at_the_deadline(workos_fake: FakeWorkOS) -> None:
    from workos_authkit import APITimeoutError, RequestOptions

    async with async_spec_client(workos_fake) as client:
        device = await client.cli_auth.authorize_device()
        start = client._clock.monotonic()
        with pytest.raises(APITimeoutError, match="still pending"):
            await client.cli_auth.poll_for_token(
                device.device_code, interval=5, options=RequestOptions(deadline=12)
            )
        assert client._clock.monotonic() - start <= 12
