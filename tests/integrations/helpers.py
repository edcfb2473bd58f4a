"""Shared by the framework integration tests: a user signing in at the fake's hosted page, and
clocks that read the fake's time (so access-token expiry follows ``fake.clock``)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import httpx

from workos_authkit import AsyncWorkOS, WorkOS
from workos_authkit._concurrency import AsyncClock, Clock
from workos_authkit.testing import FakeWorkOS

PASSWORD = "correct horse battery staple"
COOKIE_PASSWORD = "an-integration-cookie-password-32-chars-at-least"
COOKIE = "wos-session"
_HIDDEN = re.compile(r"<input type='hidden' name='([^']*)' value='([^']*)'>")


class FakeTimeAsyncClock(AsyncClock):
    def __init__(self, fake: FakeWorkOS) -> None:
        self.fake = fake

    def time(self) -> float:
        return self.fake.clock.now()


class FakeTimeClock(Clock):
    def __init__(self, fake: FakeWorkOS) -> None:
        self.fake = fake

    def time(self) -> float:
        return self.fake.clock.now()


def bound_client(fake: FakeWorkOS) -> WorkOS:
    """A sync client answered in-process by ``fake``, on its clock."""
    return WorkOS(
        api_key=fake.api_key,
        client_id=fake.client_id,
        base_url=fake.base_url,
        transport=fake.transport,
        clock=FakeTimeClock(fake),
    )


def bound_async_client(fake: FakeWorkOS) -> AsyncWorkOS:
    """An async client answered in-process by ``fake``, on its clock."""
    return AsyncWorkOS(
        api_key=fake.api_key,
        client_id=fake.client_id,
        base_url=fake.base_url,
        transport=fake.transport,
        clock=FakeTimeAsyncClock(fake),
    )


def sign_in_at_fake(fake: FakeWorkOS, authorize_url: str, email: str, password: str) -> str:
    """What a person does on the hosted sign-in page; returns the callback URL it redirects to."""
    with httpx.Client(transport=fake.transport, base_url=fake.base_url) as http:
        page = http.get(authorize_url)
        assert page.status_code == 200, page.text
        form = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
        done = http.post(
            "/user_management/authorize", data={**form, "email": email, "password": password}
        )
    assert done.status_code == 302, done.text
    return done.headers["location"]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))
