"""Organization memberships (``/user_management/organization_memberships``): shared by both twins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from .._endpoint import Endpoint, Retry
from .._validation import (
    compact,
    filtered_list_params,
    one_of,
    opt_str_list,
    required_str,
)
from ..errors import InvalidArgumentError

MembershipStatus = Literal["active", "inactive", "pending"]
STATUSES = ("active", "inactive", "pending")

_BASE = "/user_management/organization_memberships"
_ONE = _BASE + "/{organization_membership_id}"
_OPS = "UserlandUserOrganizationMembershipsController_"

CREATE = Endpoint("POST", _BASE, _OPS + "create", Retry.CREATE_WITH_KEY)
GET = Endpoint("GET", _ONE, _OPS + "get", Retry.SAFE)
LIST = Endpoint("GET", _BASE, _OPS + "list", Retry.SAFE)
UPDATE = Endpoint("PUT", _ONE, _OPS + "update", Retry.SAFE)
DELETE = Endpoint("DELETE", _ONE, _OPS + "delete", Retry.SAFE)
DEACTIVATE = Endpoint("PUT", _ONE + "/deactivate", _OPS + "deactivate", Retry.SAFE)
REACTIVATE = Endpoint("PUT", _ONE + "/reactivate", _OPS + "reactivate", Retry.SAFE)


def _roles(role_slug: str | None, role_slugs: Sequence[str] | None) -> dict[str, Any]:
    one_of("role_slug", role_slug, "role_slugs", role_slugs)
    if role_slug is not None:
        required_str("role_slug", role_slug)
    slugs = opt_str_list("role_slugs", role_slugs)
    if slugs is not None and not slugs:
        raise InvalidArgumentError("role_slugs must name at least one role")
    return compact({"role_slug": role_slug, "role_slugs": slugs})


def create_body(
    *,
    user_id: str,
    organization_id: str,
    role_slug: str | None,
    role_slugs: Sequence[str] | None,
) -> dict[str, Any]:
    """The body of ``CreateUserlandUserOrganizationMembershipDto``."""
    required_str("user_id", user_id)
    required_str("organization_id", organization_id)
    return {
        "user_id": user_id,
        "organization_id": organization_id,
        **_roles(role_slug, role_slugs),
    }


def update_body(*, role_slug: str | None, role_slugs: Sequence[str] | None) -> dict[str, Any]:
    """The body of ``UpdateUserlandUserOrganizationMembershipDto``: a role or a list of roles."""
    body = _roles(role_slug, role_slugs)
    if not body:
        raise InvalidArgumentError("update needs role_slug or role_slugs")
    return body


def list_query(
    *,
    user_id: str | None,
    organization_id: str | None,
    statuses: Sequence[str] | None,
    limit: int | None,
    before: str | None,
    after: str | None,
    order: str | None,
) -> dict[str, Any]:
    """The query of the list: ``user_id`` and/or ``organization_id``; ``statuses`` comma-joined."""
    params = filtered_list_params(
        {"user_id": user_id, "organization_id": organization_id},
        limit=limit,
        before=before,
        after=after,
        order=order,
    )
    if not user_id and not organization_id:
        raise InvalidArgumentError("list needs user_id or organization_id (or both)")
    wanted = opt_str_list("statuses", statuses)
    for status in wanted or ():
        if status not in STATUSES:
            raise InvalidArgumentError(
                f"statuses must be among {', '.join(STATUSES)}; got {status!r}"
            )
    params["statuses"] = ",".join(wanted) if wanted else None  # style: form, explode: false
    return params
