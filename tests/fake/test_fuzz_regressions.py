"""Regressions for bugs that property-based fuzzing (schemathesis, run by hand against the vendored
spec) found in the fake; each test failed before its fix. Every response is checked against the
spec with ``spec().validate_response``."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from tests.spec_contract import spec
from workos_authkit.testing import FakeWorkOS

from .conftest import Api

OPS: list[dict[str, str]] = json.loads((Path(__file__).parent / "authkit_ops.json").read_text())
PASSWORD = "correct horse battery"
MAGIC = "urn:workos:oauth:grant-type:magic-auth:code"
ARABIC_DIGITS = "\u0661\u0662\u0663\u0664\u0665\u0666"  # str.isdigit() is true, but not ASCII


def _check(r: httpx.Response, status: int) -> None:
    assert r.status_code == status, r.text
    spec().validate_response(
        r.request.method, r.request.url.raw_path.decode(), status, r.content, strict=True
    )


# ---------------------------------------------------------------- non-ASCII secrets crashed
# hmac.compare_digest(str, str) raises TypeError for non-ASCII text: the handler crashed (the
# loopback server dropped the connection; the in-process transport raised into the client).


@pytest.fixture(params=["in-process", "loopback"])
def any_api(request: pytest.FixtureRequest) -> Api:
    return request.getfixturevalue("api" if request.param == "in-process" else "http_api")  # type: ignore[no-any-return]


def test_non_ascii_email_verification_code(any_api: Api, fake: FakeWorkOS) -> None:
    user = fake.add_user("ada@example.com", email_verified=False)
    assert any_api.post(f"/user_management/users/{user['id']}/email_verification/send").is_success
    r = any_api.post(
        f"/user_management/users/{user['id']}/email_verification/confirm", {"code": "\u00e9" * 6}
    )
    _check(r, 400)
    assert r.json()["code"] == "email_verification_code_incorrect"


def test_non_ascii_password_reset_token(any_api: Api, fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com")
    assert any_api.post("/user_management/password_reset", {"email": "ada@example.com"}).is_success
    r = any_api.post(
        "/user_management/password_reset/confirm",
        {"token": "t\u00f6ken", "new_password": PASSWORD},
    )
    _check(r, 404)


def test_non_ascii_magic_auth_code(any_api: Api, fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com")
    assert any_api.post("/user_management/magic_auth", {"email": "ada@example.com"}).is_success
    r = any_api.authenticate(MAGIC, email="ada@example.com", code=ARABIC_DIGITS)
    _check(r, 400)
    assert r.json()["code"] == "invalid_one_time_code"


def test_non_ascii_digits_totp_code(any_api: Api, fake: FakeWorkOS) -> None:
    user = fake.add_user("ada@example.com")
    r = any_api.post(f"/user_management/users/{user['id']}/auth_factors", {"type": "totp"})
    challenge = r.json()["authentication_challenge"]["id"]
    r = any_api.post(f"/auth/challenges/{challenge}/verify", {"code": ARABIC_DIGITS})
    _check(r, 201)
    assert r.json()["valid"] is False


def _authorize_code(api: Api, fake: FakeWorkOS, challenge: str) -> str:
    """Sign the default user in through the authorize page with ``challenge``; return the code."""
    r = api.get(
        "/user_management/authorize",
        params={
            "client_id": fake.client_id,
            "redirect_uri": "https://app.example/callback",
            "response_type": "code",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    assert r.status_code == 302
    return parse_qs(urlsplit(r.headers["location"]).query)["code"][0]


def test_non_ascii_pkce_code_challenge(any_api: Api, fake: FakeWorkOS) -> None:
    fake.add_user("ada@example.com")
    fake.default_user = "ada@example.com"
    verifier = "v" * 43
    code = _authorize_code(any_api, fake, "\u00e9" * 43)
    r = any_api.authenticate("authorization_code", code=code, code_verifier=verifier)
    _check(r, 400)
    assert r.json()["error"] == "invalid_grant"
    # the matching (ASCII) challenge still signs in
    good = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    code = _authorize_code(any_api, fake, good.decode())
    _check(any_api.authenticate("authorization_code", code=code, code_verifier=verifier), 200)


# ---------------------------------------------------------------- malformed request bodies
# Each operation must reject a body that is not JSON, or not a JSON object, with a status it
# declares and that status's shape. Before the fix sessions/revoke and authorize/device answered
# an undeclared 422, and the API-key 422 lacked the required ``errors`` list.

BODY_OPS = sorted(
    {
        (op["method"], op["path"])
        for op in OPS
        if "requestBody" in spec().document["paths"][op["path"]][op["method"].lower()]
    }
)


def _concrete(path: str, fake: FakeWorkOS, api: Api) -> str:
    """``path`` with every parameter replaced by the id of a live object."""
    user = fake.add_user("ada@example.com", password=PASSWORD, email_verified=False)
    org = fake.add_organization("Acme")
    membership = fake.add_membership(user["id"], org["id"])
    enrolled = api.post(f"/user_management/users/{user['id']}/auth_factors", {"type": "totp"})
    invitation = api.post("/user_management/invitations", {"email": "bo@example.com"}).json()
    ids: dict[str, str] = {
        "/user_management/users/": user["id"],
        "/organizations/": org["id"],
        "/user_management/organization_memberships/": membership["id"],
        "/user_management/invitations/": invitation["id"],
        "/auth/factors/": enrolled.json()["authentication_factor"]["id"],
        "/auth/challenges/": enrolled.json()["authentication_challenge"]["id"],
    }
    head, _, tail = path.partition("{")
    if not tail:
        return path
    return head + ids[head] + tail.split("}", 1)[1]


@pytest.mark.parametrize(
    "body", [b"\x00", b"[null, null]", b'"text"'], ids=["not-json", "array", "string"]
)
@pytest.mark.parametrize("op", BODY_OPS, ids=[f"{m} {p}" for m, p in BODY_OPS])
def test_malformed_body_gets_a_declared_error(
    op: tuple[str, str], body: bytes, fake: FakeWorkOS, api: Api
) -> None:
    method, template = op
    path = _concrete(template, fake, api)
    r = api.http.request(method, path, content=body, headers={"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, r.text
    spec().validate_response(method, path, r.status_code, r.content, strict=True)


def test_malformed_body_shapes(api: Api) -> None:
    bad = {"content": b"\x00", "headers": {"Content-Type": "application/json"}}
    r = api.http.post("/user_management/sessions/revoke", **bad)  # type: ignore[arg-type]
    assert (r.status_code, set(r.json())) == (400, {"message"})
    r = api.http.post("/user_management/authorize/device", **bad)  # type: ignore[arg-type]
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = api.http.post("/organizations/org_nope/api_keys", **bad)  # type: ignore[arg-type]
    assert r.status_code == 404  # the organization is looked up first
    org = api.fake.add_organization("Acme")
    r = api.http.post(f"/organizations/{org['id']}/api_keys", **bad)  # type: ignore[arg-type]
    assert r.status_code == 422 and r.json()["errors"] == [{"code": "invalid", "field": "body"}]


# ---------------------------------------------------------------- percent-encoded path parameters
# The loopback server matched the raw path, so ``a%20b`` was looked up literally; the in-process
# transport matched the decoded path, so an encoded "/" split the id into two segments.


@pytest.mark.parametrize("external_id", ["crm 1", "crm/1", "cr\u00e9m%1"])
def test_percent_encoded_path_parameter(any_api: Api, external_id: str) -> None:
    created = any_api.post(
        "/user_management/users", {"email": "ada@example.com", "external_id": external_id}
    )
    assert created.status_code == 201, created.text
    r = any_api.get(f"/user_management/users/external_id/{quote(external_id, safe='')}")
    _check(r, 200)
    assert r.json()["id"] == created.json()["id"]


# ---------------------------------------------------------------- methods http.server lacks
# The in-process transport already answered these with the fake's JSON 405; over loopback
# http.server answered 501 with its own HTML page before the fake saw the request.


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "QUERY"])
def test_unserved_method_is_a_json_405_over_loopback(http_api: Api, api: Api, method: str) -> None:
    for mount in (http_api, api):
        r = mount.http.request(method, "/user_management/users")
        assert r.status_code == 405  # loopback: was http.server's 501 HTML page
        assert r.json() == {"message": "Method not allowed."}
