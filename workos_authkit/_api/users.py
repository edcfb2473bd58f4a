"""Users (``/user_management/users``): endpoints and request shapes, shared by both twins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from .._endpoint import Endpoint, Retry
from .._types import NotGiven
from .._validation import (
    compact,
    filtered_list_params,
    given,
    opt_bool,
    opt_choice,
    opt_str,
    opt_str_mapping,
    required_str,
)
from ..errors import InvalidArgumentError

PasswordHashType = Literal["bcrypt", "firebase-scrypt", "ssha", "scrypt", "pbkdf2", "argon2"]
PASSWORD_HASH_TYPES = ("bcrypt", "firebase-scrypt", "ssha", "scrypt", "pbkdf2", "argon2")

_BASE = "/user_management/users"

CREATE = Endpoint("POST", _BASE, "UserlandUsersController_create", Retry.CREATE_WITH_KEY)
GET = Endpoint("GET", _BASE + "/{user_id}", "UserlandUsersController_get", Retry.SAFE)
GET_BY_EXTERNAL_ID = Endpoint(
    "GET",
    _BASE + "/external_id/{external_id}",
    "UserlandUsersController_getByExternalId",
    Retry.SAFE,
)
LIST = Endpoint("GET", _BASE, "UserlandUsersController_list", Retry.SAFE)
UPDATE = Endpoint("PUT", _BASE + "/{user_id}", "UserlandUsersController_update", Retry.SAFE)
DELETE = Endpoint("DELETE", _BASE + "/{user_id}", "UserlandUsersController_delete", Retry.SAFE)
LIST_IDENTITIES = Endpoint(
    "GET", _BASE + "/{user_id}/identities", "UserlandUserIdentitiesController_get", Retry.SAFE
)


def _check_password(password: object, password_hash: object, password_hash_type: object) -> None:
    opt_str("password", password)
    opt_str("password_hash", password_hash)
    opt_choice("password_hash_type", password_hash_type, PASSWORD_HASH_TYPES)
    has_password = isinstance(password, str)
    has_hash = isinstance(password_hash, str)
    if has_password and has_hash:
        raise InvalidArgumentError("pass password or password_hash, not both")
    if has_hash != isinstance(password_hash_type, str):
        raise InvalidArgumentError("password_hash and password_hash_type go together")
    if has_password and not password:
        raise InvalidArgumentError("password must not be empty")


def create_body(
    *,
    email: str,
    password: str | None,
    password_hash: str | None,
    password_hash_type: str | None,
    first_name: str | None,
    last_name: str | None,
    email_verified: bool | None,
    external_id: str | None,
    metadata: Mapping[str, str] | None,
) -> dict[str, Any]:
    """The JSON body of ``CreateUserlandUserDto``."""
    required_str("email", email)
    _check_password(password, password_hash, password_hash_type)
    opt_str("first_name", first_name)
    opt_str("last_name", last_name)
    opt_bool("email_verified", email_verified)
    opt_str("external_id", external_id)
    return compact(
        {
            "email": email,
            "password": password,
            "password_hash": password_hash,
            "password_hash_type": password_hash_type,
            "first_name": first_name,
            "last_name": last_name,
            "email_verified": email_verified,
            "external_id": external_id,
            "metadata": opt_str_mapping("metadata", metadata),
        }
    )


def update_body(
    *,
    email: str | NotGiven,
    first_name: str | NotGiven,
    last_name: str | NotGiven,
    email_verified: bool | NotGiven,
    password: str | NotGiven,
    password_hash: str | NotGiven,
    password_hash_type: str | NotGiven,
    external_id: str | NotGiven | None,
    metadata: Mapping[str, str] | NotGiven | None,
    locale: str | NotGiven | None,
) -> dict[str, Any]:
    """The JSON body of ``UpdateUserlandUserDto``: only the fields given (``None`` clears)."""
    if not isinstance(email, NotGiven):
        required_str("email", email)
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if value is None:
            raise InvalidArgumentError(f"{name} cannot be cleared with None; pass a string")
        opt_str(name, value)
    if email_verified is None:
        raise InvalidArgumentError("email_verified must be True or False, not None")
    opt_bool("email_verified", email_verified)
    _check_password(password, password_hash, password_hash_type)
    opt_str("external_id", external_id)
    opt_str("locale", locale)
    body = given(
        {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "email_verified": email_verified,
            "password": password,
            "password_hash": password_hash,
            "password_hash_type": password_hash_type,
            "external_id": external_id,
            "metadata": (
                metadata
                if metadata is None or isinstance(metadata, NotGiven)
                else opt_str_mapping("metadata", metadata)
            ),
            "locale": locale,
        }
    )
    if not body:
        raise InvalidArgumentError("update needs at least one field to change")
    return body


def list_query(
    *,
    email: str | None,
    organization_id: str | None,
    limit: int | None,
    before: str | None,
    after: str | None,
    order: str | None,
) -> dict[str, Any]:
    """The query of ``UserlandUsersController_list``."""
    return filtered_list_params(
        {"email": email, "organization_id": organization_id},
        limit=limit,
        before=before,
        after=after,
        order=order,
    )
