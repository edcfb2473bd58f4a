"""FakeWorkOS: a stateful in-memory AuthKit server behind one pure request handler."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import importlib
import itertools
import json
import random
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from ._faults import Faults, RateLimiter, Stats
from ._keys import SigningKey, signing_key
from ._totp import verify_totp
from ._util import (
    ApiError,
    Clock,
    IdGenerator,
    code_error,
    iso,
    message_error,
    not_found,
    oauth_error,
    paginate,
    parse_page_params,
)

if TYPE_CHECKING:
    import contextlib

    from ._transport import FakeTransport

__all__ = ["FakeResponse", "FakeWorkOS", "SentEmail", "Settings"]

JSON = dict[str, Any]
Outcome = Literal[
    "email_verification_required",
    "mfa_enrollment",
    "mfa_challenge",
    "organization_selection_required",
    "sso_required",
    "organization_authentication_methods_required",
]
OUTCOMES: tuple[str, ...] = (
    "email_verification_required",
    "mfa_enrollment",
    "mfa_challenge",
    "organization_selection_required",
    "sso_required",
    "organization_authentication_methods_required",
)

GRANT_CODE = "authorization_code"
GRANT_PASSWORD = "password"
GRANT_MAGIC = "urn:workos:oauth:grant-type:magic-auth:code"
GRANT_EMAIL = "urn:workos:oauth:grant-type:email-verification:code"
GRANT_TOTP = "urn:workos:oauth:grant-type:mfa-totp"
GRANT_ORG = "urn:workos:oauth:grant-type:organization-selection"
GRANT_REFRESH = "refresh_token"
GRANT_DEVICE = "urn:ietf:params:oauth:grant-type:device_code"

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$")
_BCRYPT_RE = re.compile(r"^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$")
HASH_TYPES = ("bcrypt", "firebase-scrypt", "ssha", "scrypt", "pbkdf2", "argon2")
PROVIDERS_OAUTH = {
    "AppleOAuth",
    "BitbucketOAuth",
    "GitHubOAuth",
    "GitLabOAuth",
    "GoogleOAuth",
    "IntuitOAuth",
    "LinkedInOAuth",
    "MicrosoftOAuth",
    "SalesforceOAuth",
    "SlackOAuth",
    "VercelMarketplaceOAuth",
    "VercelOAuth",
    "XeroOAuth",
}
_SESSION_METHOD = {"Password": "password", "MagicAuth": "magic_code", "SSO": "sso"}
_COMMON_PASSWORDS = frozenset(
    {"password", "password1", "password123", "12345678", "123456789", "qwertyuiop", "iloveyou"}
)


@dataclass
class Settings:
    """Environment settings of the fake (what the WorkOS dashboard would configure)."""

    require_email_verification: bool = False
    """Unverified users get ``email_verification_required`` on sign-in (magic auth excepted)."""
    mfa_challenge_enrolled_users: bool = False
    """Users with an enrolled TOTP factor get ``mfa_challenge`` on sign-in."""
    require_mfa_enrollment: bool = False
    """Users without a factor get ``mfa_enrollment`` on sign-in."""
    organization_selection: bool = False
    """Users with several active memberships and no ``organization_id`` must select one."""
    password_min_length: int = 8
    multiple_roles: bool = False
    roles: dict[str, list[str]] = field(
        default_factory=lambda: {"member": [], "admin": ["users:read", "users:write"]}
    )
    default_role: str = "member"
    device_flow_enabled: bool = True
    allowed_redirect_uris: list[str] | None = None
    """``None`` accepts any redirect URI at ``/user_management/authorize``."""
    access_token_lifetime: float = 300.0
    session_lifetime: float = 30 * 86400.0
    magic_auth_lifetime: float = 600.0
    email_verification_lifetime: float = 600.0
    password_reset_lifetime: float = 1800.0
    authorization_code_lifetime: float = 600.0
    pending_token_lifetime: float = 600.0
    device_code_lifetime: float = 300.0
    device_poll_interval: float = 5.0
    one_time_code_max_attempts: int = 5


@dataclass(frozen=True)
class SentEmail:
    """An email the fake "sent". ``code`` or ``token`` carries the secret the user would receive."""

    kind: Literal["magic_auth", "email_verification", "password_reset", "invitation"]
    to: str
    object_id: str
    code: str | None = None
    token: str | None = None
    url: str | None = None
    at: float = 0.0


@dataclass(slots=True)
class FakeResponse:
    """What :meth:`FakeWorkOS.handle` returns; mounts turn ``disconnect`` into their own failure."""

    status: int
    headers: dict[str, str]
    body: bytes
    latency: float = 0.0
    disconnect: Literal["before", "after", "timeout"] | None = None
    hold: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    _json: Any = None
    _parsed: bool = False

    def json(self) -> Any:
        if not self._parsed:
            self._parsed = True
            if self.raw.strip():
                try:
                    self._json = json.loads(self.raw)
                except ValueError:
                    self._json = _INVALID
        return self._json


_INVALID = object()


@dataclass(slots=True)
class Raw:
    """A non-JSON response from a route (HTML page, redirect)."""

    content_type: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Pending:
    user_id: str
    method: str
    org_id: str | None
    expires: float
    stage: str
    done: frozenset[str]
    ip: str | None
    ua: str | None
    used: bool = False
    email_verification_id: str | None = None


@dataclass
class _AuthCode:
    user_id: str
    method: str
    expires: float
    redirect_uri: str
    challenge: str | None
    org_id: str | None
    skip: frozenset[str] = frozenset()
    used: bool = False


@dataclass
class _Device:
    device_code: str
    user_code: str
    expires: float
    interval: float
    last_poll: float | None = None
    approved_user: str | None = None
    denied: bool = False
    used: bool = False


@dataclass
class _OneTime:
    used: bool = False
    attempts: int = 0


# ---------------------------------------------------------------- routes

RouteFn = Callable[["FakeWorkOS", Request, dict[str, str]], Any]
_ROUTES: list[tuple[str, str, str, bool]] = []  # (method, template, handler name, needs auth)


def route(method: str, template: str, *, auth: bool = True) -> Callable[[RouteFn], RouteFn]:
    def deco(fn: RouteFn) -> RouteFn:
        _ROUTES.append((method, template, fn.__name__, auth))
        return fn

    return deco


@dataclass(frozen=True, slots=True)
class _Route:
    method: str
    template: str
    segments: tuple[str | None, ...]
    names: tuple[str, ...]
    handler: RouteFn
    auth: bool


# How each route reports a request it rejects as malformed (an ApiError 422 without a ``code``,
# raised by the shared validators: _body, _str, _email, _page, ...), in the status and shape the
# spec declares for that operation. Routes not listed: 422 {code: invalid_request_parameters, message}.
_INVALID_MESSAGE_ONLY = "message"  # 422 {message}
_INVALID_ERRORS = "errors"  # 422 {message, errors: [{code, field}]}
_INVALID_400 = "400"  # the operation declares no 422: 400 {message}
_INVALID_OAUTH = "oauth"  # the operation declares no 422: 400 {error, error_description}
_INVALID_REQUEST = {
    "GET /user_management/users": _INVALID_MESSAGE_ONLY,
    "POST /user_management/magic_auth": _INVALID_MESSAGE_ONLY,
    "POST /user_management/users/{userlandUserId}/auth_factors": _INVALID_MESSAGE_ONLY,
    "GET /user_management/users/{userlandUserId}/auth_factors": _INVALID_MESSAGE_ONLY,
    "POST /auth/factors/{id}/challenge": _INVALID_MESSAGE_ONLY,
    "POST /auth/challenges/{id}/verify": _INVALID_MESSAGE_ONLY,
    "GET /user_management/organization_memberships": _INVALID_MESSAGE_ONLY,
    "GET /user_management/sessions/logout": _INVALID_MESSAGE_ONLY,
    "POST /organizations/{organizationId}/api_keys": _INVALID_ERRORS,
    "POST /api_keys/validations": _INVALID_MESSAGE_ONLY,
    "GET /organizations": _INVALID_MESSAGE_ONLY,
    "POST /organizations": _INVALID_MESSAGE_ONLY,
    "POST /user_management/sessions/revoke": _INVALID_400,
    "POST /user_management/authorize/device": _INVALID_OAUTH,
}


def _invalid_request(route_key: str, body: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
    """The status and body of a malformed-request error (a code-less 422) on this route."""
    style = _INVALID_REQUEST.get(route_key)
    message = str(body.get("message", "The request is not valid."))
    if style == _INVALID_MESSAGE_ONLY:
        return 422, body
    if style == _INVALID_ERRORS:
        if "errors" in body:
            return 422, body
        return 422, {"message": message, "errors": [{"code": "invalid", "field": "body"}]}
    if style == _INVALID_400:
        return 400, {"message": message}
    if style == _INVALID_OAUTH:
        return 400, {"error": "invalid_request", "error_description": message}
    return 422, {"code": "invalid_request_parameters", **body}


class FakeWorkOS:
    """A stateful in-memory WorkOS AuthKit server.

    Mount it in-process with :attr:`transport` (``WorkOS(transport=fake.transport)``), through
    :attr:`router` (respx), or on loopback with ``with fake.serve() as base_url: ...``.
    """

    def __init__(
        self,
        *,
        seed: int | str = 0,
        api_key: str = "sk_test_fake_workos_api_key",
        client_id: str = "client_01FAKEWORKOSCLIENT0000000000",
        base_url: str = "https://api.workos.test",
        settings: Settings | None = None,
        honour_idempotency_keys: bool = True,
    ) -> None:
        self._seed = seed
        self.api_key = api_key
        self.client_id = client_id
        self.base_url = base_url.rstrip("/")
        self.issuer = f"{self.base_url}/user_management/{client_id}"
        self.settings = settings if settings is not None else Settings()
        self.honour_idempotency_keys = honour_idempotency_keys
        self.clock = Clock()
        self.faults = Faults(seed)
        self.stats = Stats()
        self.default_user: str | None = None
        """User id or email signed in at once by ``GET /user_management/authorize`` (no form)."""
        self._lock = threading.RLock()
        self._transport: FakeTransport | None = None
        self._init_state()

    # ------------------------------------------------------------ state

    def _init_state(self) -> None:
        self.ids = IdGenerator(self._seed)
        self._rng = random.Random(f"{self._seed!r}:secrets")
        self._req_counter = itertools.count(1)
        self.users: dict[str, JSON] = {}
        self.organizations: dict[str, JSON] = {}
        self.memberships: dict[str, JSON] = {}
        self.invitations: dict[str, JSON] = {}
        self.sessions: dict[str, JSON] = {}
        self.magic_auths: dict[str, JSON] = {}
        self.email_verifications: dict[str, JSON] = {}
        self.password_resets: dict[str, JSON] = {}
        self.auth_factors: dict[str, JSON] = {}
        self.auth_challenges: dict[str, JSON] = {}
        self.api_keys: dict[str, JSON] = {}
        self.identities: dict[str, list[JSON]] = {}
        self.sent_emails: list[SentEmail] = []
        self.requests_log: deque[tuple[str, str, int]] = deque(maxlen=10_000)
        self._email_index: dict[str, str] = {}
        self._external_index: dict[str, str] = {}
        self._passwords: dict[str, tuple[str, str]] = {}
        self._one_time: dict[str, _OneTime] = {}
        self._factor_secrets: dict[str, str] = {}
        self._api_key_values: dict[str, str] = {}
        self._refresh_index: dict[str, str] = {}
        self._session_org: dict[str, str | None] = {}
        self._pending: dict[str, _Pending] = {}
        self._codes: dict[str, _AuthCode] = {}
        self._devices: dict[str, _Device] = {}
        self._device_by_user_code: dict[str, str] = {}
        self._invite_tokens: dict[str, str] = {}
        self._forced: dict[str, list[str]] = {}
        self._idempotency: dict[str, tuple[str, float, FakeResponse]] = {}
        self._key_generation = 0
        self._retired_generations: list[int] = []
        self._rate_limiter: RateLimiter | None = None

    def reset(self) -> None:
        """Forget all state, faults, counters, rate limit and clock offset (settings are kept)."""
        with self._lock:
            self._init_state()
            self.faults.clear()
            self.stats.reset()
            self.clock.reset()
            self.default_user = None

    def __repr__(self) -> str:
        return (
            f"FakeWorkOS(seed={self._seed!r}, client_id={self.client_id!r}, users={len(self.users)}, "
            f"organizations={len(self.organizations)})"
        )

    # ------------------------------------------------------------ secrets / helpers

    def _secret(self, nbytes: int = 24) -> str:
        return (
            base64.urlsafe_b64encode(self._rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big"))
            .rstrip(b"=")
            .decode()
        )

    def _digits(self, n: int = 6) -> str:
        return "".join(self._rng.choice("0123456789") for _ in range(n))

    def _now(self) -> float:
        return self.clock.now()

    def _hash_password(self, password: str) -> tuple[str, str]:
        salt = self._secret(8)
        digest = hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()
        return ("fake-sha256", f"{salt}${digest}")

    def _check_password(self, user_id: str, password: str) -> bool:
        rec = self._passwords.get(user_id)
        if rec is None:
            return False
        kind, value = rec
        if kind == "fake-sha256":
            salt, digest = value.split("$", 1)
            given = hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()
            return hmac.compare_digest(given, digest)
        if kind == "bcrypt":
            # verified only if the optional `bcrypt` package happens to be installed (never a
            # dependency); otherwise an imported bcrypt hash cannot sign in with a password
            try:
                bcrypt = importlib.import_module("bcrypt")
            except ImportError:
                return False
            return bool(bcrypt.checkpw(password.encode(), value.encode()))
        return False

    def _password_problems(self, password: str) -> list[JSON]:
        problems: list[JSON] = []
        if len(password) < self.settings.password_min_length:
            problems.append(
                {
                    "code": "password_too_short",
                    "message": f"Password must be at least {self.settings.password_min_length} characters.",
                }
            )
        if password.lower() in _COMMON_PASSWORDS:
            problems.append({"code": "password_too_weak", "message": "Password is too common."})
        return problems

    def user(self, ref: str) -> JSON:
        """The stored user with this id or email (a live view; raises ``KeyError``)."""
        with self._lock:
            return self._user_ref(ref)

    def _user_ref(self, ref: str) -> JSON:
        """A user by id or email (seeding helpers)."""
        if ref in self.users:
            return self.users[ref]
        uid = self._email_index.get(ref.lower())
        if uid is None:
            raise KeyError(f"no such user: {ref}")
        return self.users[uid]

    def _org_ref(self, ref: str) -> JSON:
        if ref in self.organizations:
            return self.organizations[ref]
        for org in self.organizations.values():
            if org["name"] == ref:
                return org
        raise KeyError(f"no such organization: {ref}")

    # ------------------------------------------------------------ seeding (Python API)

    def add_user(
        self,
        email: str,
        *,
        password: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        email_verified: bool = True,
        external_id: str | None = None,
        metadata: Mapping[str, str] | None = None,
        id: str | None = None,
    ) -> JSON:
        """Create a user directly (no validation of password strength). Returns its wire form."""
        with self._lock:
            if email.lower() in self._email_index:
                raise ValueError("a user with this email exists")
            user = self._new_user(
                email=email,
                first_name=first_name,
                last_name=last_name,
                email_verified=email_verified,
                external_id=external_id,
                metadata=dict(metadata or {}),
                uid=id,
            )
            if password is not None:
                self._passwords[user["id"]] = self._hash_password(password)
            return user

    def add_organization(
        self,
        name: str,
        *,
        domains: Iterable[str] = (),
        external_id: str | None = None,
        metadata: Mapping[str, str] | None = None,
        id: str | None = None,
    ) -> JSON:
        with self._lock:
            return self._new_org(name, list(domains), external_id, dict(metadata or {}), id)

    def add_membership(
        self,
        user: str,
        organization: str,
        *,
        role_slug: str | None = None,
        status: Literal["active", "inactive", "pending"] = "active",
    ) -> JSON:
        """Add a membership; ``user`` is an id or email, ``organization`` an id or name."""
        with self._lock:
            u = self._user_ref(user)
            o = self._org_ref(organization)
            if self._find_membership(u["id"], o["id"]) is not None:
                raise ValueError("this user already has a membership in this organization")
            m = self._new_membership(u["id"], o["id"], role_slug or self.settings.default_role)
            m["status"] = status
            return self._render_membership(m)

    def add_identity(self, user: str, provider: str, idp_id: str) -> JSON:
        with self._lock:
            u = self._user_ref(user)
            ident = {"idp_id": idp_id, "type": "OAuth", "provider": provider}
            self.identities.setdefault(u["id"], []).append(ident)
            return ident

    def seed_data(self, data: Mapping[str, Any]) -> None:
        """Load ``{"users": [...], "organizations": [...], "memberships": [...]}`` (the --seed format).

        users: ``{email, password?, first_name?, last_name?, email_verified?, external_id?, metadata?, id?}``;
        organizations: ``{name, domains?, external_id?, metadata?, id?}``;
        memberships: ``{user: id|email, organization: id|name, role_slug?, status?}``.
        """
        for org in data.get("organizations", []) or []:
            self.add_organization(**dict(org))
        for user in data.get("users", []) or []:
            self.add_user(**dict(user))
        for m in data.get("memberships", []) or []:
            self.add_membership(**dict(m))

    def seed(self, data: Mapping[str, Any]) -> None:
        """Alias of :meth:`seed_data` (the ``--seed`` file format)."""
        self.seed_data(data)

    @property
    def seed_value(self) -> int | str:
        """The seed ids, secrets and signing keys derive from."""
        return self._seed

    def require_on_sign_in(self, user: str, outcome: Outcome) -> None:
        """Make the next sign-in of ``user`` (id or email) answer with ``outcome``.

        Queue several calls for several sign-ins. The pending token returned works with the follow-up
        grant (email verification code, TOTP, organization selection); for ``sso_required`` and
        ``organization_authentication_methods_required`` the follow-up is ``/user_management/authorize``
        with ``connection_id``/``organization_id`` and ``login_hint`` (the fake's "IdP" signs in).
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; expected one of {OUTCOMES}")
        with self._lock:
            uid = self._user_ref(user)["id"]
            self._forced.setdefault(uid, []).append(outcome)

    def set_password(self, user: str, password: str) -> None:
        with self._lock:
            self._passwords[self._user_ref(user)["id"]] = self._hash_password(password)

    def totp_secret(self, factor_id: str) -> str:
        """The TOTP secret of an enrolled factor (as the user's authenticator app would hold it)."""
        return self._factor_secrets[factor_id]

    def emails_to(self, email: str, kind: str | None = None) -> list[SentEmail]:
        email = email.lower()
        return [
            m
            for m in self.sent_emails
            if m.to.lower() == email and (kind is None or m.kind == kind)
        ]

    def last_email(self, email: str, kind: str | None = None) -> SentEmail:
        found = self.emails_to(email, kind)
        if not found:
            raise LookupError(f"no {kind or ''} email sent to {email}")
        return found[-1]

    def approve_device(self, user_code: str, user_id: str) -> None:
        """Complete the device flow for ``user_code`` as ``user_id`` (id or email)."""
        with self._lock:
            self._device_ref(user_code).approved_user = self._user_ref(user_id)["id"]

    def deny_device(self, user_code: str) -> None:
        with self._lock:
            self._device_ref(user_code).denied = True

    def _device_ref(self, user_code: str) -> _Device:
        dc = self._device_by_user_code.get(user_code)
        if dc is None:
            raise KeyError(f"unknown user code {user_code!r}")
        return self._devices[dc]

    def rate_limit(
        self,
        limit: int | None = 100,
        window: float = 10.0,
        *,
        read_limit: int | None = None,
        write_limit: int | None = None,
    ) -> None:
        """Enable (or with ``limit=None`` disable) the rate limiter; windows follow :attr:`clock`."""
        with self._lock:
            if limit is None:
                self._rate_limiter = None
            else:
                self._rate_limiter = RateLimiter(limit, window, read_limit, write_limit)

    # ------------------------------------------------------------ tokens

    @property
    def signing_key(self) -> SigningKey:
        return signing_key(self._seed, self._key_generation)

    def rotate_signing_key(self, *, keep_previous: bool = True) -> str:
        """Sign new tokens with a fresh key (derived from the seed); returns the new kid.

        With ``keep_previous`` the old public key stays in the JWKS so existing tokens still verify.
        """
        with self._lock:
            if keep_previous:
                self._retired_generations = [self._key_generation]
            else:
                self._retired_generations = []
            self._key_generation += 1
            return self.signing_key.kid

    def jwks(self) -> JSON:
        keys = [self.signing_key.jwk]
        keys += [signing_key(self._seed, g).jwk for g in self._retired_generations]
        return {"keys": keys}

    def _access_token(self, session: JSON) -> str:
        import jwt  # PyJWT, a dependency of the SDK

        now = int(self._now())
        uid = session["user_id"]
        org_id = self._session_org.get(session["id"])
        claims: JSON = {
            "iss": self.issuer,
            "sub": uid,
            "sid": session["id"],
            "jti": self.ids.new("jti").removeprefix("jti_"),
            "iat": now,
            "exp": now + int(self.settings.access_token_lifetime),
        }
        if org_id is not None:
            claims["org_id"] = org_id
            m = self._find_membership(uid, org_id)
            if m is not None:
                slug = m["role"]["slug"]
                claims["role"] = slug
                claims["roles"] = [slug]
                claims["permissions"] = list(self.settings.roles.get(slug, []))
        key = self.signing_key
        return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})

    # ------------------------------------------------------------ object factories

    def _new_user(
        self,
        *,
        email: str,
        first_name: str | None = None,
        last_name: str | None = None,
        email_verified: bool = False,
        external_id: str | None = None,
        metadata: dict[str, str] | None = None,
        uid: str | None = None,
    ) -> JSON:
        now = iso(self._now())
        user: JSON = {
            "object": "user",
            "id": uid or self.ids.new("user"),
            "first_name": first_name,
            "last_name": last_name,
            "profile_picture_url": None,
            "email": email,
            "email_verified": bool(email_verified),
            "external_id": external_id,
            "metadata": {} if metadata is None else metadata,
            "last_sign_in_at": None,
            "locale": None,
            "created_at": now,
            "updated_at": now,
        }
        self.users[user["id"]] = user
        self._email_index[email.lower()] = user["id"]
        if external_id is not None:
            self._external_index[external_id] = user["id"]
        return user

    def _new_org(
        self,
        name: str,
        domains: list[str],
        external_id: str | None,
        metadata: dict[str, str],
        oid: str | None = None,
    ) -> JSON:
        now = iso(self._now())
        org_id = oid or self.ids.new("org")
        org: JSON = {
            "object": "organization",
            "id": org_id,
            "name": name,
            "domains": [
                {
                    "object": "organization_domain",
                    "id": self.ids.new("org_domain"),
                    "organization_id": org_id,
                    "domain": d,
                    "state": "verified",
                    "verification_strategy": "manual",
                    "created_at": now,
                    "updated_at": now,
                }
                for d in domains
            ],
            "metadata": metadata,
            "external_id": external_id,
            "created_at": now,
            "updated_at": now,
        }
        self.organizations[org_id] = org
        return org

    def _new_membership(self, user_id: str, org_id: str, role: str) -> JSON:
        now = iso(self._now())
        m: JSON = {
            "object": "organization_membership",
            "id": self.ids.new("om"),
            "user_id": user_id,
            "organization_id": org_id,
            "status": "active",
            "directory_managed": False,
            "role": {"slug": role},
            "custom_attributes": {},
            "created_at": now,
            "updated_at": now,
        }
        self.memberships[m["id"]] = m
        return m

    def _render_membership(self, m: JSON) -> JSON:
        org = self.organizations.get(m["organization_id"])
        out = dict(m)
        out["user"] = self.users[m["user_id"]]
        if org is not None:
            out["organization_name"] = org["name"]
        return out

    def _find_membership(self, user_id: str, org_id: str) -> JSON | None:
        for m in self.memberships.values():
            if m["user_id"] == user_id and m["organization_id"] == org_id:
                return m
        return None

    def _active_orgs(self, user_id: str) -> list[JSON]:
        return [
            self.organizations[m["organization_id"]]
            for m in sorted(self.memberships.values(), key=lambda m: m["id"])
            if m["user_id"] == user_id
            and m["status"] == "active"
            and m["organization_id"] in self.organizations
        ]

    def _send(
        self,
        kind: Literal["magic_auth", "email_verification", "password_reset", "invitation"],
        to: str,
        object_id: str,
        *,
        code: str | None = None,
        token: str | None = None,
        url: str | None = None,
    ) -> None:
        self.sent_emails.append(SentEmail(kind, to, object_id, code, token, url, self._now()))

    def _new_one_time(self, table: dict[str, JSON], record: JSON) -> JSON:
        """Store a single-use record (code, token or challenge) with its use/attempt counters."""
        table[record["id"]] = record
        self._one_time[record["id"]] = _OneTime()
        return record

    def _new_code(
        self,
        kind: Literal["magic_auth", "email_verification"],
        table: dict[str, JSON],
        user: JSON,
        lifetime: float,
        to: str,
    ) -> JSON:
        """A six-digit one-time code for ``user`` (magic auth, email verification), emailed to ``to``."""
        now = self._now()
        rec = self._new_one_time(
            table,
            {
                "object": kind,
                "id": self.ids.new(kind),
                "user_id": user["id"],
                "email": user["email"],
                "code": self._digits(),
                "expires_at": iso(now + lifetime),
                "created_at": iso(now),
                "updated_at": iso(now),
            },
        )
        self._send(kind, to, rec["id"], code=rec["code"])
        return rec

    def _new_email_verification(self, user: JSON) -> JSON:
        lifetime = self.settings.email_verification_lifetime
        return self._new_code(
            "email_verification", self.email_verifications, user, lifetime, user["email"]
        )

    def _mark_verified(self, user: JSON) -> None:
        user["email_verified"] = True
        user["updated_at"] = iso(self._now())

    def _expired(self, wire: JSON) -> bool:
        return _parse_iso(wire["expires_at"]) <= self._now()

    # ------------------------------------------------------------ request entry point

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> FakeResponse:
        """The single pure handler behind every mount. ``path`` is the raw (percent-encoded) path;
        ``headers`` keys may be any case."""
        method = method.upper()
        q = dict(query or {})
        h = {k.lower(): v for k, v in (headers or {}).items()}
        req = Request(method, path, q, h, body)
        with self._lock:
            resp = self._dispatch(req)
        resp.headers["X-Request-ID"] = f"req_{next(self._req_counter):012d}"
        return resp

    def _dispatch(self, req: Request) -> FakeResponse:
        found = _match(req.method, req.path)
        template = found[0].template if found else "(unmatched)"
        self.stats.requests[f"{req.method} {template}"] += 1

        latency = 0.0
        disconnect: Literal["before", "after", "timeout"] | None = None
        hold = 0.0
        fault = self.faults.match(
            req.method, req.path, req.query, req.json() if len(self.faults) else None
        )
        if fault is not None:
            self.stats.faults_fired += 1
            latency = fault.latency
            if fault.status is not None:
                body = fault.body
                raw = (
                    b""
                    if body is None
                    else body
                    if isinstance(body, bytes)
                    else json.dumps(body).encode()
                )
                hdrs = {"Content-Type": "application/json"} if raw else {}
                hdrs.update(fault.headers)
                return self._finish(req, FakeResponse(fault.status, hdrs, raw, latency))
            if fault.drop == "before":
                return FakeResponse(0, {}, b"", latency, "before")
            if fault.drop == "after":
                disconnect = "after"
            elif fault.timeout:
                disconnect, hold = "timeout", fault.timeout_hold

        resp = self._dispatch_route(req, found)
        resp.latency, resp.disconnect, resp.hold = latency, disconnect, hold
        return resp

    def _finish(
        self, req: Request, resp: FakeResponse, extra: Mapping[str, str] | None = None
    ) -> FakeResponse:
        """Count and log a response; ``extra`` (rate-limit headers) is added to its headers."""
        if extra:
            resp.headers.update(extra)
        self.stats.statuses[resp.status] += 1
        self.requests_log.append((req.method, req.path, resp.status))
        return resp

    def _dispatch_route(
        self, req: Request, found: tuple[_Route, dict[str, str]] | None
    ) -> FakeResponse:
        if req.path == "/health" and req.method == "GET":
            return self._finish(req, _json_response(200, {"status": "ok"}))
        if found is None:
            if _match_any_method(req.path):
                return self._finish(req, _json_response(405, {"message": "Method not allowed."}))
            return self._finish(req, _json_response(404, {"message": "Not found."}))
        rt, params = found

        extra: dict[str, str] = {}
        limiter = self._rate_limiter
        if limiter is not None:
            allowed, extra = limiter.take(req.method, self._now())
            if not allowed:
                self.stats.rate_limited += 1
                resp = _json_response(
                    429,
                    {
                        "code": "rate_limit_exceeded",
                        "message": "Too many requests. Please retry later.",
                    },
                )
                return self._finish(req, resp, extra)

        auth = req.headers.get("authorization") or None
        needs_auth = rt.auth
        if rt.template == "/user_management/authenticate" and auth is None:
            needs_auth = False  # client credentials travel in the body (device flow has no key)
        if rt.template == "/sso/jwks/{clientId}" and auth is None:
            needs_auth = False  # public in production; PyJWKClient sends no key
        if needs_auth and auth != f"Bearer {self.api_key}":
            self.stats.unauthorized += 1
            return self._finish(req, FakeResponse(401, {}, b""), extra)

        idem_key = req.headers.get("idempotency-key") if req.method == "POST" else None
        fingerprint = ""
        if idem_key is not None and self.honour_idempotency_keys:
            fingerprint = hashlib.sha256(
                req.method.encode() + b" " + req.path.encode() + b"\n" + req.raw
            ).hexdigest()
            stored = self._idempotency.get(idem_key)
            if stored is not None and stored[1] + 86400 > self._now():
                if stored[0] != fingerprint:
                    resp = _json_response(
                        409,
                        {
                            "code": "idempotency_key_reused",
                            "message": "This Idempotency-Key was used with a different request.",
                        },
                    )
                    return self._finish(req, resp, extra)
                self.stats.idempotent_replays += 1
                old = stored[2]
                resp = FakeResponse(old.status, dict(old.headers), old.body)
                resp.headers["Idempotent-Replayed"] = "true"
                return self._finish(req, resp, extra)

        try:
            result = rt.handler(self, req, params)
        except ApiError as err:
            status, body = err.status, err.body
            if status == 422 and body is not None and "code" not in body:
                status, body = _invalid_request(f"{rt.method} {rt.template}", body)
            resp = _to_response(body, status)
        else:
            resp = _to_response(result, 201 if req.method == "POST" else 200)
        if idem_key is not None and self.honour_idempotency_keys and resp.status < 500:
            self._idempotency[idem_key] = (fingerprint, self._now(), resp)
            resp = FakeResponse(resp.status, dict(resp.headers), resp.body)
        return self._finish(req, resp, extra)

    # ------------------------------------------------------------ mounts

    @property
    def transport(self) -> FakeTransport:
        """One object that is both an ``httpx.BaseTransport`` and an ``httpx.AsyncBaseTransport``."""
        if self._transport is None:
            from ._transport import FakeTransport

            self._transport = FakeTransport(self)
        return self._transport

    @property
    def router(self) -> Any:
        """A ``respx.Router`` whose catch-all route answers from this fake (needs ``respx``)."""
        from ._transport import make_router

        return make_router(self)

    def serve(
        self, host: str = "127.0.0.1", port: int = 0
    ) -> contextlib.AbstractContextManager[str]:
        """Serve on loopback in a thread: ``with fake.serve() as base_url: ...``."""
        from ._server import serve

        return serve(self, host, port)

    # ------------------------------------------------------------ validation helpers

    @staticmethod
    def _body(req: Request, *, required: bool = True) -> JSON:
        data = req.json()
        if data is _INVALID:
            raise message_error(422, "The request body is not valid JSON.")
        if data is None:
            if required:
                raise message_error(422, "A JSON request body is required.")
            return {}
        if not isinstance(data, dict):
            raise message_error(422, "The request body must be a JSON object.")
        return data

    @staticmethod
    def _str(body: JSON, name: str, *, required: bool = False, nullable: bool = True) -> Any:
        value = body.get(name)
        if value is None:
            if required:
                raise message_error(422, f"{name} is required.")
            if name in body and not nullable:
                raise message_error(422, f"{name} must be a string.")
            return None
        if not isinstance(value, str):
            raise message_error(422, f"{name} must be a string.")
        if required and not value:
            raise message_error(422, f"{name} must not be empty.")
        return value

    @classmethod
    def _email(cls, body: JSON) -> str:
        """The required, well-formed ``email`` field of a create request."""
        email: str = cls._str(body, "email", required=True)
        if not _EMAIL_RE.match(email):
            raise message_error(422, "email must be a valid email address.")
        return email

    def _page(
        self, req: Request, items: Iterable[JSON], render: Callable[[JSON], JSON] | None = None
    ) -> JSON:
        limit, order, before, after = parse_page_params(req.query, lambda m: message_error(422, m))
        page, b, a = paginate(items, _id_key, limit, order, before, after)
        data = [render(x) for x in page] if render is not None else page
        return {"object": "list", "data": data, "list_metadata": {"before": b, "after": a}}

    @staticmethod
    def _owned_by(table: dict[str, JSON], user_id: str) -> list[JSON]:
        return [x for x in table.values() if x["user_id"] == user_id]

    def _get(self, table: dict[str, JSON], kind: str, ident: str) -> JSON:
        obj = table.get(ident)
        if obj is None:
            raise not_found(kind, ident)
        return obj

    def _check_metadata(self, metadata: Any) -> dict[str, str]:
        if metadata is None:
            return {}
        if (
            not isinstance(metadata, dict)
            or len(metadata) > 50
            or any(
                not isinstance(k, str) or len(k) > 40 or not isinstance(v, str) or len(v) > 600
                for k, v in metadata.items()
            )
        ):
            raise code_error(
                400,
                "invalid_metadata",
                "Metadata must map at most 50 keys (up to 40 characters) to strings of up to 600 characters.",
            )
        return dict(metadata)

    def _password_fields(self, body: JSON) -> tuple[str, str] | None:
        password = body.get("password")
        phash = body.get("password_hash")
        htype = body.get("password_hash_type")
        if password is not None and phash is not None:
            raise code_error(
                400,
                "password_and_password_hash_provided",
                "Provide either password or password_hash.",
            )
        if password is not None and htype is not None:
            raise code_error(
                400,
                "password_and_password_hash_type_provided",
                "password_hash_type is only valid with password_hash.",
            )
        if password is not None:
            if not isinstance(password, str):
                raise message_error(422, "password must be a string.")
            problems = self._password_problems(password)
            if problems:
                raise code_error(
                    400,
                    "password_strength_error",
                    "Password does not meet the strength requirements.",
                    errors=problems,
                )
            return self._hash_password(password)
        if phash is not None or htype is not None:
            if phash is None or htype is None:
                raise message_error(
                    422, "password_hash and password_hash_type must be sent together."
                )
            if htype not in HASH_TYPES:
                raise message_error(
                    422, f"password_hash_type must be one of: {', '.join(HASH_TYPES)}."
                )
            if not isinstance(phash, str) or (htype == "bcrypt" and not _BCRYPT_RE.match(phash)):
                raise code_error(
                    400, "invalid_password_hash", "The password hash is not valid for its type."
                )
            return (str(htype), phash)
        return None

    # ------------------------------------------------------------ users

    @route("POST", "/user_management/users")
    def _create_user(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        email = self._email(body)
        for name in ("first_name", "last_name", "external_id"):
            self._str(body, name)
        if body.get("email_verified") is not None and not isinstance(body["email_verified"], bool):
            raise message_error(422, "email_verified must be a boolean.")
        ext = body.get("external_id")
        if ext is not None and len(ext) > 128:
            raise message_error(422, "external_id must be at most 128 characters.")
        metadata = self._check_metadata(body.get("metadata"))
        pw = self._password_fields(body)
        errors = []
        if email.lower() in self._email_index:
            errors.append(
                {"code": "email_not_available", "message": "This email is not available."}
            )
        if ext is not None and ext in self._external_index:
            errors.append(
                {
                    "code": "external_id_not_available",
                    "message": "This external_id is already in use.",
                }
            )
        if errors:
            raise code_error(400, "user_creation_error", "Could not create user.", errors=errors)
        user = self._new_user(
            email=email,
            first_name=body.get("first_name"),
            last_name=body.get("last_name"),
            email_verified=bool(body.get("email_verified") or False),
            external_id=ext,
            metadata=metadata,
        )
        if pw is not None:
            self._passwords[user["id"]] = pw
        return 201, user

    @route("GET", "/user_management/users/{id}")
    def _get_user(self, req: Request, p: dict[str, str]) -> Any:
        return self._get(self.users, "User", p["id"])

    @route("GET", "/user_management/users/external_id/{external_id}")
    def _get_user_external(self, req: Request, p: dict[str, str]) -> Any:
        uid = self._external_index.get(p["external_id"])
        if uid is None:
            raise not_found("User with external_id", p["external_id"])
        return self.users[uid]

    @route("GET", "/user_management/users")
    def _list_users(self, req: Request, p: dict[str, str]) -> Any:
        items: Iterable[JSON] = self.users.values()
        email = req.query.get("email")
        if email:
            uid = self._email_index.get(email.lower())
            items = [self.users[uid]] if uid else []
        org_id = req.query.get("organization_id") or req.query.get("organization")
        if org_id:
            members = {
                m["user_id"] for m in self.memberships.values() if m["organization_id"] == org_id
            }
            items = [u for u in items if u["id"] in members]
        return self._page(req, items)

    @route("PUT", "/user_management/users/{id}")
    def _update_user(self, req: Request, p: dict[str, str]) -> Any:
        user = self._get(self.users, "User", p["id"])
        body = self._body(req)
        for name in ("email", "first_name", "last_name", "external_id", "locale"):
            self._str(body, name, nullable=name in ("external_id", "locale"))
        if "email_verified" in body and not isinstance(body["email_verified"], bool):
            raise message_error(422, "email_verified must be a boolean.")
        metadata = self._check_metadata(body["metadata"]) if "metadata" in body else None
        pw = self._password_fields(body)
        email = body.get("email")
        if email is not None and email.lower() != user["email"].lower():
            if not _EMAIL_RE.match(email):
                raise code_error(400, "invalid_email", "The email address is not valid.")
            if email.lower() in self._email_index:
                raise code_error(400, "email_not_available", "This email is not available.")
        ext = body.get("external_id")
        if ext is not None and self._external_index.get(ext, user["id"]) != user["id"]:
            raise code_error(400, "external_id_already_used", "This external_id is already in use.")
        locale = body.get("locale")
        if locale is not None and not _LOCALE_RE.match(locale):
            raise code_error(400, "invalid_locale", "The locale is not supported.")
        # apply
        if email is not None and email != user["email"]:
            del self._email_index[user["email"].lower()]
            self._email_index[email.lower()] = user["id"]
            if email.lower() != user["email"].lower():
                user["email_verified"] = False
            user["email"] = email
        for name in ("first_name", "last_name"):
            if name in body:
                user[name] = body[name]
        if "external_id" in body:
            if user["external_id"] is not None:
                self._external_index.pop(user["external_id"], None)
            user["external_id"] = ext
            if ext is not None:
                self._external_index[ext] = user["id"]
        if "locale" in body:
            user["locale"] = locale
        if "email_verified" in body:
            user["email_verified"] = body["email_verified"]
        if metadata is not None:
            user["metadata"] = metadata
        if pw is not None:
            self._passwords[user["id"]] = pw
        user["updated_at"] = iso(self._now())
        return user

    @route("DELETE", "/user_management/users/{id}")
    def _delete_user(self, req: Request, p: dict[str, str]) -> Any:
        user = self._get(self.users, "User", p["id"])
        uid = user["id"]
        del self.users[uid]
        self._email_index.pop(user["email"].lower(), None)
        if user["external_id"] is not None:
            self._external_index.pop(user["external_id"], None)
        self._passwords.pop(uid, None)
        self.identities.pop(uid, None)
        self._forced.pop(uid, None)
        for table in (self.memberships, self.auth_factors):
            for k in [k for k, v in table.items() if v.get("user_id") == uid]:
                del table[k]
        for sid, s in self.sessions.items():
            if s["user_id"] == uid:
                self._end_session(sid, "revoked")
        return 200, None

    @route("GET", "/user_management/users/{id}/identities")
    def _list_identities(self, req: Request, p: dict[str, str]) -> Any:
        self._get(self.users, "User", p["id"])
        return list(self.identities.get(p["id"], []))

    # ------------------------------------------------------------ organizations

    @route("POST", "/organizations")
    def _create_org(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        name = self._str(body, "name", required=True)
        ext = self._str(body, "external_id")
        domains = [d.get("domain") for d in body.get("domain_data") or [] if isinstance(d, dict)]
        domains += [d for d in body.get("domains") or [] if isinstance(d, str)]
        metadata = self._check_metadata(body.get("metadata"))
        return 201, self._new_org(name, [d for d in domains if d], ext, metadata)

    @route("GET", "/organizations")
    def _list_orgs(self, req: Request, p: dict[str, str]) -> Any:
        return self._page(req, self.organizations.values())

    @route("GET", "/organizations/{id}")
    def _get_org(self, req: Request, p: dict[str, str]) -> Any:
        return self._get(self.organizations, "Organization", p["id"])

    # ------------------------------------------------------------ memberships

    def _role_from(self, body: JSON) -> str | None:
        slug = body.get("role_slug")
        slugs = body.get("role_slugs")
        if slug is not None and slugs is not None:
            raise message_error(422, "Provide either role_slug or role_slugs, not both.")
        if slugs is not None:
            if (
                not isinstance(slugs, list)
                or not slugs
                or not all(isinstance(s, str) for s in slugs)
            ):
                raise message_error(422, "role_slugs must be a non-empty array of strings.")
            if len(slugs) > 1 and not self.settings.multiple_roles:
                raise code_error(
                    422,
                    "multiple_roles_not_enabled",
                    "Multiple roles are not enabled for this environment.",
                )
            slug = slugs[0]
        if slug is not None:
            if not isinstance(slug, str):
                raise message_error(422, "role_slug must be a string.")
            if slug not in self.settings.roles:
                raise code_error(422, "invalid_role", f"Role '{slug}' does not exist.")
        return slug

    @route("POST", "/user_management/organization_memberships")
    def _create_membership(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        uid = self._str(body, "user_id", required=True)
        oid = self._str(body, "organization_id", required=True)
        role = self._role_from(body)
        self._get(self.users, "User", uid)
        self._get(self.organizations, "Organization", oid)
        existing = self._find_membership(uid, oid)
        if existing is not None:
            if existing["status"] == "pending":
                raise code_error(
                    400,
                    "cannot_reactivate_pending_organization_membership",
                    "A pending membership cannot be reactivated; accept the invitation instead.",
                )
            if existing["status"] == "active":
                raise message_error(422, "The user is already a member of this organization.")
            existing["status"] = "active"
            if role is not None:
                existing["role"] = {"slug": role}
            existing["updated_at"] = iso(self._now())
            return 201, self._render_membership(existing)
        m = self._new_membership(uid, oid, role or self.settings.default_role)
        return 201, self._render_membership(m)

    @route("GET", "/user_management/organization_memberships/{id}")
    def _get_membership(self, req: Request, p: dict[str, str]) -> Any:
        return self._render_membership(
            self._get(self.memberships, "Organization membership", p["id"])
        )

    @route("GET", "/user_management/organization_memberships")
    def _list_memberships(self, req: Request, p: dict[str, str]) -> Any:
        uid = req.query.get("user_id")
        oid = req.query.get("organization_id")
        if not uid and not oid:
            raise code_error(
                400, "missing_user_id_or_organization_id", "Send user_id or organization_id."
            )
        statuses: set[str] | None = None
        raw = req.query.get("statuses")
        if raw:
            statuses = {s for s in raw.split(",") if s}
            if not statuses <= {"active", "inactive", "pending"}:
                raise code_error(
                    400,
                    "invalid_request_parameters",
                    "statuses must be active, inactive or pending.",
                )
        items = [
            m
            for m in self.memberships.values()
            if (not uid or m["user_id"] == uid)
            and (not oid or m["organization_id"] == oid)
            and (statuses is None or m["status"] in statuses)
        ]
        return self._page(req, items, self._render_membership)

    @route("PUT", "/user_management/organization_memberships/{id}")
    def _update_membership(self, req: Request, p: dict[str, str]) -> Any:
        m = self._get(self.memberships, "Organization membership", p["id"])
        role = self._role_from(self._body(req, required=False))
        if role is not None:
            m["role"] = {"slug": role}
            m["updated_at"] = iso(self._now())
        return self._render_membership(m)

    @route("DELETE", "/user_management/organization_memberships/{id}")
    def _delete_membership(self, req: Request, p: dict[str, str]) -> Any:
        self._get(self.memberships, "Organization membership", p["id"])
        del self.memberships[p["id"]]
        return 200, None

    def _set_membership_status(
        self, mid: str, status: Literal["active", "inactive"], verb: str
    ) -> JSON:
        m = self._get(self.memberships, "Organization membership", mid)
        if m["status"] == "pending":
            raise code_error(
                400,
                f"cannot_{verb}_pending_organization_membership",
                f"A pending membership cannot be {verb}d.",
            )
        if m["status"] != status:
            m["status"] = status
            m["updated_at"] = iso(self._now())
        return self._render_membership(m)

    @route("PUT", "/user_management/organization_memberships/{id}/deactivate")
    def _deactivate_membership(self, req: Request, p: dict[str, str]) -> Any:
        return self._set_membership_status(p["id"], "inactive", "deactivate")

    @route("PUT", "/user_management/organization_memberships/{id}/reactivate")
    def _reactivate_membership(self, req: Request, p: dict[str, str]) -> Any:
        return self._set_membership_status(p["id"], "active", "reactivate")

    # ------------------------------------------------------------ invitations

    def _render_invitation(self, inv: JSON) -> JSON:
        if inv["state"] == "pending" and self._expired(inv):
            inv["state"] = "expired"
            inv["updated_at"] = inv["expires_at"]
        return inv

    @route("POST", "/user_management/invitations")
    def _send_invitation(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        email = self._email(body)
        oid = self._str(body, "organization_id")
        inviter = self._str(body, "inviter_user_id")
        role = self._str(body, "role_slug")
        self._str(body, "locale")
        days = body.get("expires_in_days", 7)
        if not isinstance(days, int) or isinstance(days, bool):
            raise message_error(422, "expires_in_days must be an integer.")
        if days < 1:
            raise code_error(
                400, "expires_in_days_too_short", "expires_in_days must be at least 1."
            )
        if days > 30:
            raise code_error(400, "expires_in_days_too_long", "expires_in_days must be at most 30.")
        if oid is not None:
            self._get(self.organizations, "Organization", oid)
        if inviter is not None:
            self._get(self.users, "User", inviter)
        if role is not None and role not in self.settings.roles:
            raise code_error(400, "invalid_role", f"Role '{role}' does not exist.")
        uid = self._email_index.get(email.lower())
        for inv in self.invitations.values():
            if (
                inv["email"].lower() == email.lower()
                and self._render_invitation(inv)["state"] == "pending"
            ):
                if oid is not None and inv["organization_id"] == oid:
                    raise code_error(
                        400,
                        "email_already_invited_to_organization",
                        "This email already has a pending invitation to the organization.",
                    )
                if oid is None and inv["organization_id"] is None:
                    raise code_error(
                        400, "email_already_invited", "This email already has a pending invitation."
                    )
        if uid is not None:
            if oid is None:
                raise code_error(
                    400, "user_already_exists", "A user with this email already exists."
                )
            m = self._find_membership(uid, oid)
            if m is not None and m["status"] == "active":
                raise code_error(
                    400,
                    "user_already_organization_member",
                    "The user is already a member of the organization.",
                )
        now = self._now()
        token = self._secret(18)
        inv = {
            "object": "invitation",
            "id": self.ids.new("invitation"),
            "email": email,
            "state": "pending",
            "accepted_at": None,
            "revoked_at": None,
            "expires_at": iso(now + days * 86400),
            "organization_id": oid,
            "inviter_user_id": inviter,
            "accepted_user_id": None,
            "role_slug": role,
            "token": token,
            "accept_invitation_url": f"{self.base_url}/invite?invitation_token={token}",
            "created_at": iso(now),
            "updated_at": iso(now),
        }
        self.invitations[inv["id"]] = inv
        self._invite_tokens[token] = inv["id"]
        if uid is not None and oid is not None and self._find_membership(uid, oid) is None:
            m = self._new_membership(uid, oid, role or self.settings.default_role)
            m["status"] = "pending"
        self._send_invitation_email(inv)
        return 201, inv

    def _invitation(self, iid: str) -> JSON:
        return self._render_invitation(self._get(self.invitations, "Invitation", iid))

    @staticmethod
    def _require_pending(inv: JSON) -> None:
        if inv["state"] != "pending":
            raise code_error(400, "invite_not_pending", f"The invitation is {inv['state']}.")

    def _send_invitation_email(self, inv: JSON) -> None:
        self._send(
            "invitation",
            inv["email"],
            inv["id"],
            token=inv["token"],
            url=inv["accept_invitation_url"],
        )

    @route("GET", "/user_management/invitations/{id}")
    def _get_invitation(self, req: Request, p: dict[str, str]) -> Any:
        return self._invitation(p["id"])

    @route("GET", "/user_management/invitations/by_token/{token}")
    def _get_invitation_by_token(self, req: Request, p: dict[str, str]) -> Any:
        iid = self._invite_tokens.get(p["token"])
        if iid is None:
            raise message_error(404, "Invitation not found.")
        return self._render_invitation(self.invitations[iid])

    @route("GET", "/user_management/invitations")
    def _list_invitations(self, req: Request, p: dict[str, str]) -> Any:
        oid = req.query.get("organization_id")
        email = (req.query.get("email") or "").lower()
        items = [
            self._render_invitation(i)
            for i in self.invitations.values()
            if (not oid or i["organization_id"] == oid)
            and (not email or i["email"].lower() == email)
        ]
        return self._page(req, items)

    def _accept(self, inv: JSON, user: JSON) -> None:
        now = iso(self._now())
        inv.update(state="accepted", accepted_at=now, accepted_user_id=user["id"], updated_at=now)
        oid = inv["organization_id"]
        if oid is not None and oid in self.organizations:
            m = self._find_membership(user["id"], oid)
            if m is None:
                self._new_membership(
                    user["id"], oid, inv["role_slug"] or self.settings.default_role
                )
            elif m["status"] != "active":
                m["status"] = "active"
                m["updated_at"] = now

    @route("POST", "/user_management/invitations/{id}/accept")
    def _accept_invitation(self, req: Request, p: dict[str, str]) -> Any:
        inv = self._invitation(p["id"])
        if inv["accepted_user_id"] is not None:
            raise code_error(
                400, "invite_has_accepted_user_id", "The invitation was already accepted by a user."
            )
        self._require_pending(inv)
        uid = self._email_index.get(inv["email"].lower())
        if uid is None:
            raise code_error(
                400,
                "invalid_invite",
                "No user with the invited email exists yet; sign up with the invitation token.",
            )
        self._accept(inv, self.users[uid])
        return 200, inv

    @route("POST", "/user_management/invitations/{id}/revoke")
    def _revoke_invitation(self, req: Request, p: dict[str, str]) -> Any:
        inv = self._invitation(p["id"])
        self._require_pending(inv)
        now = iso(self._now())
        inv.update(state="revoked", revoked_at=now, updated_at=now)
        return 200, inv

    @route("POST", "/user_management/invitations/{id}/resend")
    def _resend_invitation(self, req: Request, p: dict[str, str]) -> Any:
        inv = self._invitation(p["id"])
        body = self._body(req, required=False)
        self._str(body, "locale")
        state = inv["state"]
        if state == "expired":
            raise code_error(400, "invite_expired", "The invitation has expired.")
        if state == "revoked":
            raise code_error(400, "invite_revoked", "The invitation was revoked.")
        if state == "accepted":
            raise code_error(400, "invite_accepted", "The invitation was already accepted.")
        inv["updated_at"] = iso(self._now())
        self._send_invitation_email(inv)
        return 200, inv

    # ------------------------------------------------------------ magic auth / email verification / password reset

    @route("POST", "/user_management/magic_auth")
    def _create_magic_auth(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        email = self._email(body)
        token = self._str(body, "invitation_token")
        if token is not None:
            self._invitation_for(token, email)
        uid = self._email_index.get(email.lower())
        user = self.users[uid] if uid else self._new_user(email=email)
        lifetime = self.settings.magic_auth_lifetime
        return 201, self._new_code("magic_auth", self.magic_auths, user, lifetime, email)

    @route("GET", "/user_management/magic_auth/{id}")
    def _get_magic_auth(self, req: Request, p: dict[str, str]) -> Any:
        return self._get(self.magic_auths, "Magic Auth", p["id"])

    @route("GET", "/user_management/email_verification/{id}")
    def _get_email_verification(self, req: Request, p: dict[str, str]) -> Any:
        return self._get(self.email_verifications, "Email verification", p["id"])

    @route("POST", "/user_management/users/{id}/email_verification/send")
    def _send_verification(self, req: Request, p: dict[str, str]) -> Any:
        user = self._get(self.users, "User", p["id"])
        if user["email_verified"]:
            raise code_error(
                400, "email_already_verified", "The email address is already verified."
            )
        self._new_email_verification(user)
        return 200, {"user": user}

    @route("POST", "/user_management/users/{id}/email_verification/confirm")
    def _confirm_verification(self, req: Request, p: dict[str, str]) -> Any:
        user = self._get(self.users, "User", p["id"])
        code = self._str(self._body(req), "code", required=True)
        candidates = self._owned_by(self.email_verifications, user["id"])
        match = next((ev for ev in reversed(candidates) if _same(ev["code"], code)), None)
        if match is not None and self._one_time[match["id"]].used:
            raise code_error(
                400, "email_verification_code_previously_used", "This code was already used."
            )
        if user["email_verified"]:
            raise code_error(
                400, "email_previously_verified", "The email address is already verified."
            )
        if match is None:
            raise code_error(400, "email_verification_code_incorrect", "The code is incorrect.")
        if self._expired(match):
            raise code_error(400, "email_verification_code_expired", "The code has expired.")
        self._one_time[match["id"]].used = True
        self._mark_verified(user)
        return 200, {"user": user}

    @route("POST", "/user_management/password_reset")
    def _create_password_reset(self, req: Request, p: dict[str, str]) -> Any:
        email = self._str(self._body(req), "email", required=True)
        uid = self._email_index.get(email.lower())
        if uid is None:
            raise not_found("User", email)
        now = self._now()
        token = self._secret(24)
        pr: JSON = {
            "object": "password_reset",
            "id": self.ids.new("password_reset"),
            "user_id": uid,
            "email": self.users[uid]["email"],
            "password_reset_token": token,
            "password_reset_url": f"{self.base_url}/reset-password?token={token}",
            "expires_at": iso(now + self.settings.password_reset_lifetime),
            "created_at": iso(now),
        }
        self._new_one_time(self.password_resets, pr)
        self._send(
            "password_reset", pr["email"], pr["id"], token=token, url=pr["password_reset_url"]
        )
        return 201, pr

    @route("GET", "/user_management/password_reset/{id}")
    def _get_password_reset(self, req: Request, p: dict[str, str]) -> Any:
        return self._get(self.password_resets, "Password reset", p["id"])

    @route("POST", "/user_management/password_reset/confirm")
    def _reset_password(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        token = self._str(body, "token", required=True)
        new_password = self._str(body, "new_password", required=True)
        pr = next(
            (x for x in self.password_resets.values() if _same(x["password_reset_token"], token)),
            None,
        )
        if pr is None or pr["user_id"] not in self.users:
            raise message_error(404, "Password reset token not found.")
        meta = self._one_time[pr["id"]]
        errors: list[JSON] = []
        if meta.used:
            errors.append(
                {
                    "code": "password_reset_token_used",
                    "message": "This password reset token was already used.",
                }
            )
        elif self._expired(pr):
            errors.append(
                {
                    "code": "password_reset_token_expired",
                    "message": "This password reset token has expired.",
                }
            )
        else:
            errors = self._password_problems(new_password)
        if errors:
            raise code_error(
                400, "password_reset_error", "The password could not be reset.", errors=errors
            )
        meta.used = True
        user = self.users[pr["user_id"]]
        self._passwords[user["id"]] = self._hash_password(new_password)
        user["updated_at"] = iso(self._now())
        return 200, {"user": user}

    # ------------------------------------------------------------ MFA

    @route("POST", "/user_management/users/{userlandUserId}/auth_factors")
    def _enroll_factor(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        user = self._factor_user(p)
        if body.get("type") != "totp":
            raise message_error(422, "type must be 'totp'.")
        issuer = self._str(body, "totp_issuer") or "WorkOS"
        account = self._str(body, "totp_user") or user["email"]
        secret = self._str(body, "totp_secret")
        if secret is None:
            secret = (
                base64.b32encode(self._rng.getrandbits(160).to_bytes(20, "big"))
                .decode()
                .rstrip("=")
            )
        else:
            try:
                base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
            except ValueError:
                raise message_error(422, "totp_secret must be base32.") from None
        now = iso(self._now())
        factor: JSON = {
            "object": "authentication_factor",
            "id": self.ids.new("auth_factor"),
            "type": "totp",
            "user_id": user["id"],
            "totp": {"issuer": issuer, "user": account},
            "created_at": now,
            "updated_at": now,
        }
        self.auth_factors[factor["id"]] = factor
        self._factor_secrets[factor["id"]] = secret
        uri = f"otpauth://totp/{issuer}:{account}?" + urlencode(
            {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30}
        )
        enrolled = dict(factor)
        enrolled["totp"] = {
            "issuer": issuer,
            "user": account,
            "secret": secret,
            "qr_code": "data:text/plain;base64," + base64.b64encode(uri.encode()).decode(),
            "uri": uri,
        }
        challenge = self._new_challenge(factor)
        return 201, {"authentication_factor": enrolled, "authentication_challenge": challenge}

    @route("GET", "/user_management/users/{userlandUserId}/auth_factors")
    def _list_factors(self, req: Request, p: dict[str, str]) -> Any:
        uid = self._factor_user(p)["id"]
        return self._page(req, self._owned_by(self.auth_factors, uid))

    def _factor_user(self, p: dict[str, str]) -> JSON:
        """The user of an auth factor route (an unknown one is a 422 there, not a 404)."""
        user = self.users.get(p["userlandUserId"])
        if user is None:
            raise message_error(422, "User not found.")
        return user

    def _new_challenge(self, factor: JSON) -> JSON:
        now = iso(self._now())
        ch: JSON = {
            "object": "authentication_challenge",
            "id": self.ids.new("auth_challenge"),
            "authentication_factor_id": factor["id"],
            "created_at": now,
            "updated_at": now,
        }
        return self._new_one_time(self.auth_challenges, ch)

    @route("POST", "/auth/factors/{id}/challenge")
    def _challenge(self, req: Request, p: dict[str, str]) -> Any:
        factor = self._get(self.auth_factors, "Authentication factor", p["id"])
        body = self._body(req, required=False)
        self._str(body, "sms_template")
        return 201, self._new_challenge(factor)

    def _check_totp(self, challenge: JSON, code: str) -> bool:
        meta = self._one_time[challenge["id"]]
        if meta.attempts >= self.settings.one_time_code_max_attempts:
            raise _too_many_attempts("challenge")
        meta.attempts += 1
        secret = self._factor_secrets.get(challenge["authentication_factor_id"])
        return secret is not None and verify_totp(secret, code, self._now())

    @route("POST", "/auth/challenges/{id}/verify")
    def _verify_challenge(self, req: Request, p: dict[str, str]) -> Any:
        ch = self._get(self.auth_challenges, "Authentication challenge", p["id"])
        code = self._str(self._body(req), "code", required=True)
        meta = self._one_time[ch["id"]]
        valid = not meta.used and self._check_totp(ch, code)
        if valid:
            meta.used = True
        return 201, {"challenge": ch, "valid": valid}

    # ------------------------------------------------------------ sessions

    def _new_session(
        self, user: JSON, method: str, org_id: str | None, ip: str | None, ua: str | None
    ) -> tuple[JSON, str]:
        now = self._now()
        s: JSON = {
            "object": "session",
            "id": self.ids.new("session"),
            "user_id": user["id"],
            "status": "active",
            "auth_method": _SESSION_METHOD.get(
                method, "oauth" if method in PROVIDERS_OAUTH else "unknown"
            ),
            "ip_address": ip,
            "user_agent": ua,
            "expires_at": iso(now + self.settings.session_lifetime),
            "ended_at": None,
            "created_at": iso(now),
            "updated_at": iso(now),
        }
        if org_id is not None:
            s["organization_id"] = org_id
        self.sessions[s["id"]] = s
        self._session_org[s["id"]] = org_id
        return s, self._new_refresh_token(s["id"])

    def _new_refresh_token(self, sid: str) -> str:
        refresh = self._secret(24)
        self._refresh_index[refresh] = sid
        return refresh

    def _session_state(self, s: JSON) -> str:
        if s["status"] == "active" and self._expired(s):
            s["status"] = "expired"
            s["ended_at"] = s["expires_at"]
        return str(s["status"])

    def _end_session(self, sid: str, status: str) -> None:
        s = self.sessions[sid]
        if self._session_state(s) == "active":
            now = iso(self._now())
            s.update(status=status, ended_at=now, updated_at=now)
        for tok in [t for t, v in self._refresh_index.items() if v == sid]:
            del self._refresh_index[tok]

    @route("GET", "/user_management/users/{id}/sessions")
    def _list_sessions(self, req: Request, p: dict[str, str]) -> Any:
        self._get(self.users, "User", p["id"])
        items = self._owned_by(self.sessions, p["id"])
        for s in items:
            self._session_state(s)
        return self._page(req, items)

    @route("POST", "/user_management/sessions/revoke")
    def _revoke_session(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        sid = body.get("session_id")
        if not isinstance(sid, str) or sid not in self.sessions:
            raise message_error(400, "Session not found.")
        self._end_session(sid, "revoked")
        return 200, None

    @route("GET", "/user_management/sessions/logout", auth=False)
    def _logout(self, req: Request, p: dict[str, str]) -> Any:
        sid = req.query.get("session_id")
        if not sid:
            raise message_error(422, "session_id is required.")
        if sid not in self.sessions:
            raise message_error(422, "Session not found.")
        self._end_session(sid, "revoked")
        return_to = req.query.get("return_to")
        if return_to:
            return 302, Raw(None, b"", {"Location": return_to})
        return 200, Raw(
            "text/html; charset=utf-8",
            b"<!doctype html><title>Signed out</title><p>Signed out.</p>",
        )

    @route("GET", "/sso/jwks/{clientId}")
    def _jwks(self, req: Request, p: dict[str, str]) -> Any:
        if p["clientId"] != self.client_id:
            raise not_found("Client", p["clientId"])
        return self.jwks()

    # ------------------------------------------------------------ API keys

    @route("POST", "/organizations/{organizationId}/api_keys")
    def _create_api_key(self, req: Request, p: dict[str, str]) -> Any:
        org = self._get(self.organizations, "Organization", p["organizationId"])
        body = self._body(req)
        name = body.get("name")
        errors = []
        if not isinstance(name, str) or not name:
            errors.append({"code": "required", "field": "name"})
        perms = body.get("permissions", [])
        if not isinstance(perms, list) or not all(isinstance(x, str) for x in perms):
            errors.append({"code": "invalid", "field": "permissions"})
        if errors:
            raise ApiError(422, {"message": "Validation failed.", "errors": errors})
        value = "sk_" + self._secret(30)
        now = iso(self._now())
        key: JSON = {
            "object": "api_key",
            "id": self.ids.new("api_key"),
            "owner": {"type": "organization", "id": org["id"]},
            "name": name,
            "obfuscated_value": f"sk_…{value[-4:]}",
            "last_used_at": None,
            "permissions": list(perms),
            "created_at": now,
            "updated_at": now,
        }
        self.api_keys[key["id"]] = key
        self._api_key_values[value] = key["id"]
        return 201, {**key, "value": value}

    @route("GET", "/organizations/{organizationId}/api_keys")
    def _list_api_keys(self, req: Request, p: dict[str, str]) -> Any:
        oid = self._get(self.organizations, "Organization", p["organizationId"])["id"]
        return self._page(req, [k for k in self.api_keys.values() if k["owner"]["id"] == oid])

    @route("DELETE", "/api_keys/{id}")
    def _delete_api_key(self, req: Request, p: dict[str, str]) -> Any:
        self._get(self.api_keys, "API key", p["id"])
        del self.api_keys[p["id"]]
        for v in [v for v, k in self._api_key_values.items() if k == p["id"]]:
            del self._api_key_values[v]
        return 204, None

    @route("POST", "/api_keys/validations")
    def _validate_api_key(self, req: Request, p: dict[str, str]) -> Any:
        value = self._str(self._body(req), "value", required=True)
        kid = self._api_key_values.get(value)
        if kid is None:
            return 200, {"api_key": None}
        key = self.api_keys[kid]
        key["last_used_at"] = iso(self._now())
        return 200, {"api_key": key}

    # ------------------------------------------------------------ device authorization

    @route("POST", "/user_management/authorize/device", auth=False)
    def _device_authorization(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req, required=False)
        self._check_client_id(body)
        if not self.settings.device_flow_enabled:
            raise oauth_error(
                403, "access_denied", "Device authorization grant is not enabled for this team."
            )
        now = self._now()
        device_code = self._secret(30)
        letters = "BCDFGHJKLMNPQRSTVWXZ"
        user_code = (
            "".join(self._rng.choice(letters) for _ in range(4))
            + "-"
            + "".join(self._rng.choice(letters) for _ in range(4))
        )
        dev = _Device(
            device_code,
            user_code,
            now + self.settings.device_code_lifetime,
            self.settings.device_poll_interval,
        )
        self._devices[device_code] = dev
        self._device_by_user_code[user_code] = device_code
        uri = f"{self.base_url}/device"
        return 200, {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": uri,
            "verification_uri_complete": f"{uri}?user_code={user_code}",
            "expires_in": int(self.settings.device_code_lifetime),
            "interval": int(self.settings.device_poll_interval),
        }

    # ------------------------------------------------------------ authorize (browser)

    @route("GET", "/user_management/authorize", auth=False)
    def _authorize(self, req: Request, p: dict[str, str]) -> Any:
        return self._authorize_flow(req.query, None)

    @route("POST", "/user_management/authorize", auth=False)
    def _authorize_submit(self, req: Request, p: dict[str, str]) -> Any:
        form = dict(parse_qsl(req.raw.decode("utf-8", "replace")))
        params = {k[2:]: v for k, v in form.items() if k.startswith("q_")}
        return self._authorize_flow(params, (form.get("email", ""), form.get("password", "")))

    def _authorize_flow(self, q: Mapping[str, str], creds: tuple[str, str] | None) -> Any:
        redirect_uri = q.get("redirect_uri", "")
        if q.get("client_id") != self.client_id:
            return 400, _html_page("Invalid client", "<p>The client_id is missing or unknown.</p>")
        allowed = self.settings.allowed_redirect_uris
        if not redirect_uri or (allowed is not None and redirect_uri not in allowed):
            return 400, _html_page(
                "Invalid redirect URI", "<p>The redirect_uri is missing or not allowed.</p>"
            )
        state = q.get("state")

        def back(**params: str) -> tuple[int, Raw]:
            if state is not None:
                params["state"] = state
            return 302, Raw(None, b"", {"Location": _add_query(redirect_uri, params)})

        if q.get("response_type") != "code":
            return back(
                error="unsupported_response_type", error_description="response_type must be 'code'."
            )
        challenge = q.get("code_challenge")
        if challenge is not None and q.get("code_challenge_method") != "S256":
            return back(
                error="invalid_request", error_description="code_challenge_method must be S256."
            )
        user: JSON | None = None
        method = "Password"
        skip: frozenset[str] = frozenset()
        hint = q.get("login_hint")
        if (q.get("connection_id") or q.get("provider", "authkit") != "authkit") and hint:
            # the fake's "identity provider" signs in the hinted user at once
            uid = self._email_index.get(hint.lower())
            if uid is not None:
                user = self.users[uid]
                provider = q.get("provider")
                method = provider if provider in PROVIDERS_OAUTH else "SSO"
                skip = frozenset({"sso_required", "organization_authentication_methods_required"})
        elif creds is not None:
            uid = self._email_index.get(creds[0].lower())
            if uid is None or not self._check_password(uid, creds[1]):
                return 200, _sign_in_page(q, "Invalid email or password.")
            user = self.users[uid]
        elif self.default_user is not None:
            try:
                user = self._user_ref(self.default_user)
            except KeyError:
                user = None
        if user is None:
            return 200, _sign_in_page(q, None)
        code = self._secret(24)
        self._codes[code] = _AuthCode(
            user["id"],
            method,
            self._now() + self.settings.authorization_code_lifetime,
            redirect_uri,
            challenge,
            q.get("organization_id"),
            skip,
        )
        return back(code=code)

    # ------------------------------------------------------------ authenticate

    def _invitation_for(self, token: str, email: str | None) -> JSON:
        iid = self._invite_tokens.get(token)
        inv = self._render_invitation(self.invitations[iid]) if iid else None
        if inv is None or inv["state"] != "pending":
            raise oauth_error(
                400, "invitation_invalid", "The invitation is invalid, expired or already used."
            )
        if email is not None and inv["email"].lower() != email.lower():
            raise oauth_error(
                400,
                "invitation_cannot_be_used_for_email",
                "The invitation was sent to another email address.",
            )
        return inv

    def _accept_invitation_token(self, body: JSON, user: JSON, org_id: str | None) -> str | None:
        """Accept the body's ``invitation_token`` (if any) for ``user``; returns the org to sign into."""
        token = body.get("invitation_token")
        if not isinstance(token, str):
            return org_id
        inv = self._invitation_for(token, user["email"])
        self._accept(inv, user)
        invited_org: str | None = inv["organization_id"]
        return invited_org

    @route("POST", "/user_management/authenticate")
    def _authenticate(self, req: Request, p: dict[str, str]) -> Any:
        body = self._body(req)
        grant = body.get("grant_type")
        if not isinstance(grant, str):
            raise message_error(422, "grant_type is required.")
        self._check_client_id(body)
        if grant != GRANT_DEVICE:
            secret = body.get("client_secret")
            public_pkce = grant == GRANT_CODE and body.get("code_verifier") is not None
            if secret is None and not public_pkce:
                raise message_error(422, "client_secret is required.")
            if secret is not None and secret != self.api_key:
                raise oauth_error(400, "invalid_client", "The client_secret is invalid.")
        ip = body.get("ip_address") if isinstance(body.get("ip_address"), str) else None
        ua = body.get("user_agent") if isinstance(body.get("user_agent"), str) else None
        handler = _GRANTS.get(grant)
        if handler is None:
            raise oauth_error(400, "invalid_request", f"Unsupported grant_type '{grant}'.")
        return 200, handler(self, body, ip, ua)

    def _check_client_id(self, body: JSON) -> None:
        if body.get("client_id") != self.client_id:
            raise oauth_error(400, "invalid_client", "The client_id is missing or unknown.")

    def _need(self, body: JSON, *names: str) -> list[str]:
        out = []
        for name in names:
            v = body.get(name)
            if not isinstance(v, str) or not v:
                raise message_error(422, f"{name} is required.")
            out.append(v)
        return out

    def _grant_password(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        email, password = self._need(body, "email", "password")
        uid = self._email_index.get(email.lower())
        if uid is None or not self._check_password(uid, password):
            raise code_error(400, "invalid_credentials", "Invalid email or password.")
        user = self.users[uid]
        org_id = self._accept_invitation_token(body, user, None)
        return self._sign_in(user, "Password", org_id, ip, ua)

    def _consume_code(self, candidates: list[JSON], code: str) -> JSON:
        match = next((x for x in reversed(candidates) if _same(x["code"], code)), None)
        if match is None:
            latest = candidates[-1] if candidates else None
            if latest is not None:
                meta = self._one_time[latest["id"]]
                meta.attempts += 1
                if meta.attempts > self.settings.one_time_code_max_attempts:
                    raise _too_many_attempts("code")
            raise code_error(400, "invalid_one_time_code", "The code is incorrect.")
        meta = self._one_time[match["id"]]
        if meta.used:
            raise code_error(400, "one_time_code_previously_used", "This code was already used.")
        if meta.attempts >= self.settings.one_time_code_max_attempts:
            raise _too_many_attempts("code")
        if self._expired(match):
            raise code_error(400, "one_time_code_expired", "This code has expired.")
        meta.used = True
        return match

    def _grant_magic(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        code, email = self._need(body, "code", "email")
        uid = self._email_index.get(email.lower())
        candidates = self._owned_by(self.magic_auths, uid) if uid else []
        self._consume_code(candidates, code)
        assert uid is not None
        user = self.users[uid]
        if not user["email_verified"]:
            self._mark_verified(user)
        org_id = self._accept_invitation_token(body, user, None)
        return self._sign_in(user, "MagicAuth", org_id, ip, ua)

    def _grant_code(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (code,) = self._need(body, "code")
        ac = self._codes.get(code)
        if ac is None or ac.used or ac.expires <= self._now() or ac.user_id not in self.users:
            raise oauth_error(400, "invalid_grant", "The authorization code is invalid or expired.")
        verifier = body.get("code_verifier")
        if ac.challenge is None and verifier is not None:
            raise code_error(
                400, "code_challenge_not_found", "No code_challenge was sent for this code."
            )
        if ac.challenge is not None:
            if not isinstance(verifier, str):
                raise oauth_error(400, "invalid_grant", "code_verifier is required for this code.")
            computed = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if not _same(computed, ac.challenge):
                raise oauth_error(
                    400, "invalid_grant", "The code_verifier does not match the code_challenge."
                )
        ac.used = True
        user = self.users[ac.user_id]
        org_id = self._accept_invitation_token(body, user, ac.org_id)
        return self._sign_in(user, ac.method, org_id, ip, ua, done=ac.skip)

    def _take_pending(self, body: JSON) -> _Pending:
        token = body.get("pending_authentication_token")
        pending = self._pending.get(token) if isinstance(token, str) else None
        if (
            pending is None
            or pending.used
            or pending.expires <= self._now()
            or pending.user_id not in self.users
        ):
            raise code_error(
                400,
                "invalid_pending_authentication_token",
                "The pending authentication token is invalid or expired.",
            )
        return pending

    def _grant_email(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (code,) = self._need(body, "code", "pending_authentication_token")[:1]
        pending = self._take_pending(body)
        user = self.users[pending.user_id]
        candidates = self._owned_by(self.email_verifications, user["id"])
        self._consume_code(candidates, code)
        self._mark_verified(user)
        return self._resume(pending, pending.org_id, ip, ua, "email_verification_required")

    def _grant_totp(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        code, _, challenge_id = self._need(
            body, "code", "pending_authentication_token", "authentication_challenge_id"
        )
        pending = self._take_pending(body)
        ch = self._get(self.auth_challenges, "Authentication challenge", challenge_id)
        factor = self.auth_factors.get(ch["authentication_factor_id"])
        if factor is None or factor["user_id"] != pending.user_id:
            raise code_error(400, "user_mismatch", "The challenge belongs to another user.")
        if self._one_time[ch["id"]].used:
            raise code_error(
                400, "one_time_code_previously_used", "This challenge was already completed."
            )
        if not self._check_totp(ch, code):
            raise code_error(400, "invalid_one_time_code", "The code is incorrect.")
        self._one_time[ch["id"]].used = True
        return self._resume(pending, pending.org_id, ip, ua, "mfa_challenge", "mfa_enrollment")

    def _grant_org(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        _, org_id = self._need(body, "pending_authentication_token", "organization_id")
        pending = self._take_pending(body)
        if org_id not in self.organizations:
            raise oauth_error(400, "organization_not_found", f"Organization not found: '{org_id}'.")
        self._require_active_member(pending.user_id, org_id)
        return self._resume(pending, org_id, ip, ua, "organization_selection_required")

    def _grant_refresh(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (token,) = self._need(body, "refresh_token")
        sid = self._refresh_index.get(token)
        s = self.sessions.get(sid) if sid else None
        if s is None or self._session_state(s) != "active" or s["user_id"] not in self.users:
            raise oauth_error(
                400,
                "invalid_grant",
                "The refresh token is invalid, used, or its session has ended.",
            )
        org_id = body.get("organization_id")
        if org_id is not None:
            if not isinstance(org_id, str) or org_id not in self.organizations:
                raise oauth_error(400, "organization_not_found", "Organization not found.")
            self._require_active_member(s["user_id"], org_id)
            self._session_org[s["id"]] = org_id
            s["organization_id"] = org_id
        del self._refresh_index[token]
        new_refresh = self._new_refresh_token(s["id"])
        s["updated_at"] = iso(self._now())
        return self._tokens(self.users[s["user_id"]], s, new_refresh)

    def _grant_device(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (device_code,) = self._need(body, "device_code")
        dev = self._devices.get(device_code)
        now = self._now()
        if dev is None or dev.used:
            raise oauth_error(
                400, "invalid_grant", "The device code is invalid or was already used."
            )
        if dev.expires <= now:
            raise oauth_error(400, "expired_token", "The device code has expired; start again.")
        if dev.denied:
            raise oauth_error(400, "access_denied", "The user denied the request.")
        last, dev.last_poll = dev.last_poll, now
        if dev.approved_user is None:
            if last is not None and now - last < dev.interval:
                dev.interval += 5
                raise oauth_error(
                    400, "slow_down", "Polling too fast; increase the interval by 5 seconds."
                )
            raise oauth_error(
                400, "authorization_pending", "The user has not completed authorization yet."
            )
        if dev.approved_user not in self.users:
            raise oauth_error(400, "access_denied", "The approving user no longer exists.")
        dev.used = True
        return self._sign_in(self.users[dev.approved_user], "Password", None, ip, ua)

    # ------------------------------------------------------------ the sign-in pipeline

    def _pending_token(
        self,
        user: JSON,
        method: str,
        org_id: str | None,
        stage: str,
        done: frozenset[str],
        ip: str | None,
        ua: str | None,
    ) -> str:
        token = self._secret(24)
        self._pending[token] = _Pending(
            user["id"],
            method,
            org_id,
            self._now() + self.settings.pending_token_lifetime,
            stage,
            done | {stage},
            ip,
            ua,
        )
        return token

    def _outcome(
        self,
        outcome: str,
        user: JSON,
        method: str,
        org_id: str | None,
        done: frozenset[str],
        ip: str | None,
        ua: str | None,
    ) -> ApiError:
        token = self._pending_token(user, method, org_id, outcome, done, ip, ua)
        if outcome == "email_verification_required":
            ev = self._new_email_verification(user)
            return code_error(
                403,
                outcome,
                "Email ownership must be verified before authentication.",
                pending_authentication_token=token,
                email=user["email"],
                email_verification_id=ev["id"],
            )
        if outcome == "mfa_enrollment":
            return code_error(
                403,
                outcome,
                "The user must enroll in MFA to finish authenticating.",
                pending_authentication_token=token,
                user=user,
            )
        if outcome == "mfa_challenge":
            factors = [
                {"id": f["id"], "type": f["type"]}
                for f in sorted(self._owned_by(self.auth_factors, user["id"]), key=_id_key)
            ]
            return code_error(
                403,
                outcome,
                "The user must complete an MFA challenge to finish authenticating.",
                pending_authentication_token=token,
                authentication_factors=factors,
                user=user,
            )
        if outcome == "organization_selection_required":
            orgs = [{"id": o["id"], "name": o["name"]} for o in self._active_orgs(user["id"])]
            return code_error(
                403,
                outcome,
                "The user must choose an organization to finish authenticating.",
                pending_authentication_token=token,
                organizations=orgs,
                user=user,
            )
        connection = "conn_" + self.ids.new("x")[2:]
        if outcome == "sso_required":
            return oauth_error(
                400,
                outcome,
                "User must authenticate using one of the matching connections.",
                connection_ids=[connection],
                email=user["email"],
                pending_authentication_token=token,
            )
        return oauth_error(
            400,
            "organization_authentication_methods_required",
            "User must authenticate using one of the methods allowed by the organization.",
            sso_connection_ids=[connection],
            auth_methods={
                "apple_oauth": False,
                "github_oauth": False,
                "google_oauth": True,
                "magic_auth": True,
                "microsoft_oauth": False,
                "password": False,
            },
            email=user["email"],
            pending_authentication_token=token,
        )

    def _sign_in(
        self,
        user: JSON,
        method: str,
        org_id: str | None,
        ip: str | None,
        ua: str | None,
        *,
        done: frozenset[str] = frozenset(),
    ) -> JSON:
        forced = self._forced.get(user["id"])
        if forced:
            outcome = forced.pop(0)
            if not forced:
                del self._forced[user["id"]]
            raise self._outcome(outcome, user, method, org_id, done, ip, ua)
        st = self.settings
        if (
            st.require_email_verification
            and not user["email_verified"]
            and "email_verification_required" not in done
        ):
            raise self._outcome("email_verification_required", user, method, org_id, done, ip, ua)
        if "mfa_challenge" not in done and "mfa_enrollment" not in done:
            has_factor = any(f["user_id"] == user["id"] for f in self.auth_factors.values())
            if has_factor and st.mfa_challenge_enrolled_users:
                raise self._outcome("mfa_challenge", user, method, org_id, done, ip, ua)
            if not has_factor and st.require_mfa_enrollment:
                raise self._outcome("mfa_enrollment", user, method, org_id, done, ip, ua)
        orgs = self._active_orgs(user["id"])
        if org_id is None:
            if (
                len(orgs) > 1
                and st.organization_selection
                and "organization_selection_required" not in done
            ):
                raise self._outcome(
                    "organization_selection_required", user, method, org_id, done, ip, ua
                )
            if len(orgs) == 1:
                org_id = orgs[0]["id"]
        elif org_id not in {o["id"] for o in orgs}:
            if org_id not in self.organizations:
                raise code_error(
                    400, "invalid_organization_id", f"Organization not found: '{org_id}'."
                )
            raise _not_a_member()
        session, refresh = self._new_session(user, method, org_id, ip, ua)
        user["last_sign_in_at"] = iso(self._now())
        out = self._tokens(user, session, refresh)
        out["authentication_method"] = method
        return out

    def _tokens(self, user: JSON, session: JSON, refresh: str) -> JSON:
        """The body of a successful authentication: user, session organization and tokens."""
        out: JSON = {"user": user}
        org_id = self._session_org.get(session["id"])
        if org_id is not None:
            out["organization_id"] = org_id
        out["access_token"] = self._access_token(session)
        out["refresh_token"] = refresh
        return out

    def _resume(
        self, pending: _Pending, org_id: str | None, ip: str | None, ua: str | None, *stages: str
    ) -> JSON:
        """Continue the sign-in held by ``pending`` now that ``stages`` are completed."""
        pending.used = True
        return self._sign_in(
            self.users[pending.user_id],
            pending.method,
            org_id,
            ip or pending.ip,
            ua or pending.ua,
            done=pending.done | set(stages),
        )

    def _require_active_member(self, user_id: str, org_id: str) -> None:
        m = self._find_membership(user_id, org_id)
        if m is None or m["status"] != "active":
            raise _not_a_member()


_GRANTS: dict[str, Callable[[FakeWorkOS, JSON, str | None, str | None], JSON]] = {
    GRANT_PASSWORD: FakeWorkOS._grant_password,
    GRANT_CODE: FakeWorkOS._grant_code,
    GRANT_MAGIC: FakeWorkOS._grant_magic,
    GRANT_EMAIL: FakeWorkOS._grant_email,
    GRANT_TOTP: FakeWorkOS._grant_totp,
    GRANT_ORG: FakeWorkOS._grant_org,
    GRANT_REFRESH: FakeWorkOS._grant_refresh,
    GRANT_DEVICE: FakeWorkOS._grant_device,
}


# ---------------------------------------------------------------- route table (compiled once)


def _compile() -> tuple[dict[tuple[str, int], list[_Route]], dict[int, list[_Route]]]:
    table: dict[tuple[str, int], list[_Route]] = {}
    by_len: dict[int, list[_Route]] = {}
    for method, template, name, auth in _ROUTES:
        parts = template.strip("/").split("/")
        segs = tuple(None if s.startswith("{") else s for s in parts)
        names = tuple(s[1:-1] for s in parts if s.startswith("{"))
        r = _Route(method, template, segs, names, getattr(FakeWorkOS, name), auth)
        table.setdefault((method, len(segs)), []).append(r)
        by_len.setdefault(len(segs), []).append(r)
    for routes in table.values():
        # literal segments win over parameters, earlier segments first
        routes.sort(key=lambda r: tuple(s is None for s in r.segments))
    return table, by_len


_TABLE, _BY_LEN = _compile()


def _segments(path: str) -> list[str]:
    """Percent-decoded segments of a raw path (an encoded ``/`` stays inside its segment)."""
    return [unquote(s) for s in path.strip("/").split("/")]


def _match(method: str, path: str) -> tuple[_Route, dict[str, str]] | None:
    parts = _segments(path)
    for r in _TABLE.get((method, len(parts)), ()):
        values = []
        for seg, part in zip(r.segments, parts, strict=True):
            if seg is None:
                if not part:
                    break
                values.append(part)
            elif seg != part:
                break
        else:
            return r, dict(zip(r.names, values, strict=True))
    return None


def _match_any_method(path: str) -> bool:
    parts = _segments(path)
    for r in _BY_LEN.get(len(parts), ()):
        if all(seg is None or seg == part for seg, part in zip(r.segments, parts, strict=True)):
            return True
    return False


def _not_a_member() -> ApiError:
    return oauth_error(
        400, "organization_membership_not_found", "The user is not a member of this organization."
    )


def _too_many_attempts(what: str) -> ApiError:
    return code_error(
        400, "one_time_code_too_many_attempts", f"Too many attempts; request a new {what}."
    )


def _same(a: str, b: str) -> bool:
    """Constant-time string equality; unlike ``hmac.compare_digest`` on ``str``, any text is fine."""
    return hmac.compare_digest(a.encode(), b.encode())


def _id_key(x: JSON) -> str:
    return str(x["id"])


def _parse_iso(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _json_response(status: int, body: Any) -> FakeResponse:
    return FakeResponse(
        status,
        {"Content-Type": "application/json"},
        json.dumps(body, separators=(",", ":")).encode(),
    )


def _to_response(result: Any, default_status: int) -> FakeResponse:
    status = default_status
    if isinstance(result, tuple):
        status, result = result
    if result is None:
        return FakeResponse(status, {}, b"")
    if isinstance(result, Raw):
        headers = dict(result.headers)
        if result.content_type:
            headers["Content-Type"] = result.content_type
        return FakeResponse(status, headers, result.body)
    return _json_response(status, result)


def _add_query(url: str, params: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _html_page(title: str, inner: str) -> Raw:
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>{inner}</body></html>"
    )
    return Raw("text/html; charset=utf-8", page.encode())


def _sign_in_page(q: Mapping[str, str], error: str | None) -> Raw:
    hidden = "".join(
        f"<input type='hidden' name='q_{html.escape(k, quote=True)}' value='{html.escape(v, quote=True)}'>"
        for k, v in q.items()
    )
    err = f"<p role='alert'>{html.escape(error)}</p>" if error else ""
    hint = html.escape(q.get("login_hint", ""), quote=True)
    form = (
        f"{err}<form method='post' action='/user_management/authorize'>{hidden}"
        f"<label>Email <input type='email' name='email' value='{hint}' required></label>"
        "<label>Password <input type='password' name='password' required></label>"
        "<button type='submit'>Sign in</button></form>"
    )
    return _html_page("Sign in", form)
