"""The Starlette/FastAPI integration: a real FastAPI app through Starlette's TestClient, signing in
at the fake's hosted page (issue 17's acceptance list)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from starlette.testclient import TestClient

from tests.integrations.helpers import (
    COOKIE,
    COOKIE_PASSWORD,
    PASSWORD,
    bound_async_client,
    path_of,
    query_of,
    sign_in_at_fake,
)
from workos_authkit import AccessTokenClaims, AuthenticatedSession
from workos_authkit.integrations.starlette import (
    AuthKit,
    AuthKitSettings,
    require_access_token,
    require_organization,
    require_permission,
    require_role,
    require_session,
)
from workos_authkit.testing import FakeWorkOS

AUTHENTICATE = "POST /user_management/authenticate"


def make_app(fake: FakeWorkOS, cookie_password: str = COOKIE_PASSWORD) -> tuple[FastAPI, AuthKit]:
    if not fake.clock.frozen:
        fake.clock.freeze()
    client = bound_async_client(fake)
    settings = AuthKitSettings(
        redirect_uri="http://testserver/callback", cookie_password=cookie_password
    )
    authkit = AuthKit(client, settings)
    app = FastAPI()
    authkit.install(app)

    @app.get("/", response_class=HTMLResponse)
    async def home(session: Annotated[AuthenticatedSession, Depends(require_session)]) -> str:
        return f"<p>Hello {session.user.email}</p>"

    @app.get("/dashboard", response_class=HTMLResponse)
    async def dashboard(session: Annotated[AuthenticatedSession, Depends(require_session)]) -> str:
        return f"<p>Dashboard of {session.user.email}</p>"

    @app.get("/api/me")
    async def me(
        claims: Annotated[AccessTokenClaims, Depends(require_access_token)],
    ) -> dict[str, Any]:
        return {"sub": claims.sub, "org_id": claims.org_id}

    @app.get("/api/users", dependencies=[Depends(require_permission("users:write"))])
    async def users() -> dict[str, str]:
        return {"ok": "users:write"}

    @app.get("/api/admin", dependencies=[Depends(require_role("admin"))])
    async def admin() -> dict[str, str]:
        return {"ok": "admin"}

    @app.get("/api/org", dependencies=[Depends(require_organization())])
    async def org() -> dict[str, str]:
        return {"ok": "org"}

    return app, authkit


@pytest.fixture
def fake() -> FakeWorkOS:
    fake = FakeWorkOS()
    org = fake.add_organization("Acme")
    ada = fake.add_user("ada@example.com", password=PASSWORD)
    fake.add_membership(ada["id"], org["id"], role_slug="admin")
    bob = fake.add_user("bob@example.com", password=PASSWORD)
    fake.add_membership(bob["id"], org["id"])  # the default role: member, no permissions
    return fake


@pytest.fixture
def app(fake: FakeWorkOS) -> FastAPI:
    return make_app(fake)[0]


@pytest.fixture
def browser(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield client


def start(browser: TestClient, return_to: str = "/") -> str:
    """GET /login: the authorization URL the browser is sent to."""
    response = browser.get("/login", params={"return_to": return_to})
    assert response.status_code == 302
    assert "wos-auth-verifier-" in response.headers["set-cookie"]
    return response.headers["location"]


def sign_in(
    browser: TestClient, fake: FakeWorkOS, email: str = "ada@example.com", return_to: str = "/"
) -> None:
    callback = sign_in_at_fake(fake, start(browser, return_to), email, PASSWORD)
    response = browser.get(path_of(callback))
    assert response.status_code == 302, response.text
    assert response.headers["location"] == return_to


def set_cookies(response: Any) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k == "set-cookie"]


def replace_cookie(browser: TestClient, value: str) -> None:
    browser.cookies.delete(COOKIE)
    browser.cookies.set(COOKIE, value)


def test_unauthenticated_pages_redirect_to_login_and_apis_answer_401(browser: TestClient) -> None:
    page = browser.get("/dashboard?tab=2", headers={"Accept": "text/html"})
    assert page.status_code == 302
    assert page.headers["location"] == "/login?return_to=/dashboard%3Ftab%3D2"
    api = browser.get("/api/me", headers={"Accept": "application/json"})
    assert api.status_code == 401
    assert api.headers["www-authenticate"] == "Bearer"


def test_login_callback_sets_the_cookie_and_the_page_shows_the_user(
    browser: TestClient, fake: FakeWorkOS
) -> None:
    authorize = start(browser, "/dashboard")
    query = query_of(authorize)
    assert query["client_id"] == fake.client_id
    assert query["redirect_uri"] == "http://testserver/callback"
    assert query["code_challenge_method"] == "S256" and query["state"]
    callback = sign_in_at_fake(fake, authorize, "ada@example.com", PASSWORD)
    response = browser.get(path_of(callback))
    assert response.status_code == 302 and response.headers["location"] == "/dashboard"
    session_header, attempt_header = set_cookies(response)
    assert session_header.startswith(f"{COOKIE}=Fe26.2*")
    for attribute in ("Path=/", "HttpOnly", "SameSite=Lax", f"Max-Age={400 * 86400}"):
        assert attribute in session_header
    assert "Secure" not in session_header  # http:// redirect URI: local development
    assert attempt_header.startswith("wos-auth-verifier-") and "Max-Age=0" in attempt_header
    assert not [c for c in browser.cookies if c.startswith("wos-auth-verifier-")]

    page = browser.get("/dashboard")
    assert page.status_code == 200 and "Dashboard of ada@example.com" in page.text
    assert "set-cookie" not in page.headers
    ada = next(u for u in fake.users.values() if u["email"] == "ada@example.com")
    assert browser.get("/api/me").json()["sub"] == ada["id"]


def test_expired_access_token_is_refreshed_and_the_new_cookie_set(
    browser: TestClient, fake: FakeWorkOS
) -> None:
    sign_in(browser, fake)
    old = browser.cookies[COOKIE]
    fake.clock.advance(400)  # the fake's access tokens live 300 s
    before = fake.stats.requests[AUTHENTICATE]
    page = browser.get("/")
    assert page.status_code == 200 and "ada@example.com" in page.text
    assert fake.stats.requests[AUTHENTICATE] == before + 1
    (header,) = set_cookies(page)
    assert header.startswith(f"{COOKIE}=Fe26.2*") and "HttpOnly" in header
    assert browser.cookies[COOKIE] != old
    assert "set-cookie" not in browser.get("/").headers  # the new cookie needs no refresh
    assert fake.stats.requests[AUTHENTICATE] == before + 1


def test_a_tampered_cookie_signs_out(browser: TestClient, fake: FakeWorkOS) -> None:
    sign_in(browser, fake)
    good = browser.cookies[COOKIE]
    replace_cookie(browser, good[:40] + ("A" if good[40] != "A" else "B") + good[41:])
    page = browser.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 302 and page.headers["location"].startswith("/login")
    (header,) = set_cookies(page)
    assert header.startswith(f"{COOKIE}=;") and "Max-Age=0" in header
    assert browser.get("/api/me").status_code == 401


def test_logout_revokes_the_session_and_clears_the_cookie(
    browser: TestClient, fake: FakeWorkOS
) -> None:
    sign_in(browser, fake)
    (sid,) = fake.sessions
    response = browser.get("/logout")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(f"{fake.base_url}/user_management/sessions/logout")
    assert query_of(location)["session_id"] == sid
    assert fake.sessions[sid]["status"] == "revoked"
    (header,) = set_cookies(response)
    assert header.startswith(f"{COOKIE}=;") and "Max-Age=0" in header
    assert COOKIE not in browser.cookies
    assert browser.get("/api/me").status_code == 401


def test_logout_after_expiry_still_revokes(browser: TestClient, fake: FakeWorkOS) -> None:
    sign_in(browser, fake)
    fake.clock.advance(400)
    response = browser.post("/logout")
    assert response.status_code == 303
    assert all(s["status"] == "revoked" for s in fake.sessions.values())
    headers = set_cookies(response)
    assert len(headers) == 1 and "Max-Age=0" in headers[0]  # not re-set by the refresh


def test_state_mismatch_on_callback_is_rejected(
    browser: TestClient, app: FastAPI, fake: FakeWorkOS
) -> None:
    callback = sign_in_at_fake(fake, start(browser), "ada@example.com", PASSWORD)
    query = query_of(callback)
    forged = browser.get("/callback", params={**query, "state": "forged-state"})
    assert forged.status_code == 400 and "no sign-in attempt" in forged.text
    # the same link opened in another browser (login CSRF): no attempt cookie there
    with TestClient(app, follow_redirects=False) as other:
        elsewhere = other.get(path_of(callback))
        assert elsewhere.status_code == 400 and COOKIE not in other.cookies
    assert browser.get("/callback", params={"state": query["state"]}).status_code == 400
    assert browser.get("/callback?error=access_denied&state=x").status_code == 400
    assert COOKIE not in browser.cookies
    assert browser.get(path_of(callback)).status_code == 302  # the real one still completes


def test_two_sign_ins_in_parallel_both_complete(browser: TestClient, fake: FakeWorkOS) -> None:
    first = start(browser, "/dashboard")
    second = start(browser, "/")
    verifiers = [c for c in browser.cookies if c.startswith("wos-auth-verifier-")]
    assert len(verifiers) == 2
    cb_first = sign_in_at_fake(fake, first, "ada@example.com", PASSWORD)
    cb_second = sign_in_at_fake(fake, second, "ada@example.com", PASSWORD)
    done_second = browser.get(path_of(cb_second))
    assert done_second.status_code == 302 and done_second.headers["location"] == "/"
    done_first = browser.get(path_of(cb_first))
    assert done_first.status_code == 302 and done_first.headers["location"] == "/dashboard"
    assert "ada@example.com" in browser.get("/dashboard").text


def test_permissions_roles_and_organization_from_the_token(app: FastAPI, fake: FakeWorkOS) -> None:
    with TestClient(app, follow_redirects=False) as ada:
        sign_in(ada, fake, "ada@example.com")
        assert ada.get("/api/users").status_code == 200
        assert ada.get("/api/admin").status_code == 200
        assert ada.get("/api/org").status_code == 200
    with TestClient(app, follow_redirects=False) as bob:
        sign_in(bob, fake, "bob@example.com")
        denied = bob.get("/api/users")
        assert denied.status_code == 403 and "users:write" in denied.text
        assert bob.get("/api/admin").status_code == 403
        assert bob.get("/api/org").status_code == 200
    with TestClient(app, follow_redirects=False) as anonymous:
        assert anonymous.get("/api/users").status_code == 401


def test_bearer_access_tokens_protect_apis(app: FastAPI, fake: FakeWorkOS) -> None:
    with TestClient(app, follow_redirects=False) as browser:
        sign_in(browser, fake)
        token = _access_token(fake, browser)
    with TestClient(app, follow_redirects=False) as api:
        ok = api.get("/api/users", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        bad = api.get("/api/users", headers={"Authorization": f"Bearer {token[:-4]}AAAA"})
        assert bad.status_code == 401
        fake.clock.advance(400)
        assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def _access_token(fake: FakeWorkOS, browser: TestClient) -> str:
    from workos_authkit.sealing import Sealer

    data = Sealer(COOKIE_PASSWORD).unseal(browser.cookies[COOKIE], now=fake.clock.now())
    token: str = data["accessToken"]
    return token


def test_open_redirects_are_refused(browser: TestClient, fake: FakeWorkOS) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        authorize = start(browser, target)
        callback = sign_in_at_fake(fake, authorize, "ada@example.com", PASSWORD)
        assert browser.get(path_of(callback)).headers["location"] == "/"


def test_no_secret_in_logs_or_reprs(
    browser: TestClient, fake: FakeWorkOS, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sign_in(browser, fake)
    cookie = browser.cookies[COOKIE]
    fake.clock.advance(400)
    browser.get("/")
    replace_cookie(browser, cookie[:-5])
    browser.get("/")
    authkit = make_app(fake)[1]
    text = caplog.text + repr(authkit) + repr(authkit.settings) + repr(authkit.flow)
    for secret in (COOKIE_PASSWORD, cookie, fake.api_key, PASSWORD):
        assert secret not in text
