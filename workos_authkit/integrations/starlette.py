"""AuthKit for Starlette and FastAPI (extra ``[starlette]``).

::

    from fastapi import Depends, FastAPI
    from workos_authkit.integrations.starlette import AuthKit, require_session

    app = FastAPI()
    authkit = AuthKit()  # WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_REDIRECT_URI, WORKOS_COOKIE_PASSWORD
    authkit.install(app)  # the middleware, and /login, /callback (the redirect URI's path), /logout

    @app.get("/")
    async def home(session=Depends(require_session)):
        return {"email": session.user.email}

The middleware checks the sealed session cookie on every request locally (no request to WorkOS
once the key set is cached), refreshes an expired access token (once for many concurrent
requests; across processes with a Redis ``store``), sets the new cookie on the response, and puts
the session (or ``None``) on ``request.state.authkit``. The dependencies answer 401 to API calls
and redirect page loads (``GET`` for HTML) to the login path; ``require_access_token`` and the
permission, role and organization checks also accept ``Authorization: Bearer <access token>``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request, cookie_parser
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._async import AsyncRedisStore, AsyncWorkOS
from .._async.web_flow import AsyncWebFlow
from ..models import AccessTokenClaims
from ..models.session_cookies import AuthenticatedSession
from .common import (
    AuthKitSettings,
    Cookie,
    RequestAuth,
    SignInError,
    bearer_token,
    has_permission,
    has_role,
    login_redirect,
    wants_redirect,
)

__all__ = [
    "AuthKit",
    "AuthKitMiddleware",
    "AuthKitSettings",
    "require_access_token",
    "require_organization",
    "require_permission",
    "require_role",
    "require_session",
]

_SCOPE_KEY = "workos_authkit"
_NO_SESSION = RequestAuth(session=None)


class AuthKit:
    """AuthKit configured once for an app: its routes and middleware over an ``AsyncWebFlow``.

    ``client`` defaults to an ``AsyncWorkOS`` built from ``settings`` (share one per process);
    ``settings`` to ``AuthKitSettings.from_env()``; ``store`` (an ``AsyncRedisStore``) makes
    refreshes single-flight across worker processes.
    """

    def __init__(
        self,
        client: AsyncWorkOS | None = None,
        settings: AuthKitSettings | None = None,
        *,
        store: AsyncRedisStore | None = None,
    ) -> None:
        self.flow = AsyncWebFlow(client, settings, store=store)
        self.settings: AuthKitSettings = self.flow.settings

    def __repr__(self) -> str:
        return f"AuthKit(settings={self.settings!r})"

    @property
    def routes(self) -> list[Route]:
        """``login_path``, the redirect URI's path and ``logout_path`` (GET; logout POST too)."""
        s = self.settings
        return [
            Route(s.login_path, self.login, methods=["GET"], name="authkit_login"),
            Route(s.callback_path, self.callback, methods=["GET"], name="authkit_callback"),
            Route(s.logout_path, self.logout, methods=["GET", "POST"], name="authkit_logout"),
        ]

    def install(self, app: Any) -> None:
        """Add the middleware and the routes to a Starlette or FastAPI ``app``."""
        app.add_middleware(AuthKitMiddleware, authkit=self)
        app.router.routes.extend(self.routes)

    async def login(self, request: Request) -> Response:
        start = self.flow.start(request.query_params.get("return_to"))
        response = RedirectResponse(start.authorization_url, status_code=302)
        _set(response, start.cookie)
        return response

    async def callback(self, request: Request) -> Response:
        try:
            target, cookies = await self.flow.callback(request.query_params, request.cookies)
        except SignInError as exc:
            return PlainTextResponse(f"Sign-in failed: {exc}", status_code=400)
        response = RedirectResponse(target, status_code=302)
        for cookie in cookies:
            _set(response, cookie)
        return response

    async def logout(self, request: Request) -> Response:
        cookie = request.cookies.get(self.settings.cookie_name)
        url, clear = await self.flow.sign_out(cookie)
        response = RedirectResponse(url, status_code=303 if request.method == "POST" else 302)
        _set(response, clear)
        return response


def _set(response: Response, cookie: Cookie) -> None:
    response.headers.append("set-cookie", cookie.header())


class AuthKitMiddleware:
    """ASGI middleware: the session of each request on ``request.state.authkit``."""

    def __init__(self, app: ASGIApp, authkit: AuthKit) -> None:
        self.app = app
        self.authkit = authkit
        self._prefix = authkit.settings.cookie_name + "="

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope[_SCOPE_KEY] = self.authkit
        cookie = None
        for name, value in scope["headers"]:
            if name == b"cookie" and self._prefix.encode() in value:
                cookie = cookie_parser(value.decode("latin-1")).get(
                    self.authkit.settings.cookie_name
                )
                break
        auth = await self.authkit.flow.authenticate(cookie) if cookie else _NO_SESSION
        scope.setdefault("state", {})["authkit"] = auth.session
        if auth.cookie is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = auth.cookie.header().encode("latin-1")
        own = self._prefix.encode("latin-1")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # a route that set the session cookie itself (callback, logout) wins
                if not any(k == b"set-cookie" and v.startswith(own) for k, v in headers):
                    headers.append((b"set-cookie", header))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _authkit(request: Request) -> AuthKit:
    kit = request.scope.get(_SCOPE_KEY)
    if not isinstance(kit, AuthKit):
        raise RuntimeError("AuthKitMiddleware is not installed (call authkit.install(app))")
    return kit


def _unauthenticated(request: Request, kit: AuthKit) -> HTTPException:
    if wants_redirect(request.method, request.headers.get("accept")):
        location = login_redirect(kit.settings, request.url.path, request.url.query)
        return HTTPException(302, headers={"Location": location})
    return HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})


async def require_session(request: Request) -> AuthenticatedSession:
    """The signed-in session (cookie): 401 for API calls, a redirect to login for pages."""
    kit = _authkit(request)
    session: AuthenticatedSession | None = request.state.authkit
    if session is None:
        raise _unauthenticated(request, kit)
    return session


async def require_access_token(request: Request) -> AccessTokenClaims:
    """The verified access token's claims, from the session cookie or a bearer token."""
    kit = _authkit(request)
    session: AuthenticatedSession | None = request.state.authkit
    if session is not None:
        return session.claims
    token = bearer_token(request.headers.get("authorization"))
    if token is not None:
        claims = await kit.flow.verify_bearer(token)
        if claims is not None:
            return claims
    raise _unauthenticated(request, kit)


Check = Callable[[Request], Awaitable[AccessTokenClaims]]


def _requiring(test: Callable[[AccessTokenClaims], bool], what: str) -> Check:
    async def dependency(request: Request) -> AccessTokenClaims:
        claims = await require_access_token(request)
        if not test(claims):
            raise HTTPException(403, f"Forbidden: {what}")
        return claims

    return dependency


def require_permission(permission: str) -> Check:
    """A dependency: the token (cookie or bearer) must carry ``permission``, else 403."""
    return _requiring(lambda c: has_permission(c, permission), f"needs permission {permission}")


def require_role(role: str | Sequence[str]) -> Check:
    """A dependency: the token must carry ``role`` (or one of several), else 403."""
    roles = [role] if isinstance(role, str) else list(role)
    return _requiring(lambda c: any(has_role(c, r) for r in roles), "needs role " + "|".join(roles))


def require_organization(organization_id: str | None = None) -> Check:
    """A dependency: the session must be in an organization (``organization_id``, if given)."""

    def test(claims: AccessTokenClaims) -> bool:
        return claims.org_id is not None and organization_id in (None, claims.org_id)

    return _requiring(test, "needs an organization session")
