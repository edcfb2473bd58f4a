"""FakeWorkOS: a stateful in-memory AuthKit server behind one pure request handler."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .._faults import FakeRateLimiter
from .._wire import FakeResponse
from .api_keys import ApiKeyRoutes
from .authenticate import AuthenticateRoutes
from .organizations import OrganizationRoutes
from .records import JSON, Device, SentEmail
from .router import Request, dispatch
from .sign_in import OUTCOMES, Outcome
from .users import UserRoutes

if TYPE_CHECKING:
    from .._transport import FakeTransport

__all__ = ["FakeWorkOS"]


class FakeWorkOS(AuthenticateRoutes, UserRoutes, OrganizationRoutes, ApiKeyRoutes):
    """A stateful in-memory WorkOS AuthKit server.

    Mount it in-process with :attr:`transport` (``WorkOS(transport=fake.transport)``), through
    :attr:`router` (respx), or on loopback with ``with fake.serve() as base_url: ...``.

    Its routes live in one module per API area (``users``, ``organizations``, ``invitations``,
    ``one_time_codes``, ``mfa``, ``sessions``, ``api_keys``, ``authorize``, ``authenticate``), each
    registered with :func:`~workos_authkit.testing._fake.router.route`.
    """

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
            f"FakeWorkOS(rng_seed={self._seed!r}, client_id={self.client_id!r}, users={len(self.users)}, "
            f"organizations={len(self.organizations)})"
        )

    def user(self, ref: str) -> JSON:
        """The stored user with this id or email (a live view; raises ``KeyError``)."""
        with self._lock:
            return self._user_ref(ref)

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
        role_slugs: Sequence[str] | None = None,
    ) -> JSON:
        """Add a membership; ``user`` is an id or email, ``organization`` an id or name.

        ``role_slugs`` gives several roles (``role`` is the first); default: the default role."""
        with self._lock:
            u = self._user_ref(user)
            o = self._org_ref(organization)
            if self._find_membership(u["id"], o["id"]) is not None:
                raise ValueError("this user already has a membership in this organization")
            slugs = list(role_slugs) if role_slugs else [role_slug] if role_slug else None
            m = self._new_membership(u["id"], o["id"], slugs)
            m["status"] = status
            return self._render_membership(m)

    def add_identity(self, user: str, provider: str, idp_id: str) -> JSON:
        with self._lock:
            u = self._user_ref(user)
            ident = {"idp_id": idp_id, "type": "OAuth", "provider": provider}
            self.identities.setdefault(u["id"], []).append(ident)
            return ident

    def seed(self, data: Mapping[str, Any]) -> None:
        """Load ``{"users": [...], "organizations": [...], "memberships": [...]}`` (the --seed format).

        users: ``{email, password?, first_name?, last_name?, email_verified?, external_id?, metadata?, id?}``;
        organizations: ``{name, domains?, external_id?, metadata?, id?}``;
        memberships: ``{user: id|email, organization: id|name, role_slug? or role_slugs?, status?}``.
        """
        for org in data.get("organizations", []) or []:
            self.add_organization(**dict(org))
        for user in data.get("users", []) or []:
            self.add_user(**dict(user))
        for m in data.get("memberships", []) or []:
            self.add_membership(**dict(m))

    @property
    def rng_seed(self) -> int | str:
        """The seed ids, secrets and signing keys derive from (``FakeWorkOS(rng_seed=...)``)."""
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

    def _device_ref(self, user_code: str) -> Device:
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
                self._rate_limiter = FakeRateLimiter(limit, window, read_limit, write_limit)

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
            resp = dispatch(self, req)
        resp.headers["X-Request-ID"] = f"req_{next(self._req_counter):012d}"
        return resp

    @property
    def transport(self) -> FakeTransport:
        """One object that is both an ``httpx.BaseTransport`` and an ``httpx.AsyncBaseTransport``."""
        if self._transport is None:
            from .._transport import FakeTransport

            self._transport = FakeTransport(self)
        return self._transport

    @property
    def router(self) -> Any:
        """A ``respx.Router`` whose catch-all route answers from this fake (needs ``respx``)."""
        from .._transport import make_router

        return make_router(self)

    def serve(
        self, host: str = "127.0.0.1", port: int = 0
    ) -> contextlib.AbstractContextManager[str]:
        """Serve on loopback in a thread: ``with fake.serve() as base_url: ...``."""
        from .._server import serve

        return serve(self, host, port)
