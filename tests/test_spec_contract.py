"""Tests of the contract validator itself (tests/spec_contract.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.spec_contract import SPEC_PATH, Spec, spec

BASE = "https://api.workos.com"


def _user(**changes: Any) -> dict[str, Any]:
    user: dict[str, Any] = {
        "object": "user",
        "id": "user_01E4ZCR3C56J083X43JQXF3JK5",
        "first_name": "Marcelina",
        "last_name": None,
        "profile_picture_url": None,
        "email": "marcelina.davis@example.com",
        "email_verified": True,
        "external_id": None,
        "metadata": {"timezone": "America/New_York"},
        "last_sign_in_at": "2025-06-25T19:07:33.155Z",
        "locale": "en-US",
        "created_at": "2026-01-15T12:00:00.000Z",
        "updated_at": "2026-01-15T12:00:00+00:00",
    }
    user.update(changes)
    return user


def _request(method: str, path: str, **kwargs: Any) -> httpx.Request:
    return httpx.Request(method, BASE + path, **kwargs)


def _problems(exc: pytest.ExceptionInfo[AssertionError]) -> str:
    return str(exc.value)


# --------------------------------------------------------------------------- loading


def test_spec_is_loaded_once_and_cached() -> None:
    first = spec()
    assert first is spec()
    assert first.document["openapi"].startswith("3.1")
    # Parsing ~1.1 MB of YAML with libyaml takes ~0.3 s; guard against a pure-Python fallback.
    assert 0 < first.load_seconds < 5, first.load_seconds
    assert SPEC_PATH.is_file()
    assert (SPEC_PATH.parent / "LICENSE.txt").is_file()


def test_operations_lists_every_operation() -> None:
    ops = spec().operations()
    ids = [op.operation_id for op in ops]
    assert len(ids) == len(set(ids)) > 100
    by_id = {op.operation_id: op for op in ops}
    get_user = by_id["UserlandUsersController_get"]
    assert (get_user.method, get_user.template) == ("GET", "/user_management/users/{id}")
    assert get_user.path_params == {}
    assert not get_user.security_none


# --------------------------------------------------------------------------- paths


def test_operation_matches_concrete_path() -> None:
    op = spec().operation("get", "/user_management/users/user_01ABC?ignored=1")
    assert op.operation_id == "UserlandUsersController_get"
    assert op.method == "GET"
    assert op.path_params == {"id": "user_01ABC"}


def test_literal_segment_beats_parameter() -> None:
    s = spec()
    by_external = s.operation("GET", "/user_management/users/external_id/ext-42")
    assert by_external.template == "/user_management/users/external_id/{external_id}"
    assert by_external.path_params == {"external_id": "ext-42"}
    # Matches both ".../external_id/{external_id}" and ".../{id}/sessions": the literal
    # "external_id" at the first differing segment wins.
    ambiguous = s.operation("GET", "/user_management/users/external_id/sessions")
    assert ambiguous.template == "/user_management/users/external_id/{external_id}"
    sessions = s.operation("GET", "/user_management/users/user_01/sessions")
    assert sessions.template == "/user_management/users/{id}/sessions"
    assert sessions.path_params == {"id": "user_01"}


def test_path_params_are_percent_decoded() -> None:
    op = spec().operation("GET", "/user_management/users/external_id/a%2Fb%20c")
    assert op.path_params == {"external_id": "a/b c"}


def test_unknown_path_names_method_and_path() -> None:
    with pytest.raises(AssertionError, match=r"GET /user_management/nope: no path in the spec"):
        spec().operation("GET", "/user_management/nope")


def test_undeclared_method_lists_declared_ones() -> None:
    with pytest.raises(AssertionError) as exc:
        spec().operation("POST", "/user_management/users/user_01")
    message = _problems(exc)
    assert "POST /user_management/users/user_01: method not declared" in message
    assert "/user_management/users/{id} (DELETE, GET, PUT)" in message


def test_security_none() -> None:
    assert spec().operation("GET", "/user_management/authorize").security_none
    assert not spec().operation("GET", "/user_management/users").security_none


# --------------------------------------------------------------------------- requests


def test_valid_list_request() -> None:
    request = _request(
        "GET",
        "/user_management/users",
        params={"limit": 100, "order": "asc", "after": "user_01", "email": "a@b.co"},
    )
    op = spec().validate_request(request)
    assert op.operation_id == "UserlandUsersController_list"


def test_undeclared_query_param() -> None:
    with pytest.raises(AssertionError) as exc:
        spec().validate_request(_request("GET", "/user_management/users", params={"page": 2}))
    message = _problems(exc)
    assert "undeclared query parameter 'page'" in message
    assert "declared: after, before, email, limit, order" in message


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("101", "101 is greater than the maximum of 100"),
        ("0", "0 is less than the minimum of 1"),
        ("ten", "'ten' is not of type 'integer'"),
    ],
)
def test_limit_out_of_range(limit: str, expected: str) -> None:
    request = _request("GET", "/user_management/users", params={"limit": limit})
    with pytest.raises(AssertionError) as exc:
        spec().validate_request(request)
    assert f"query param limit: {expected}" in _problems(exc)


def test_every_problem_is_listed() -> None:
    request = _request(
        "GET", "/user_management/users", params={"limit": 101, "order": "up", "x": "1"}
    )
    with pytest.raises(AssertionError) as exc:
        spec().validate_request(request)
    message = _problems(exc)
    assert "3 contract problem(s)" in message
    assert "'up' is not one of ['normal', 'desc', 'asc']" in message


def test_comma_joined_array_query_param() -> None:
    s = spec()
    path = "/user_management/organization_memberships"
    s.validate_request(_request("GET", path, params={"statuses": "active,pending"}))
    with pytest.raises(AssertionError, match=r"statuses\[1\]: 'bogus' is not one of"):
        s.validate_request(_request("GET", path, params={"statuses": "active,bogus"}))
    repeated = _request("GET", path, params=[("statuses", "active"), ("statuses", "pending")])
    with pytest.raises(AssertionError, match="given 2 times; style=form, explode=false"):
        s.validate_request(repeated)


def test_boolean_query_param_coercion() -> None:
    path = "/authorization/resources/authz_resource_01"
    spec().validate_request(_request("DELETE", path, params={"cascade_delete": "true"}))
    with pytest.raises(AssertionError, match="'True' is not of type 'boolean'"):
        spec().validate_request(_request("DELETE", path, params={"cascade_delete": "True"}))


def test_required_query_param_missing() -> None:
    with pytest.raises(AssertionError, match="missing required query parameter 'session_id'"):
        spec().validate_request(_request("GET", "/user_management/sessions/logout"))


def test_empty_path_param() -> None:
    with pytest.raises(AssertionError, match="path parameter 'id' is empty"):
        spec().validate_request(_request("GET", "/user_management/users/"))


def test_request_body_validates() -> None:
    body = {"email": "a@b.co", "first_name": "A", "password": "correct horse"}
    op = spec().validate_request(_request("POST", "/user_management/users", json=body))
    assert op.operation_id == "UserlandUsersController_create"


def test_request_body_problems() -> None:
    body = {"first_name": 7, "password": "x", "password_hash": "y", "nickname": "z"}
    with pytest.raises(AssertionError) as exc:
        spec().validate_request(_request("POST", "/user_management/users", json=body))
    message = _problems(exc)
    assert "body: 'email' is a required property" in message
    assert "body.first_name: 7 is not of type 'string', 'null'" in message
    assert "mutually exclusive" in message  # password vs password_hash oneOf
    assert "body.nickname: property not declared by the schema" in message


def test_request_body_strictness_is_optional() -> None:
    request = _request("POST", "/user_management/users", json={"email": "a@b.co", "nick": 1})
    spec().validate_request(request, strict=False)
    spec().validate_request(request, extra_ok=["nick"])


def test_request_body_follows_matching_one_of_branch() -> None:
    body = {
        "grant_type": "password",
        "client_id": "client_01",
        "client_secret": "sk_test",
        "email": "a@b.co",
        "password": "pw",
    }
    s = spec()
    s.validate_request(_request("POST", "/user_management/authenticate", json=body))
    # "code" belongs to the authorization_code branch, not to the matching password branch.
    with_code = _request("POST", "/user_management/authenticate", json={**body, "code": "c"})
    with pytest.raises(AssertionError, match=r"body\.code: property not declared"):
        s.validate_request(with_code)


def test_body_where_none_is_allowed() -> None:
    path = "/user_management/invitations/invitation_01/revoke"
    spec().validate_request(_request("POST", path))
    with pytest.raises(AssertionError, match=r"body must be empty .*got b'\{\}'"):
        spec().validate_request(_request("POST", path, json={}))


def test_required_body_missing_and_wrong_content_type() -> None:
    with pytest.raises(AssertionError, match="body is empty but the operation requires one"):
        spec().validate_request(_request("POST", "/user_management/users"))
    form = _request("POST", "/user_management/users", content=b'{"email": "a@b.co"}')
    with pytest.raises(AssertionError, match="content-type is '', expected 'application/json'"):
        spec().validate_request(form)


# --------------------------------------------------------------------------- responses


def test_well_formed_user_passes() -> None:
    user = _user()
    spec().validate_schema("UserlandUser", user, strict=True)
    spec().validate_response(
        "GET", "/user_management/users/user_01", 200, json.dumps(user).encode(), strict=True
    )
    spec().validate_response("GET", "/user_management/users/user_01", 200, json.dumps(user))


def test_wrong_type_and_missing_field() -> None:
    user = _user(email_verified="yes")
    del user["email"]
    with pytest.raises(AssertionError) as exc:
        spec().validate_response("GET", "/user_management/users/user_01", 200, user)
    message = _problems(exc)
    assert "GET /user_management/users/user_01 -> 200" in message
    assert "body: 'email' is a required property" in message
    assert "body.email_verified: 'yes' is not of type 'boolean'" in message


def test_undeclared_status() -> None:
    with pytest.raises(AssertionError, match=r"status 201 is not declared \(declared: 200, 404\)"):
        spec().validate_response("GET", "/user_management/users/user_01", 201, _user())


def test_error_response_one_of() -> None:
    s = spec()
    path = "/user_management/users"
    s.validate_response("POST", path, 400, {"code": "invalid_metadata", "message": "Bad."})
    with pytest.raises(AssertionError, match="matches none of the oneOf branches"):
        s.validate_response("POST", path, 400, {"code": "made_up", "message": "Bad."})


def test_empty_and_non_empty_bodies() -> None:
    s = spec()
    delete = "/user_management/users/user_01"
    s.validate_response("DELETE", delete, 200, b"")
    s.validate_response("DELETE", delete, 200, None)
    with pytest.raises(AssertionError, match="body must be empty"):
        s.validate_response("DELETE", delete, 200, b"{}")
    with pytest.raises(AssertionError, match="body is empty but the response declares"):
        s.validate_response("GET", delete, 200, b"")
    with pytest.raises(AssertionError, match="not valid JSON"):
        s.validate_response("GET", delete, 200, b"{nope")


def test_strict_flags_extra_fields_recursively() -> None:
    page = {
        "object": "list",
        "data": [_user(), _user(nickname="x")],
        "list_metadata": {"before": None, "after": None, "total": 2},
        "extra": True,
    }
    s = spec()
    s.validate_response("GET", "/user_management/users", 200, page)  # lenient by default
    with pytest.raises(AssertionError) as exc:
        s.validate_response("GET", "/user_management/users", 200, page, strict=True)
    message = _problems(exc)
    assert "3 contract problem(s)" in message
    assert "body.data[1].nickname: property not declared" in message
    assert "body.list_metadata.total: property not declared" in message
    assert "body.extra: property not declared" in message
    # Free-form maps (metadata: additionalProperties) are not "extra fields".
    assert "timezone" not in message


def test_strict_allow_list() -> None:
    body = {
        "code": "email_verification_required",
        "message": "Email ownership must be verified before authentication.",
        "pending_authentication_token": "YQyCkYfuVw2mI3tzSrk2C1Y7S",
        "email": "marcelina@example.com",
        "email_verification_id": "email_verification_01",
    }
    s = spec()
    path = "/user_management/authenticate"
    s.validate_response("POST", path, 403, body)
    with pytest.raises(AssertionError, match=r"body\.pending_authentication_token: property not"):
        s.validate_response("POST", path, 403, body, strict=True)
    s.validate_response(
        "POST",
        path,
        403,
        body,
        strict=True,
        extra_ok=["pending_authentication_token", "email", "email_verification_id"],
    )
    page = {
        "object": "list",
        "data": [_user(x=1)],
        "list_metadata": {"before": None, "after": None},
    }
    for allowed in (["x"], ["data.x"], ["data[].x"], ["data[0].x"]):
        s.validate_schema("UserlandUserList", page, strict=True, extra_ok=allowed)
    with pytest.raises(AssertionError, match=r"UserlandUserList\.data\[0\]|data\[0\]\.x"):
        s.validate_schema("UserlandUserList", page, strict=True, extra_ok=["list_metadata.x"])


# --------------------------------------------------------------------------- schemas, formats


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-15T12:00:00.000Z",
        "2026-01-15T12:00:00Z",
        "2026-01-15T12:00:00.123456+05:30",
        "2026-01-15t12:00:00z",
    ],
)
def test_date_time_accepts(value: str) -> None:
    spec().validate_schema("UserlandUser", _user(created_at=value))


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-15",  # date only
        "2026-01-15T12:00:00",  # no offset
        "2026-13-15T12:00:00Z",  # month 13
        "2026-01-15T25:00:00Z",  # hour 25
        "15/01/2026 12:00",
    ],
)
def test_date_time_rejects(value: str) -> None:
    with pytest.raises(AssertionError, match=r"created_at: .* is not a 'date-time'"):
        spec().validate_schema("UserlandUser", _user(created_at=value))


def test_unknown_schema() -> None:
    with pytest.raises(AssertionError, match="no schema named 'Nope'"):
        spec().validate_schema("Nope", {})


def test_schema_is_resolved_copy() -> None:
    resolved = spec().schema("UserlandUserList")
    assert "$ref" not in json.dumps(resolved)
    assert "email" in resolved["properties"]["data"]["items"]["properties"]
    resolved["properties"].clear()
    assert spec().schema("UserlandUserList")["properties"]


def test_openapi_only_keywords(tmp_path: Path) -> None:
    # nullable (OpenAPI 3.0) becomes a "null" type; example/discriminator are ignored.
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {},
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "discriminator": {"propertyName": "kind"},
                    "example": {"kind": 1},
                    "properties": {
                        "kind": {"type": "string", "enum": ["cat"], "nullable": True},
                        "owner": {"$ref": "#/components/schemas/Owner"},
                    },
                    "required": ["kind"],
                },
                "Owner": {"type": ["string", "null"], "const": "me", "example": 3},
            }
        },
    }
    path = tmp_path / "mini.yaml"
    path.write_text(json.dumps(document))  # JSON is YAML
    mini = Spec.load(path)
    mini.validate_schema("Pet", {"kind": None})
    mini.validate_schema("Pet", {"kind": "cat", "owner": "me"})
    with pytest.raises(AssertionError, match=r"Pet\.owner: 'me' was expected"):
        mini.validate_schema("Pet", {"kind": "cat", "owner": "you"})
    with pytest.raises(AssertionError, match=r"Pet\.kind: 'dog' is not one of"):
        mini.validate_schema("Pet", {"kind": "dog"})
    assert document["components"]["schemas"]["Pet"]["properties"]["kind"]["nullable"] is True


def test_validation_does_not_mutate_input() -> None:
    user = _user()
    before = copy.deepcopy(user)
    spec().validate_schema("UserlandUser", user, strict=True)
    assert user == before


def test_operation_accepts_httpx_url_keeping_encoded_slashes() -> None:
    request = _request("GET", "/user_management/users/external_id/a%2Fb")
    # request.url.path is decoded ("a/b" looks like two segments); the URL keeps the id whole.
    op = spec().operation("GET", request.url)
    assert op.path_params == {"external_id": "a/b"}
    spec().validate_response("GET", request.url, 200, _user())
    with pytest.raises(AssertionError, match="no path in the spec matches"):
        spec().operation("GET", request.url.path)
