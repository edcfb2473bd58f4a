"""Per-operation contract test: every AuthKit operation, one happy call and error calls, each
response validated against the vendored OpenAPI spec (tests/spec/open-api-spec.yaml)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.spec_contract import spec
from workos_authkit.testing import FakeWorkOS, totp

from .conftest import DEVICE, EMAIL_GRANT, MAGIC, ORG_GRANT, PASSWORD, TOTP_GRANT, Api

OPS: list[dict[str, str]] = json.loads((Path(__file__).parent / "authkit_ops.json").read_text())


# Fields the spec does not declare but the fake sends on purpose (docs-only authentication-error
# payloads; see reference: authentication errors).
EXTRA_OK = (
    "pending_authentication_token",
    "email_verification_id",
    "authentication_factors",
    "organizations",
    "user",
    "email",
    "sso_connection_ids",
    "auth_methods",
    # what the live API sends where the spec lags it (membership roles, API key expiry)
    "roles",
    "expires_at",
)


@dataclass
class Ctx:
    fake: FakeWorkOS
    api: Api
    user: dict[str, Any]
    org: dict[str, Any]
    membership: dict[str, Any]

    def sign_in(self) -> dict[str, Any]:
        r = self.api.password_sign_in(self.user["email"], PASSWORD)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def factor(self) -> tuple[str, str, str]:
        r = self.api.post(
            f"/user_management/users/{self.user['id']}/auth_factors", {"type": "totp"}
        )
        assert r.status_code == 201
        body = r.json()
        f = body["authentication_factor"]
        return f["id"], f["totp"]["secret"], body["authentication_challenge"]["id"]

    def pending(self, outcome: str) -> dict[str, Any]:
        self.fake.require_on_sign_in(self.user["id"], outcome)  # type: ignore[arg-type]
        r = self.api.password_sign_in(self.user["email"], PASSWORD)
        assert r.status_code in (400, 403), r.text
        return r.json()  # type: ignore[no-any-return]


Calls = tuple[httpx.Response, list[httpx.Response]]
Scenario = Callable[[Ctx], Calls]
SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str) -> Callable[[Scenario], Scenario]:
    def deco(fn: Scenario) -> Scenario:
        SCENARIOS[name] = fn
        return fn

    return deco


NOPE = "user_01NOTEXISTING000000000000"


# ---------------------------------------------------------------- users


@scenario("create_user")
def _(c: Ctx) -> Calls:
    ok = c.api.post(
        "/user_management/users",
        {"email": "new@example.com", "password": PASSWORD, "first_name": "N"},
    )
    return ok, [
        c.api.post("/user_management/users", {"email": c.user["email"], "password": PASSWORD}),
        c.api.post("/user_management/users", {"email": "w@example.com", "password": "short"}),
        c.api.post(
            "/user_management/users",
            {
                "email": "h@example.com",
                "password": PASSWORD,
                "password_hash": "x",
                "password_hash_type": "bcrypt",
            },
        ),
        c.api.post(
            "/user_management/users",
            {
                "email": "h@example.com",
                "password_hash": "not-bcrypt",
                "password_hash_type": "bcrypt",
            },
        ),
        c.api.post("/user_management/users", {"email": "m@example.com", "metadata": {"k": 1}}),
        c.api.post("/user_management/users", {"first_name": "no email"}),
    ]


@scenario("get_user")
def _(c: Ctx) -> Calls:
    return c.api.get(f"/user_management/users/{c.user['id']}"), [
        c.api.get(f"/user_management/users/{NOPE}")
    ]


@scenario("get_user_by_external_id")
def _(c: Ctx) -> Calls:
    return (
        c.api.get("/user_management/users/external_id/ext-1"),
        [c.api.get("/user_management/users/external_id/ext-404")],
    )


@scenario("list_users")
def _(c: Ctx) -> Calls:
    ok = c.api.get(
        "/user_management/users",
        params={"organization_id": c.org["id"], "limit": 1, "order": "asc"},
    )
    assert [u["id"] for u in ok.json()["data"]] == [c.user["id"]]
    return ok, [
        c.api.get("/user_management/users", params={"limit": 0}),
        c.api.get("/user_management/users", params={"limit": 101}),
        c.api.get("/user_management/users", params={"order": "sideways"}),
    ]


@scenario("update_user")
def _(c: Ctx) -> Calls:
    other = c.fake.add_user("taken@example.com", external_id="ext-2")
    assert other
    ok = c.api.put(
        f"/user_management/users/{c.user['id']}", {"first_name": "Ada", "locale": "en-US"}
    )
    assert ok.json()["first_name"] == "Ada" and ok.json()["last_name"] == c.user["last_name"]
    uid = c.user["id"]
    return ok, [
        c.api.put(f"/user_management/users/{uid}", {"email": "taken@example.com"}),
        c.api.put(f"/user_management/users/{uid}", {"email": "not-an-email"}),
        c.api.put(f"/user_management/users/{uid}", {"external_id": "ext-2"}),
        c.api.put(f"/user_management/users/{uid}", {"locale": "klingon!"}),
        c.api.put(f"/user_management/users/{uid}", {"password": "1234"}),
        c.api.put(f"/user_management/users/{uid}", {"first_name": 5}),
    ]


@scenario("delete_user")
def _(c: Ctx) -> Calls:
    ok = c.api.delete(f"/user_management/users/{c.user['id']}")
    return ok, [c.api.delete(f"/user_management/users/{c.user['id']}")]


@scenario("list_identities")
def _(c: Ctx) -> Calls:
    c.fake.add_identity(c.user["id"], "GoogleOAuth", "g-123")
    ok = c.api.get(f"/user_management/users/{c.user['id']}/identities")
    assert ok.json() == [{"idp_id": "g-123", "type": "OAuth", "provider": "GoogleOAuth"}]
    return ok, [c.api.get(f"/user_management/users/{NOPE}/identities")]


# ---------------------------------------------------------------- authentication


def _authorize(c: Ctx, **extra: str) -> httpx.Response:
    params = {
        "client_id": c.fake.client_id,
        "redirect_uri": "https://app.example/cb",
        "response_type": "code",
        "state": "xyz",
        **extra,
    }
    return c.api.http.get(
        "/user_management/authorize", params=params, headers={"Authorization": ""}
    )


@scenario("get_authorization_url")
def _(c: Ctx) -> Calls:
    c.fake.default_user = c.user["email"]
    ok = _authorize(c)
    assert ok.status_code == 302 and "code=" in ok.headers["location"]
    bad = _authorize(c, response_type="token")
    assert "error=unsupported_response_type" in bad.headers["location"]
    return ok, [bad]


@scenario("authenticate_with_code")
def _(c: Ctx) -> Calls:
    c.fake.default_user = c.user["email"]
    code = parse_qs(urlsplit(_authorize(c).headers["location"]).query)["code"][0]
    ok = c.api.authenticate("authorization_code", code=code)
    return ok, [
        c.api.authenticate("authorization_code", code=code),
        c.api.authenticate("authorization_code", code="nope", client_secret="sk_wrong"),
        c.api.authenticate("authorization_code"),
    ]


@scenario("authenticate_with_password")
def _(c: Ctx) -> Calls:
    ok = c.api.password_sign_in(c.user["email"], PASSWORD)
    errors = [c.api.password_sign_in(c.user["email"], "wrong password")]
    for outcome in (
        "email_verification_required",
        "mfa_enrollment",
        "organization_selection_required",
        "sso_required",
        "organization_authentication_methods_required",
    ):
        c.fake.require_on_sign_in(c.user["id"], outcome)
        errors.append(c.api.password_sign_in(c.user["email"], PASSWORD))
    return ok, errors


@scenario("authenticate_with_magic_auth")
def _(c: Ctx) -> Calls:
    code = c.api.post("/user_management/magic_auth", {"email": c.user["email"]}).json()["code"]
    ok = c.api.authenticate(MAGIC, code=code, email=c.user["email"])
    return ok, [c.api.authenticate(MAGIC, code=code, email=c.user["email"])]


@scenario("authenticate_with_email_verification")
def _(c: Ctx) -> Calls:
    body = c.pending("email_verification_required")
    code = c.fake.email_verifications[body["email_verification_id"]]["code"]
    token = body["pending_authentication_token"]
    ok = c.api.authenticate(EMAIL_GRANT, code=code, pending_authentication_token=token)
    return ok, [c.api.authenticate(EMAIL_GRANT, code=code, pending_authentication_token=token)]


@scenario("authenticate_with_totp")
def _(c: Ctx) -> Calls:
    _fid, secret, challenge = c.factor()
    token = c.pending("mfa_challenge")["pending_authentication_token"]
    now = c.fake.clock.now()
    wrong = f"{(int(totp(secret, now)) + 500_000) % 1_000_000:06d}"
    bad = c.api.authenticate(
        TOTP_GRANT,
        code=wrong,
        pending_authentication_token=token,
        authentication_challenge_id=challenge,
    )
    ok = c.api.authenticate(
        TOTP_GRANT,
        code=totp(secret, now),
        pending_authentication_token=token,
        authentication_challenge_id=challenge,
    )
    return ok, [
        bad,
        c.api.authenticate(
            TOTP_GRANT,
            code="1",
            pending_authentication_token="nope",
            authentication_challenge_id=challenge,
        ),
    ]


@scenario("authenticate_with_organization_selection")
def _(c: Ctx) -> Calls:
    token = c.pending("organization_selection_required")["pending_authentication_token"]
    other = c.fake.add_organization("Other")
    bad = c.api.authenticate(
        ORG_GRANT, pending_authentication_token=token, organization_id=other["id"]
    )
    ok = c.api.authenticate(
        ORG_GRANT, pending_authentication_token=token, organization_id=c.org["id"]
    )
    return ok, [bad]


@scenario("authenticate_with_refresh_token")
def _(c: Ctx) -> Calls:
    first = c.sign_in()
    ok = c.api.authenticate(
        "refresh_token", refresh_token=first["refresh_token"], organization_id=c.org["id"]
    )
    return ok, [c.api.authenticate("refresh_token", refresh_token=first["refresh_token"])]


@scenario("authenticate_with_device_code")
def _(c: Ctx) -> Calls:
    dev = c.api.post("/user_management/authorize/device", {"client_id": c.fake.client_id}).json()
    pending = c.api.authenticate(DEVICE, device_code=dev["device_code"])
    slow = c.api.authenticate(DEVICE, device_code=dev["device_code"])
    c.fake.approve_device(dev["user_code"], c.user["id"])
    c.fake.clock.advance(30)
    ok = c.api.authenticate(DEVICE, device_code=dev["device_code"])
    return ok, [pending, slow, c.api.authenticate(DEVICE, device_code="unknown")]


# ---------------------------------------------------------------- sessions, logout, JWKS


@scenario("list_sessions")
def _(c: Ctx) -> Calls:
    c.sign_in()
    ok = c.api.get(f"/user_management/users/{c.user['id']}/sessions")
    assert len(ok.json()["data"]) == 1
    return ok, [
        c.api.get(f"/user_management/users/{NOPE}/sessions"),
        c.api.get(f"/user_management/users/{c.user['id']}/sessions", params={"limit": 500}),
    ]


def _sid(c: Ctx) -> str:
    import jwt

    return str(jwt.decode(c.sign_in()["access_token"], options={"verify_signature": False})["sid"])


@scenario("revoke_session")
def _(c: Ctx) -> Calls:
    ok = c.api.post("/user_management/sessions/revoke", {"session_id": _sid(c)})
    return ok, [c.api.post("/user_management/sessions/revoke", {"session_id": "session_nope"})]


@scenario("get_logout_url")
def _(c: Ctx) -> Calls:
    sid = _sid(c)
    ok = c.api.http.get(
        "/user_management/sessions/logout",
        params={"session_id": sid, "return_to": "https://app.example/"},
        headers={"Authorization": ""},
    )
    assert ok.status_code == 302
    return ok, [c.api.http.get("/user_management/sessions/logout", headers={"Authorization": ""})]


@scenario("get_jwks")
def _(c: Ctx) -> Calls:
    return c.api.get(f"/sso/jwks/{c.fake.client_id}"), [c.api.get("/sso/jwks/client_nope")]


# ---------------------------------------------------------------- magic auth, MFA


@scenario("create_magic_auth")
def _(c: Ctx) -> Calls:
    ok = c.api.post("/user_management/magic_auth", {"email": c.user["email"]})
    return ok, [
        c.api.post(
            "/user_management/magic_auth", {"email": "x@example.com", "invitation_token": "bogus"}
        ),
        c.api.post("/user_management/magic_auth", {}),
    ]


@scenario("get_magic_auth")
def _(c: Ctx) -> Calls:
    mid = c.api.post("/user_management/magic_auth", {"email": c.user["email"]}).json()["id"]
    return c.api.get(f"/user_management/magic_auth/{mid}"), [
        c.api.get("/user_management/magic_auth/magic_auth_nope")
    ]


@scenario("enroll_auth_factor")
def _(c: Ctx) -> Calls:
    ok = c.api.post(
        f"/user_management/users/{c.user['id']}/auth_factors",
        {"type": "totp", "totp_issuer": "Acme", "totp_user": "ada"},
    )
    return ok, [c.api.post(f"/user_management/users/{c.user['id']}/auth_factors", {"type": "sms"})]


@scenario("list_auth_factors")
def _(c: Ctx) -> Calls:
    c.factor()
    ok = c.api.get(f"/user_management/users/{c.user['id']}/auth_factors")
    return ok, [
        c.api.get(f"/user_management/users/{c.user['id']}/auth_factors", params={"limit": "x"})
    ]


@scenario("challenge_auth_factor")
def _(c: Ctx) -> Calls:
    fid, _, _ = c.factor()
    ok = c.api.post(f"/auth/factors/{fid}/challenge", {})
    return ok, [
        c.api.post("/auth/factors/auth_factor_nope/challenge", {}),
        c.api.post(f"/auth/factors/{fid}/challenge", {"sms_template": 3}),
    ]


@scenario("verify_challenge")
def _(c: Ctx) -> Calls:
    _, secret, challenge = c.factor()
    ok = c.api.post(
        f"/auth/challenges/{challenge}/verify", {"code": totp(secret, c.fake.clock.now())}
    )
    assert ok.json()["valid"] is True
    _, _, ch2 = c.factor()
    errors = [c.api.post(f"/auth/challenges/{ch2}/verify", {"code": "000000"}) for _ in range(6)]
    return ok, [
        *errors[-1:],
        c.api.post("/auth/challenges/auth_challenge_nope/verify", {"code": "1"}),
        c.api.post(f"/auth/challenges/{ch2}/verify", {}),
    ]


# ---------------------------------------------------------------- email verification, password reset


@scenario("get_email_verification")
def _(c: Ctx) -> Calls:
    c.api.post(f"/user_management/users/{c.user['id']}/email_verification/send")
    evid = c.fake.last_email(c.user["email"], "email_verification").object_id
    return c.api.get(f"/user_management/email_verification/{evid}"), [
        c.api.get("/user_management/email_verification/ev_nope")
    ]


@scenario("send_verification_email")
def _(c: Ctx) -> Calls:
    ok = c.api.post(f"/user_management/users/{c.user['id']}/email_verification/send")
    verified = c.fake.add_user("v@example.com", email_verified=True)
    return ok, [
        c.api.post(f"/user_management/users/{verified['id']}/email_verification/send"),
        c.api.post(f"/user_management/users/{NOPE}/email_verification/send"),
    ]


@scenario("verify_email")
def _(c: Ctx) -> Calls:
    uid = c.user["id"]
    c.api.post(f"/user_management/users/{uid}/email_verification/send")
    code = c.fake.last_email(c.user["email"], "email_verification").code
    wrong = c.api.post(
        f"/user_management/users/{uid}/email_verification/confirm", {"code": "abcdef"}
    )
    ok = c.api.post(f"/user_management/users/{uid}/email_verification/confirm", {"code": code})
    return ok, [
        wrong,
        c.api.post(f"/user_management/users/{uid}/email_verification/confirm", {"code": code}),
        c.api.post(f"/user_management/users/{NOPE}/email_verification/confirm", {"code": code}),
        c.api.post(f"/user_management/users/{uid}/email_verification/confirm", {}),
    ]


@scenario("create_password_reset")
def _(c: Ctx) -> Calls:
    ok = c.api.post("/user_management/password_reset", {"email": c.user["email"]})
    return ok, [
        c.api.post("/user_management/password_reset", {"email": "ghost@example.com"}),
        c.api.post("/user_management/password_reset", {}),
    ]


@scenario("get_password_reset")
def _(c: Ctx) -> Calls:
    pid = c.api.post("/user_management/password_reset", {"email": c.user["email"]}).json()["id"]
    return c.api.get(f"/user_management/password_reset/{pid}"), [
        c.api.get("/user_management/password_reset/password_reset_nope")
    ]


@scenario("reset_password")
def _(c: Ctx) -> Calls:
    token = c.api.post("/user_management/password_reset", {"email": c.user["email"]}).json()[
        "password_reset_token"
    ]
    weak = c.api.post(
        "/user_management/password_reset/confirm", {"token": token, "new_password": "x"}
    )
    ok = c.api.post(
        "/user_management/password_reset/confirm",
        {"token": token, "new_password": "another good secret"},
    )
    return ok, [
        weak,
        c.api.post(
            "/user_management/password_reset/confirm",
            {"token": token, "new_password": "another good secret"},
        ),
        c.api.post(
            "/user_management/password_reset/confirm",
            {"token": "nope", "new_password": "another good secret"},
        ),
        c.api.post("/user_management/password_reset/confirm", {"token": token}),
    ]


# ---------------------------------------------------------------- organization memberships


@scenario("create_organization_membership")
def _(c: Ctx) -> Calls:
    org2 = c.fake.add_organization("Second")
    ok = c.api.post(
        "/user_management/organization_memberships",
        {"user_id": c.user["id"], "organization_id": org2["id"], "role_slug": "admin"},
    )
    org3 = c.fake.add_organization("Third")
    c.fake.add_membership(c.user["id"], org3["id"], status="pending")
    return ok, [
        c.api.post(
            "/user_management/organization_memberships",
            {"user_id": c.user["id"], "organization_id": org3["id"]},
        ),
        c.api.post(
            "/user_management/organization_memberships",
            {"user_id": NOPE, "organization_id": org2["id"]},
        ),
        c.api.post(
            "/user_management/organization_memberships",
            {"user_id": c.user["id"], "organization_id": org2["id"], "role_slug": "ghost"},
        ),
        c.api.post("/user_management/organization_memberships", {"user_id": c.user["id"]}),
    ]


@scenario("get_organization_membership")
def _(c: Ctx) -> Calls:
    return (
        c.api.get(f"/user_management/organization_memberships/{c.membership['id']}"),
        [c.api.get("/user_management/organization_memberships/om_nope")],
    )


@scenario("list_organization_memberships")
def _(c: Ctx) -> Calls:
    ok = c.api.get(
        "/user_management/organization_memberships",
        params={"organization_id": c.org["id"], "statuses": "active,pending"},
    )
    return ok, [
        c.api.get("/user_management/organization_memberships"),
        c.api.get(
            "/user_management/organization_memberships",
            params={"user_id": c.user["id"], "statuses": "gone"},
        ),
        c.api.get(
            "/user_management/organization_memberships",
            params={"user_id": c.user["id"], "limit": 0},
        ),
    ]


@scenario("update_organization_membership")
def _(c: Ctx) -> Calls:
    mid = c.membership["id"]
    ok = c.api.put(f"/user_management/organization_memberships/{mid}", {"role_slug": "admin"})
    return ok, [
        c.api.put("/user_management/organization_memberships/om_nope", {"role_slug": "admin"}),
        c.api.put(f"/user_management/organization_memberships/{mid}", {"role_slug": "ghost"}),
        c.api.put(
            f"/user_management/organization_memberships/{mid}", {"role_slugs": ["admin", "member"]}
        ),
        c.api.put(
            f"/user_management/organization_memberships/{mid}",
            {"role_slug": "admin", "role_slugs": ["admin"]},
        ),
    ]


@scenario("delete_organization_membership")
def _(c: Ctx) -> Calls:
    mid = c.membership["id"]
    return c.api.delete(f"/user_management/organization_memberships/{mid}"), [
        c.api.delete(f"/user_management/organization_memberships/{mid}")
    ]


def _pending_membership(c: Ctx) -> str:
    org = c.fake.add_organization("Pending Co")
    return str(c.fake.add_membership(c.user["id"], org["id"], status="pending")["id"])


@scenario("deactivate_organization_membership")
def _(c: Ctx) -> Calls:
    ok = c.api.put(f"/user_management/organization_memberships/{c.membership['id']}/deactivate")
    return ok, [
        c.api.put(f"/user_management/organization_memberships/{_pending_membership(c)}/deactivate"),
        c.api.put("/user_management/organization_memberships/om_nope/deactivate"),
    ]


@scenario("reactivate_organization_membership")
def _(c: Ctx) -> Calls:
    c.api.put(f"/user_management/organization_memberships/{c.membership['id']}/deactivate")
    ok = c.api.put(f"/user_management/organization_memberships/{c.membership['id']}/reactivate")
    return ok, [
        c.api.put(f"/user_management/organization_memberships/{_pending_membership(c)}/reactivate"),
        c.api.put("/user_management/organization_memberships/om_nope/reactivate"),
    ]


# ---------------------------------------------------------------- invitations


def _invite(c: Ctx, email: str = "guest@example.com") -> dict[str, Any]:
    r = c.api.post(
        "/user_management/invitations",
        {"email": email, "organization_id": c.org["id"], "role_slug": "member"},
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


@scenario("send_invitation")
def _(c: Ctx) -> Calls:
    ok = c.api.post(
        "/user_management/invitations",
        {
            "email": "guest@example.com",
            "organization_id": c.org["id"],
            "inviter_user_id": c.user["id"],
            "expires_in_days": 3,
            "locale": "fr-CA",
        },
    )
    return ok, [
        c.api.post(
            "/user_management/invitations",
            {"email": "guest@example.com", "organization_id": c.org["id"]},
        ),
        c.api.post(
            "/user_management/invitations",
            {"email": c.user["email"], "organization_id": c.org["id"]},
        ),
        c.api.post(
            "/user_management/invitations", {"email": "z@example.com", "expires_in_days": 40}
        ),
        c.api.post(
            "/user_management/invitations",
            {"email": "z@example.com", "organization_id": "org_nope"},
        ),
        c.api.post("/user_management/invitations", {"organization_id": c.org["id"]}),
    ]


@scenario("get_invitation")
def _(c: Ctx) -> Calls:
    inv = _invite(c)
    return c.api.get(f"/user_management/invitations/{inv['id']}"), [
        c.api.get("/user_management/invitations/invitation_nope")
    ]


@scenario("find_invitation_by_token")
def _(c: Ctx) -> Calls:
    inv = _invite(c)
    return c.api.get(f"/user_management/invitations/by_token/{inv['token']}"), [
        c.api.get("/user_management/invitations/by_token/nope")
    ]


@scenario("list_invitations")
def _(c: Ctx) -> Calls:
    _invite(c)
    _invite(c, "second@example.com")
    ok = c.api.get(
        "/user_management/invitations", params={"organization_id": c.org["id"], "limit": 1}
    )
    assert ok.json()["list_metadata"]["after"] is not None
    return ok, [c.api.get("/user_management/invitations", params={"limit": 1000})]


@scenario("accept_invitation")
def _(c: Ctx) -> Calls:
    c.fake.add_user("guest@example.com")
    inv = _invite(c)
    ok = c.api.post(f"/user_management/invitations/{inv['id']}/accept")
    nobody = _invite(c, "nobody@example.com")
    return ok, [
        c.api.post(f"/user_management/invitations/{inv['id']}/accept"),
        c.api.post(f"/user_management/invitations/{nobody['id']}/accept"),
        c.api.post("/user_management/invitations/invitation_nope/accept"),
    ]


@scenario("revoke_invitation")
def _(c: Ctx) -> Calls:
    inv = _invite(c)
    ok = c.api.post(f"/user_management/invitations/{inv['id']}/revoke")
    return ok, [c.api.post(f"/user_management/invitations/{inv['id']}/revoke")]


@scenario("resend_invitation")
def _(c: Ctx) -> Calls:
    inv = _invite(c)
    ok = c.api.post(f"/user_management/invitations/{inv['id']}/resend", {"locale": "en"})
    c.api.post(f"/user_management/invitations/{inv['id']}/revoke")
    return ok, [
        c.api.post(f"/user_management/invitations/{inv['id']}/resend", {}),
        c.api.post("/user_management/invitations/invitation_nope/resend", {}),
        c.api.post(f"/user_management/invitations/{inv['id']}/resend", {"locale": 5}),
    ]


# ---------------------------------------------------------------- device authorization, API keys


@scenario("get_device_authorization")
def _(c: Ctx) -> Calls:
    ok = c.api.http.post(
        "/user_management/authorize/device",
        json={"client_id": c.fake.client_id},
        headers={"Authorization": ""},
    )
    bad = c.api.http.post("/user_management/authorize/device", json={"client_id": "client_nope"})
    c.fake.settings.device_flow_enabled = False
    off = c.api.http.post("/user_management/authorize/device", json={"client_id": c.fake.client_id})
    return ok, [bad, off]


@scenario("create_organization_api_key")
def _(c: Ctx) -> Calls:
    ok = c.api.post(
        f"/organizations/{c.org['id']}/api_keys", {"name": "CI", "permissions": ["users:read"]}
    )
    assert ok.json()["value"].startswith("sk_")
    return ok, [
        c.api.post("/organizations/org_nope/api_keys", {"name": "x"}),
        c.api.post(f"/organizations/{c.org['id']}/api_keys", {}),
    ]


@scenario("list_organization_api_keys")
def _(c: Ctx) -> Calls:
    c.api.post(f"/organizations/{c.org['id']}/api_keys", {"name": "CI"})
    ok = c.api.get(f"/organizations/{c.org['id']}/api_keys")
    assert "value" not in ok.json()["data"][0]
    return ok, [c.api.get("/organizations/org_nope/api_keys")]


@scenario("delete_api_key")
def _(c: Ctx) -> Calls:
    kid = c.api.post(f"/organizations/{c.org['id']}/api_keys", {"name": "CI"}).json()["id"]
    ok = c.api.delete(f"/api_keys/{kid}")
    return ok, [c.api.delete(f"/api_keys/{kid}")]


@scenario("validate_api_key")
def _(c: Ctx) -> Calls:
    value = c.api.post(f"/organizations/{c.org['id']}/api_keys", {"name": "CI"}).json()["value"]
    ok = c.api.post("/api_keys/validations", {"value": value})
    assert ok.json()["api_key"]["owner"] == {"type": "organization", "id": c.org["id"]}
    invalid = c.api.post("/api_keys/validations", {"value": "sk_unknown"})
    assert invalid.status_code == 200 and invalid.json() == {"api_key": None}
    unauth = c.api.http.post(
        "/api_keys/validations", json={"value": value}, headers={"Authorization": "Bearer sk_wrong"}
    )
    return ok, [invalid, unauth, c.api.post("/api_keys/validations", {})]


# ---------------------------------------------------------------- the test


def test_ops_list_matches_vendored_spec() -> None:
    for op in OPS:
        found = spec().operation(op["method"], op["path"].replace("{", "x").replace("}", ""))
        assert found.operation_id == op["operationId"], op
    assert set(SCENARIOS) == {op["name"] for op in OPS}


def _check(r: httpx.Response) -> None:
    spec().validate_response(
        r.request.method,
        r.request.url.path,
        r.status_code,
        r.content,
        strict=True,
        extra_ok=EXTRA_OK,
    )
    assert r.headers["x-request-id"].startswith("req_")
    if r.status_code == 404:
        assert set(r.json()) == {"message"}


@pytest.mark.parametrize("op", OPS, ids=[o["name"] for o in OPS])
def test_operation_contract(op: dict[str, str], fake: FakeWorkOS, api: Api) -> None:
    user = fake.add_user(
        "ada@example.com",
        password=PASSWORD,
        email_verified=False,
        external_id="ext-1",
        first_name="A",
        last_name="L",
    )
    org = fake.add_organization("Acme", domains=["acme.example"])
    membership = fake.add_membership(user["id"], org["id"])
    ok, errors = SCENARIOS[op["name"]](Ctx(fake, api, user, org, membership))
    assert 200 <= ok.status_code < 400, ok.text
    assert errors, "each operation needs at least one error call"
    for r in [ok, *errors]:
        _check(r)
    assert all(
        r.status_code >= 400
        or "error=" in r.headers.get("location", "")
        or r.json().get("valid") is False
        or r.json() == {"api_key": None}
        for r in errors
    )
