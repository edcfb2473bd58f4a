"""The SDK's surface against the spec, derived from the code rather than listed by hand.

* every public resource method sends exactly one request, for the ``operationId`` its endpoint
  declares, and that request is the spec's operation of that id (method and path);
* every declared ``Endpoint`` is reached by some public method and has a retry class;
* every model a method returns has the fields of that operation's response schema.

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
from workos_authkit import WorkOS
from workos_authkit._endpoint import Endpoint, Retry
from workos_authkit._sync import Pager
from workos_authkit._sync._resource import Resource
from workos_authkit._wire import EXTENSION
from workos_authkit.models import Page

OPS = json.loads((Path(__file__).parent / "fake" / "authkit_ops.json").read_text())

#: arguments a method needs beyond placeholder strings for its required parameters
EXTRA_ARGUMENTS: dict[str, dict[str, Any]] = {
    "users.update": {"first_name": "Ada"},
}


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


def _sample_call(qualname: str, method: Any) -> httpx.Request:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in inspect.signature(method).parameters.values():
        if p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = f"sample_{p.name}"
        else:
            args.append(f"sample_{p.name}")
    kwargs.update(EXTRA_ARGUMENTS.get(qualname, {}))
    with pytest.raises(Recorded) as info:
        result = method(*args, **kwargs)
        if isinstance(result, Pager):
            result.first_page()
    return info.value.request


@cache
def _method_operations() -> dict[str, tuple[httpx.Request, Any]]:
    """``"users.get" -> (the request it sent, the method)`` for every public resource method."""
    client = WorkOS(api_key="sk_test_surface", transport=Recorder(), max_retries=0)
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
    assert set(EXTRA_ARGUMENTS) <= set(_method_operations())


def test_composite_methods_are_real_methods() -> None:
    client = WorkOS(api_key="sk_test_surface", transport=Recorder())
    for qualname in COMPOSITE:
        rname, mname = qualname.split(".")
        assert callable(getattr(getattr(client, rname), mname)), qualname


@pytest.mark.parametrize("qualname", sorted(_method_operations()))
def test_each_method_sends_its_declared_spec_operation(qualname: str) -> None:
    request, _ = _method_operations()[qualname]
    settings = request.extensions[EXTENSION]
    op = spec().operation(request.method, request.url.raw_path.decode().split("?")[0])
    assert settings.operation_id == op.operation_id, f"{qualname}: {op}"
    listed = [o for o in OPS if o["operationId"] == op.operation_id]
    assert listed, f"{qualname}: {op.operation_id} is not in the vendored ops list"
    assert (listed[0]["method"], listed[0]["path"]) == (op.method, op.template)


def test_no_two_methods_share_an_operation() -> None:
    ids = [r.extensions[EXTENSION].operation_id for r, _ in _method_operations().values()]
    assert len(ids) == len(set(ids))


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


def _model_pairs(model: Any, schema: Any) -> Iterator[tuple[type, dict[str, Any]]]:
    """(attrs class, schema properties) for ``model`` and every attrs class nested in it."""
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
    model = _returned_model(method)
    schema = _response_schema(request)
    if model is type(None):
        return
    pairs = list(_model_pairs(model, schema))
    assert pairs, f"{qualname}: no model found in {model!r}"
    for cls, properties in pairs:
        assert {f.name for f in attrs.fields(cls)} == set(properties), f"{qualname}: {cls}"
