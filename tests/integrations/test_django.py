"""The Django integration: a real Django project (tests/integrations/django_project) through
Django's test client, signing in at the fake's hosted page (issue 17's acceptance list)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.integrations.django_project.settings")

import django

django.setup()

from django.test import Client, override_settings  # noqa: E402

from tests.integrations.helpers import (  # noqa: E402
    COOKIE,
    COOKIE_PASSWORD,
    PASSWORD,
    bound_client,
    path_of,
    query_of,
    sign_in_at_fake,
)
from workos_authkit import WorkOS  # noqa: E402
from workos_authkit.integrations.django import get_authkit  # noqa: E402
from workos_authkit.testing import FakeWorkOS  # noqa: E402

AUTHENTICATE = "POST /user_management/authenticate"
HTML = {"Accept": "text/html"}


@pytest.fixture
def fake() -> FakeWorkOS:
    fake = FakeWorkOS()
    org = fake.add_organization("Acme")
    ada = fake.add_user("ada@example.com", password=PASSWORD)
    fake.add_membership(ada["id"], org["id"], role_slug="admin")
    bob = fake.add_user("bob@example.com", password=PASSWORD)
    fake.add_membership(bob["id"], org["id"])
    fake.clock.freeze()
    return fake


@pytest.fixture
def workos(fake: FakeWorkOS) -> Iterator[WorkOS]:
    client = bound_client(fake)
    with override_settings(WORKOS_CLIENT=client):
        yield client


@pytest.fixture
def browser(workos: WorkOS) -> Client:
    return Client()


def start(browser: Client, return_to: str = "/") -> str:
    response = browser.get("/auth/login/", {"return_to": return_to})
    assert response.status_code == 302
    assert [c for c in response.cookies if c.startswith("wos-auth-verifier-")]
    location: str = response["Location"]
    return location


def sign_in(
    browser: Client, fake: FakeWorkOS, email: str = "ada@example.com", return_to: str = "/"
) -> Any:
    callback = sign_in_at_fake(fake, start(browser, return_to), email, PASSWORD)
    response = browser.get(path_of(callback))
    assert response.status_code == 302, response.content
    assert response["Location"] == return_to
    return response


def live_cookie(browser: Client, name: str = COOKIE) -> str | None:
    morsel = browser.cookies.get(name)
    return morsel.value if morsel is not None and morsel.value else None


def test_unauthenticated_pages_redirect_to_login_and_apis_answer_401(browser: Client) -> None:
    page = browser.get("/users/?x=1", headers=HTML)
    assert page.status_code == 302
    assert page["Location"] == "/auth/login/?return_to=/users/%3Fx%3D1"
    api = browser.get("/api/me/", headers={"Accept": "application/json"})
    assert api.status_code == 401 and api["WWW-Authenticate"] == "Bearer"


def test_login_callback_sets_the_cookie_and_the_page_shows_the_user(
    browser: Client, fake: FakeWorkOS
) -> None:
    authorize = start(browser, "/users/")
    assert query_of(authorize)["redirect_uri"] == "http://testserver/auth/callback/"
    response = sign_in(browser, fake, return_to="/users/")
    morsel = response.cookies[COOKIE]
    assert morsel.value.startswith("Fe26.2*")
    assert morsel["httponly"] and morsel["samesite"] == "Lax" and morsel["path"] == "/"
    assert morsel["max-age"] == 400 * 86400 and not morsel["secure"]
    (attempt,) = [m for n, m in response.cookies.items() if n.startswith("wos-auth-verifier-")]
    assert attempt["max-age"] == 0
    page = browser.get("/")
    assert page.status_code == 200 and b"Hello ada@example.com" in page.content
    assert COOKIE not in page.cookies


def test_expired_access_token_is_refreshed_and_the_new_cookie_set(
    browser: Client, fake: FakeWorkOS
) -> None:
    sign_in(browser, fake)
    old = live_cookie(browser)
    fake.clock.advance(400)
    before = fake.stats.requests[AUTHENTICATE]
    page = browser.get("/")
    assert page.status_code == 200 and b"ada@example.com" in page.content
    assert fake.stats.requests[AUTHENTICATE] == before + 1
    assert page.cookies[COOKIE].value.startswith("Fe26.2*") and live_cookie(browser) != old
    assert COOKIE not in browser.get("/").cookies
    assert fake.stats.requests[AUTHENTICATE] == before + 1


def test_a_tampered_cookie_signs_out(browser: Client, fake: FakeWorkOS) -> None:
    sign_in(browser, fake)
    good = live_cookie(browser)
    assert good is not None
    browser.cookies[COOKIE] = good[:40] + ("A" if good[40] != "A" else "B") + good[41:]
    page = browser.get("/", headers=HTML)
    assert page.status_code == 302 and page["Location"].startswith("/auth/login/")
    assert page.cookies[COOKIE]["max-age"] == 0
    assert browser.get("/api/me/").status_code == 401


def test_logout_revokes_the_session_and_clears_the_cookie(
    browser: Client, fake: FakeWorkOS
) -> None:
    sign_in(browser, fake)
    (sid,) = fake.sessions
    response = browser.get("/auth/logout/")
    assert response.status_code == 302
    assert query_of(response["Location"])["session_id"] == sid
    assert fake.sessions[sid]["status"] == "revoked"
    assert response.cookies[COOKIE]["max-age"] == 0 and live_cookie(browser) is None
    assert browser.get("/api/me/").status_code == 401


def test_state_mismatch_on_callback_is_rejected(browser: Client, fake: FakeWorkOS) -> None:
    callback = sign_in_at_fake(fake, start(browser), "ada@example.com", PASSWORD)
    query = query_of(callback)
    forged = browser.get("/auth/callback/", {**query, "state": "forged-state"})
    assert forged.status_code == 400 and b"no sign-in attempt" in forged.content
    elsewhere = Client().get(path_of(callback))  # another browser: no attempt cookie
    assert elsewhere.status_code == 400 and COOKIE not in elsewhere.cookies
    assert live_cookie(browser) is None
    assert browser.get(path_of(callback)).status_code == 302


def test_two_sign_ins_in_parallel_both_complete(browser: Client, fake: FakeWorkOS) -> None:
    first, second = start(browser, "/users/"), start(browser, "/")
    cb_first = sign_in_at_fake(fake, first, "ada@example.com", PASSWORD)
    cb_second = sign_in_at_fake(fake, second, "ada@example.com", PASSWORD)
    assert browser.get(path_of(cb_second))["Location"] == "/"
    assert browser.get(path_of(cb_first))["Location"] == "/users/"
    assert browser.get("/users/").status_code == 200


def test_a_user_without_the_permission_is_denied(workos: WorkOS, fake: FakeWorkOS) -> None:
    ada, bob = Client(), Client()
    sign_in(ada, fake, "ada@example.com")
    sign_in(bob, fake, "bob@example.com")
    assert ada.get("/users/").status_code == 200
    assert bob.get("/users/").status_code == 403
    assert Client().get("/users/").status_code == 401


def test_no_secret_in_logs_or_reprs(
    browser: Client, fake: FakeWorkOS, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sign_in(browser, fake)
    cookie = live_cookie(browser)
    assert cookie is not None
    fake.clock.advance(400)
    browser.get("/")
    browser.cookies[COOKIE] = cookie[:-5]
    browser.get("/")
    kit = get_authkit()
    text = caplog.text + repr(kit) + repr(kit.settings) + repr(kit.cookies)
    for secret in (COOKIE_PASSWORD, cookie, fake.api_key, PASSWORD):
        assert secret not in text


def test_logout_after_expiry_still_revokes(browser: Client, fake: FakeWorkOS) -> None:
    sign_in(browser, fake)
    fake.clock.advance(400)
    response = browser.get("/auth/logout/")
    assert all(s["status"] == "revoked" for s in fake.sessions.values())
    assert response.cookies[COOKIE]["max-age"] == 0  # not re-set by the refresh
