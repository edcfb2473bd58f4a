# source-of-truth: async
"""API keys: ``/organizations/{id}/api_keys`` and ``/api_keys``."""

from __future__ import annotations

from collections.abc import Sequence

from ..._api import api_keys as api
from ..._types import Order, RequestOptions
from ..._validation import list_params
from ...models import ApiKey, ApiKeyValidation, OrganizationApiKey, OrganizationApiKeyWithValue
from .._pagination import AsyncPager
from .._resource import AsyncResource


class AsyncApiKeys(AsyncResource):
    """Create your customers' organization API keys, list, delete and validate them."""

    async def create_for_organization(
        self,
        organization_id: str,
        *,
        name: str,
        permissions: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> OrganizationApiKeyWithValue:
        """Create a key for an organization. Its secret ``value`` is returned only here."""
        body = api.create_body(name=name, permissions=permissions)
        return await self._post(
            api.CREATE, OrganizationApiKeyWithValue, organization_id, body=body, options=options
        )

    def list_for_organization(
        self,
        organization_id: str,
        *,
        limit: int | None = None,
        before: str | None = None,
        after: str | None = None,
        order: Order | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[OrganizationApiKey]:
        """Iterate over an organization's keys (without their values)."""
        params = list_params(limit=limit, before=before, after=after, order=order)
        return self._list(
            api.LIST, OrganizationApiKey, organization_id, params=params, options=options
        )

    async def delete(self, api_key_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete (revoke) a key."""
        await self._delete(api.DELETE, api_key_id, options=options)

    async def validate(self, value: str, *, options: RequestOptions | None = None) -> ApiKey | None:
        """The key whose secret is ``value``, or ``None`` if it is not a valid key."""
        body = api.validate_body(value)
        response = await self._post(api.VALIDATE, ApiKeyValidation, body=body, options=options)
        return response.api_key
