"""API keys (spec ``OrganizationApiKey``, ``OrganizationApiKeyWithValue``, ``ApiKey``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs


@attrs.frozen(kw_only=True)
class OrganizationApiKeyOwner:
    """The organization that owns a key (``type`` is ``organization``)."""

    type: str
    id: str


@attrs.frozen(kw_only=True)
class ApiKeyOwner:
    """Who owns a validated key: an organization, or a user (with ``organization_id``)."""

    type: str
    id: str
    organization_id: str | None = None


@attrs.frozen(kw_only=True)
class _ApiKeyFields:
    id: str
    name: str
    obfuscated_value: str
    permissions: list[str]
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None = None
    # sent by the live API (``None`` = never expires); the spec does not declare it yet
    expires_at: datetime | None = None
    object: Literal["api_key"] = "api_key"


@attrs.frozen(kw_only=True)
class OrganizationApiKey(_ApiKeyFields):
    """An organization's API key, without its secret value."""

    owner: OrganizationApiKeyOwner


@attrs.frozen(kw_only=True)
class OrganizationApiKeyWithValue(OrganizationApiKey):
    """A key just created: ``value`` is the secret, returned this once and left out of ``repr``."""

    value: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class ApiKey(_ApiKeyFields):
    """A key found by validation, owned by an organization or a user."""

    owner: ApiKeyOwner


@attrs.frozen(kw_only=True)
class ApiKeyValidation:
    """``{"api_key": …}``: the key, or ``None`` when the value is not a valid key."""

    api_key: ApiKey | None = None
