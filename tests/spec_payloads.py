"""Wire payloads built from the vendored spec's own examples (for tests only)."""

from __future__ import annotations

from typing import Any

from tests.spec_contract import spec


def properties(schema: Any) -> dict[str, Any]:
    """The properties of an object schema, merged over its ``allOf``/``oneOf``/``anyOf`` parts."""
    found = dict(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, ()):
            found.update(properties(part))
    return found


_EXTRA = {"field_from_the_future": {"nested": [1, "two"]}}


def payload(schema: Any, *, required_only: bool, extra: bool) -> Any:
    """A wire value for ``schema`` from the spec's own examples and consts: every property, or
    only the required ones; with ``extra``, an unknown field in every object besides."""
    branches = [b for b in schema.get("oneOf", schema.get("anyOf", [])) if b.get("type") != "null"]
    if branches:
        return payload(branches[0], required_only=required_only, extra=extra)
    if "const" in schema:
        return schema["const"]
    props = properties(schema)
    if props:
        required: set[str] = set(schema.get("required", ()))
        for part in schema.get("allOf", ()):
            required |= set(part.get("required", ()))
        out = {
            name: payload(prop, required_only=required_only, extra=extra)
            for name, prop in props.items()
            if name in required or not required_only
        }
        return {**out, **_EXTRA} if extra else out
    if "example" in schema:
        return schema["example"]
    if schema.get("type") == "array":
        return [payload(schema["items"], required_only=required_only, extra=extra)]
    if schema.get("type") == "object":
        return {}
    raise AssertionError(f"no example for {schema}")


def example(schema_name: str, **overrides: Any) -> dict[str, Any]:
    """The spec's example of component schema ``schema_name``, every property set."""
    found = payload(spec().schema(schema_name), required_only=False, extra=False)
    assert isinstance(found, dict)
    return {**found, **overrides}
