"""Organization API keys: endpoints and request shapes, shared by both twins.

Validating a key only reads (it refreshes ``last_used_at``), so it is safe to repeat although it
is a ``POST``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._endpoint import Endpoint, Retry
from .._validation import compact, opt_str_list, required_str

_ORG_KEYS = "/organizations/{organization_id}/api_keys"

CREATE = Endpoint("POST", _ORG_KEYS, "OrganizationApiKeysController_create", Retry.CREATE_WITH_KEY)
LIST = Endpoint("GET", _ORG_KEYS, "OrganizationApiKeysController_list", Retry.SAFE)
DELETE = Endpoint("DELETE", "/api_keys/{api_key_id}", "ApiKeysController_delete", Retry.SAFE)
VALIDATE = Endpoint("POST", "/api_keys/validations", "ApiKeysController_validateApiKey", Retry.SAFE)


def create_body(*, name: str, permissions: Sequence[str] | None) -> dict[str, Any]:
    """The body of ``CreateOrganizationApiKeyDto``: a name and permission slugs."""
    required_str("name", name)
    return compact({"name": name, "permissions": opt_str_list("permissions", permissions)})


def validate_body(value: str) -> dict[str, Any]:
    return {"value": required_str("value", value)}
