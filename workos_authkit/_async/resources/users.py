# source-of-truth: async
"""Users: ``/user_management/users``."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Literal

from ..._types import NOT_GIVEN, NotGiven, Order, RequestOptions
from ..._validation import compact, given, list_params, path_id
from ...errors import InvalidArgumentError
from ...models import Identity, Page, User
from .._pagination import AsyncPager
from ._base import AsyncResource

PasswordHashType = Literal["bcrypt", "firebase-scrypt", "ssha", "scrypt", "pbkdf2", "argon2"]
PASSWORD_HASH_TYPES = ("bcrypt", "firebase-scrypt", "ssha", "scrypt", "pbkdf2", "argon2")

_BASE = "/user_management/users"


class AsyncUsers(AsyncResource):
    """Create, read, update, delete and list AuthKit users."""

    async def create(
        self,
        *,
        email: str,
        password: str | None = None,
        password_hash: str | None = None,
        password_hash_type: PasswordHashType | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        email_verified: bool | None = None,
        external_id: str | None = None,
        metadata: Mapping[str, str] | None = None,
        options: RequestOptions | None = None,
    ) -> User:
        """Create a user. Give a ``password``, or a ``password_hash`` with its ``password_hash_type``."""
        if not isinstance(email, str) or not email.strip():
            raise InvalidArgumentError("email must be a non-empty string")
        _check_password(password, password_hash, password_hash_type)
        _check_external_id(external_id)
        _check_metadata(metadata)
        body = compact(
            {
                "email": email,
                "password": password,
                "password_hash": password_hash,
                "password_hash_type": password_hash_type,
                "first_name": first_name,
                "last_name": last_name,
                "email_verified": email_verified,
                "external_id": external_id,
                "metadata": dict(metadata) if metadata is not None else None,
            }
        )
        return await self._http.request_model("POST", _BASE, User, json_body=body, options=options)

    async def get(self, user_id: str, *, options: RequestOptions | None = None) -> User:
        """Get a user by id."""
        return await self._http.request_model(
            "GET", f"{_BASE}/{path_id('user_id', user_id)}", User, options=options
        )

    async def get_by_external_id(
        self, external_id: str, *, options: RequestOptions | None = None
    ) -> User:
        """Get a user by the ``external_id`` your system gave it."""
        return await self._http.request_model(
            "GET",
            f"{_BASE}/external_id/{path_id('external_id', external_id)}",
            User,
            options=options,
        )

    def list(
        self,
        *,
        email: str | None = None,
        organization_id: str | None = None,
        limit: int | None = None,
        before: str | None = None,
        after: str | None = None,
        order: Order | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[User]:
        """Iterate over users, optionally filtered by ``email`` or ``organization_id``.

        ``limit`` is the page size (1-100); iteration fetches further pages as needed.
        """
        params = list_params(limit=limit, before=before, after=after, order=order)
        params.update(email=email, organization_id=organization_id)
        return AsyncPager(self._http, _BASE, Page[User], params, options)

    async def update(
        self,
        user_id: str,
        *,
        email: str | NotGiven = NOT_GIVEN,
        first_name: str | NotGiven = NOT_GIVEN,
        last_name: str | NotGiven = NOT_GIVEN,
        email_verified: bool | NotGiven = NOT_GIVEN,
        password: str | NotGiven = NOT_GIVEN,
        password_hash: str | NotGiven = NOT_GIVEN,
        password_hash_type: PasswordHashType | NotGiven = NOT_GIVEN,
        external_id: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        locale: str | NotGiven | None = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> User:
        """Update a user. Only the fields you pass are sent; ``None`` clears a nullable field."""
        path = f"{_BASE}/{path_id('user_id', user_id)}"
        _check_password(
            password or None, password_hash or None, password_hash_type or None, partial=True
        )
        if isinstance(external_id, str):
            _check_external_id(external_id)
        if isinstance(metadata, Mapping):
            _check_metadata(metadata)
            metadata = dict(metadata)
        if isinstance(email, str) and not email.strip():
            raise InvalidArgumentError("email must not be empty")
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
                "metadata": metadata,
                "locale": locale,
            }
        )
        if not body:
            raise InvalidArgumentError("update needs at least one field to change")
        return await self._http.request_model("PUT", path, User, json_body=body, options=options)

    async def delete(self, user_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete a user."""
        await self._http.request(
            "DELETE", f"{_BASE}/{path_id('user_id', user_id)}", options=options
        )

    async def list_identities(
        self, user_id: str, *, options: RequestOptions | None = None
    ) -> builtins.list[Identity]:
        """The OAuth identities linked to a user (not paginated)."""
        return await self._http.request_model(
            "GET",
            f"{_BASE}/{path_id('user_id', user_id)}/identities",
            builtins.list[Identity],
            options=options,
        )


def _check_password(
    password: str | None,
    password_hash: str | None,
    password_hash_type: str | None,
    *,
    partial: bool = False,
) -> None:
    if password is not None and password_hash is not None:
        raise InvalidArgumentError("pass password or password_hash, not both")
    if (password_hash is None) != (password_hash_type is None):
        raise InvalidArgumentError("password_hash and password_hash_type go together")
    if password_hash_type is not None and password_hash_type not in PASSWORD_HASH_TYPES:
        raise InvalidArgumentError(
            f"password_hash_type must be one of {', '.join(PASSWORD_HASH_TYPES)}"
        )
    if password is not None and not partial and not password:
        raise InvalidArgumentError("password must not be empty")


def _check_external_id(external_id: str | None) -> None:
    if external_id is not None and len(external_id) > 128:
        raise InvalidArgumentError("external_id must be at most 128 characters")


def _check_metadata(metadata: Mapping[str, str] | None) -> None:
    """The API's limits: at most 50 keys, keys up to 40 characters, string values up to 600."""
    if metadata is None:
        return
    if not isinstance(metadata, Mapping):
        raise InvalidArgumentError("metadata must be a mapping of strings to strings")
    if len(metadata) > 50:
        raise InvalidArgumentError(f"metadata may have at most 50 keys, got {len(metadata)}")
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise InvalidArgumentError("metadata keys and values must be strings")
        if len(key) > 40:
            raise InvalidArgumentError(f"metadata key {key[:40]!r}… is longer than 40 characters")
        if len(value) > 600:
            raise InvalidArgumentError(f"metadata value of {key!r} is longer than 600 characters")
