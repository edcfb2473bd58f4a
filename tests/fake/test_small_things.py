"""Small things users trip on (issue 13, section 3): unknown routes, names, one wording for
"not found", the magic-auth address, bcrypt-imported users."""

from __future__ import annotations

import warnings

import bcrypt
import pytest

import workos_authkit.testing as testing
from workos_authkit.testing import FakeWorkOS

from .conftest import MAGIC, ORG_GRANT, PASSWORD, Api


def test_unknown_route_is_not_a_missing_resource(api: Api, fake: FakeWorkOS) -> None:
    r = api.get("/user_management/userz/user_01")
    assert r.status_code == 404
    assert r.json() == {
        "code": "route_not_found",
        "message": "No route matches GET /user_management/userz/user_01.",
    }
    missing = api.get("/user_management/users/user_01NOPE")
    assert missing.status_code == 404 and missing.json() == {
        "message": "User not found: 'user_01NOPE'."
    }
    assert api.http.patch("/user_management/users/user_01").status_code == 405


def test_random_seed_is_rng_seed_and_the_old_keyword_warns() -> None:
    assert FakeWorkOS(rng_seed=3).rng_seed == 3
    with pytest.warns(DeprecationWarning, match="rng_seed"):
        old = FakeWorkOS(seed=3)
    new = FakeWorkOS(rng_seed=3)
    assert old.rng_seed == 3
    assert old.add_user("a@example.com")["id"] == new.add_user("a@example.com")["id"]
    assert "rng_seed=3" in repr(new)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FakeWorkOS().seed({"users": [{"email": "b@example.com"}]})  # seed data: no warning


def test_one_name_per_thing_in_the_testing_package() -> None:
    assert {"FakeClock", "FakeRateLimiter"} <= set(testing.__all__)
    for old in ("Clock", "RateLimiter", "ApiError"):
        assert old not in testing.__all__
        with pytest.raises(AttributeError):
            getattr(testing, old)
    from workos_authkit.testing import _util

    assert hasattr(_util, "RouteError") and not hasattr(_util, "ApiError")


def test_organization_not_found_reads_the_same_in_every_grant(api: Api, fake: FakeWorkOS) -> None:
    user = fake.add_user("ada@example.com", password=PASSWORD)
    expected = "Organization not found: 'org_nope'."
    assert api.get("/organizations/org_nope").json()["message"] == expected

    fake.require_on_sign_in(user["id"], "organization_selection_required")
    pending = api.password_sign_in("ada@example.com", PASSWORD).json()
    selection = api.authenticate(
        ORG_GRANT,
        pending_authentication_token=pending["pending_authentication_token"],
        organization_id="org_nope",
    )
    refresh_token = api.password_sign_in("ada@example.com", PASSWORD).json()["refresh_token"]
    refresh = api.authenticate(
        "refresh_token", refresh_token=refresh_token, organization_id="org_nope"
    )
    for r in (selection, refresh):
        assert r.status_code == 400
        assert r.json() == {"error": "organization_not_found", "error_description": expected}


def test_session_not_found_one_message_each_operations_status(api: Api, fake: FakeWorkOS) -> None:
    # the spec declares 400 for revoke and 422 for logout: same error, each in its own status
    expected = {"message": "Session not found: 'session_nope'."}
    revoke = api.post("/user_management/sessions/revoke", {"session_id": "session_nope"})
    assert (revoke.status_code, revoke.json()) == (400, expected)
    logout = api.get("/user_management/sessions/logout", params={"session_id": "session_nope"})
    assert (logout.status_code, logout.json()) == (422, expected)


def test_magic_auth_code_goes_to_the_accounts_address(api: Api, fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com")
    created = api.post("/user_management/magic_auth", {"email": "ADA@Example.com"})
    assert created.status_code == 201 and created.json()["email"] == "ada@example.com"
    email = fake.sent_emails[-1]
    assert (email.kind, email.to) == ("magic_auth", "ada@example.com")
    assert fake.last_email("ada@example.com", "magic_auth") == email
    signed_in = api.authenticate(MAGIC, code=email.code, email="Ada@example.com")
    assert signed_in.status_code == 200


def test_imported_bcrypt_user_signs_in(api: Api, fake: FakeWorkOS) -> None:
    digest = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    created = api.post(
        "/user_management/users",
        {"email": "ada@example.com", "password_hash": digest, "password_hash_type": "bcrypt"},
    )
    assert created.status_code == 201, created.text
    assert api.password_sign_in("ada@example.com", PASSWORD).status_code == 200
    wrong = api.password_sign_in("ada@example.com", "not the password")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_credentials")
