"""The SDK's surface against the spec, derived from the code rather than listed by hand.

* every public resource method sends exactly one request, for the ``operationId`` its endpoint
  declares, and that request is the spec's operation of that id (method and path);
* every declared ``Endpoint`` is reached by some public method and has a retry class;
* every model a method returns has the fields of that operation's response schema, nested models
  included, and structures the spec's example, a required-fields-only payload and one with
  unknown fields;
* every operation of the vendored list (``tests/fake/authkit_ops.json``) has a method in both
  twins, mapped by ``operationId`` (and grant type, for the ``authenticate_with_*`` entries);
* the API key goes with every call except those the spec declares without security;
* a method that only builds a URL for the browser (``auth.get_authorization_url``,
  ``auth.get_logout_url``) sends nothing; its URL is checked as a GET of that operation.

Several methods may share one operation only when the grant type tells them apart (the eight
``authenticate`` grants). A method that reaches the API only through another public method
(``auth.verify_access_token`` fetches the key set with ``auth.get_jwks``) is listed in
``DERIVED`` and must send what that method sends.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import json
import pkgutil
import types
import typing
from collections.abc import Iterator
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

import workos_authkit._api
from tests.spec_contract import _escape, spec
from tests.spec_payloads import payload, properties
from workos_authkit import AsyncWorkOS, WorkOS
from workos_authkit._converter import converter, strict_converter
from workos_authkit._decode import decode
from workos_authkit._endpoint import Endpoint, Retry
from workos_authkit._sync import Pager
from workos_authkit._sync._resource import Resource
from workos_authkit._wire import EXTENSION
from workos_authkit.models import ListMetadata, Page

OPS = json.loads((Path(__file__).parent / "fake" / "authkit_ops.json").read_text())

#: arguments a method needs beyond placeholder strings for its required parameters
EXTRA_ARGUMENTS: dict[str, dict[str, Any]] = {
    "users.update": {"first_name": "Ada"},
    "organization_memberships.list": {"user_id": "sample_user_id"},
    "organization_memberships.update": {"role_slug": "admin"},
    "invitations.send": {"email": "a@example.com"},
    "auth.get_authorization_url": {"provider": "authkit"},
    "auth.verify_access_token": {"token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.c2ln"},
}

#: methods whose only request is the one another public method sends (same operation and grant)
DERIVED: dict[str, str] = {
    "auth.verify_access_token": "auth.get_jwks",
    "cli_auth.poll_for_token": "auth.authenticate_with_device_code",
}

#: methods that return one property of the response body rather than the whole body
UNWRAPPED: dict[str, str] = {
    "email_verification.send": "user",
    "email_verification.confirm": "user",
    "password_reset.reset_password": "user",
    "api_keys.validate": "api_key",
}

#: fields the live API sends that the spec does not declare yet (optional in the models)
BEYOND_SPEC: dict[str, set[str]] = {
    "OrganizationMembership": {"roles"},
    "OrganizationApiKey": {"expires_at"},
    "OrganizationApiKeyWithValue": {"expires_at"},
    "ApiKey": {"expires_at"},
}

#: POST operations that only read, so repeating them is safe
SAFE_POSTS = {"ApiKeysController_validateApiKey"}


#: public methods built from other methods (many requests, no operation of their own)
COMPOSITE = frozenset({"users.import_users"})


class Recorded(Exception):
    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request.method)
        self.request = request


class Recorder(httpx.BaseTransport):
    """Records the request and stops there: no response needed to see what a method sends."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        raise Recorded(request)


def _resources(client: WorkOS) -> Iterator[tuple[str, Resource]]:
    for name, member in inspect.getmembers(type(client)):
        if isinstance(member, cached_property):
            resource = getattr(client, name)
            if isinstance(resource, Resource):
                yield name, resource


def _public_methods(resource: Resource) -> Iterator[tuple[str, Any]]:
    for name, member in inspect.getmembers(resource, inspect.ismethod):
        if not name.startswith("_"):
            yield name, member


def _sample_args(qualname: str, method: Any) -> tuple[list[Any], dict[str, Any]]:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    extra = EXTRA_ARGUMENTS.get(qualname, {})
    for p in inspect.signature(method).parameters.values():
        if p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        value = extra.get(p.name, f"sample_{p.name}")
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = value
        else:
            args.append(value)
    kwargs.update({k: v for k, v in extra.items() if k not in kwargs and v not in args})
    return args, kwargs


def _sample_call(qualname: str, method: Any) -> httpx.Request:
    """The request ``method`` sends (or, for a method that only builds a URL, a GET of it)."""
    args, kwargs = _sample_args(qualname, method)
    try:
        result = method(*args, **kwargs)
        if isinstance(result, Pager):
            result.first_page()
    except Recorded as recorded:
        return recorded.request
    if isinstance(result, str) and result.startswith(("http://", "https://")):
        return httpx.Request("GET", result)  # a URL for the browser (authorize, logout)
    raise AssertionError(f"{qualname} sent no request and built no URL")


@cache
def _method_operations() -> dict[str, tuple[httpx.Request, Any]]:
    """``"users.get" -> (the request it sent, the method)`` for every public resource method."""
    client = WorkOS(
        api_key="sk_test_surface", client_id="client_surface", transport=Recorder(), max_retries=0
    )
    found: dict[str, tuple[httpx.Request, Any]] = {}
    for rname, resource in _resources(client):
        for mname, method in _public_methods(resource):
            qualname = f"{rname}.{mname}"
            if qualname in COMPOSITE:
                continue
            found[qualname] = (_sample_call(qualname, method), method)
    assert found, "no resource methods found"
    return found


def _declared_endpoints() -> dict[str, Endpoint]:
    found: dict[str, Endpoint] = {}
    for info in pkgutil.iter_modules(workos_authkit._api.__path__):
        module = importlib.import_module(f"workos_authkit._api.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Endpoint):
                found[f"{info.name}.{name}"] = value
    return found


def test_extra_arguments_name_real_methods() -> None:
    names = set(EXTRA_ARGUMENTS) | set(UNWRAPPED) | set(DERIVED) | set(DERIVED.values())
    assert names <= set(_method_operations())


def test_composite_methods_are_real_methods() -> None:
    client = WorkOS(api_key="sk_test_surface", transport=Recorder())
    for qualname in COMPOSITE:
        rname, mname = qualname.split(".")
        assert callable(getattr(getattr(client, rname), mname)), qualname


@pytest.mark.parametrize("qualname", sorted(_method_operations()))
def test_each_method_sends_its_declared_spec_operation(qualname: str) -> None:
    request, _ = _method_operations()[qualname]
    op = spec().operation(request.method, request.url.raw_path.decode().split("?")[0])
    settings = request.extensions.get(EXTENSION)  # None for a URL the method only builds
    if settings is not None:
        assert settings.operation_id == op.operation_id, f"{qualname}: {op}"
    listed = [o for o in OPS if o["operationId"] == op.operation_id]
    assert listed, f"{qualname}: {op.operation_id} is not in the vendored ops list"
    assert (listed[0]["method"], listed[0]["path"]) == (op.method, op.template)
    if settings is not None:
        # the API key goes with every call except those the spec declares without security
        assert ("authorization" in request.headers) == (not op.security_none), qualname


def test_no_two_methods_share_an_operation() -> None:
    sent = {q: _operation_of(r) for q, (r, _) in _method_operations().items() if q not in DERIVED}
    assert len(set(sent.values())) == len(sent), sorted(sent.items(), key=lambda kv: kv[1])
    assert sum(1 for _, grant in sent.values() if grant is not None) >= 8  # the eight grants


@pytest.mark.parametrize("qualname", sorted(DERIVED))
def test_derived_methods_send_what_their_source_sends(qualname: str) -> None:
    operations = _method_operations()
    assert _operation_of(operations[qualname][0]) == _operation_of(operations[DERIVED[qualname]][0])


def test_every_endpoint_is_reached_and_has_a_retry_class() -> None:
    declared = _declared_endpoints()
    assert declared
    reached = {_operation_of(r)[0] for r, _ in _method_operations().values()}
    for name, endpoint in declared.items():
        assert isinstance(endpoint.retry, Retry), name
        assert endpoint.operation_id in reached, f"{name} is declared but no method uses it"
        if endpoint.method in ("GET", "PUT", "DELETE") or endpoint.operation_id in SAFE_POSTS:
            assert endpoint.retry is Retry.SAFE, name
        else:
            assert endpoint.retry is not Retry.SAFE, f"{name}: a POST is not safe to repeat"


def test_an_endpoint_without_a_retry_class_cannot_be_declared() -> None:
    with pytest.raises(TypeError, match="a Retry class"):
        Endpoint("POST", "/x", "X_create", "safe")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- response models


def _response_schema(request: httpx.Request) -> Any:
    op = spec().operation(request.method, request.url.raw_path.decode().split("?")[0])
    responses = spec().document["paths"][op.template][op.method.lower()]["responses"]
    status = next(s for s in sorted(responses) if s.startswith("2"))
    if "content" not in responses[status]:
        return None
    pointer = (
        f"/paths/{_escape(op.template)}/{op.method.lower()}/responses/{status}"
        "/content/application~1json/schema"
    )
    return spec()._inline(pointer, frozenset())


def _model_pairs(model: Any, schema: Any) -> Iterator[tuple[type, dict[str, Any]]]:
    """(attrs class, schema properties) for ``model`` and every attrs class nested in it."""
    origin = typing.get_origin(model)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(model):
            if arg is not type(None):
                yield from _model_pairs(arg, schema)
        return
    if origin in (list, builtins.list):
        items = schema["items"] if "items" in schema else properties(schema)["items"]
        yield from _model_pairs(typing.get_args(model)[0], items)
        return
    if origin is Page:
        (item,) = typing.get_args(model)
        props = properties(schema)
        yield from _model_pairs(item, props["data"]["items"])
        yield from _model_pairs(ListMetadata, props["list_metadata"])
        return
    if attrs.has(model):
        props = properties(schema)
        yield model, props
        hints = typing.get_type_hints(model)
        for field in attrs.fields(model):
            if field.name in props:
                yield from _model_pairs(hints[field.name], props[field.name])


def _returned_model(method: Any) -> Any:
    """The model the method returns, or None when it returns no model of the response body
    (nothing, a URL it built, or, for ``DERIVED`` methods, something else than the body)."""
    hint = typing.get_type_hints(method)["return"]
    if typing.get_origin(hint) is Pager:
        return Page[typing.get_args(hint)[0]]  # type: ignore[misc]
    if hint in (type(None), str) or method.__qualname__ in _DERIVED_QUALNAMES:
        return None
    return hint


_DERIVED_QUALNAMES = {
    f"{resource.title().replace('_', '')}.{name}"
    for resource, name in (q.split(".") for q in DERIVED)
}


@pytest.mark.parametrize("qualname", sorted(_method_operations()))
def test_returned_models_have_the_fields_of_the_response_schema(qualname: str) -> None:
    request, method = _method_operations()[qualname]
    model = _returned_model(method)
    schema = _response_schema(request)
    if model is None:
        return
    if qualname in UNWRAPPED:
        schema = properties(schema)[UNWRAPPED[qualname]]
    pairs = list(_model_pairs(model, schema))
    assert pairs, f"{qualname}: no model found in {model!r}"
    for cls, props in pairs:
        expected = set(props) | BEYOND_SPEC.get(cls.__name__, set())
        assert {f.name for f in attrs.fields(cls)} == expected, f"{qualname}: {cls}"


# ---------------------------------------------------------------- structuring every model


def _structured_models() -> list[str]:
    return sorted(
        qualname
        for qualname, (_, method) in _method_operations().items()
        if _returned_model(method) is not None
    )


@pytest.mark.parametrize("qualname", _structured_models())
@pytest.mark.parametrize("shape", ["example", "required_only", "extra_fields"])
def test_returned_models_structure_spec_payloads(qualname: str, shape: str) -> None:
    """The spec's example, a payload with only the required fields, and one with unknown fields
    besides: each structures (strictly, when it has no unknown fields), and the msgspec decoder
    used on responses builds the same object as the converter."""
    request, method = _method_operations()[qualname]
    model = _returned_model(method)
    schema = _response_schema(request)
    if qualname in UNWRAPPED:
        schema = properties(schema)[UNWRAPPED[qualname]]
    wire = payload(schema, required_only=shape == "required_only", extra=shape == "extra_fields")
    structured = (converter if shape == "extra_fields" else strict_converter).structure(wire, model)
    decoded = decode(json.dumps(wire).encode(), model, status_code=200, request_id=None)
    assert decoded == structured


# ---------------------------------------------------------------- coverage of the operations list

#: the eight ``authenticate_with_*`` entries share one operationId; the grant tells them apart
GRANT_TYPES = {
    "authenticate_with_code": "authorization_code",
    "authenticate_with_password": "password",
    "authenticate_with_refresh_token": "refresh_token",
    "authenticate_with_magic_auth": "urn:workos:oauth:grant-type:magic-auth:code",
    "authenticate_with_email_verification": "urn:workos:oauth:grant-type:email-verification:code",
    "authenticate_with_totp": "urn:workos:oauth:grant-type:mfa-totp",
    "authenticate_with_organization_selection": "urn:workos:oauth:grant-type:organization-selection",
    "authenticate_with_device_code": "urn:ietf:params:oauth:grant-type:device_code",
}


def _operation_of(request: httpx.Request) -> tuple[str, str | None]:
    """(operationId, grant_type or None) of a recorded request."""
    op = spec().operation(request.method, request.url.raw_path.decode().split("?")[0])
    grant = None
    if request.content:
        body = json.loads(request.content)
        grant = body.get("grant_type") if isinstance(body, dict) else None
    return op.operation_id, grant


def _async_methods() -> set[str]:
    """``"users.get"`` for every public method of every resource of the async client."""
    client = AsyncWorkOS(api_key="sk_test_surface")
    return {
        f"{name}.{method}"
        for name, member in inspect.getmembers(type(client))
        if isinstance(member, cached_property)
        for method in dir(getattr(client, name))
        if not method.startswith("_") and callable(getattr(getattr(client, name), method))
    }


def uncovered_operations(
    methods: dict[str, tuple[httpx.Request, Any]], async_methods: set[str]
) -> list[str]:
    """The names of the operations in the vendored list that no method covers in both twins."""
    covered = {
        _operation_of(request)
        for qualname, (request, _) in methods.items()
        if qualname in async_methods
    }
    return [
        op["name"] for op in OPS if (op["operationId"], GRANT_TYPES.get(op["name"])) not in covered
    ]


def test_every_listed_operation_has_a_method_in_both_twins() -> None:
    assert len(OPS) == 51
    missing = uncovered_operations(_method_operations(), _async_methods())
    assert missing == [], "operations without an SDK method"
    assert set(GRANT_TYPES) <= {op["name"] for op in OPS}


def test_the_coverage_check_sees_a_missing_method() -> None:
    methods = dict(_method_operations())
    del methods["invitations.resend"]
    assert "resend_invitation" in uncovered_operations(methods, _async_methods())
    only_sync = _async_methods() - {"mfa.challenge"}
    assert "challenge_auth_factor" in uncovered_operations(_method_operations(), only_sync)


#: fields that hold a secret a person receives (or a link or QR code that carries it)
SECRET_FIELDS = {
    "access_token",
    "refresh_token",
    "code",
    "token",
    "password_reset_token",
    "password_reset_url",
    "accept_invitation_url",
    "value",
    "secret",
    "qr_code",
    "uri",
}


def test_secrets_are_left_out_of_every_models_repr() -> None:
    seen = set()
    for qualname, (request, method) in _method_operations().items():
        schema = _response_schema(request)
        model = _returned_model(method)
        if schema is None or model is None:
            continue
        if qualname in UNWRAPPED:
            schema = properties(schema)[UNWRAPPED[qualname]]
        for cls, _ in _model_pairs(model, schema):
            for field in attrs.fields(cls):
                if field.name in SECRET_FIELDS:
                    seen.add(field.name)
                    assert field.repr is False, f"{cls.__name__}.{field.name} shows in repr"
    assert seen == SECRET_FIELDS
