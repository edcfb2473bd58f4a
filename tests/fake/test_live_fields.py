"""Fields the live API sends where the spec lags it (issue 13, section 2): membership ``roles``,
API key ``expires_at``, the ``auth_time`` claim, and an issuer that follows the served base URL."""

from __future__ import annotations

import jwt
import pytest

from workos_authkit.testing import FakeWorkOS

from .conftest import PASSWORD, Api

MEMBERSHIPS = "/user_management/organization_memberships"


def _claims(token: str) -> dict[str, object]:
    return jwt.decode(token, options={"verify_signature": False})


# ---------------------------------------------------------------- membership roles


def test_membership_keeps_every_role_slug(api: Api, fake: FakeWorkOS) -> None:
    fake.settings.multiple_roles = True
    fake.settings.roles["billing"] = ["invoices:read", "users:read"]
    user = fake.add_user("ada@example.com", password=PASSWORD)
    org = fake.add_organization("Acme")
    body = {"user_id": user["id"], "organization_id": org["id"], "role_slugs": ["admin", "billing"]}
    created = api.post(MEMBERSHIPS, body).json()
    assert created["role"] == {"slug": "admin"}
    assert created["roles"] == [{"slug": "admin"}, {"slug": "billing"}]
    assert api.get(f"{MEMBERSHIPS}/{created['id']}").json()["roles"] == created["roles"]
    listed = api.get(MEMBERSHIPS, params={"user_id": user["id"]}).json()["data"]
    assert listed[0]["roles"] == created["roles"]

    claims = _claims(api.password_sign_in("ada@example.com", PASSWORD).json()["access_token"])
    assert claims["role"] == "admin" and claims["roles"] == ["admin", "billing"]
    assert claims["permissions"] == ["users:read", "users:write", "invoices:read"]

    updated = api.put(f"{MEMBERSHIPS}/{created['id']}", {"role_slug": "member"}).json()
    assert (updated["role"], updated["roles"]) == ({"slug": "member"}, [{"slug": "member"}])


def test_every_role_slug_must_exist(api: Api, fake: FakeWorkOS) -> None:
    fake.settings.multiple_roles = True
    user, org = fake.add_user("ada@example.com"), fake.add_organization("Acme")
    body = {"user_id": user["id"], "organization_id": org["id"], "role_slugs": ["admin", "nope"]}
    r = api.post(MEMBERSHIPS, body)
    assert (r.status_code, r.json()["code"]) == (422, "invalid_role")
    assert fake.memberships == {}


def test_single_role_memberships_carry_roles_too(api: Api, fake: FakeWorkOS) -> None:
    user, org = fake.add_user("ada@example.com"), fake.add_organization("Acme")
    seeded = fake.add_membership(user["id"], org["id"])
    assert seeded["roles"] == [{"slug": "member"}]
    both = fake.add_membership(
        fake.add_user("b@example.com")["id"], org["id"], role_slugs=["admin"]
    )
    assert both["role"] == {"slug": "admin"} and both["roles"] == [{"slug": "admin"}]
    invited = api.post(
        "/user_management/invitations",
        {"email": "c@example.com", "organization_id": org["id"], "role_slug": "admin"},
    ).json()
    c = fake.add_user("c@example.com")
    api.post(f"/user_management/invitations/{invited['id']}/accept")
    (m,) = api.get(MEMBERSHIPS, params={"user_id": c["id"]}).json()["data"]
    assert m["roles"] == [{"slug": "admin"}]


# ---------------------------------------------------------------- API key expires_at


def test_api_key_expires_at_is_null_unless_set(api: Api, fake: FakeWorkOS) -> None:
    org = fake.add_organization("Acme")
    created = api.post(f"/organizations/{org['id']}/api_keys", {"name": "CI"}).json()
    assert created["expires_at"] is None
    listed = api.get(f"/organizations/{org['id']}/api_keys").json()["data"]
    assert listed[0]["expires_at"] is None
    validated = api.post("/api_keys/validations", {"value": created["value"]}).json()
    assert validated["api_key"]["expires_at"] is None


def test_api_key_expires_at_when_set(api: Api, fake: FakeWorkOS) -> None:
    fake.clock.freeze(1_700_000_000)
    org = fake.add_organization("Acme")
    created = api.post(
        f"/organizations/{org['id']}/api_keys",
        {"name": "CI", "expires_at": "2023-11-14T23:13:20+01:00"},  # = 1_700_000_000
    ).json()
    assert created["expires_at"] == "2023-11-14T22:13:20.000Z"
    fake.clock.freeze(1_699_999_999)
    validated = api.post("/api_keys/validations", {"value": created["value"]}).json()
    assert validated["api_key"]["expires_at"] == created["expires_at"]
    fake.clock.advance(1)
    assert api.post("/api_keys/validations", {"value": created["value"]}).json() == {
        "api_key": None
    }
    bad = api.post(f"/organizations/{org['id']}/api_keys", {"name": "CI", "expires_at": "soon"})
    assert bad.status_code == 422
    assert {"code": "invalid", "field": "expires_at"} in bad.json()["errors"]


# ---------------------------------------------------------------- auth_time


def test_auth_time_is_the_sign_in_time_kept_across_refresh(api: Api, fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com", password=PASSWORD)
    fake.clock.freeze(1_700_000_000)
    auth = api.password_sign_in("ada@example.com", PASSWORD).json()
    first = _claims(auth["access_token"])
    assert first["auth_time"] == first["iat"] == 1_700_000_000
    fake.clock.advance(250)
    refreshed = api.authenticate("refresh_token", refresh_token=auth["refresh_token"]).json()
    again = _claims(refreshed["access_token"])
    assert again["iat"] == 1_700_000_250
    assert again["auth_time"] == 1_700_000_000
    fake.clock.advance(250)
    third = api.authenticate("refresh_token", refresh_token=refreshed["refresh_token"]).json()
    assert _claims(third["access_token"])["auth_time"] == 1_700_000_000


# ---------------------------------------------------------------- issuer


def test_issuer_follows_the_served_base_url(fake: FakeWorkOS) -> None:
    import httpx

    fake.add_user("ada@example.com", password=PASSWORD)
    fake.clock.unfreeze()  # PyJWT checks iat against real time
    in_process = fake.issuer
    assert in_process == f"https://api.workos.test/user_management/{fake.client_id}"
    with fake.serve() as url:
        assert fake.issuer == f"{url}/user_management/{fake.client_id}"
        body = {
            "client_id": fake.client_id,
            "client_secret": fake.api_key,
            "grant_type": "password",
            "email": "ada@example.com",
            "password": PASSWORD,
        }
        token = httpx.post(f"{url}/user_management/authenticate", json=body).json()["access_token"]
        jwks = httpx.get(f"{url}/sso/jwks/{fake.client_id}").json()
    key = jwt.PyJWK.from_dict(jwks["keys"][0]).key
    claims = jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        issuer=f"{url}/user_management/{fake.client_id}",
        options={"verify_aud": False},
    )
    assert claims["sub"] == fake.user("ada@example.com")["id"]
    assert fake.issuer == in_process  # back once the server stops
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(token, key, algorithms=["RS256"], issuer=in_process)
