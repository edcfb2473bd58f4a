# source-of-truth: async
"""The one error mapper, seen through the client: status classes, both body forms, flow errors."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from tests._async.helpers import async_make_client
from tests.factories import API_KEY, user_json
from workos_authkit import (
    APIError,
    AuthenticationError,
    AuthenticationFlowError,
    BadRequestError,
    ConflictError,
    EmailVerificationRequired,
    MfaChallengeRequired,
    MfaEnrollmentRequired,
    NotFoundError,
    OrganizationAuthMethodsRequired,
    OrganizationSelectionRequired,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SsoRequired,
    UnprocessableEntityError,
)

pytestmark = pytest.mark.anyio

PATH = "/user_management/users/user_01X"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (418, APIError),
    ],
)
async def test_status_maps_to_class(router: respx.Router, status: int, cls: type[APIError]) -> None:
    router.get(PATH).respond(status, json={"code": "some_code", "message": "Something."})
    async with async_make_client(router, max_retries=0) as client:
        with pytest.raises(cls) as info:
            await client.users.get("user_01X")
    assert type(info.value) is cls
    assert (info.value.status_code, info.value.code, info.value.message) == (
        status,
        "some_code",
        "Something.",
    )


async def test_code_form_with_field_errors(router: respx.Router) -> None:
    router.post("/user_management/users").respond(
        400,
        json={
            "code": "password_strength_error",
            "message": "Password does not meet strength requirements.",
            "errors": [{"code": "password_too_short", "message": "Password is too short."}],
        },
        headers={"X-Request-ID": "req_9"},
    )
    async with async_make_client(router) as client:
        with pytest.raises(BadRequestError) as info:
            await client.users.create(email="a@example.com", password="pw")
    err = info.value
    assert err.code == "password_strength_error"
    assert err.errors == [{"code": "password_too_short", "message": "Password is too short."}]
    assert err.request_id == "req_9"
    assert "Password is too short." in str(err)
    assert "req_9" in str(err)


async def test_oauth_form(router: respx.Router) -> None:
    router.get(PATH).respond(
        400, json={"error": "invalid_grant", "error_description": "The code has expired."}
    )
    async with async_make_client(router) as client:
        with pytest.raises(BadRequestError) as info:
            await client.users.get("user_01X")
    assert (info.value.code, info.value.message) == ("invalid_grant", "The code has expired.")


@pytest.mark.parametrize(
    ("status", "body", "content_type", "expected"),
    [
        (502, b"<html><body>Bad gateway from the proxy</body></html>", "text/html", "Bad gateway"),
        (502, b"", "text/plain", "empty"),
        (400, b"not json at all", "application/json", "not json"),
        (400, b"[1, 2]", "application/json", "non-JSON"),
        (400, b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json", "non-JSON"),
    ],
)
async def test_non_json_bodies_become_api_errors(
    router: respx.Router, status: int, body: bytes, content_type: str, expected: str
) -> None:
    router.get(PATH).respond(status, content=body, headers={"Content-Type": content_type})
    async with async_make_client(router, max_retries=0) as client:
        with pytest.raises(APIError) as info:
            await client.users.get("user_01X")
    assert info.value.status_code == status
    assert expected in str(info.value)
    if status >= 500:
        assert isinstance(info.value, ServerError)


async def test_absurdly_nested_success_bodies_are_typed_errors(router: respx.Router) -> None:
    from workos_authkit import ResponseValidationError

    router.get(PATH).respond(200, content=b'{"id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    async with async_make_client(router) as client:
        with pytest.raises(ResponseValidationError, match=r"\$\.id"):
            await client.users.get("user_01X")


async def test_long_html_is_cut_to_a_snippet(router: respx.Router) -> None:
    router.get(PATH).respond(
        503, content=b"<html>" + b"x" * 5000, headers={"Content-Type": "text/html"}
    )
    async with async_make_client(router, max_retries=0) as client:
        with pytest.raises(ServerError) as info:
            await client.users.get("user_01X")
    assert len(str(info.value)) < 300


USER = user_json("user_01FLOW")

FLOW_CASES: list[tuple[str, dict[str, Any], type[AuthenticationFlowError]]] = [
    (
        "code",
        {
            "code": "email_verification_required",
            "message": "Email ownership must be verified before authentication.",
            "pending_authentication_token": "pat_1",
            "email": "ada@example.com",
            "email_verification_id": "email_verification_01",
        },
        EmailVerificationRequired,
    ),
    (
        "code",
        {
            "code": "mfa_enrollment",
            "message": "The user must enroll in MFA.",
            "pending_authentication_token": "pat_1",
            "user": USER,
        },
        MfaEnrollmentRequired,
    ),
    (
        "error",
        {
            "error": "mfa_enrollment",
            "error_description": "The user must enroll in MFA.",
            "pending_authentication_token": "pat_1",
            "user": USER,
        },
        MfaEnrollmentRequired,
    ),
    (
        "code",
        {
            "code": "mfa_challenge",
            "message": "The user must complete an MFA challenge.",
            "pending_authentication_token": "pat_1",
            "authentication_factors": [{"id": "auth_factor_01", "type": "totp"}],
            "user": USER,
        },
        MfaChallengeRequired,
    ),
    (
        "code",
        {
            "code": "organization_selection_required",
            "message": "The user must choose an organization.",
            "pending_authentication_token": "pat_1",
            "organizations": [{"id": "org_01", "name": "Acme"}, {"id": "org_02", "name": "Globex"}],
            "user": USER,
        },
        OrganizationSelectionRequired,
    ),
    (
        "error",
        {
            "error": "sso_required",
            "error_description": "User must authenticate using one of the matching connections.",
            "connection_ids": ["conn_01"],
            "email": "ada@example.com",
            "pending_authentication_token": "pat_1",
        },
        SsoRequired,
    ),
    (
        "error",
        {
            "error": "organization_authentication_methods_required",
            "error_description": "The organization requires another method.",
            "sso_connection_ids": ["conn_02"],
            "auth_methods": {"google_oauth": True, "magic_auth": False, "password": False},
            "email": "ada@example.com",
            "pending_authentication_token": "pat_1",
        },
        OrganizationAuthMethodsRequired,
    ),
]


@pytest.mark.parametrize("status", [400, 403])
@pytest.mark.parametrize(("form", "body", "cls"), FLOW_CASES)
async def test_authentication_flow_errors(
    router: respx.Router,
    status: int,
    form: str,
    body: dict[str, Any],
    cls: type[AuthenticationFlowError],
) -> None:
    router.post("/user_management/users").respond(status, json=body)
    async with async_make_client(router) as client:
        with pytest.raises(cls) as info:
            await client.users.create(email="ada@example.com")
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.code == (body.get("code") or body.get("error"))
    assert err.pending_authentication_token == "pat_1"
    # the pending token is a credential for the next step: never printed
    assert "pat_1" not in str(err)
    assert "pat_1" not in repr(err)
    if isinstance(err, EmailVerificationRequired):
        assert (err.email, err.email_verification_id) == (
            "ada@example.com",
            "email_verification_01",
        )
    if isinstance(
        err, MfaEnrollmentRequired | MfaChallengeRequired | OrganizationSelectionRequired
    ):
        assert err.user is not None
        assert err.user.id == "user_01FLOW"
    if isinstance(err, MfaChallengeRequired):
        assert [(f.id, f.type) for f in err.authentication_factors] == [("auth_factor_01", "totp")]
    if isinstance(err, OrganizationSelectionRequired):
        assert [o.name for o in err.organizations] == ["Acme", "Globex"]
    if isinstance(err, SsoRequired):
        assert (err.connection_ids, err.email) == (["conn_01"], "ada@example.com")
    if isinstance(err, OrganizationAuthMethodsRequired):
        assert err.sso_connection_ids == ["conn_02"]
        assert err.auth_methods is not None
        assert err.auth_methods.google_oauth
        assert not err.auth_methods.password


async def test_flow_error_with_malformed_extras_still_maps(router: respx.Router) -> None:
    router.post("/user_management/users").respond(
        403,
        json={
            "code": "mfa_challenge",
            "message": "MFA.",
            "authentication_factors": [{"id": 1}, "junk", {"id": "auth_factor_2", "type": "totp"}],
            "user": {"id": "missing the rest"},
        },
    )
    async with async_make_client(router) as client:
        with pytest.raises(MfaChallengeRequired) as info:
            await client.users.create(email="ada@example.com")
    assert [f.id for f in info.value.authentication_factors] == ["auth_factor_2"]
    assert info.value.user is None
    assert info.value.pending_authentication_token is None


async def test_rate_limit_error_carries_retry_after(router: respx.Router) -> None:
    router.get(PATH).respond(
        429,
        json={"code": "daily_quota_exceeded", "message": "Quota."},
        headers={"Retry-After": "7"},
    )
    async with async_make_client(router, max_retries=0) as client:
        with pytest.raises(RateLimitError) as info:
            await client.users.get("user_01X")
    assert info.value.retry_after == 7.0
    assert info.value.code == "daily_quota_exceeded"


async def test_no_secret_in_errors(router: respx.Router) -> None:
    router.post("/user_management/users").respond(
        400, json={"code": "password_strength_error", "message": "Weak."}
    )
    async with async_make_client(router) as client:
        with pytest.raises(BadRequestError) as info:
            await client.users.create(email="a@example.com", password="hunter2-secret-pw")
    text = f"{info.value!s} {info.value!r} {info.value.body!r}"
    assert "hunter2-secret-pw" not in text
    assert API_KEY not in text
