# source-of-truth: async
"""Sealed session cookies against FakeWorkOS: authenticate, expiry, refresh, logout URL."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests._async.helpers import async_spec_client
from workos_authkit import (
    ConfigurationError,
    RefreshedSession,
    SessionFailure,
    SessionFailureReason,
)
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio

PASSWORD = "correct horse battery staple"
COOKIE_PASSWORD = "a-cookie-password-of-at-least-32-chars"
AUTHENTICATE = "POST /user_management/authenticate"
JWKS = "GET /sso/jwks/{clientId}"


async def test_authenticate_expire_refresh_logout(
    workos_fake: FakeWorkOS, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    org = workos_fake.add_organization("Acme")
    user = workos_fake.add_user("ada@example.com", password=PASSWORD)
    workos_fake.add_membership(user["id"], org["id"], role_slug="admin")
    async with async_spec_client(workos_fake) as client:
        cookies = client.session_cookies(cookie_password=COOKIE_PASSWORD)
        response = await client.auth.authenticate_with_password(
            email="ada@example.com", password=PASSWORD
        )
        cookie = cookies.seal(response)
        assert cookie.startswith("Fe26.2*")
        session = await cookies.authenticate(cookie)
        assert not isinstance(session, SessionFailure)
        assert (session.user.id, session.organization_id, session.role) == (
            user["id"],
            org["id"],
            "admin",
        )
        before = dict(workos_fake.stats.requests)
        for _ in range(5):
            assert (await cookies.authenticate(cookie)).authenticated
        assert workos_fake.stats.requests == before  # no request once the key set is cached

        assert (await cookies.authenticate(None)) == SessionFailure(
            reason=SessionFailureReason.NO_SESSION_COOKIE
        )
        bad = await cookies.authenticate(cookie[:-10])
        assert isinstance(bad, SessionFailure)
        assert bad.reason is SessionFailureReason.INVALID_SESSION_COOKIE
        other = client.session_cookies(cookie_password="another-password-32-chars-long-xx")
        wrong = await other.authenticate(cookie)
        assert isinstance(wrong, SessionFailure)
        assert wrong.reason is SessionFailureReason.INVALID_SESSION_COOKIE

        workos_fake.clock.advance(400)  # the access token (300 s) expires on the fake's clock
        expired = await cookies.authenticate(cookie)
        assert isinstance(expired, SessionFailure)
        assert expired.reason is SessionFailureReason.EXPIRED_ACCESS_TOKEN
        logout = cookies.get_logout_url(cookie, return_to="https://app.example/bye")
        query = dict(parse_qsl(urlsplit(logout).query))
        assert query == {"session_id": session.session_id, "return_to": "https://app.example/bye"}

        refreshed = await cookies.refresh(cookie)
        assert isinstance(refreshed, RefreshedSession)
        assert refreshed.session.user.id == user["id"]
        assert (await cookies.authenticate(refreshed.sealed_session)).authenticated
        again = await cookies.refresh(cookie)  # within the result cache: the same new cookie
        assert isinstance(again, RefreshedSession)
        assert again.sealed_session == refreshed.sealed_session

        await client.sessions.revoke(session.session_id)
        cookies_later = client.session_cookies(cookie_password=COOKIE_PASSWORD)
        denied = await cookies_later.refresh(refreshed.sealed_session)
        assert isinstance(denied, SessionFailure)
        assert denied.reason is SessionFailureReason.REFRESH_DENIED
        text = caplog.text + repr(cookies) + repr(session) + repr(refreshed) + repr(denied)
    for secret in (
        cookie,
        refreshed.sealed_session,
        response.refresh_token,
        response.access_token,
        COOKIE_PASSWORD,
        PASSWORD,
    ):
        assert secret not in text


async def test_cookie_password_must_be_long_enough(workos_fake: FakeWorkOS) -> None:
    async with async_spec_client(workos_fake) as client:
        with pytest.raises(ConfigurationError):
            client.session_cookies(cookie_password="short")
