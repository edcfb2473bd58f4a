# source-of-truth: async
"""Sessions: ``/user_management/users/{id}/sessions`` and ``/user_management/sessions/revoke``."""

from __future__ import annotations

from ..._api import sessions as api
from ..._types import Order, RequestOptions
from ...models import Session
from .._pagination import AsyncPager
from .._resource import AsyncResource


class AsyncSessions(AsyncResource):
    """List a user's sessions and revoke one."""

    def list(
        self,
        user_id: str,
        *,
        limit: int | None = None,
        before: str | None = None,
        after: str | None = None,
        order: Order | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[Session]:
        """Iterate over the sessions of ``user_id`` (active, expired and revoked)."""
        params = api.list_query(limit=limit, before=before, after=after, order=order)
        return self._list(api.LIST, Session, user_id, params=params, options=options)

    async def revoke(
        self,
        session_id: str,
        *,
        return_to: str | None = None,
        options: RequestOptions | None = None,
    ) -> None:
        """End a session (its refresh token stops working)."""
        body = api.revoke_body(session_id=session_id, return_to=return_to)
        await self._send(api.REVOKE, body=body, options=options)
