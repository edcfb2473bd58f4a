"""AuthKit for Django (extra ``[django]``), on the sync ``WorkOS`` client. No database needed.

``settings.py``::

    MIDDLEWARE = [..., "workos_authkit.integrations.django.AuthKitMiddleware"]
    # WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_REDIRECT_URI, WORKOS_COOKIE_PASSWORD (and the
    # other WORKOS_COOKIE_* settings) are read from Django settings, else from the environment.
    WORKOS_REDIRECT_URI = "https://app.example.com/auth/callback/"

``urls.py``::

    path("auth/", include("workos_authkit.integrations.django")),  # login/ callback/ logout/

Views::

    from workos_authkit.integrations.django import authkit_login_required

    @authkit_login_required
    def home(request):
        return HttpResponse(f"Hello {request.authkit.user.email}")

The middleware checks the sealed cookie on every request locally, refreshes an expired access
token (once for concurrent requests; across processes with ``WORKOS_SESSION_STORE``, a
``RedisStore``), sets the new cookie on the response and puts the session (or ``None``) on
``request.authkit``. ``WORKOS_CLIENT`` (a ``WorkOS`` instance, or the dotted path of one or of a
function returning one) replaces the client built from the settings.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import NoReverseMatch, path, reverse
from django.utils.module_loading import import_string

from .._sync import WorkOS
from .._sync.web_flow import WebFlow
from ..models.session_cookies import AuthenticatedSession
from .common import (
    AuthKitSettings,
    Cookie,
    SignInError,
    has_permission,
    has_role,
    login_redirect,
    wants_redirect,
)

__all__ = [
    "AuthKitMiddleware",
    "AuthKitSettings",
    "app_name",
    "authkit_login_required",
    "authkit_permission_required",
    "authkit_role_required",
    "get_authkit",
    "urlpatterns",
]

V = TypeVar("V", bound=Callable[..., Any])

_VARIABLES = (
    "WORKOS_CLIENT_ID",
    "WORKOS_API_KEY",
    "WORKOS_BASE_URL",
    "WORKOS_REDIRECT_URI",
    "WORKOS_COOKIE_PASSWORD",
    "WORKOS_COOKIE_NAME",
    "WORKOS_COOKIE_MAX_AGE",
    "WORKOS_COOKIE_DOMAIN",
    "WORKOS_COOKIE_SAME_SITE",
)


_lock = threading.Lock()
_instance: list[WebFlow] = []


def _setting(name: str) -> Any:
    value = getattr(django_settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return value


def _reverse(name: str, default: str) -> str:
    try:
        return str(reverse(name))
    except NoReverseMatch:
        return default


def _build() -> WebFlow:
    environ = {name: str(v) for name in _VARIABLES if (v := _setting(name)) is not None}
    overrides: dict[str, Any] = {
        "login_path": _reverse("authkit:login", "/login"),
        "logout_path": _reverse("authkit:logout", "/logout"),
    }
    for key in ("cookie_secure", "logout_return_to", "after_sign_in_path"):
        value = getattr(django_settings, f"WORKOS_{key.upper()}", None)
        if value is not None:
            overrides[key] = value
    settings = AuthKitSettings.from_env(environ, **overrides)
    client = _setting("WORKOS_CLIENT")
    if isinstance(client, str):
        client = import_string(client)
    if callable(client) and not isinstance(client, WorkOS):
        client = client()
    store = getattr(django_settings, "WORKOS_SESSION_STORE", None)
    return WebFlow(client, settings, store=store)


def get_authkit() -> WebFlow:
    """The process's ``WebFlow`` (settings, client, flow), built from the settings on first use (and again after
    ``override_settings`` changes a ``WORKOS_*`` setting)."""
    if not _instance:
        with _lock:
            if not _instance:
                _instance.append(_build())
    return _instance[0]


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("WORKOS_") or setting == "ROOT_URLCONF":
        _instance.clear()


setting_changed.connect(_settings_changed)


def _set(response: HttpResponse, cookie: Cookie) -> None:
    response.set_cookie(
        cookie.name,
        cookie.value,
        max_age=cookie.max_age,
        path=cookie.path,
        domain=cookie.domain,
        secure=cookie.secure,
        httponly=cookie.http_only,
        samesite=cookie.same_site.capitalize(),
    )


class AuthKitMiddleware:
    """Puts the request's session (``AuthenticatedSession`` or ``None``) on ``request.authkit``."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kit = get_authkit()
        auth = kit.authenticate(request.COOKIES.get(kit.settings.cookie_name))
        request.authkit = auth.session
        response = self.get_response(request)
        # a view that set the session cookie itself (callback, logout) wins
        if auth.cookie is not None and auth.cookie.name not in response.cookies:
            _set(response, auth.cookie)
        return response


def _session(request: HttpRequest) -> AuthenticatedSession | None:
    if not hasattr(request, "authkit"):
        raise RuntimeError("AuthKitMiddleware is not in MIDDLEWARE")
    session: AuthenticatedSession | None = request.authkit
    return session


def _unauthenticated(request: HttpRequest) -> HttpResponse:
    if wants_redirect(request.method or "GET", request.headers.get("Accept")):
        return HttpResponseRedirect(
            login_redirect(get_authkit().settings, request.path, request.META.get("QUERY_STRING"))
        )
    response = JsonResponse({"detail": "Not authenticated"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def authkit_login_required(view: V) -> V:
    """The view needs a signed-in session: pages redirect to login, other requests get 401."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if _session(request) is None:
            return _unauthenticated(request)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _claims_required(test: Callable[[AuthenticatedSession], bool]) -> Callable[[V], V]:
    def decorator(view: V) -> V:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            session = _session(request)
            if session is None:
                return _unauthenticated(request)
            if not test(session):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def authkit_permission_required(permission: str) -> Callable[[V], V]:
    """The view needs a session whose access token carries ``permission`` (else 403)."""
    return _claims_required(lambda s: has_permission(s.claims, permission))


def authkit_role_required(role: str) -> Callable[[V], V]:
    """The view needs a session whose access token carries ``role`` (else 403)."""
    return _claims_required(lambda s: has_role(s.claims, role))


def login(request: HttpRequest) -> HttpResponse:
    start = get_authkit().start(request.GET.get("return_to"))
    response = HttpResponseRedirect(start.authorization_url)
    _set(response, start.cookie)
    return response


def callback(request: HttpRequest) -> HttpResponse:
    try:
        target, cookies = get_authkit().callback(request.GET, request.COOKIES)
    except SignInError as exc:
        return HttpResponseBadRequest(f"Sign-in failed: {exc}", content_type="text/plain")
    response = HttpResponseRedirect(target)
    for cookie in cookies:
        _set(response, cookie)
    return response


def logout(request: HttpRequest) -> HttpResponse:
    kit = get_authkit()
    url, clear = kit.sign_out(request.COOKIES.get(kit.settings.cookie_name))
    response = HttpResponseRedirect(url)
    if request.method == "POST":
        response.status_code = 303
    _set(response, clear)
    return response


app_name = "authkit"
urlpatterns = [
    path("login/", login, name="login"),
    path("callback/", callback, name="callback"),
    path("logout/", logout, name="logout"),
]
