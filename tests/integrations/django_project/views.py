from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from workos_authkit.integrations.django import (
    authkit_login_required,
    authkit_permission_required,
)


@authkit_login_required
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<p>Hello {request.authkit.user.email}</p>")


@authkit_permission_required("users:write")
def users(request: HttpRequest) -> HttpResponse:
    return HttpResponse("users:write")


@authkit_login_required
def me(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"sub": request.authkit.user.id})
