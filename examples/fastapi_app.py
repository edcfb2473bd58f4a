"""A FastAPI app signed in with AuthKit (``make demo-fastapi``).

Without ``WORKOS_API_KEY`` it starts the built-in fake AuthKit server on loopback, with a demo user,
and points the app at it; with it, it reads the real settings from the environment
(``WORKOS_CLIENT_ID``, ``WORKOS_API_KEY``, ``WORKOS_REDIRECT_URI``, ``WORKOS_COOKIE_PASSWORD``).

    python examples/fastapi_app.py [--port 8000]
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import secrets
import sys
import threading
from collections.abc import Iterator
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse

from workos_authkit import AccessTokenClaims, AuthenticatedSession
from workos_authkit.integrations.starlette import (
    AuthKit,
    AuthKitSettings,
    require_permission,
    require_session,
)

DEMO_EMAIL = "ada@example.com"
DEMO_PASSWORD = "correct horse battery staple"


def create_app(authkit: AuthKit | None = None) -> FastAPI:
    authkit = authkit or AuthKit()  # settings from WORKOS_* environment variables
    app = FastAPI(title="AuthKit + FastAPI example")
    authkit.install(app)  # middleware + /login, /callback, /logout

    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> str:
        session: AuthenticatedSession | None = request.state.authkit
        if session is None:
            return "<h1>AuthKit example</h1><a id='sign-in' href='/login?return_to=/account'>Sign in</a>"
        return f"<h1>AuthKit example</h1><p>Signed in as {html.escape(session.user.email)}</p>"

    @app.get("/account", response_class=HTMLResponse)
    async def account(session: Annotated[AuthenticatedSession, Depends(require_session)]) -> str:
        return (
            "<h1>Your account</h1>"
            f"<p id='email'>{html.escape(session.user.email)}</p>"
            f"<p>Organization: {html.escape(session.organization_id or '-')}, "
            f"role: {html.escape(session.role or '-')}</p>"
            "<form method='post' action='/logout'><button id='sign-out'>Sign out</button></form>"
        )

    @app.get("/api/admin")
    async def admin(
        claims: Annotated[AccessTokenClaims, Depends(require_permission("users:write"))],
    ) -> dict[str, Any]:
        return {"user_id": claims.sub, "permissions": claims.permissions}

    return app


@contextlib.contextmanager
def demo_authkit(port: int) -> Iterator[AuthKit]:
    """An ``AuthKit`` on the real API (``WORKOS_API_KEY`` set) or on a fake on loopback."""
    if os.environ.get("WORKOS_API_KEY"):
        yield AuthKit()
        return
    from workos_authkit.testing import FakeWorkOS

    fake = FakeWorkOS()
    org = fake.add_organization("Acme")
    user = fake.add_user(DEMO_EMAIL, password=DEMO_PASSWORD, first_name="Ada")
    fake.add_membership(user["id"], org["id"], role_slug="admin")
    with fake.serve() as base_url:
        print(f"Fake AuthKit server on {base_url}: sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
        settings = AuthKitSettings(
            client_id=fake.client_id,
            api_key=fake.api_key,
            base_url=base_url,
            redirect_uri=f"http://127.0.0.1:{port}/callback",
            cookie_password=secrets.token_urlsafe(32),
            logout_return_to=f"http://127.0.0.1:{port}/",
        )
        yield AuthKit(settings=settings)


@contextlib.contextmanager
def serve(port: int) -> Iterator[str]:
    """The example app served on loopback in a thread (for tests): yields its URL."""
    with demo_authkit(port) as authkit:
        config = uvicorn.Config(
            create_app(authkit), host="127.0.0.1", port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            while not server.started and thread.is_alive():
                threading.Event().wait(0.02)
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    with demo_authkit(args.port) as authkit:
        print(f"Open http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
        uvicorn.run(create_app(authkit), host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
