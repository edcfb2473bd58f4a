"""Invitations (spec ``UserlandUserInvite``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs


@attrs.frozen(kw_only=True)
class Invitation:
    """An invitation to sign up, or to join an organization.

    ``state`` is ``pending``, ``accepted``, ``expired`` or ``revoked`` (a ``str``: WorkOS may add
    states). ``token`` and ``accept_invitation_url`` (which carries the token) are secrets the
    invitee receives; they are left out of ``repr``.
    """

    id: str
    email: str
    state: str
    expires_at: datetime
    token: str = attrs.field(repr=False)
    accept_invitation_url: str = attrs.field(repr=False)
    created_at: datetime
    updated_at: datetime
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None
    organization_id: str | None = None
    inviter_user_id: str | None = None
    accepted_user_id: str | None = None
    role_slug: str | None = None
    object: Literal["invitation"] = "invitation"
