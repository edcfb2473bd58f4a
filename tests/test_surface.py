"""The SDK's surface against the spec, derived from the code rather than listed by hand.

* every public resource method sends exactly one request, for the ``operationId`` its endpoint
  declares, and that request is the spec's operation of that id (method and path);
* every declared ``Endpoint`` is reached by some public method and has a retry class;
* every model a method returns has the fields of that operation's response schema;
* a method that is neither a coroutine nor returns a pager is pure: it sends nothing (URL
  builders such as ``auth.get_authorization_url``).

Several methods may share one operation only when its request body is a ``oneOf`` told apart by a
``const`` property (the eight ``authenticate`` grants): each must send its own variant. A method
that reaches the API only through another public method (``auth.verify_access_token`` fetches the
key set with ``auth.get_jwks``) is listed in ``DERIVED`` and must send what that method sends.

The surface issue's coverage check grows from ``_method_operations``.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import json
import pkgutil
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
from workos_authkit import AsyncWorkOS, WorkOS
from workos_authkit._async import AsyncPager
from workos_authkit._endpoint import Endpoint, Retry
from workos_authkit._sync import Pager
from workos_authkit._sync._resource import Resource
from workos_authkit._wire import EXTENSION
from workos_authkit.models import Page

OPS = json.loads((Path(__file__).parent / "fake" / "authkit_ops.json").read_text())

#: arguments a method needs beyond placeholder strings for its required parameters
EXTRA_ARGUMENTS: dict[str, dict[str, Any]] = {
    "users.update": {"first_name": "Ada"},
    "auth.get_authorization_url": {"provider": "authkit"},
    "auth.verify_access_token": {"token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.c2ln"},
}

#: methods whose only request is the one another public method sends (same operation and variant)
DERIVED: dict[str, str] = {
    "auth.verify_access_token": "auth.get_jwks",
    "cli_auth.poll_for_token": "auth.authenticate_with_device_code",
}


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


def _is_pure(qualname: str) -> bool:
    """Neither a coroutine (in the async twin) nor a pager factory: builds something locally."""
    rname, mname = qualname.split(".")
    method = getattr(getattr(_async_client(), rname), mname)
    if inspect.iscoroutinefunction(method):
        return False
    return typing.get_origin(typing.get_type_hints(method)["return"]) is not AsyncPager


@cache
def _async_client() -> AsyncWorkOS:
    return AsyncWorkOS(api_key="sk_test_surface", client_id="client_surface")


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
    args, kwargs = _sample_args(qualname, method)
    with pytest.raises(Recorded) as info:
        result = method(*args, **kwargs)
        if isinstance(result, Pager):
            result.first_page()
    return info.value.request


@cache
def _method_operations() -> dict[str, tuple[httpx.Request, Any]]:
    """``"users.get" -> (the request it sent, the method)`` for every public resource method."""
    found: dict[str, tuple[httpx.Request, Any]] = {}
    for qualname, method in _all_methods().items():
        if not _is_pure(qualname):
            found[qualname] = (_sample_call(qualname, method), method)
    assert found, "no resource methods found"
    return found


@cache
def _all_methods() -> dict[str, Any]:
    client = WorkOS(
        api_key="sk_test_surface", client_id="client_surface", transport=Recorder(), max_retries=0
    )
    return {
        f"{rname}.{mname}": method
        for rname, resource in _resources(client)
        for mname, method in _public_methods(resource)
    }


def _variant(request: httpx.Request) -> tuple[str, str | None]:
    """(operationId, the ``const`` value that picks the body's ``oneOf`` branch, if any)."""
    operation_id = request.extensions[EXTENSION].operation_id
    op = spec().operation(request.method, request.url.raw_path.decode().split("?")[0])
    body_schema = (
        spec()
        .document["paths"][op.template][op.method.lower()]
        .get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    branches = body_schema.get("oneOf")
    if not branches or not request.content:
        return operation_id, None
    body = json.loads(request.content)
    for branch in branches:
        for name, prop in branch.get("properties", {}).items():
            if "const" in prop and body.get(name) == prop["const"]:
                return operation_id, f"{name}={prop['const']}"
    return operation_id, None


def test_pure_methods_send_nothing() -> None:
    pure = {q: m for q, m in _all_methods().items() if _is_pure(q)}
    assert {"auth.get_authorization_url", "auth.get_logout_url"} <= set(pure)
    for qualname, method in pure.items():
        args, kwargs = _sample_args(qualname, method)
        method(*args, **kwargs)  # the Recorder raises if anything is sent


def _declared_endpoints() -> dict[str, Endpoint]:
    found: dict[str, Endpoint] = {}
    for info in pkgutil.iter_modules(workos_authkit._api.__path__):
        module = importlib.import_module(f"workos_authkit._api.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Endpoint):
                found[f"{info.name}.{name}"] = value
    return found


def test_extra_arguments_name_real_methods() -> None:
    assert set(EXTRA_ARGUMENTS) <= set(_all_methods())
    assert set(DERIVED) | set(DERIVED.values()) <= set(_method_operations())


@pytest.mark.parametrize("qualname", sorted(_method_operations()))
def test_each_method_sends_its_declared_spec_operation(qualname: str) -> None:
    request, _ = _method_operations()[qualname]
    settings = request.extensions[EXTENSION]
    op = spec().operation(request.method, request.url.raw_path.decode().split("?")[0])
    assert settings.operation_id == op.operation_id, f"{qualname}: {op}"
    listed = [o for o in OPS if o["operationId"] == op.operation_id]
    assert listed, f"{qualname}: {op.operation_id} is not in the vendored ops list"
    assert (listed[0]["method"], listed[0]["path"]) == (op.method, op.template)
    # the API key goes with every call except those the spec declares without security
    assert ("authorization" in request.headers) == (not op.security_none), qualname


def test_no_two_methods_share_an_operation_variant() -> None:
    sent = {q: _variant(r) for q, (r, _) in _method_operations().items() if q not in DERIVED}
    assert len(set(sent.values())) == len(sent), sorted(sent.items(), key=lambda kv: kv[1])
    shared = [v for v in sent.values() if v[1] is not None]
    assert len(shared) >= 8  # the eight grants, each its own oneOf branch


@pytest.mark.parametrize("qualname", sorted(DERIVED))
def test_derived_methods_send_what_their_source_sends(qualname: str) -> None:
    operations = _method_operations()
    assert _variant(operations[qualname][0]) == _variant(operations[DERIVED[qualname]][0])


def test_every_endpoint_is_reached_and_has_a_retry_class() -> None:
    declared = _declared_endpoints()
    assert declared
    reached = {r.extensions[EXTENSION].operation_id for r, _ in _method_operations().values()}
    for name, endpoint in declared.items():
        assert isinstance(endpoint.retry, Retry), name
        assert endpoint.operation_id in reached, f"{name} is declared but no method uses it"
        if endpoint.method in ("GET", "PUT", "DELETE"):
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


def _merged(schema: Any) -> Any:
    """``schema`` with the properties of its ``allOf`` branches merged in."""
    if "allOf" not in schema:
        return schema
    properties: dict[str, Any] = dict(schema.get("properties", {}))
    for branch in schema["allOf"]:
        properties.update(_merged(branch).get("properties", {}))
    return {**schema, "properties": properties}


def _model_pairs(model: Any, schema: Any) -> Iterator[tuple[type, dict[str, Any]]]:
    """(attrs class, schema properties) for ``model`` and every attrs class nested in it."""
    schema = _merged(schema)
    origin = typing.get_origin(model)
    if origin in (list, builtins.list):
        yield from _model_pairs(typing.get_args(model)[0], schema["items"])
        return
    if origin is Page:
        (item,) = typing.get_args(model)
        yield from _model_pairs(item, schema["properties"]["data"]["items"])
        yield from _model_pairs(
            attrs.fields_dict(Page)["list_metadata"].type, schema["properties"]["list_metadata"]
        )
        return
    if isinstance(model, str):  # a postponed annotation of Page's own field
        model = getattr(importlib.import_module("workos_authkit.models"), model)
    if attrs.has(model):
        yield model, schema["properties"]


def _returned_model(method: Any) -> Any:
    hint = typing.get_type_hints(method)["return"]
    if typing.get_origin(hint) is Pager:
        return Page[typing.get_args(hint)[0]]  # type: ignore[misc]
    return hint


@pytest.mark.parametrize("qualname", sorted(_method_operations()))
def test_returned_models_have_the_fields_of_the_response_schema(qualname: str) -> None:
    request, method = _method_operations()[qualname]
    if qualname in DERIVED:
        return  # returns something else than the operation it reaches (checked via its source)
    model = _returned_model(method)
    schema = _response_schema(request)
    if model is type(None):
        return
    pairs = list(_model_pairs(model, schema))
    assert pairs, f"{qualname}: no model found in {model!r}"
    for cls, properties in pairs:
        assert {f.name for f in attrs.fields(cls)} == set(properties), f"{qualname}: {cls}"
