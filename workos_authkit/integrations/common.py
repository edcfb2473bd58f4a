"""What the framework integrations share, and no I/O: settings, cookie attributes, the sign-in
attempt cookie (PKCE verifier + state), redirect-target checks, claim checks.

The conventions are ``@workos/authkit-session``'s, so a Python backend and a JavaScript front end
can share one session: the same environment variables, one iron-sealed cookie (``wos-session`` by
default; ``HttpOnly``, ``SameSite=Lax``, path ``/``, ``Secure`` unless the redirect URI is plain
``http://``, as for local development), sealed with the same ``WORKOS_COOKIE_PASSWORD``.

Each sign-in attempt keeps its PKCE verifier, its ``state`` and where to go afterwards in a
short-lived sealed cookie whose *name* is derived from the state. Two tabs signing in at once
therefore each find their own attempt on the callback, and a callback whose state has no attempt
cookie in this browser (a forged or replayed link) is refused.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol
from urllib.parse import quote, urlsplit

import attrs

from ..errors import ConfigurationError, InvalidSessionCookieError, WorkOSError
from ..models import AccessTokenClaims
from ..models.session_cookies import AuthenticatedSession
from ..pkce import generate as generate_pkce
from ..sealing import MIN_PASSWORD_LENGTH, Sealer

__all__ = [
    "DEFAULT_COOKIE_MAX_AGE",
    "DEFAULT_COOKIE_NAME",
    "SIGN_IN_COOKIE_MAX_AGE",
    "SIGN_IN_COOKIE_PREFIX",
    "AuthKitSettings",
    "Cookie",
    "RequestAuth",
    "SessionCache",
    "SignInError",
    "SignInStart",
    "bearer_token",
    "has_permission",
    "has_role",
    "login_redirect",
    "safe_return_to",
    "sign_in_cookie_name",
    "wants_redirect",
]

DEFAULT_COOKIE_NAME = "wos-session"
#: ``@workos/authkit-session``'s default: 400 days, the longest a browser keeps a cookie
DEFAULT_COOKIE_MAX_AGE = 400 * 24 * 60 * 60
#: a sign-in attempt (PKCE verifier + state) lives this long (seconds)
SIGN_IN_COOKIE_MAX_AGE = 600
SIGN_IN_COOKIE_PREFIX = "wos-auth-verifier-"

SameSite = Literal["lax", "strict", "none"]
_SAME_SITE = ("lax", "strict", "none")


def _password(value: str | Sequence[str]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def _check_password(instance: object, attribute: object, value: str | tuple[str, ...]) -> None:
    values = [value] if isinstance(value, str) else list(value)
    if not values or any(not isinstance(v, str) or len(v) < MIN_PASSWORD_LENGTH for v in values):
        raise ConfigurationError(
            f"cookie_password (WORKOS_COOKIE_PASSWORD) must be at least {MIN_PASSWORD_LENGTH} "
            "characters long"
        )


def _check_redirect_uri(instance: object, attribute: object, value: str) -> None:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            "redirect_uri (WORKOS_REDIRECT_URI) must be an absolute http(s) URL, "
            "such as https://app.example.com/callback"
        )


def _check_same_site(instance: object, attribute: object, value: str) -> None:
    if value not in _SAME_SITE:
        raise ConfigurationError(f"cookie_same_site must be one of {', '.join(_SAME_SITE)}")


def _check_path(instance: object, attribute: Any, value: str) -> None:
    if not isinstance(value, str) or not value.startswith("/"):
        raise ConfigurationError(f"{attribute.name} must be a path starting with '/'")


@attrs.frozen(kw_only=True)
class AuthKitSettings:
    """How an integration signs people in and keeps their session.

    ``AuthKitSettings.from_env()`` reads ``@workos/authkit-session``'s variables. ``cookie_secure``
    ``None`` means: ``Secure`` unless ``redirect_uri`` is plain ``http://`` (local development).
    ``logout_return_to`` is the absolute URL WorkOS sends the browser to after signing out (the
    dashboard's default when ``None``). Passwords and keys are never shown in a ``repr``.
    """

    redirect_uri: str = attrs.field(validator=_check_redirect_uri)
    cookie_password: str | tuple[str, ...] = attrs.field(
        converter=_password, validator=_check_password, repr=False
    )
    client_id: str | None = None
    api_key: str | None = attrs.field(default=None, repr=False)
    base_url: str | None = None
    cookie_name: str = DEFAULT_COOKIE_NAME
    cookie_max_age: int = DEFAULT_COOKIE_MAX_AGE
    cookie_domain: str | None = None
    cookie_same_site: SameSite = attrs.field(default="lax", validator=_check_same_site)
    cookie_secure: bool | None = None
    login_path: str = attrs.field(default="/login", validator=_check_path)
    logout_path: str = attrs.field(default="/logout", validator=_check_path)
    after_sign_in_path: str = attrs.field(default="/", validator=_check_path)
    logout_return_to: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.cookie_same_site == "none" and not self.secure:
            raise ConfigurationError("cookie_same_site='none' needs a Secure cookie (https)")
        if self.callback_path in (self.login_path, self.logout_path):
            raise ConfigurationError("the redirect URI's path must differ from login/logout paths")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> AuthKitSettings:
        """Settings from ``WORKOS_*`` environment variables; keyword arguments win."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var in (
            ("client_id", "WORKOS_CLIENT_ID"),
            ("api_key", "WORKOS_API_KEY"),
            ("base_url", "WORKOS_BASE_URL"),
            ("redirect_uri", "WORKOS_REDIRECT_URI"),
            ("cookie_password", "WORKOS_COOKIE_PASSWORD"),
            ("cookie_name", "WORKOS_COOKIE_NAME"),
            ("cookie_domain", "WORKOS_COOKIE_DOMAIN"),
        ):
            if env.get(var):
                values[name] = env[var]
        if env.get("WORKOS_COOKIE_SAME_SITE"):
            values["cookie_same_site"] = env["WORKOS_COOKIE_SAME_SITE"].lower()
        if env.get("WORKOS_COOKIE_MAX_AGE"):
            try:
                values["cookie_max_age"] = int(env["WORKOS_COOKIE_MAX_AGE"])
            except ValueError:
                raise ConfigurationError(
                    "WORKOS_COOKIE_MAX_AGE must be a number of seconds"
                ) from None
        values.update(overrides)
        for needed, var in (
            ("redirect_uri", "WORKOS_REDIRECT_URI"),
            ("cookie_password", "WORKOS_COOKIE_PASSWORD"),
        ):
            if not values.get(needed):
                raise ConfigurationError(f"{needed} is required (set {var})")
        return cls(**values)

    @property
    def secure(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return urlsplit(self.redirect_uri).scheme != "http"

    @property
    def callback_path(self) -> str:
        """The path of ``redirect_uri``: where the integration answers the callback."""
        return urlsplit(self.redirect_uri).path or "/"

    def sealer(self) -> Sealer:
        return Sealer(self.cookie_password)

    def session_cookie(self, value: str) -> Cookie:
        return self.cookie(self.cookie_name, value, self.cookie_max_age)

    def clear_session_cookie(self) -> Cookie:
        return self.cookie(self.cookie_name, "", 0)

    def cookie(self, name: str, value: str, max_age: int) -> Cookie:
        return Cookie(
            name=name,
            value=value,
            max_age=max_age,
            domain=self.cookie_domain,
            secure=self.secure,
            same_site=self.cookie_same_site,
        )

    def login_url(self, return_to: str) -> str:
        """The integration's login path, coming back to ``return_to`` after sign-in."""
        return f"{self.login_path}?return_to={quote(safe_return_to(return_to), safe='/')}"


@attrs.frozen(kw_only=True)
class Cookie:
    """A cookie to set (or, with ``max_age=0``, to delete). The value is left out of ``repr``."""

    name: str
    value: str = attrs.field(repr=False)
    max_age: int
    path: str = "/"
    domain: str | None = None
    secure: bool = True
    http_only: bool = True
    same_site: SameSite = "lax"

    def header(self) -> str:
        """The ``Set-Cookie`` header value."""
        parts = [f"{self.name}={self.value}", f"Path={self.path}", f"Max-Age={self.max_age}"]
        if self.max_age <= 0:
            parts.append("Expires=Thu, 01 Jan 1970 00:00:00 GMT")
        if self.domain:
            parts.append(f"Domain={self.domain}")
        if self.secure:
            parts.append("Secure")
        if self.http_only:
            parts.append("HttpOnly")
        parts.append(f"SameSite={self.same_site.capitalize()}")
        return "; ".join(parts)


@attrs.frozen(kw_only=True)
class RequestAuth:
    """The outcome of a request's session cookie: the session (or ``None``) and the cookie to
    set on the response, if any (a refreshed session, or a deletion when the cookie is bad)."""

    session: AuthenticatedSession | None
    cookie: Cookie | None = None


class SessionCache:
    """Sessions already checked, by cookie, until their access token expires.

    A cookie is immutable and its access token's check depends only on the time and the key set,
    so a browser's next requests skip the unseal and the RS256 check. Bounded (cleared when
    full); a logout drops its cookie. Like the check itself, it does not see a revocation before
    the token expires.
    """

    def __init__(self, max_size: int = 4096) -> None:
        self._max = max_size
        self._entries: dict[str, tuple[AuthenticatedSession, float]] = {}

    def __repr__(self) -> str:
        return f"SessionCache(size={len(self._entries)})"

    def get(self, cookie: str, now: float) -> AuthenticatedSession | None:
        entry = self._entries.get(cookie)
        if entry is None:
            return None
        if now >= entry[1]:
            self._entries.pop(cookie, None)
            return None
        return entry[0]

    def put(self, cookie: str, session: AuthenticatedSession) -> None:
        if session.claims.exp is None:
            return
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[cookie] = (session, float(session.claims.exp))

    def discard(self, cookie: str) -> None:
        self._entries.pop(cookie, None)


class SignInError(WorkOSError):
    """A callback that cannot complete a sign-in (unknown attempt, state mismatch, refused code).

    ``reason`` is a short code; the message never contains a code, verifier or cookie.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@attrs.frozen(kw_only=True)
class SignInStart:
    """A new sign-in attempt: send the browser to ``authorization_url`` with ``cookie`` set."""

    authorization_url: str
    state: str
    cookie: Cookie


@attrs.frozen(kw_only=True)
class SignInAttempt:
    """What an attempt cookie holds (the verifier is a credential: not in ``repr``)."""

    code_verifier: str = attrs.field(repr=False)
    return_to: str


class _AuthorizationUrls(Protocol):
    def get_authorization_url(
        self, *, redirect_uri: str, provider: Any, state: str, code_challenge: str
    ) -> str: ...


def sign_in_cookie_name(state: str) -> str:
    """The name of the attempt cookie for ``state`` (one per attempt, so tabs don't collide)."""
    return SIGN_IN_COOKIE_PREFIX + hashlib.sha256(state.encode()).hexdigest()[:16]


def start_sign_in(
    settings: AuthKitSettings,
    sealer: Sealer,
    auth: _AuthorizationUrls,
    *,
    return_to: str | None,
    now: float,
) -> SignInStart:
    """A fresh state and PKCE pair, sealed into the attempt cookie, and the authorization URL."""
    state = secrets.token_urlsafe(24)
    pair = generate_pkce()
    target = safe_return_to(return_to, settings.after_sign_in_path)
    value = sealer.seal({"s": state, "v": pair.code_verifier, "r": target, "t": int(now)})
    url = auth.get_authorization_url(
        redirect_uri=settings.redirect_uri,
        provider="authkit",
        state=state,
        code_challenge=pair.code_challenge,
    )
    cookie = settings.cookie(sign_in_cookie_name(state), value, SIGN_IN_COOKIE_MAX_AGE)
    return SignInStart(authorization_url=url, state=state, cookie=cookie)


def read_sign_in(
    settings: AuthKitSettings,
    sealer: Sealer,
    query: Mapping[str, str],
    cookies: Mapping[str, str],
    *,
    now: float,
) -> tuple[str, SignInAttempt]:
    """The code and the attempt a callback completes; raises ``SignInError``."""
    if query.get("error"):
        raise SignInError("provider_error", f"sign-in failed: {query['error'][:100]}")
    code, state = query.get("code"), query.get("state")
    if not code or not state:
        raise SignInError("missing_parameters", "the callback needs a code and a state")
    sealed = cookies.get(sign_in_cookie_name(state))
    if not sealed:
        raise SignInError(
            "unknown_state", "no sign-in attempt for this state in this browser (or it expired)"
        )
    try:
        data = sealer.unseal(sealed, now=now)
    except InvalidSessionCookieError:
        raise SignInError("invalid_attempt", "the sign-in attempt cookie is invalid") from None
    if not isinstance(data, dict) or not secrets.compare_digest(str(data.get("s", "")), state):
        raise SignInError("state_mismatch", "the state does not match this sign-in attempt")
    started = data.get("t")
    if not isinstance(started, int) or not 0 <= now - started <= SIGN_IN_COOKIE_MAX_AGE:
        raise SignInError("expired_attempt", "the sign-in attempt expired; sign in again")
    verifier = data.get("v")
    if not isinstance(verifier, str):
        raise SignInError("invalid_attempt", "the sign-in attempt cookie is invalid")
    target = safe_return_to(data.get("r"), settings.after_sign_in_path)
    return code, SignInAttempt(code_verifier=verifier, return_to=target)


def safe_return_to(target: object, default: str = "/") -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects).

    Only a path starting with one ``/`` is kept: never a scheme, a host, ``//host``, a backslash
    (``/\\host`` is ``//host`` to browsers) or a control character.
    """
    if not isinstance(target, str) or not target or len(target) > 2048:
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    if any(c == "\\" or ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def wants_redirect(method: str, accept: str | None) -> bool:
    """A page (redirect to login) rather than an API call (401): a GET for HTML."""
    return method in ("GET", "HEAD") and accept is not None and "text/html" in accept


def login_redirect(settings: AuthKitSettings, path: str, query: str) -> str:
    return settings.login_url(path + ("?" + query if query else ""))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else ``None``."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _roles(claims: AccessTokenClaims) -> list[str]:
    if claims.roles:
        return list(claims.roles)
    return [claims.role] if claims.role else []


def has_permission(claims: AccessTokenClaims, permission: str) -> bool:
    return permission in (claims.permissions or ())


def has_role(claims: AccessTokenClaims, role: str) -> bool:
    return role in _roles(claims)
