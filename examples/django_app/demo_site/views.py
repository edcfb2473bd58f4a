from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from workos_authkit.integrations.django import (
    authkit_login_required,
    authkit_permission_required,
)


def home(request: HttpRequest) -> HttpResponse:
    if request.authkit is None:
        return HttpResponse(
            "<h1>AuthKit example</h1>"
            "<a id='sign-in' href='/auth/login/?return_to=/account/'>Sign in</a>"
        )
    return HttpResponse(
        f"<h1>AuthKit example</h1><p>Signed in as {escape(request.authkit.user.email)}</p>"
    )


@authkit_login_required
def account(request: HttpRequest) -> HttpResponse:
    session = request.authkit
    return HttpResponse(
        "<h1>Your account</h1>"
        f"<p id='email'>{escape(session.user.email)}</p>"
        f"<p>Organization: {escape(session.organization_id or '-')}, role: {escape(session.role or '-')}</p>"
        "<p><a id='sign-out' href='/auth/logout/'>Sign out</a></p>"
    )


@authkit_permission_required("users:write")
def admin_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("You may manage users.")
