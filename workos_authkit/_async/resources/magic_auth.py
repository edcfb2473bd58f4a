# source-of-truth: async
"""Magic Auth: ``/user_management/magic_auth``."""

from __future__ import annotations

from ..._api import one_time_codes as api
from ..._types import RequestOptions
from ...models import MagicAuth
from .._resource import AsyncResource


class AsyncMagicAuthCodes(AsyncResource):
    """Email a one-time sign-in code; sign in with it through ``authenticate_with_magic_auth``."""

    async def create(
        self,
        *,
        email: str,
        invitation_token: str | None = None,
        options: RequestOptions | None = None,
    ) -> MagicAuth:
        """Email a Magic Auth code to ``email`` (with ``invitation_token``, to accept an
        invitation on sign-up). One-shot: never resent automatically."""
        body = api.magic_auth_body(email=email, invitation_token=invitation_token)
        return await self._post(api.CREATE_MAGIC_AUTH, MagicAuth, body=body, options=options)

    async def get(self, magic_auth_id: str, *, options: RequestOptions | None = None) -> MagicAuth:
        """Get a Magic Auth code by id."""
        return await self._get(api.GET_MAGIC_AUTH, MagicAuth, magic_auth_id, options=options)
