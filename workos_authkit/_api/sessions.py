"""Sessions (``/user_management/…/sessions``): endpoints and request shapes, shared by both twins."""

from __future__ import annotations

from typing import Any

from .._endpoint import Endpoint, Retry
from .._validation import compact, list_params, opt_str, required_str

LIST = Endpoint(
    "GET",
    "/user_management/users/{user_id}/sessions",
    "UserlandUserSessionsController_list",
    Retry.SAFE,
)
# Revoking twice ends in the same state, but it is a POST: repeated only when that is provably safe.
REVOKE = Endpoint(
    "POST",
    "/user_management/sessions/revoke",
    "UserlandSessionsController_revokeSession",
    Retry.CREATE_WITH_KEY,
)


def list_query(
    *, limit: int | None, before: str | None, after: str | None, order: str | None
) -> dict[str, Any]:
    return list_params(limit=limit, before=before, after=after, order=order)


def revoke_body(*, session_id: str, return_to: str | None) -> dict[str, Any]:
    required_str("session_id", session_id)
    opt_str("return_to", return_to)
    return compact({"session_id": session_id, "return_to": return_to})
