"""Contract checks against the vendored WorkOS OpenAPI 3.1 spec (``tests/spec/``).

Usage::

    from tests.spec_contract import spec

    op = spec().validate_request(request)          # an outgoing ``httpx.Request``
    spec().validate_response("GET", "/user_management/users/user_01", 200, body, strict=True)
    spec().validate_schema("UserlandUser", user_dict, strict=True)

Every check raises ``AssertionError`` listing *all* problems found, so it can be used
directly inside tests and inside a fake server.

Schemas are validated with ``jsonschema`` Draft 2020-12 (the dialect OpenAPI 3.1 uses).
The whole spec is registered with ``referencing`` as one resource, and every schema is
validated through a ``$ref`` to its JSON pointer inside that resource, so the spec's own
``#/components/schemas/...`` references resolve. OpenAPI-only keywords (``example``,
``discriminator``, ``x-*``) are annotations that Draft 2020-12 ignores; the OpenAPI 3.0
``nullable: true`` (unused by this spec today) is rewritten to a ``"null"`` type on load.
``format: date-time`` is asserted (RFC 3339 with an offset); other formats are annotations.

The YAML is parsed once per process, lazily, on the first call to :func:`spec`
(about 0.3 s with libyaml's ``CSafeLoader``); see ``Spec.load_seconds``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final, cast
from urllib.parse import quote, unquote

import httpx
import yaml
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["SPEC_PATH", "Operation", "Spec", "spec"]

SPEC_PATH: Final = Path(__file__).resolve().parent / "spec" / "open-api-spec.yaml"
_SPEC_URI: Final = "urn:workos-authkit:tests:openapi-spec"
_HTTP_METHODS: Final = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_JSON: Final = "application/json"
_MAX_MESSAGE: Final = 300

_JSONObject = dict[str, Any]


# --------------------------------------------------------------------------- formats

_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})",
    re.ASCII,
)
_FORMAT_CHECKER: Final = FormatChecker(formats=())


@_FORMAT_CHECKER.checks("date-time", raises=ValueError)  # type: ignore[untyped-decorator]
def _is_date_time(instance: object) -> bool:
    """RFC 3339 ``date-time``: full date, ``T``, time, and a ``Z`` or ``±hh:mm`` offset."""
    if not isinstance(instance, str):
        return True  # formats only constrain strings
    if _RFC3339.fullmatch(instance) is None:
        return False
    datetime.fromisoformat(instance.upper())  # range check (month 13, hour 25); 3.11 takes "Z"
    return True


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the spec; ``path_params`` is filled when matched against a path."""

    operation_id: str
    method: str  # upper case
    template: str  # e.g. "/user_management/users/{id}"
    path_params: dict[str, str] = field(default_factory=dict)
    security_none: bool = False  # True when the operation declares ``security: []``

    def __str__(self) -> str:
        return f"{self.method} {self.template} ({self.operation_id})"


@dataclass(frozen=True, slots=True)
class _Template:
    template: str
    # (is_literal, text): literal segment text, or the parameter name
    segments: tuple[tuple[bool, str], ...]
    methods: Mapping[str, _JSONObject]  # upper-case method -> operation object

    @property
    def specificity(self) -> tuple[int, ...]:
        """Sorts literal-before-parameter at the first differing segment."""
        return tuple(0 if literal else 1 for literal, _ in self.segments)

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for (literal, text), actual in zip(self.segments, segments, strict=True):
            if literal:
                if text != actual:
                    return None
            else:
                params[text] = actual
        return params


@dataclass(slots=True)
class _Declared:
    """What a (combined) schema declares for one instance, for strict mode."""

    props: dict[str, list[str]] = field(default_factory=dict)  # name -> schema pointers
    patterns: list[tuple[str, str]] = field(default_factory=list)  # (regex, pointer)
    additional: list[str] = field(default_factory=list)  # additionalProperties pointers
    closed: bool = False  # saw ``properties`` or ``additionalProperties: false``
    items: list[str] = field(default_factory=list)  # array item schema pointers


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _short(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in declared if isinstance(t, str)]
    return []


def _coerce(raw: str, schema: Mapping[str, Any]) -> object:
    """Turn a query/path string into the JSON value its schema expects, where unambiguous."""
    types = _types(schema)
    if "integer" in types and re.fullmatch(r"[+-]?\d+", raw, re.ASCII):
        return int(raw)
    if "number" in types:
        try:
            number = float(raw)
        except ValueError:
            pass
        else:
            if number == number and number not in (float("inf"), float("-inf")):
                return int(number) if number.is_integer() and "." not in raw else number
    if "boolean" in types and raw in ("true", "false"):
        return raw == "true"
    return raw


def _normalise_nullable(node: object) -> None:
    """Rewrite OpenAPI 3.0 ``nullable: true`` into JSON Schema (in place)."""
    if isinstance(node, dict):
        if node.get("nullable") is True and "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            if "null" not in types:
                node["type"] = [*types, "null"]
            if isinstance(node.get("enum"), list) and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        for key, value in node.items():
            if key not in ("example", "examples", "default", "const", "enum"):
                _normalise_nullable(value)
    elif isinstance(node, list):
        for item in node:
            _normalise_nullable(item)


def _split_path(path: str | httpx.URL) -> list[str]:
    """Percent-decoded path segments of a path (query string and URL prefix ignored).

    Give a raw (still percent-encoded) path, a full URL, or an ``httpx.URL``: a decoded
    ``request.url.path`` has lost the difference between ``/`` and ``%2F`` inside an id.
    """
    if isinstance(path, httpx.URL):
        path = path.raw_path.decode("ascii")
    elif "://" in path:
        path = httpx.URL(path).raw_path.decode("ascii")
    path = path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    return [unquote(segment) for segment in path.split("/")[1:]]


def _is_empty(body: object) -> bool:
    if body is None:
        return True
    if isinstance(body, bytes | bytearray | memoryview):
        return len(bytes(body).strip()) == 0
    if isinstance(body, str):
        return body.strip() == ""
    return False


def _parse_body(body: object, label: str, problems: list[str]) -> tuple[bool, object]:
    """(ok, value): decode bytes/str as JSON; other objects are taken as already parsed."""
    if isinstance(body, bytes | bytearray | memoryview | str):
        raw = bytes(body) if not isinstance(body, str) else body
        try:
            return True, json.loads(raw)
        except ValueError as exc:
            problems.append(f"{label}: not valid JSON ({exc}): {_short(repr(raw))}")
            return False, None
    return True, body


def _allowed(path: str, key: str, extra_ok: Collection[str]) -> bool:
    if not extra_ok:
        return False
    if key in extra_ok or path in extra_ok:
        return True
    bare = re.sub(r"\[\d*\]", "", path)
    return any(re.sub(r"\[\d*\]", "", allowed) == bare for allowed in extra_ok)


# --------------------------------------------------------------------------- the spec


class Spec:
    """The vendored spec, with operation lookup and request/response/schema validation."""

    def __init__(self, document: Mapping[str, Any], *, load_seconds: float = 0.0) -> None:
        self.document: Final = document
        self.load_seconds: Final = load_seconds
        self._registry: Registry[Any] = Registry().with_resource(
            _SPEC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self._validators: dict[str, Any] = {}
        self._resolved: dict[str, _JSONObject] = {}
        self._by_length: dict[int, list[_Template]] = {}
        for template, item in cast("Mapping[str, _JSONObject]", document["paths"]).items():
            methods = {method.upper(): op for method, op in item.items() if method in _HTTP_METHODS}
            segments = tuple(
                (False, seg[1:-1]) if seg.startswith("{") and seg.endswith("}") else (True, seg)
                for seg in template.split("/")[1:]
            )
            self._by_length.setdefault(len(segments), []).append(
                _Template(template, segments, methods)
            )
        for candidates in self._by_length.values():
            candidates.sort(key=lambda t: t.specificity)

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> Spec:
        started = time.perf_counter()
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with path.open("rb") as stream:
            document = yaml.load(stream, Loader=loader)
        _normalise_nullable(document)
        return cls(document, load_seconds=time.perf_counter() - started)

    # ------------------------------------------------------------------ operations

    def operations(self) -> list[Operation]:
        """Every operation in the spec, ordered by path template then method."""
        found = [
            self._operation(template, method, op, {})
            for templates in self._by_length.values()
            for template in templates
            for method, op in template.methods.items()
        ]
        return sorted(found, key=lambda o: (o.template, o.method))

    def operation(self, method: str, path: str | httpx.URL) -> Operation:
        """The operation serving ``method path`` (a concrete path; a query string is ignored).

        ``path`` is a raw path (``request.url.raw_path.decode()``), a URL string, or an
        ``httpx.URL`` (prefer these over the decoded ``request.url.path`` when ids may
        contain ``/``).

        When several templates match, literal segments beat parameters at the first
        segment where they differ (``/users/external_id/{external_id}`` beats
        ``/users/{id}/...``).
        """
        method = method.upper()
        segments = _split_path(path)
        other_methods: list[str] = []
        for template in self._by_length.get(len(segments), ()):
            params = template.match(segments)
            if params is None:
                continue
            op = template.methods.get(method)
            if op is not None:
                return self._operation(template, method, op, params)
            other_methods.append(f"{template.template} ({', '.join(sorted(template.methods))})")
        if other_methods:
            raise AssertionError(
                f"{method} {path}: method not declared by the spec; the path matches "
                + "; ".join(other_methods)
            )
        raise AssertionError(f"{method} {path}: no path in the spec matches")

    def _operation(
        self, template: _Template, method: str, op: _JSONObject, params: dict[str, str]
    ) -> Operation:
        return Operation(
            operation_id=str(op.get("operationId", "")),
            method=method,
            template=template.template,
            path_params=params,
            security_none=op.get("security") == [],
        )

    def _op_pointer(self, op: Operation) -> str:
        return f"/paths/{_escape(op.template)}/{op.method.lower()}"

    # ------------------------------------------------------------------ requests

    def validate_request(
        self, request: httpx.Request, *, strict: bool = True, extra_ok: Collection[str] = ()
    ) -> Operation:
        """Check an outgoing request against its operation; returns the operation.

        Checks: path and method; path parameters non-empty and fitting their schemas;
        every query parameter declared, present when required, and fitting its schema
        (strings coerced to integer/number/boolean; ``style: form, explode: false``
        arrays comma-joined; an object parameter in the default ``form`` + ``explode`` style
        as one pair per property); a JSON body fitting the ``requestBody`` schema, or an
        empty body when none is declared. With ``strict`` (the default for requests),
        body properties the schema does not declare are problems too, unless named in
        ``extra_ok`` (field names or dotted paths such as ``"data[].foo"``).
        """
        raw_path = request.url.raw_path.decode("ascii")
        op = self.operation(request.method, raw_path)
        pointer = self._op_pointer(op)
        op_obj = cast("_JSONObject", self._node(pointer))
        problems: list[str] = []
        parameters = self._parameters(pointer, op_obj)

        for name, value in op.path_params.items():
            if value == "":
                problems.append(f"path parameter {name!r} is empty")
                continue
            declared = parameters.get(("path", name))
            if declared is not None:
                schema_ptr, schema = declared[1], self._deref(declared[1])
                problems += self._errors(schema_ptr, _coerce(value, schema), f"path param {name}")

        problems += self._query_problems(request.url.params, parameters)

        try:
            content = request.content
        except httpx.RequestNotRead:
            content = request.read()
        body_spec = op_obj.get("requestBody")
        if body_spec is None:
            if content.strip():
                problems.append(
                    f"body must be empty (operation declares no requestBody); got "
                    f"{_short(repr(content))}"
                )
        else:
            problems += self._request_body_problems(
                pointer, body_spec, request, content, strict=strict, extra_ok=extra_ok
            )
        self._raise(f"{request.method} {request.url} [{op}]", problems)
        return op

    def _parameters(
        self, op_pointer: str, op_obj: _JSONObject
    ) -> dict[tuple[str, str], tuple[_JSONObject, str]]:
        """(in, name) -> (parameter object, pointer of its schema); path-level first."""
        found: dict[tuple[str, str], tuple[_JSONObject, str]] = {}
        item_pointer = op_pointer.rsplit("/", 1)[0]
        item = cast("_JSONObject", self._node(item_pointer))
        for base, params in (
            (item_pointer, item.get("parameters")),
            (op_pointer, op_obj.get("parameters")),
        ):
            for index, param in enumerate(params or ()):
                param_pointer = f"{base}/parameters/{index}"
                if "$ref" in param:
                    param_pointer = self._ref_pointer(param["$ref"])
                    param = self._node(param_pointer)
                found[(param["in"], param["name"])] = (param, f"{param_pointer}/schema")
        return found

    def _query_problems(
        self,
        params: httpx.QueryParams,
        declared: Mapping[tuple[str, str], tuple[_JSONObject, str]],
    ) -> list[str]:
        problems: list[str] = []
        query = {name: entry for (where, name), entry in declared.items() if where == "query"}
        given: dict[str, list[str]] = {}
        nested: dict[str, dict[str, str]] = {}  # deepObject-style name[key]=value
        for key, raw in params.multi_items():
            bracket = re.fullmatch(r"([^\[\]]+)\[([^\[\]]*)\]", key)
            if key not in query and bracket and bracket.group(1) in query:
                nested.setdefault(bracket.group(1), {})[bracket.group(2)] = raw
            else:
                given.setdefault(key, []).append(raw)

        # An object parameter in ``style: form, explode: true`` (the default) sends one pair per
        # property, under the property's own name: undeclared names belong to it, if it is the
        # only such parameter.
        exploded = [
            name
            for name, (param, schema_ptr) in query.items()
            if "object" in _types(self._deref(schema_ptr))
            and param.get("style", "form") == "form"
            and param.get("explode", True)
        ]
        if len(exploded) == 1:
            for key in sorted(given.keys() - query.keys()):
                nested.setdefault(exploded[0], {})[key] = given.pop(key)[-1]
        for key in given.keys() - query.keys():
            problems.append(
                f"undeclared query parameter {key!r} (declared: {', '.join(sorted(query)) or 'none'})"
            )
        for name, (param, schema_ptr) in query.items():
            values = given.get(name)
            label = f"query param {name}"
            if values is None and name not in nested:
                if param.get("required"):
                    problems.append(f"missing required query parameter {name!r}")
                continue
            schema = self._deref(schema_ptr)
            types = _types(schema)
            value: object
            if "array" in types:
                style = param.get("style", "form")
                explode = param.get("explode", style == "form")
                assert values is not None
                if explode:
                    parts = values
                elif len(values) > 1:
                    problems.append(
                        f"{label}: given {len(values)} times; style={style}, explode=false "
                        f"expects one comma-joined value"
                    )
                    continue
                else:
                    parts = values[0].split(",")
                items = self._deref(f"{schema_ptr}/items") if "items" in schema else {}
                value = [_coerce(part, items) for part in parts]
            elif "object" in types:
                if name in nested:
                    value = nested[name]
                else:
                    assert values is not None
                    try:
                        value = json.loads(values[-1])
                    except ValueError:
                        value = values[-1]
            else:
                assert values is not None
                if len(values) > 1:
                    problems.append(f"{label}: given {len(values)} times, expected once")
                    continue
                value = _coerce(values[0], schema)
            problems += self._errors(schema_ptr, value, label)
        return problems

    def _request_body_problems(
        self,
        op_pointer: str,
        body_spec: _JSONObject,
        request: httpx.Request,
        content: bytes,
        *,
        strict: bool,
        extra_ok: Collection[str],
    ) -> list[str]:
        if "$ref" in body_spec:
            body_pointer = self._ref_pointer(body_spec["$ref"])
            body_spec = cast("_JSONObject", self._node(body_pointer))
        else:
            body_pointer = f"{op_pointer}/requestBody"
        if not content.strip():
            return (
                ["body is empty but the operation requires one"]
                if body_spec.get("required")
                else []
            )
        media = body_spec.get("content", {})
        if _JSON not in media:
            return [f"request body: only JSON is supported; spec declares {sorted(media)}"]
        problems: list[str] = []
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != _JSON:
            problems.append(f"content-type is {content_type!r}, expected {_JSON!r}")
        ok, value = _parse_body(content, "body", problems)
        if ok:
            schema_ptr = f"{body_pointer}/content/{_escape(_JSON)}/schema"
            problems += self._errors(schema_ptr, value, "body")
            if strict:
                problems += self._extras(schema_ptr, value, extra_ok)
        return problems

    # ------------------------------------------------------------------ responses

    def validate_response(
        self,
        method: str,
        path: str | httpx.URL,
        status: int,
        body: bytes | str | object | None,
        *,
        strict: bool = False,
        extra_ok: Collection[str] = (),
    ) -> None:
        """Check a response: ``status`` is declared for the operation, and the body fits.

        ``body`` is raw JSON (bytes/str) or an already-parsed value. A response declared
        with ``application/json`` content must carry a body matching its schema; one
        declared without content must be empty. ``strict`` also flags properties the
        schema does not declare (recursively), except those named in ``extra_ok``
        (field names, or dotted paths such as ``"data[].foo"`` / ``"user.foo"``).
        """
        op = self.operation(method, path)
        label = f"{op.method} {path} -> {status} [{op}]"
        responses = cast("_JSONObject", self._node(self._op_pointer(op)).get("responses", {}))
        key = next(
            (k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None
        )
        if key is None:
            raise AssertionError(
                f"{label}: status {status} is not declared (declared: {', '.join(responses)})"
            )
        pointer = f"{self._op_pointer(op)}/responses/{_escape(key)}"
        response = cast("_JSONObject", self._node(pointer))
        if "$ref" in response:
            pointer = self._ref_pointer(response["$ref"])
            response = cast("_JSONObject", self._node(pointer))
        content = response.get("content") or {}
        problems: list[str] = []
        if not content:
            if not _is_empty(body):
                problems.append(
                    f"body must be empty (no content declared); got {_short(repr(body))}"
                )
        elif _JSON not in content:
            problems.append(f"only JSON is supported; spec declares {sorted(content)}")
        elif _is_empty(body):
            problems.append("body is empty but the response declares application/json content")
        else:
            ok, value = _parse_body(body, "body", problems)
            if ok:
                schema_ptr = f"{pointer}/content/{_escape(_JSON)}/schema"
                problems += self._errors(schema_ptr, value, "body")
                if strict:
                    problems += self._extras(schema_ptr, value, extra_ok)
        self._raise(label, problems)

    # ------------------------------------------------------------------ schemas

    def validate_schema(
        self,
        name: str,
        instance: object,
        *,
        strict: bool = False,
        extra_ok: Collection[str] = (),
    ) -> None:
        """Validate ``instance`` against ``#/components/schemas/{name}``."""
        pointer = self._schema_pointer(name)
        problems = self._errors(pointer, instance, name)
        if strict:
            problems += self._extras(pointer, instance, extra_ok)
        self._raise(f"schema {name}", problems)

    def schema(self, name: str) -> _JSONObject:
        """A deep copy of component schema ``name`` with every ``$ref`` inlined.

        A reference back into a schema already being expanded is left as ``$ref``.
        """
        pointer = self._schema_pointer(name)
        if pointer not in self._resolved:
            self._resolved[pointer] = cast("_JSONObject", self._inline(pointer, frozenset()))
        return copy.deepcopy(self._resolved[pointer])

    def _schema_pointer(self, name: str) -> str:
        schemas = cast("_JSONObject", self.document["components"]["schemas"])
        if name not in schemas:
            raise AssertionError(f"no schema named {name!r} in #/components/schemas")
        return f"/components/schemas/{_escape(name)}"

    def _inline(self, pointer: str, expanding: frozenset[str]) -> object:
        def walk(node: object, here: str) -> object:
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    target = self._ref_pointer(ref)
                    if target in expanding or target == pointer:
                        return dict(node)
                    inlined = self._inline(target, expanding | {pointer})
                    siblings = {
                        k: walk(v, f"{here}/{_escape(k)}") for k, v in node.items() if k != "$ref"
                    }
                    if siblings and isinstance(inlined, dict):
                        return {**inlined, **siblings}
                    return inlined
                return {k: walk(v, f"{here}/{_escape(k)}") for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v, f"{here}/{i}") for i, v in enumerate(node)]
            return node

        return walk(self._node(pointer), pointer)

    # ------------------------------------------------------------------ internals

    def _node(self, pointer: str) -> Any:
        node: Any = self.document
        for token in pointer.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def _deref(self, pointer: str) -> _JSONObject:
        node = self._node(pointer)
        seen = {pointer}
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = self._ref_pointer(node["$ref"])
            if target in seen:
                break
            seen.add(target)
            node = self._node(target)
        return node if isinstance(node, dict) else {}

    @staticmethod
    def _ref_pointer(ref: str) -> str:
        if not ref.startswith("#"):
            raise AssertionError(f"only local $refs are supported, got {ref!r}")
        return unquote(ref[1:])

    def _validator(self, pointer: str) -> Any:
        validator = self._validators.get(pointer)
        if validator is None:
            ref = f"{_SPEC_URI}#{quote(pointer, safe='/~')}"
            validator = Draft202012Validator(
                {"$ref": ref}, registry=self._registry, format_checker=_FORMAT_CHECKER
            )
            self._validators[pointer] = validator
        return validator

    def _is_valid(self, pointer: str, instance: object) -> bool:
        return bool(self._validator(pointer).is_valid(instance))

    def _errors(self, pointer: str, instance: object, label: str) -> list[str]:
        errors: Iterable[ValidationError] = self._validator(pointer).iter_errors(instance)
        return [_format_error(e, label) for e in sorted(errors, key=lambda e: e.json_path)]

    def _extras(self, pointer: str, instance: object, extra_ok: Collection[str]) -> list[str]:
        out: list[str] = []
        self._walk_extras([pointer], instance, "", extra_ok, out)
        return out

    def _walk_extras(
        self,
        pointers: list[str],
        instance: object,
        path: str,
        extra_ok: Collection[str],
        out: list[str],
    ) -> None:
        declared = _Declared()
        for pointer in pointers:
            self._collect(pointer, instance, declared, set())
        if isinstance(instance, dict):
            for key, value in instance.items():
                child = f"{path}.{key}" if path else str(key)
                subs = list(declared.props.get(key, ()))
                subs += [p for pattern, p in declared.patterns if re.search(pattern, str(key))]
                if not subs:
                    if declared.additional:
                        subs = declared.additional
                    elif declared.closed:
                        if not _allowed(child, str(key), extra_ok):
                            names = ", ".join(sorted(declared.props)) or "none"
                            out.append(
                                f"body.{child}: property not declared by the schema "
                                f"(declared here: {_short(names)})"
                            )
                        continue
                    else:
                        continue  # free-form object: nothing declared, nothing to check
                self._walk_extras(subs, value, child, extra_ok, out)
        elif isinstance(instance, list) and declared.items:
            for index, value in enumerate(instance):
                self._walk_extras(declared.items, value, f"{path}[{index}]", extra_ok, out)

    def _collect(self, pointer: str, instance: object, into: _Declared, seen: set[str]) -> None:
        if pointer in seen:
            return
        seen.add(pointer)
        node = self._node(pointer)
        if not isinstance(node, dict):
            return  # boolean schema
        if isinstance(node.get("$ref"), str):
            self._collect(self._ref_pointer(node["$ref"]), instance, into, seen)
        if isinstance(node.get("properties"), dict):
            into.closed = True
            for name in node["properties"]:
                into.props.setdefault(name, []).append(f"{pointer}/properties/{_escape(name)}")
        if isinstance(node.get("patternProperties"), dict):
            for pattern in node["patternProperties"]:
                into.patterns.append((pattern, f"{pointer}/patternProperties/{_escape(pattern)}"))
        if "additionalProperties" in node:
            if node["additionalProperties"] is False:
                into.closed = True
            else:
                into.additional.append(f"{pointer}/additionalProperties")
        if "items" in node:
            into.items.append(f"{pointer}/items")
        for index, _ in enumerate(node.get("allOf", ())):
            self._collect(f"{pointer}/allOf/{index}", instance, into, seen)
        for keyword in ("oneOf", "anyOf"):
            branches = [f"{pointer}/{keyword}/{i}" for i, _ in enumerate(node.get(keyword, ()))]
            matching = [b for b in branches if self._is_valid(b, instance)]
            for branch in matching or branches:
                self._collect(branch, instance, into, seen)

    @staticmethod
    def _raise(label: str, problems: list[str]) -> None:
        if problems:
            listing = "\n".join(f"  - {p}" for p in problems)
            raise AssertionError(f"{label}: {len(problems)} contract problem(s):\n{listing}")


def _format_error(error: ValidationError, label: str) -> str:
    where = label + str(error.json_path)[1:]
    if error.validator in ("oneOf", "anyOf") and error.context:
        by_branch: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
        branches = "; ".join(
            f"#{index}: {_format_error(best_match(iter(subs)), label)}"
            for index, subs in sorted(by_branch.items())
        )
        return f"{where}: matches none of the {error.validator} branches ({branches})"
    if error.validator == "not":
        forbidden = sorted(set(_required_names(error.validator_value)))
        if forbidden:
            return f"{where}: must not contain {', '.join(forbidden)} here (mutually exclusive)"
    return f"{where}: {_short(str(error.message))}"


def _required_names(schema: object) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "required" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            elif key not in ("properties", "example", "examples", "const", "enum", "default"):
                yield from _required_names(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _required_names(item)


@functools.cache
def spec() -> Spec:
    """The vendored spec, parsed once per process on first use."""
    return Spec.load()
