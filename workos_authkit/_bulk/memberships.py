"""The membership create and lookup the importer needs, declared here for now.

TEMPORARY: ``client.organization_memberships`` (branch ``surface``) replaces this module once
merged; the importer's two membership methods then call ``create`` and ``list`` on it.
"""

from __future__ import annotations

from typing import Any

import attrs

from .._endpoint import Endpoint, Retry

_BASE = "/user_management/organization_memberships"
CREATE = Endpoint(
    "POST", _BASE, "UserlandUserOrganizationMembershipsController_create", Retry.CREATE_WITH_KEY
)
LIST = Endpoint("GET", _BASE, "UserlandUserOrganizationMembershipsController_list", Retry.SAFE)


@attrs.frozen(kw_only=True)
class MembershipRef:
    """The fields of an ``OrganizationMembership`` the importer reads."""

    id: str
    user_id: str
    organization_id: str
    status: str


def create_body(user_id: str, organization_id: str, role_slug: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"user_id": user_id, "organization_id": organization_id}
    if role_slug is not None:
        body["role_slug"] = role_slug
    return body


def list_query(user_id: str, organization_id: str) -> dict[str, Any]:
    return {"user_id": user_id, "organization_id": organization_id, "limit": 1}
