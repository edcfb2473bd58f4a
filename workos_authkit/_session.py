"""Session-cookie payloads: authentication response <-> sealed data, and results. No I/O.

The sealed payload uses the field names ``@workos-inc/node`` uses (``accessToken``,
``refreshToken``, ``user`` with camelCase fields, ``impersonator``, ``organizationId``), so a
Node or Next.js front end reads it; snake_case payloads (the official Python SDK) read too.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

import attrs
import msgspec

from .errors import (
    AccessTokenError,
    AccessTokenExpiredError,
    InvalidSessionCookieError,
    JwksUnavailableError,
)
from .models import AccessTokenClaims, AuthenticationResponse, Impersonator, User
from .models.session_cookies import AuthenticatedSession, SessionData, SessionFailureReason

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@lru_cache(maxsize=256)
def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


@lru_cache(maxsize=256)
def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _user_payload(user: User) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in attrs.fields(User):
        value = getattr(user, field.name)
        out[_camel(field.name)] = _iso(value) if isinstance(value, datetime) else value
    return out


def payload_from_response(response: AuthenticationResponse) -> dict[str, Any]:
    """What ``seal`` puts in the cookie, in workos-node's shape."""
    data: dict[str, Any] = {
        "accessToken": response.access_token,
        "refreshToken": response.refresh_token,
        "user": _user_payload(response.user),
    }
    if response.impersonator is not None:
        data["impersonator"] = {
            "email": response.impersonator.email,
            "reason": response.impersonator.reason,
        }
    if response.organization_id is not None:
        data["organizationId"] = response.organization_id
    return data


def _pick(data: dict[str, Any], snake: str, camel: str) -> Any:
    value = data.get(camel)
    return data.get(snake) if value is None else value


def session_data(data: Any) -> SessionData:
    """The typed content of an unsealed cookie (camelCase or snake_case payloads)."""
    if not isinstance(data, dict):
        raise InvalidSessionCookieError("the session cookie does not hold a session")
    access = _pick(data, "access_token", "accessToken")
    refresh = _pick(data, "refresh_token", "refreshToken")
    raw_user = data.get("user")
    if (
        not isinstance(access, str)
        or not isinstance(refresh, str)
        or not isinstance(raw_user, dict)
    ):
        raise InvalidSessionCookieError("the session cookie does not hold a session")
    try:
        user = msgspec.convert({_snake(k): v for k, v in raw_user.items()}, User, strict=False)
        raw_imp = data.get("impersonator")
        impersonator = (
            msgspec.convert(raw_imp, Impersonator, strict=False) if raw_imp is not None else None
        )
    except msgspec.ValidationError:
        raise InvalidSessionCookieError("the session cookie holds a malformed user") from None
    org = _pick(data, "organization_id", "organizationId")
    return SessionData(
        access_token=access,
        refresh_token=refresh,
        user=user,
        impersonator=impersonator,
        organization_id=org if isinstance(org, str) else None,
    )


def authenticated(data: SessionData, claims: AccessTokenClaims) -> AuthenticatedSession:
    return AuthenticatedSession(
        session_id=claims.sid or "",
        user=data.user,
        claims=claims,
        organization_id=claims.org_id,
        role=claims.role,
        roles=claims.roles,
        permissions=claims.permissions,
        entitlements=claims.entitlements,
        feature_flags=claims.feature_flags,
        impersonator=data.impersonator,
    )


def failure_reason(exc: AccessTokenError) -> SessionFailureReason:
    if isinstance(exc, AccessTokenExpiredError):
        return SessionFailureReason.EXPIRED_ACCESS_TOKEN
    if isinstance(exc, JwksUnavailableError):
        return SessionFailureReason.JWKS_UNAVAILABLE
    return SessionFailureReason.INVALID_ACCESS_TOKEN
