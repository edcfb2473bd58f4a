"""The fake's state: its tables, secrets, passwords and the factories of its objects.

Every area of the fake (``users``, ``organizations``, ...) is a mixin over :class:`FakeState`;
:class:`~workos_authkit.testing.FakeWorkOS` combines them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import random
import threading
import warnings
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from .._faults import FakeRateLimiter, Faults, Stats
from .._util import FakeClock, IdGenerator, iso, not_found
from .._wire import FakeResponse
from .records import (
    JSON,
    AuthCode,
    Device,
    EmailKind,
    OneTime,
    Pending,
    SentEmail,
    Settings,
)

if TYPE_CHECKING:
    from .._transport import FakeTransport

__all__ = ["FakeState", "id_key", "parse_iso", "same_secret"]

_COMMON_PASSWORDS = frozenset(
    {"password", "password1", "password123", "12345678", "123456789", "qwertyuiop", "iloveyou"}
)


class FakeState:
    """The tables and helpers every area shares (no routes here)."""

    def __init__(
        self,
        *,
        rng_seed: int | str = 0,
        api_key: str = "sk_test_fake_workos_api_key",
        client_id: str = "client_01FAKEWORKOSCLIENT0000000000",
        base_url: str = "https://api.workos.test",
        settings: Settings | None = None,
        honour_idempotency_keys: bool = True,
        seed: int | str | None = None,
    ) -> None:
        if seed is not None:
            warnings.warn(
                "FakeWorkOS(seed=...) is deprecated, use rng_seed=... (fake.seed(data) loads data)",
                DeprecationWarning,
                stacklevel=2,
            )
            rng_seed = seed
        self._seed = rng_seed
        self.api_key = api_key
        self.client_id = client_id
        self.base_url = base_url.rstrip("/")
        self.settings = settings if settings is not None else Settings()
        self.honour_idempotency_keys = honour_idempotency_keys
        self.clock = FakeClock()
        self.faults = Faults(rng_seed)
        self.stats = Stats()
        self.default_user: str | None = None
        """User id or email signed in at once by ``GET /user_management/authorize`` (no form)."""
        self._lock = threading.RLock()
        self._transport: FakeTransport | None = None
        self._init_state()

    @property
    def issuer(self) -> str:
        """The ``iss`` of access tokens: follows :attr:`base_url` (so ``fake.serve()``'s too)."""
        return f"{self.base_url}/user_management/{self.client_id}"

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
        self._one_time: dict[str, OneTime] = {}
        self._factor_secrets: dict[str, str] = {}
        self._api_key_values: dict[str, str] = {}
        self._refresh_index: dict[str, str] = {}
        self._session_org: dict[str, str | None] = {}
        self._auth_time: dict[str, int] = {}
        """Session id -> when its user signed in (the ``auth_time`` claim, kept on refresh)."""
        self._pending: dict[str, Pending] = {}
        self._codes: dict[str, AuthCode] = {}
        self._devices: dict[str, Device] = {}
        self._device_by_user_code: dict[str, str] = {}
        self._invite_tokens: dict[str, str] = {}
        self._forced: dict[str, list[str]] = {}
        self._idempotency: dict[str, tuple[str, float, FakeResponse]] = {}
        self._key_generation = 0
        self._retired_generations: list[int] = []
        self._rate_limiter: FakeRateLimiter | None = None

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
            try:
                import bcrypt  # the `testing` extra
            except ImportError:  # installed without it: an imported bcrypt hash cannot sign in
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

    def _new_membership(self, user_id: str, org_id: str, role_slugs: list[str] | None) -> JSON:
        """A new active membership; ``role_slugs`` ``None`` means the default role."""
        now = iso(self._now())
        m: JSON = {
            "object": "organization_membership",
            "id": self.ids.new("om"),
            "user_id": user_id,
            "organization_id": org_id,
            "status": "active",
            "directory_managed": False,
            "custom_attributes": {},
            "created_at": now,
            "updated_at": now,
        }
        self._set_roles(m, role_slugs or [self.settings.default_role])
        self.memberships[m["id"]] = m
        return m

    @staticmethod
    def _set_roles(m: JSON, role_slugs: list[str]) -> None:
        """``role`` is the first role, ``roles`` all of them (as the live API sends)."""
        m["role"] = {"slug": role_slugs[0]}
        m["roles"] = [{"slug": s} for s in role_slugs]

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
        kind: EmailKind,
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
        self._one_time[record["id"]] = OneTime()
        return record

    def _new_code(
        self,
        kind: Literal["magic_auth", "email_verification"],
        table: dict[str, JSON],
        user: JSON,
        lifetime: float,
    ) -> JSON:
        """A six-digit one-time code for ``user`` (magic auth, email verification), emailed to the
        user's address as stored (not as a request typed it)."""
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
        self._send(kind, user["email"], rec["id"], code=rec["code"])
        return rec

    def _new_email_verification(self, user: JSON) -> JSON:
        lifetime = self.settings.email_verification_lifetime
        return self._new_code("email_verification", self.email_verifications, user, lifetime)

    def _mark_verified(self, user: JSON) -> None:
        user["email_verified"] = True
        user["updated_at"] = iso(self._now())

    def _expired(self, wire: JSON) -> bool:
        return parse_iso(wire["expires_at"]) <= self._now()

    @staticmethod
    def _owned_by(table: dict[str, JSON], user_id: str) -> list[JSON]:
        return [x for x in table.values() if x["user_id"] == user_id]

    def _get(self, table: dict[str, JSON], kind: str, ident: str) -> JSON:
        obj = table.get(ident)
        if obj is None:
            raise not_found(kind, ident)
        return obj


def same_secret(a: str, b: str) -> bool:
    """Constant-time string equality; unlike ``hmac.compare_digest`` on ``str``, any text is fine."""
    return hmac.compare_digest(a.encode(), b.encode())


def id_key(x: JSON) -> str:
    return str(x["id"])


def parse_iso(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
