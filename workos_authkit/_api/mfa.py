"""MFA: TOTP factors of a user, challenges and their verification. Shared by both twins.

Enrolling creates a factor (repeatable with its Idempotency-Key); a challenge may text a code
(SMS factors) and a verification consumes one: both one-shot.
"""

from __future__ import annotations

from typing import Any, Literal

from .._endpoint import Endpoint, Retry
from .._validation import compact, opt_choice, opt_str, required_str
from ..errors import InvalidArgumentError

FactorType = Literal["totp"]
FACTOR_TYPES = ("totp",)

_FACTORS = "/user_management/users/{user_id}/auth_factors"
_USER_OPS = "UserlandUserAuthenticationFactorsController_"

ENROLL_FACTOR = Endpoint("POST", _FACTORS, _USER_OPS + "create", Retry.CREATE_WITH_KEY)
LIST_FACTORS = Endpoint("GET", _FACTORS, _USER_OPS + "list", Retry.SAFE)
CHALLENGE = Endpoint(
    "POST",
    "/auth/factors/{authentication_factor_id}/challenge",
    "AuthenticationFactorsController_challenge",
    Retry.ONE_SHOT,
)
VERIFY_CHALLENGE = Endpoint(
    "POST",
    "/auth/challenges/{authentication_challenge_id}/verify",
    "AuthenticationChallengesController_verify",
    Retry.ONE_SHOT,
)


def enroll_body(
    *,
    type: str,
    totp_issuer: str | None,
    totp_user: str | None,
    totp_secret: str | None,
) -> dict[str, Any]:
    """The body of ``EnrollUserlandUserAuthenticationFactorDto``."""
    if type is None:
        raise InvalidArgumentError("type must be one of totp; got None")
    opt_choice("type", type, FACTOR_TYPES)
    for name, value in (
        ("totp_issuer", totp_issuer),
        ("totp_user", totp_user),
        ("totp_secret", totp_secret),
    ):
        opt_str(name, value)
    return compact(
        {
            "type": type,
            "totp_issuer": totp_issuer,
            "totp_user": totp_user,
            "totp_secret": totp_secret,
        }
    )


def challenge_body(*, sms_template: str | None) -> dict[str, Any]:
    """The body of ``ChallengeAuthenticationFactorDto``: required, but may be ``{}``."""
    opt_str("sms_template", sms_template)
    return compact({"sms_template": sms_template})


def verify_body(code: str) -> dict[str, Any]:
    return {"code": required_str("code", code)}
