# source-of-truth: async
"""Organization memberships: ``/user_management/organization_memberships``."""

from __future__ import annotations

from collections.abc import Sequence

from ..._api import organization_memberships as api
from ..._api.organization_memberships import MembershipStatus
from ..._types import Order, RequestOptions
from ...models import OrganizationMembership
from .._pagination import AsyncPager
from .._resource import AsyncResource


class AsyncOrganizationMemberships(AsyncResource):
    """Add users to organizations, change their roles, deactivate and reactivate them."""

    async def create(
        self,
        *,
        user_id: str,
        organization_id: str,
        role_slug: str | None = None,
        role_slugs: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> OrganizationMembership:
        """Add a user to an organization, with ``role_slug`` or ``role_slugs`` (not both)."""
        body = api.create_body(
            user_id=user_id,
            organization_id=organization_id,
            role_slug=role_slug,
            role_slugs=role_slugs,
        )
        return await self._post(api.CREATE, OrganizationMembership, body=body, options=options)

    async def get(
        self, organization_membership_id: str, *, options: RequestOptions | None = None
    ) -> OrganizationMembership:
        """Get a membership by id."""
        return await self._get(
            api.GET, OrganizationMembership, organization_membership_id, options=options
        )

    def list(
        self,
        *,
        user_id: str | None = None,
        organization_id: str | None = None,
        statuses: Sequence[MembershipStatus] | None = None,
        limit: int | None = None,
        before: str | None = None,
        after: str | None = None,
        order: Order | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[OrganizationMembership]:
        """Iterate over the memberships of a user and/or an organization (one is required)."""
        params = api.list_query(
            user_id=user_id,
            organization_id=organization_id,
            statuses=statuses,
            limit=limit,
            before=before,
            after=after,
            order=order,
        )
        return self._list(api.LIST, OrganizationMembership, params=params, options=options)

    async def update(
        self,
        organization_membership_id: str,
        *,
        role_slug: str | None = None,
        role_slugs: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> OrganizationMembership:
        """Change the role (``role_slug``) or roles (``role_slugs``) of a membership."""
        body = api.update_body(role_slug=role_slug, role_slugs=role_slugs)
        return await self._put(
            api.UPDATE,
            OrganizationMembership,
            organization_membership_id,
            body=body,
            options=options,
        )

    async def delete(
        self, organization_membership_id: str, *, options: RequestOptions | None = None
    ) -> None:
        """Remove a user from an organization."""
        await self._delete(api.DELETE, organization_membership_id, options=options)

    async def deactivate(
        self, organization_membership_id: str, *, options: RequestOptions | None = None
    ) -> OrganizationMembership:
        """Deactivate a membership (kept, but the user loses access); a pending one cannot be."""
        return await self._put(
            api.DEACTIVATE, OrganizationMembership, organization_membership_id, options=options
        )

    async def reactivate(
        self, organization_membership_id: str, *, options: RequestOptions | None = None
    ) -> OrganizationMembership:
        """Reactivate a deactivated membership."""
        return await self._put(
            api.REACTIVATE, OrganizationMembership, organization_membership_id, options=options
        )
