# source-of-truth: async
"""Invitations: ``/user_management/invitations``."""

from __future__ import annotations

from ..._api import invitations as api
from ..._types import Order, RequestOptions
from ...models import Invitation
from .._pagination import AsyncPager
from .._resource import AsyncResource


class AsyncInvitations(AsyncResource):
    """Invite people to sign up or to join an organization; find, accept, revoke, resend."""

    async def send(
        self,
        *,
        email: str,
        organization_id: str | None = None,
        role_slug: str | None = None,
        expires_in_days: int | None = None,
        inviter_user_id: str | None = None,
        locale: str | None = None,
        options: RequestOptions | None = None,
    ) -> Invitation:
        """Email an invitation (``expires_in_days`` 1-30; the API's default is 7). Never resent
        automatically: on an unclear outcome you get ``OutcomeUnknownError``."""
        body = api.send_body(
            email=email,
            organization_id=organization_id,
            role_slug=role_slug,
            expires_in_days=expires_in_days,
            inviter_user_id=inviter_user_id,
            locale=locale,
        )
        return await self._post(api.SEND, Invitation, body=body, options=options)

    async def get(self, invitation_id: str, *, options: RequestOptions | None = None) -> Invitation:
        """Get an invitation by id."""
        return await self._get(api.GET, Invitation, invitation_id, options=options)

    async def find_by_token(
        self, invitation_token: str, *, options: RequestOptions | None = None
    ) -> Invitation:
        """Get an invitation by the token the invitee received."""
        return await self._get(api.FIND_BY_TOKEN, Invitation, invitation_token, options=options)

    def list(
        self,
        *,
        organization_id: str | None = None,
        email: str | None = None,
        limit: int | None = None,
        before: str | None = None,
        after: str | None = None,
        order: Order | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[Invitation]:
        """Iterate over invitations in every state, optionally by organization or email."""
        params = api.list_query(
            organization_id=organization_id,
            email=email,
            limit=limit,
            before=before,
            after=after,
            order=order,
        )
        return self._list(api.LIST, Invitation, params=params, options=options)

    async def accept(
        self, invitation_id: str, *, options: RequestOptions | None = None
    ) -> Invitation:
        """Accept a pending invitation on behalf of the user with the invited email."""
        return await self._post(api.ACCEPT, Invitation, invitation_id, options=options)

    async def revoke(
        self, invitation_id: str, *, options: RequestOptions | None = None
    ) -> Invitation:
        """Revoke a pending invitation."""
        return await self._post(api.REVOKE, Invitation, invitation_id, options=options)

    async def resend(
        self,
        invitation_id: str,
        *,
        locale: str | None = None,
        options: RequestOptions | None = None,
    ) -> Invitation:
        """Email a pending invitation again, optionally in another ``locale``."""
        body = api.resend_body(locale=locale)
        return await self._post(api.RESEND, Invitation, invitation_id, body=body, options=options)
