"""Magic auth, email verification and password reset: endpoints and request shapes, shared by
both twins.

Each create or send emails a person a one-time code or token, and each confirmation consumes one:
all of them are one-shot, never repeated once they may have reached the server.
"""

from __future__ import annotations

from typing import Any

from .._endpoint import Endpoint, Retry
from .._validation import compact, opt_str, required_str
from ..errors import InvalidArgumentError

_USERS = "/user_management/users/{user_id}"
_MAGIC = "/user_management/magic_auth"
_RESET = "/user_management/password_reset"
_USER_OPS = "UserlandUsersController_"

CREATE_MAGIC_AUTH = Endpoint(
    "POST", _MAGIC, "UserlandMagicAuthController_sendMagicAuthCodeAndReturn", Retry.ONE_SHOT
)
GET_MAGIC_AUTH = Endpoint(
    "GET", _MAGIC + "/{magic_auth_id}", "UserlandMagicAuthController_get", Retry.SAFE
)

GET_EMAIL_VERIFICATION = Endpoint(
    "GET",
    "/user_management/email_verification/{email_verification_id}",
    _USER_OPS + "getEmailVerification",
    Retry.SAFE,
)
SEND_VERIFICATION_EMAIL = Endpoint(
    "POST", _USERS + "/email_verification/send", _USER_OPS + "sendVerificationEmail", Retry.ONE_SHOT
)
VERIFY_EMAIL = Endpoint(
    "POST", _USERS + "/email_verification/confirm", _USER_OPS + "emailVerification", Retry.ONE_SHOT
)

CREATE_PASSWORD_RESET = Endpoint(
    "POST", _RESET, _USER_OPS + "createPasswordResetToken", Retry.ONE_SHOT
)
GET_PASSWORD_RESET = Endpoint(
    "GET", _RESET + "/{password_reset_id}", _USER_OPS + "getPasswordReset", Retry.SAFE
)
RESET_PASSWORD = Endpoint("POST", _RESET + "/confirm", _USER_OPS + "resetPassword", Retry.ONE_SHOT)


def magic_auth_body(*, email: str, invitation_token: str | None) -> dict[str, Any]:
    """The body of ``CreateUserlandMagicCodeAndReturnDto``."""
    required_str("email", email)
    opt_str("invitation_token", invitation_token)
    return compact({"email": email, "invitation_token": invitation_token})


def code_body(code: str) -> dict[str, Any]:
    """``{"code": …}``: the one-time code the person received."""
    return {"code": required_str("code", code)}


def password_reset_body(email: str) -> dict[str, Any]:
    return {"email": required_str("email", email)}


def reset_password_body(*, token: str, new_password: str) -> dict[str, Any]:
    """The body of ``CreatePasswordResetDto``. The password's strength is the server's rule."""
    required_str("token", token)
    if not isinstance(new_password, str) or not new_password:
        raise InvalidArgumentError("new_password must be a non-empty string")
    return {"token": token, "new_password": new_password}
