"""Invitations (``/user_management/invitations``): endpoints and request shapes, shared by both twins.

Sending and resending email a person, and accepting or revoking changes the invitation's state
once: all four are one-shot.
"""

from __future__ import annotations

from typing import Any

from .._endpoint import Endpoint, Retry
from .._validation import compact, filtered_list_params, opt_int_range, opt_str, required_str

_BASE = "/user_management/invitations"
_ONE = _BASE + "/{invitation_id}"
_OPS = "UserlandUserInvitesController_"

SEND = Endpoint("POST", _BASE, _OPS + "create", Retry.ONE_SHOT)
GET = Endpoint("GET", _ONE, _OPS + "get", Retry.SAFE)
FIND_BY_TOKEN = Endpoint(
    "GET", _BASE + "/by_token/{invitation_token}", _OPS + "getByToken", Retry.SAFE
)
LIST = Endpoint("GET", _BASE, _OPS + "list", Retry.SAFE)
ACCEPT = Endpoint("POST", _ONE + "/accept", _OPS + "accept", Retry.ONE_SHOT)
REVOKE = Endpoint("POST", _ONE + "/revoke", _OPS + "revoke", Retry.ONE_SHOT)
RESEND = Endpoint("POST", _ONE + "/resend", _OPS + "resend", Retry.ONE_SHOT)


def send_body(
    *,
    email: str,
    organization_id: str | None,
    role_slug: str | None,
    expires_in_days: int | None,
    inviter_user_id: str | None,
    locale: str | None,
) -> dict[str, Any]:
    """The body of ``CreateUserlandUserInviteOptionsDto``."""
    required_str("email", email)
    for name, value in (
        ("organization_id", organization_id),
        ("role_slug", role_slug),
        ("inviter_user_id", inviter_user_id),
        ("locale", locale),
    ):
        opt_str(name, value)
    opt_int_range("expires_in_days", expires_in_days, 1, 30)
    return compact(
        {
            "email": email,
            "organization_id": organization_id,
            "role_slug": role_slug,
            "expires_in_days": expires_in_days,
            "inviter_user_id": inviter_user_id,
            "locale": locale,
        }
    )


def resend_body(*, locale: str | None) -> dict[str, Any]:
    """The body of ``ResendUserlandUserInviteOptionsDto``: required, but may be ``{}``."""
    opt_str("locale", locale)
    return compact({"locale": locale})


def list_query(
    *,
    organization_id: str | None,
    email: str | None,
    limit: int | None,
    before: str | None,
    after: str | None,
    order: str | None,
) -> dict[str, Any]:
    """The query of ``UserlandUserInvitesController_list`` (every state; no state filter)."""
    return filtered_list_params(
        {"organization_id": organization_id, "email": email},
        limit=limit,
        before=before,
        after=after,
        order=order,
    )
