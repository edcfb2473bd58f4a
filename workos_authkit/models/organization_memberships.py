"""Organization memberships (spec ``UserlandUserOrganizationMembership``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from .users import User


@attrs.frozen(kw_only=True)
class RoleRef:
    """A role by its slug (spec ``SlimRole``)."""

    slug: str


@attrs.frozen(kw_only=True)
class OrganizationMembership:
    """A user's membership of an organization.

    ``status`` is ``active``, ``inactive`` or ``pending`` (kept a ``str``: WorkOS may add states).
    ``role`` is the primary role; ``roles`` lists every role when the API sends it (environments
    with multiple roles do; the spec does not declare it yet), else ``None``.
    """

    id: str
    user_id: str
    organization_id: str
    status: str
    directory_managed: bool
    role: RoleRef
    user: User
    created_at: datetime
    updated_at: datetime
    roles: list[RoleRef] | None = None
    organization_name: str | None = None
    custom_attributes: dict[str, Any] = attrs.field(factory=dict)
    object: Literal["organization_membership"] = "organization_membership"
