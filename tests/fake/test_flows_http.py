"""Multi-step AuthKit rules, exercised over real loopback HTTP (``fake.serve()``)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from workos_authkit.testing import FakeWorkOS, totp

from .conftest import DEVICE, EMAIL_GRANT, MAGIC, ORG_GRANT, PASSWORD, TOTP_GRANT, Api


def _user(api: Api, email: str = "ada@example.com", **extra: object) -> dict[str, object]:
    r = api.post("/user_management/users", {"email": email, "password": PASSWORD, **extra})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


# ---------------------------------------------------------------- one-time codes


def test_magic_auth_code_is_single_use(http_api: Api, fake: FakeWorkOS) -> None:
    r = http_api.post("/user_management/magic_auth", {"email": "new@example.com"})
    assert r.status_code == 201
    magic = r.json()
    sent = fake.last_email("new@example.com", "magic_auth")
    assert sent.code == magic["code"] and sent.object_id == magic["id"]

    wrong = http_api.authenticate(
        MAGIC, email="new@example.com", code="000000" if magic["code"] != "000000" else "111111"
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_one_time_code")

    ok = http_api.authenticate(MAGIC, email="new@example.com", code=magic["code"])
    assert ok.status_code == 200, ok.text
    assert ok.json()["authentication_method"] == "MagicAuth"
    assert ok.json()["user"]["email_verified"] is True  # magic auth proves ownership

    again = http_api.authenticate(MAGIC, email="new@example.com", code=magic["code"])
    assert (again.status_code, again.json()["code"]) == (400, "one_time_code_previously_used")


def test_magic_auth_code_expires(http_api: Api, fake: FakeWorkOS) -> None:
    magic = http_api.post("/user_management/magic_auth", {"email": "late@example.com"}).json()
    fake.clock.advance(fake.settings.magic_auth_lifetime + 1)
    r = http_api.authenticate(MAGIC, email="late@example.com", code=magic["code"])
    assert (r.status_code, r.json()["code"]) == (400, "one_time_code_expired")


def test_magic_auth_too_many_attempts(http_api: Api, fake: FakeWorkOS) -> None:
    magic = http_api.post("/user_management/magic_auth", {"email": "x@example.com"}).json()
    bad = "999999" if magic["code"] != "999999" else "888888"
    codes = [
        http_api.authenticate(MAGIC, email="x@example.com", code=bad).json()["code"]
        for _ in range(fake.settings.one_time_code_max_attempts + 1)
    ]
    assert codes[0] == "invalid_one_time_code"
    assert codes[-1] == "one_time_code_too_many_attempts"
    r = http_api.authenticate(MAGIC, email="x@example.com", code=magic["code"])
    assert r.json()["code"] == "one_time_code_too_many_attempts"


def test_email_verification_confirm(http_api: Api, fake: FakeWorkOS) -> None:
    user = _user(http_api)
    uid = user["id"]
    r = http_api.post(f"/user_management/users/{uid}/email_verification/send")
    assert r.status_code == 200 and r.json()["user"]["id"] == uid
    code = fake.last_email("ada@example.com", "email_verification").code
    assert code is not None

    wrong = http_api.post(
        f"/user_management/users/{uid}/email_verification/confirm", {"code": "12345x"}
    )
    assert wrong.json()["code"] == "email_verification_code_incorrect"

    ok = http_api.post(f"/user_management/users/{uid}/email_verification/confirm", {"code": code})
    assert ok.status_code == 200 and ok.json()["user"]["email_verified"] is True

    reused = http_api.post(
        f"/user_management/users/{uid}/email_verification/confirm", {"code": code}
    )
    assert (reused.status_code, reused.json()["code"]) == (
        400,
        "email_verification_code_previously_used",
    )

    again = http_api.post(f"/user_management/users/{uid}/email_verification/send")
    assert again.json()["code"] == "email_already_verified"


def test_email_verification_code_expires(http_api: Api, fake: FakeWorkOS) -> None:
    uid = _user(http_api)["id"]
    http_api.post(f"/user_management/users/{uid}/email_verification/send")
    ev = next(iter(fake.email_verifications.values()))
    got = http_api.get(f"/user_management/email_verification/{ev['id']}").json()
    assert got["code"] == ev["code"] and got["user_id"] == uid
    fake.clock.advance(fake.settings.email_verification_lifetime + 1)
    r = http_api.post(
        f"/user_management/users/{uid}/email_verification/confirm", {"code": ev["code"]}
    )
    assert (r.status_code, r.json()["code"]) == (400, "email_verification_code_expired")


def test_password_reset_token_single_use_and_expiry(http_api: Api, fake: FakeWorkOS) -> None:
    _user(http_api)
    pr = http_api.post("/user_management/password_reset", {"email": "ada@example.com"}).json()
    assert fake.last_email("ada@example.com", "password_reset").token == pr["password_reset_token"]

    weak = http_api.post(
        "/user_management/password_reset/confirm",
        {"token": pr["password_reset_token"], "new_password": "abc"},
    )
    assert weak.status_code == 400 and weak.json()["code"] == "password_reset_error"
    assert weak.json()["errors"][0]["code"] == "password_too_short"

    ok = http_api.post(
        "/user_management/password_reset/confirm",
        {"token": pr["password_reset_token"], "new_password": "a brand new secret"},
    )
    assert ok.status_code == 200
    assert http_api.password_sign_in("ada@example.com", "a brand new secret").status_code == 200
    assert (
        http_api.password_sign_in("ada@example.com", PASSWORD).json()["code"]
        == "invalid_credentials"
    )

    reused = http_api.post(
        "/user_management/password_reset/confirm",
        {"token": pr["password_reset_token"], "new_password": "yet another secret"},
    )
    assert reused.status_code == 400
    assert reused.json()["errors"][0]["code"] == "password_reset_token_used"

    pr2 = http_api.post("/user_management/password_reset", {"email": "ada@example.com"}).json()
    fake.clock.advance(fake.settings.password_reset_lifetime + 1)
    expired = http_api.post(
        "/user_management/password_reset/confirm",
        {"token": pr2["password_reset_token"], "new_password": "yet another secret"},
    )
    assert expired.json()["errors"][0]["code"] == "password_reset_token_expired"
    unknown = http_api.post(
        "/user_management/password_reset/confirm",
        {"token": "nope", "new_password": "yet another secret"},
    )
    assert unknown.status_code == 404 and set(unknown.json()) == {"message"}


# ---------------------------------------------------------------- sessions and refresh tokens


def test_refresh_tokens_rotate_and_are_single_use(http_api: Api) -> None:
    _user(http_api)
    first = http_api.password_sign_in("ada@example.com", PASSWORD).json()
    r1 = http_api.authenticate("refresh_token", refresh_token=first["refresh_token"])
    assert r1.status_code == 200
    second = r1.json()
    assert second["refresh_token"] != first["refresh_token"]

    old = http_api.authenticate("refresh_token", refresh_token=first["refresh_token"])
    assert (old.status_code, old.json()["error"]) == (400, "invalid_grant")
    assert (
        http_api.authenticate("refresh_token", refresh_token=second["refresh_token"]).status_code
        == 200
    )


def test_revoked_session_cannot_refresh_and_logout_redirects(
    http_api: Api, fake: FakeWorkOS
) -> None:
    uid = _user(http_api)["id"]
    a = http_api.password_sign_in("ada@example.com", PASSWORD).json()
    b = http_api.password_sign_in("ada@example.com", PASSWORD).json()
    sessions = http_api.get(f"/user_management/users/{uid}/sessions").json()["data"]
    assert len(sessions) == 2 and {s["status"] for s in sessions} == {"active"}
    sid_a = jwt.decode(a["access_token"], options={"verify_signature": False})["sid"]
    assert sid_a in {s["id"] for s in sessions}

    assert (
        http_api.post("/user_management/sessions/revoke", {"session_id": sid_a}).status_code == 200
    )
    r = http_api.authenticate("refresh_token", refresh_token=a["refresh_token"])
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")

    sid_b = next(s["id"] for s in sessions if s["id"] != sid_a)
    out = http_api.http.get(
        "/user_management/sessions/logout",
        params={"session_id": sid_b, "return_to": "https://app.example/bye"},
        headers={"Authorization": ""},
    )
    assert out.status_code == 302 and out.headers["location"] == "https://app.example/bye"
    assert (
        http_api.authenticate("refresh_token", refresh_token=b["refresh_token"]).status_code == 400
    )
    statuses = {
        s["status"] for s in http_api.get(f"/user_management/users/{uid}/sessions").json()["data"]
    }
    assert statuses == {"revoked"}


def test_session_expiry(http_api: Api, fake: FakeWorkOS) -> None:
    _user(http_api)
    first = http_api.password_sign_in("ada@example.com", PASSWORD).json()
    fake.clock.advance(fake.settings.session_lifetime + 1)
    r = http_api.authenticate("refresh_token", refresh_token=first["refresh_token"])
    assert r.json()["error"] == "invalid_grant"


# ---------------------------------------------------------------- MFA


def test_totp_enrollment_then_challenge_then_authenticate(http_api: Api, fake: FakeWorkOS) -> None:
    user = _user(http_api)
    fake.settings.require_mfa_enrollment = True
    fake.settings.mfa_challenge_enrolled_users = True
    r = http_api.password_sign_in("ada@example.com", PASSWORD)
    assert (r.status_code, r.json()["code"]) == (403, "mfa_enrollment")
    pending = r.json()["pending_authentication_token"]
    assert r.json()["user"]["id"] == user["id"]

    enrolled = http_api.post(
        f"/user_management/users/{user['id']}/auth_factors", {"type": "totp", "totp_issuer": "Acme"}
    )
    assert enrolled.status_code == 201
    factor = enrolled.json()["authentication_factor"]
    secret = factor["totp"]["secret"]
    assert factor["totp"]["uri"].startswith("otpauth://totp/Acme:")
    challenge_id = enrolled.json()["authentication_challenge"]["id"]

    now = fake.clock.now()
    bad_code = f"{(int(totp(secret, now)) + 1) % 1_000_000:06d}"
    bad = http_api.authenticate(
        TOTP_GRANT,
        code=bad_code,
        pending_authentication_token=pending,
        authentication_challenge_id=challenge_id,
    )
    assert bad.json()["code"] == "invalid_one_time_code"
    ok = http_api.authenticate(
        TOTP_GRANT,
        code=totp(secret, now),
        pending_authentication_token=pending,
        authentication_challenge_id=challenge_id,
    )
    assert ok.status_code == 200, ok.text
    reused = http_api.authenticate(
        TOTP_GRANT,
        code=totp(secret, now),
        pending_authentication_token=pending,
        authentication_challenge_id=challenge_id,
    )
    assert reused.json()["code"] == "invalid_pending_authentication_token"

    # next sign-in: the enrolled factor now yields mfa_challenge
    r2 = http_api.password_sign_in("ada@example.com", PASSWORD)
    assert (r2.status_code, r2.json()["code"]) == (403, "mfa_challenge")
    assert r2.json()["authentication_factors"] == [{"id": factor["id"], "type": "totp"}]
    ch = http_api.post(f"/auth/factors/{factor['id']}/challenge", {}).json()
    verify = http_api.post(
        f"/auth/challenges/{ch['id']}/verify", {"code": totp(secret, fake.clock.now())}
    )
    assert verify.status_code == 201 and verify.json()["valid"] is True
    ch2 = http_api.post(f"/auth/factors/{factor['id']}/challenge", {}).json()
    done = http_api.authenticate(
        TOTP_GRANT,
        code=totp(secret, fake.clock.now()),
        pending_authentication_token=r2.json()["pending_authentication_token"],
        authentication_challenge_id=ch2["id"],
    )
    assert done.status_code == 200
    listed = http_api.get(f"/user_management/users/{user['id']}/auth_factors").json()
    assert [f["id"] for f in listed["data"]] == [factor["id"]]
    assert "secret" not in listed["data"][0]["totp"]


def test_totp_code_from_other_step_is_rejected(http_api: Api, fake: FakeWorkOS) -> None:
    user = _user(http_api)
    secret = "JBSWY3DPEHPK3PXP"
    factor = http_api.post(
        f"/user_management/users/{user['id']}/auth_factors", {"type": "totp", "totp_secret": secret}
    ).json()["authentication_factor"]
    ch = http_api.post(f"/auth/factors/{factor['id']}/challenge", {}).json()
    stale = totp(secret, fake.clock.now() - 120)
    r = http_api.post(f"/auth/challenges/{ch['id']}/verify", {"code": stale})
    assert r.json()["valid"] is (stale == totp(secret, fake.clock.now()))


# ---------------------------------------------------------------- device flow


def test_device_flow(http_api: Api, fake: FakeWorkOS) -> None:
    uid = _user(http_api)["id"]
    start = http_api.http.post(
        "/user_management/authorize/device",
        json={"client_id": fake.client_id},
        headers={"Authorization": ""},
    )
    assert start.status_code == 200
    dev = start.json()
    assert dev["interval"] == 5 and dev["expires_in"] == 300

    first = http_api.authenticate(DEVICE, device_code=dev["device_code"])
    assert first.json()["error"] == "authorization_pending"
    too_fast = http_api.authenticate(DEVICE, device_code=dev["device_code"])
    assert too_fast.json()["error"] == "slow_down"
    fake.clock.advance(10)  # interval is now 10 s after slow_down
    assert (
        http_api.authenticate(DEVICE, device_code=dev["device_code"]).json()["error"]
        == "authorization_pending"
    )

    fake.approve_device(dev["user_code"], str(uid))
    fake.clock.advance(10)
    done = http_api.authenticate(DEVICE, device_code=dev["device_code"])
    assert done.status_code == 200 and done.json()["user"]["id"] == uid
    assert (
        http_api.authenticate(DEVICE, device_code=dev["device_code"]).json()["error"]
        == "invalid_grant"
    )

    bad = http_api.http.post("/user_management/authorize/device", json={"client_id": "client_nope"})
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_client")


def test_device_code_expires_and_denial(http_api: Api, fake: FakeWorkOS) -> None:
    dev = http_api.post("/user_management/authorize/device", {"client_id": fake.client_id}).json()
    fake.clock.advance(301)
    assert (
        http_api.authenticate(DEVICE, device_code=dev["device_code"]).json()["error"]
        == "expired_token"
    )
    dev2 = http_api.post("/user_management/authorize/device", {"client_id": fake.client_id}).json()
    fake.deny_device(dev2["user_code"])
    assert (
        http_api.authenticate(DEVICE, device_code=dev2["device_code"]).json()["error"]
        == "access_denied"
    )


# ---------------------------------------------------------------- invitations


def test_invitation_lifecycle(http_api: Api, fake: FakeWorkOS) -> None:
    org = http_api.post("/organizations", {"name": "Acme"}).json()
    inviter = _user(http_api, "boss@example.com")
    body = {
        "email": "guest@example.com",
        "organization_id": org["id"],
        "inviter_user_id": inviter["id"],
    }
    sent = http_api.post("/user_management/invitations", body)
    assert sent.status_code == 201
    inv = sent.json()
    assert (
        inv["state"] == "pending"
        and fake.last_email("guest@example.com", "invitation").token == inv["token"]
    )

    dup = http_api.post("/user_management/invitations", body)
    assert dup.json()["code"] == "email_already_invited_to_organization"
    assert (
        http_api.get(f"/user_management/invitations/by_token/{inv['token']}").json()["id"]
        == inv["id"]
    )

    resent = http_api.post(f"/user_management/invitations/{inv['id']}/resend", {})
    assert resent.status_code == 200 and len(fake.emails_to("guest@example.com", "invitation")) == 2

    # no user yet: accept is refused, sign-up via magic auth with the invitation token accepts it
    assert (
        http_api.post(f"/user_management/invitations/{inv['id']}/accept").json()["code"]
        == "invalid_invite"
    )
    magic = http_api.post("/user_management/magic_auth", {"email": "guest@example.com"}).json()
    signed = http_api.authenticate(
        MAGIC, email="guest@example.com", code=magic["code"], invitation_token=inv["token"]
    )
    assert signed.status_code == 200 and signed.json()["organization_id"] == org["id"]
    accepted = http_api.get(f"/user_management/invitations/{inv['id']}").json()
    assert (
        accepted["state"] == "accepted"
        and accepted["accepted_user_id"] == signed.json()["user"]["id"]
    )
    assert (
        http_api.post(f"/user_management/invitations/{inv['id']}/revoke").json()["code"]
        == "invite_not_pending"
    )
    assert (
        http_api.post(f"/user_management/invitations/{inv['id']}/resend", {}).json()["code"]
        == "invite_accepted"
    )
    again = http_api.post(f"/user_management/invitations/{inv['id']}/accept")
    assert again.json()["code"] == "invite_has_accepted_user_id"
    member = http_api.post("/user_management/invitations", body)
    assert member.json()["code"] == "user_already_organization_member"


def test_invitation_revoke_expire_and_accept(http_api: Api, fake: FakeWorkOS) -> None:
    org = http_api.post("/organizations", {"name": "Acme"}).json()
    _user(http_api, "bob@example.com")
    inv = http_api.post(
        "/user_management/invitations",
        {"email": "bob@example.com", "organization_id": org["id"], "expires_in_days": 1},
    ).json()
    members = http_api.get(
        "/user_management/organization_memberships",
        params={"user_id": fake.user("bob@example.com")["id"]},
    ).json()
    assert [m["status"] for m in members["data"]] == ["pending"]

    fake.clock.advance(86400 + 1)
    assert http_api.get(f"/user_management/invitations/{inv['id']}").json()["state"] == "expired"
    assert (
        http_api.post(f"/user_management/invitations/{inv['id']}/resend", {}).json()["code"]
        == "invite_expired"
    )
    assert (
        http_api.post(f"/user_management/invitations/{inv['id']}/accept").json()["code"]
        == "invite_not_pending"
    )

    inv2 = http_api.post(
        "/user_management/invitations", {"email": "bob@example.com", "organization_id": org["id"]}
    ).json()
    revoked = http_api.post(f"/user_management/invitations/{inv2['id']}/revoke")
    assert (
        revoked.status_code == 200
        and revoked.json()["state"] == "revoked"
        and revoked.json()["revoked_at"]
    )
    assert (
        http_api.post(f"/user_management/invitations/{inv2['id']}/resend", {}).json()["code"]
        == "invite_revoked"
    )

    inv3 = http_api.post(
        "/user_management/invitations", {"email": "bob@example.com", "organization_id": org["id"]}
    ).json()
    ok = http_api.post(f"/user_management/invitations/{inv3['id']}/accept")
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    listed = http_api.get(
        "/user_management/invitations", params={"email": "bob@example.com"}
    ).json()["data"]
    assert [i["state"] for i in listed] == ["accepted", "revoked", "expired"]  # desc by default

    errs = [
        http_api.post("/user_management/invitations", {"email": "bob@example.com"}).json()["code"],
        http_api.post(
            "/user_management/invitations", {"email": "n@example.com", "expires_in_days": 0}
        ).json()["code"],
        http_api.post(
            "/user_management/invitations", {"email": "n@example.com", "expires_in_days": 31}
        ).json()["code"],
        http_api.post(
            "/user_management/invitations", {"email": "n@example.com", "role_slug": "nope"}
        ).json()["code"],
    ]
    assert errs == [
        "user_already_exists",
        "expires_in_days_too_short",
        "expires_in_days_too_long",
        "invalid_role",
    ]
    http_api.post("/user_management/invitations", {"email": "n@example.com"})
    assert (
        http_api.post("/user_management/invitations", {"email": "n@example.com"}).json()["code"]
        == "email_already_invited"
    )


# ---------------------------------------------------------------- memberships


def test_membership_transitions(http_api: Api, fake: FakeWorkOS) -> None:
    org = http_api.post("/organizations", {"name": "Acme"}).json()
    uid = _user(http_api)["id"]
    m = http_api.post(
        "/user_management/organization_memberships", {"user_id": uid, "organization_id": org["id"]}
    )
    assert m.status_code == 201
    mid = m.json()["id"]
    assert m.json()["status"] == "active" and m.json()["role"] == {"slug": "member"}
    assert m.json()["organization_name"] == "Acme" and m.json()["user"]["id"] == uid

    dup = http_api.post(
        "/user_management/organization_memberships", {"user_id": uid, "organization_id": org["id"]}
    )
    assert dup.status_code == 422

    d = http_api.put(f"/user_management/organization_memberships/{mid}/deactivate")
    assert d.status_code == 200 and d.json()["status"] == "inactive"
    r = http_api.put(f"/user_management/organization_memberships/{mid}/reactivate")
    assert r.status_code == 200 and r.json()["status"] == "active"

    up = http_api.put(f"/user_management/organization_memberships/{mid}", {"role_slug": "admin"})
    assert up.json()["role"] == {"slug": "admin"}
    bad_role = http_api.put(
        f"/user_management/organization_memberships/{mid}", {"role_slug": "ghost"}
    )
    assert (bad_role.status_code, bad_role.json()["code"]) == (422, "invalid_role")
    multi = http_api.put(
        f"/user_management/organization_memberships/{mid}", {"role_slugs": ["admin", "member"]}
    )
    assert multi.json()["code"] == "multiple_roles_not_enabled"

    pending = fake.add_membership(
        "ada@example.com",
        http_api.post("/organizations", {"name": "Beta"}).json()["id"],
        status="pending",
    )
    pd = http_api.put(f"/user_management/organization_memberships/{pending['id']}/deactivate")
    assert (pd.status_code, pd.json()["code"]) == (
        400,
        "cannot_deactivate_pending_organization_membership",
    )
    pr = http_api.put(f"/user_management/organization_memberships/{pending['id']}/reactivate")
    assert pr.json()["code"] == "cannot_reactivate_pending_organization_membership"

    listing = http_api.get(
        "/user_management/organization_memberships",
        params={"user_id": uid, "statuses": "pending,inactive"},
    )
    assert [x["id"] for x in listing.json()["data"]] == [pending["id"]]
    missing = http_api.get("/user_management/organization_memberships")
    assert missing.json()["code"] == "missing_user_id_or_organization_id"

    assert http_api.delete(f"/user_management/organization_memberships/{mid}").status_code == 200
    assert http_api.get(f"/user_management/organization_memberships/{mid}").status_code == 404


# ---------------------------------------------------------------- auth-flow outcomes


def test_email_verification_required_outcome(http_api: Api, fake: FakeWorkOS) -> None:
    _user(http_api)  # email_verified defaults to False
    fake.settings.require_email_verification = True
    r = http_api.password_sign_in("ada@example.com", PASSWORD)
    assert (r.status_code, r.json()["code"]) == (403, "email_verification_required")
    body = r.json()
    assert body["email"] == "ada@example.com"
    ev = http_api.get(f"/user_management/email_verification/{body['email_verification_id']}").json()
    ok = http_api.authenticate(
        EMAIL_GRANT,
        code=ev["code"],
        pending_authentication_token=body["pending_authentication_token"],
    )
    assert ok.status_code == 200 and ok.json()["user"]["email_verified"] is True
    assert http_api.password_sign_in("ada@example.com", PASSWORD).status_code == 200


def test_organization_selection_outcome(http_api: Api, fake: FakeWorkOS) -> None:
    _user(http_api)
    a = fake.add_organization("Alpha")
    b = fake.add_organization("Beta")
    fake.add_membership("ada@example.com", a["id"])
    fake.add_membership("ada@example.com", b["id"], role_slug="admin")
    fake.settings.organization_selection = True
    r = http_api.password_sign_in("ada@example.com", PASSWORD)
    assert (r.status_code, r.json()["code"]) == (403, "organization_selection_required")
    assert r.json()["organizations"] == [
        {"id": a["id"], "name": "Alpha"},
        {"id": b["id"], "name": "Beta"},
    ]
    token = r.json()["pending_authentication_token"]
    stranger = fake.add_organization("Gamma")
    no = http_api.authenticate(
        ORG_GRANT, pending_authentication_token=token, organization_id=stranger["id"]
    )
    assert no.json()["error"] == "organization_membership_not_found"
    ok = http_api.authenticate(
        ORG_GRANT, pending_authentication_token=token, organization_id=b["id"]
    )
    assert ok.status_code == 200 and ok.json()["organization_id"] == b["id"]


@pytest.mark.parametrize(
    ("outcome", "status", "key"),
    [
        ("email_verification_required", 403, "code"),
        ("mfa_enrollment", 403, "code"),
        ("mfa_challenge", 403, "code"),
        ("organization_selection_required", 403, "code"),
        ("sso_required", 400, "error"),
        ("organization_authentication_methods_required", 400, "error"),
    ],
)
def test_forced_outcomes(
    http_api: Api, fake: FakeWorkOS, outcome: str, status: int, key: str
) -> None:
    uid = _user(http_api)["id"]
    org = fake.add_organization("Solo")
    fake.add_membership(str(uid), org["id"])
    factor = http_api.post(f"/user_management/users/{uid}/auth_factors", {"type": "totp"}).json()[
        "authentication_factor"
    ]
    fake.require_on_sign_in("ada@example.com", outcome)  # type: ignore[arg-type]
    r = http_api.password_sign_in("ada@example.com", PASSWORD)
    assert (r.status_code, r.json()[key]) == (status, outcome)
    body = r.json()
    token = body["pending_authentication_token"]
    if outcome == "email_verification_required":
        ev = fake.email_verifications[body["email_verification_id"]]
        follow = http_api.authenticate(
            EMAIL_GRANT, code=ev["code"], pending_authentication_token=token
        )
    elif outcome in ("mfa_enrollment", "mfa_challenge"):
        if outcome == "mfa_challenge":
            assert body["authentication_factors"] == [{"id": factor["id"], "type": "totp"}]
        assert body["user"]["id"] == uid
        ch = http_api.post(f"/auth/factors/{factor['id']}/challenge", {}).json()
        follow = http_api.authenticate(
            TOTP_GRANT,
            code=totp(fake.totp_secret(factor["id"]), fake.clock.now()),
            pending_authentication_token=token,
            authentication_challenge_id=ch["id"],
        )
    elif outcome == "organization_selection_required":
        assert body["organizations"] == [{"id": org["id"], "name": "Solo"}]
        follow = http_api.authenticate(
            ORG_GRANT, pending_authentication_token=token, organization_id=org["id"]
        )
    else:
        assert body["email"] == "ada@example.com"
        ids = body["connection_ids" if outcome == "sso_required" else "sso_connection_ids"]
        assert ids and ids[0].startswith("conn_")
        if outcome != "sso_required":
            assert body["auth_methods"]["magic_auth"] is True
        # follow-up: authorize with the connection; the fake's IdP signs the hinted user in
        loc = http_api.get(
            "/user_management/authorize",
            params={
                "client_id": fake.client_id,
                "redirect_uri": "https://app.example/cb",
                "response_type": "code",
                "connection_id": ids[0],
                "login_hint": "ada@example.com",
            },
        ).headers["location"]
        code = parse_qs(urlsplit(loc).query)["code"][0]
        follow = http_api.authenticate("authorization_code", code=code)
        assert follow.json()["authentication_method"] == "SSO"
    assert follow.status_code == 200, follow.text
    assert follow.json()["user"]["id"] == uid


# ---------------------------------------------------------------- hosted sign-in page + PKCE


def _pkce() -> tuple[str, str]:
    verifier = "v" * 20 + "-pkce-verifier-0123456789abcdef"
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    return verifier, challenge


def test_authorize_page_pkce(http_api: Api, fake: FakeWorkOS) -> None:
    _user(http_api)
    verifier, challenge = _pkce()
    params = {
        "client_id": fake.client_id,
        "redirect_uri": "https://app.example/callback?x=1",
        "response_type": "code",
        "state": "s-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "provider": "authkit",
    }
    page = http_api.http.get(
        "/user_management/authorize", params=params, headers={"Authorization": ""}
    )
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<form method='post'" in page.text and "name='password'" in page.text

    form = {f"q_{k}": v for k, v in params.items()}
    bad = http_api.http.post(
        "/user_management/authorize",
        data={**form, "email": "ada@example.com", "password": "wrong one!"},
    )
    assert bad.status_code == 200 and "Invalid email or password" in bad.text
    ok = http_api.http.post(
        "/user_management/authorize",
        data={**form, "email": "ada@example.com", "password": PASSWORD},
    )
    assert ok.status_code == 302
    loc = urlsplit(ok.headers["location"])
    q = parse_qs(loc.query)
    assert (loc.netloc, loc.path, q["state"], q["x"]) == (
        "app.example",
        "/callback",
        ["s-123"],
        ["1"],
    )
    code = q["code"][0]

    wrong = http_api.authenticate("authorization_code", code=code, code_verifier="not-the-verifier")
    assert wrong.json()["error"] == "invalid_grant"
    good = http_api.authenticate(
        "authorization_code", code=code, code_verifier=verifier, client_secret=None
    )
    # a public PKCE client may omit client_secret (sent as null here)
    assert good.status_code == 200, good.text
    assert good.json()["user"]["email"] == "ada@example.com"


def test_authorize_default_user_and_code_rules(http_api: Api, fake: FakeWorkOS) -> None:
    _user(http_api)
    fake.default_user = "ada@example.com"
    params = {
        "client_id": fake.client_id,
        "redirect_uri": "https://app.example/cb",
        "response_type": "code",
        "state": "st",
    }
    r = http_api.get("/user_management/authorize", params=params)
    assert r.status_code == 302
    code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
    plain = http_api.authenticate("authorization_code", code=code, code_verifier="unexpected")
    assert plain.json()["code"] == "code_challenge_not_found"
    ok = http_api.authenticate("authorization_code", code=code)
    assert ok.status_code == 200 and ok.json()["authentication_method"] == "Password"
    again = http_api.authenticate("authorization_code", code=code)
    assert again.json()["error"] == "invalid_grant"

    r2 = http_api.get("/user_management/authorize", params=params)
    code2 = parse_qs(urlsplit(r2.headers["location"]).query)["code"][0]
    fake.clock.advance(fake.settings.authorization_code_lifetime + 1)
    assert (
        http_api.authenticate("authorization_code", code=code2).json()["error"] == "invalid_grant"
    )

    err = http_api.get("/user_management/authorize", params={**params, "response_type": "token"})
    q = parse_qs(urlsplit(err.headers["location"]).query)
    assert q["error"] == ["unsupported_response_type"] and q["state"] == ["st"]
