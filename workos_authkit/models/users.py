from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs


@attrs.frozen(kw_only=True)
class User:
    """An AuthKit user (spec schema ``UserlandUser``)."""

    id: str
    email: str
    email_verified: bool
    created_at: datetime
    updated_at: datetime
    first_name: str | None = None
    last_name: str | None = None
    profile_picture_url: str | None = None
    external_id: str | None = None
    metadata: dict[str, str] = attrs.field(factory=dict)
    last_sign_in_at: datetime | None = None
    locale: str | None = None
    object: Literal["user"] = "user"


@attrs.frozen(kw_only=True)
class Identity:
    """An identity linked to a user by an OAuth provider (e.g. ``GoogleOAuth``)."""

    idp_id: str
    type: str
    provider: str
