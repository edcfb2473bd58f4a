"""The attrs models against the vendored spec's schemas, through the one converter."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest

from tests.factories import user_json
from tests.spec_contract import spec
from workos_authkit._converter import converter, strict_converter
from workos_authkit.models import Identity, Page, User


def _example(schema: dict[str, Any]) -> dict[str, Any]:
    """An instance built from the schema's own ``example`` (or ``const``) values."""
    return {
        name: prop["example"] if "example" in prop else prop["const"]
        for name, prop in schema["properties"].items()
        if "example" in prop or "const" in prop
    }


# Which fields each returned model has is checked against its operation's response schema in
# tests/test_surface.py, for every model a public method returns.


def test_required_non_nullable_fields_are_required_in_the_model() -> None:
    schema = spec().schema("UserlandUser")
    for name in schema["required"]:
        types = schema["properties"][name].get("type")
        nullable = isinstance(types, list) and "null" in types
        field = attrs.fields_dict(User)[name]
        if name == "object":
            continue  # a constant with its only value as default
        if not nullable:
            assert field.default is attrs.NOTHING, name


def test_spec_example_user_structures_strictly_and_round_trips() -> None:
    example = _example(spec().schema("UserlandUser"))
    spec().validate_schema("UserlandUser", example, strict=True)
    user = strict_converter.structure(example, User)
    assert user.id == example["id"]
    spec().validate_schema("UserlandUser", converter.unstructure(user), strict=True)


def test_factory_payloads_fit_the_spec() -> None:
    spec().validate_schema("UserlandUser", user_json(), strict=True)
    page = converter.structure(
        {"object": "list", "data": [user_json()], "list_metadata": {"before": None, "after": None}},
        Page[User],
    )
    spec().validate_schema("UserlandUserList", converter.unstructure(page), strict=True)


def test_identity_round_trips() -> None:
    item = {"idp_id": "1", "type": "OAuth", "provider": "GithubOAuth"}
    identity = strict_converter.structure(item, Identity)
    assert converter.unstructure(identity) == item


def test_datetimes_are_aware_datetimes() -> None:
    user = converter.structure(user_json(last_sign_in_at="2025-06-25T19:07:33.155Z"), User)
    assert user.last_sign_in_at is not None
    assert user.last_sign_in_at.utcoffset() is not None
    assert converter.unstructure(user)["last_sign_in_at"] == "2025-06-25T19:07:33.155000Z"


def test_strict_converter_rejects_unknown_fields_and_tolerant_one_ignores_them() -> None:
    payload = user_json(surprise=True)
    assert converter.structure(payload, User).id == payload["id"]
    import cattrs

    with pytest.raises(cattrs.ClassValidationError) as info:
        strict_converter.structure(payload, User)
    assert "surprise" in str(cattrs.transform_error(info.value))


def test_models_are_frozen() -> None:
    user = converter.structure(user_json(), User)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        user.email = "x@example.com"  # type: ignore[misc]


@pytest.mark.parametrize(
    "payload",
    [
        user_json(),
        user_json(last_sign_in_at="2025-06-25T19:07:33.155Z", metadata={"a": "b"}, locale="en"),
        {
            k: v
            for k, v in user_json().items()
            if k not in {"metadata", "locale", "object", "first_name"}
        },
        user_json(unknown={"nested": [1, 2]}),
    ],
)
def test_the_decoder_agrees_with_the_converter(payload: dict[str, Any]) -> None:
    """Two independent readers of the same wire data: msgspec from bytes, cattrs from dicts."""
    from workos_authkit._decode import decode

    body = json.dumps(payload).encode()
    assert decode(body, User, status_code=200, request_id=None) == converter.structure(
        payload, User
    )
    page = {
        "object": "list",
        "data": [payload, payload],
        "list_metadata": {"before": None, "after": "c"},
    }
    decoded = decode(json.dumps(page).encode(), Page[User], status_code=200, request_id=None)
    assert decoded == converter.structure(page, Page[User])
    assert decoded.list_metadata.after == "c"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (user_json(id=5), "id"),
        (user_json(email_verified="yes"), "email_verified"),
        (user_json(created_at="yesterday"), "created_at"),
        (user_json(created_at=None), "created_at"),
        (user_json(object="organization"), "object"),
        (user_json(metadata={"a": 1}), "metadata"),
        (user_json(first_name=["x"]), "first_name"),
        ({k: v for k, v in user_json().items() if k != "email"}, "email"),
    ],
)
def test_bad_payloads_raise_detailed_errors(payload: dict[str, Any], field: str) -> None:
    import cattrs

    from workos_authkit._converter import structure

    with pytest.raises(cattrs.BaseValidationError) as info:
        structure(payload, User)
    assert any(field in line for line in cattrs.transform_error(info.value)), (
        cattrs.transform_error(info.value)
    )


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        (user_json(id=5), "$.data[3].id"),
        (user_json(email_verified="yes"), "$.data[3].email_verified"),
        (user_json(created_at="yesterday"), "$.data[3].created_at"),
        (user_json(created_at=None), "$.data[3].created_at"),
        (user_json(object="organization"), "$.data[3].object"),
        (user_json(metadata={"a": 1}), "$.data[3].metadata"),
        ({k: v for k, v in user_json().items() if k != "email"}, "$.data[3]"),
    ],
)
def test_a_bad_body_names_the_path_of_the_bad_field(payload: dict[str, Any], where: str) -> None:
    from workos_authkit import ResponseValidationError
    from workos_authkit._decode import decode

    page = {"object": "list", "data": [user_json()] * 3 + [payload], "list_metadata": {}}
    with pytest.raises(ResponseValidationError) as info:
        decode(json.dumps(page).encode(), Page[User], status_code=200, request_id="req_1")
    assert f"`{where}" in str(info.value)
    assert info.value.request_id == "req_1"


def test_the_decoder_runs_the_models_validators() -> None:
    """A field validator on an attrs model is honoured on the decoding path too."""
    import attrs

    from workos_authkit import ResponseValidationError
    from workos_authkit._decode import decode

    @attrs.frozen
    class Thing:
        kind: str = attrs.field(validator=attrs.validators.in_(["a", "b"]))

    assert decode(b'{"kind": "a"}', Thing, status_code=200, request_id=None) == Thing(kind="a")
    with pytest.raises(ResponseValidationError, match="kind"):
        decode(b'{"kind": "zzz"}', Thing, status_code=200, request_id=None)
