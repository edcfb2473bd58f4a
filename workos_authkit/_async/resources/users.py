# source-of-truth: async
"""Users: ``/user_management/users``."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from os import PathLike
from typing import TYPE_CHECKING

from ..._api import users as api
from ..._api.users import PasswordHashType
from ..._types import NOT_GIVEN, NotGiven, Order, RequestOptions
from ...models import Identity, User
from .._pagination import AsyncPager
from .._resource import AsyncResource

if TYPE_CHECKING:  # the importer loads on first use
    from ..._bulk.plan import OnConflict
    from ..._bulk.report import ImportProgress, ImportReport
    from ..._bulk.rows import ImportRow


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
        body = api.create_body(
            email=email,
            password=password,
            password_hash=password_hash,
            password_hash_type=password_hash_type,
            first_name=first_name,
            last_name=last_name,
            email_verified=email_verified,
            external_id=external_id,
            metadata=metadata,
        )
        return await self._post(api.CREATE, User, body=body, options=options)

    async def get(self, user_id: str, *, options: RequestOptions | None = None) -> User:
        """Get a user by id."""
        return await self._get(api.GET, User, user_id, options=options)

    async def get_by_external_id(
        self, external_id: str, *, options: RequestOptions | None = None
    ) -> User:
        """Get a user by the ``external_id`` your system gave it."""
        return await self._get(api.GET_BY_EXTERNAL_ID, User, external_id, options=options)

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
        params = api.list_query(
            email=email,
            organization_id=organization_id,
            limit=limit,
            before=before,
            after=after,
            order=order,
        )
        return self._list(api.LIST, User, params=params, options=options)

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
        body = api.update_body(
            email=email,
            first_name=first_name,
            last_name=last_name,
            email_verified=email_verified,
            password=password,
            password_hash=password_hash,
            password_hash_type=password_hash_type,
            external_id=external_id,
            metadata=metadata,
            locale=locale,
        )
        return await self._put(api.UPDATE, User, user_id, body=body, options=options)

    async def delete(self, user_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete a user."""
        await self._delete(api.DELETE, user_id, options=options)

    async def list_identities(
        self, user_id: str, *, options: RequestOptions | None = None
    ) -> builtins.list[Identity]:
        """The OAuth identities linked to a user (not paginated)."""
        return await self._get(
            api.LIST_IDENTITIES, builtins.list[Identity], user_id, options=options
        )

    async def import_users(
        self,
        rows: Iterable[ImportRow] | AsyncIterable[ImportRow],
        *,
        concurrency: int = 16,
        on_conflict: OnConflict = "skip",
        organization_id: str | None = None,
        role_slug: str | None = None,
        on_progress: Callable[[ImportProgress], object] | None = None,
        dry_run: bool = False,
        journal: str | PathLike[str] | None = None,
        total: int | None = None,
    ) -> ImportReport:
        """Import many users concurrently, each exactly once; return an ``ImportReport``.

        ``rows``: dicts (the keys of ``workos_authkit.bulk.COLUMNS``) or ``UserImport``s, from
        any iterable (read lazily: memory stays bounded). Each row is checked locally first; a
        bad row fails with a reason and the import goes on. ``concurrency`` rows are in flight
        at once, all through this client's shared rate limiter and retries. ``on_conflict``
        for a user whose email exists: ``"skip"`` (leave it), ``"update"`` (send the fields
        that differ), ``"error"`` (fail the row). ``organization_id`` (+ ``role_slug``) adds
        every user to that organization, besides each row's ``memberships``. ``on_progress``
        is called after every row with an ``ImportProgress``. ``dry_run`` checks the rows and
        sends nothing. ``journal``: a file recording each finished row, so a re-run with it
        skips them (a re-run without it is safe too: existing users are found and skipped).
        ``total``: the row count for progress, when ``rows`` has no ``len()``.
        """
        from ..bulk import AsyncUserImporter

        importer = AsyncUserImporter(
            self._client,
            concurrency=concurrency,
            on_conflict=on_conflict,
            organization_id=organization_id,
            role_slug=role_slug,
            on_progress=on_progress,
            dry_run=dry_run,
            journal=journal,
            total=total,
        )
        return await importer.run(rows)
