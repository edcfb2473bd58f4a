"""One-time codes and tokens: magic auth, email verification, password reset.

The codes and tokens are what the person receives by email: they are left out of ``repr``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs

from .users import User


@attrs.frozen(kw_only=True)
class _EmailedCode:
    """A code sent to a user's email address."""

    id: str
    user_id: str
    email: str
    code: str = attrs.field(repr=False)
    expires_at: datetime
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class MagicAuth(_EmailedCode):
    """A Magic Auth code sent by email (spec ``MagicAuth``)."""

    object: Literal["magic_auth"] = "magic_auth"


@attrs.frozen(kw_only=True)
class EmailVerification(_EmailedCode):
    """An email verification code (spec ``EmailVerification``)."""

    object: Literal["email_verification"] = "email_verification"


@attrs.frozen(kw_only=True)
class PasswordReset:
    """A password reset token and the link that carries it (spec ``PasswordReset``)."""

    id: str
    user_id: str
    email: str
    password_reset_token: str = attrs.field(repr=False)
    password_reset_url: str = attrs.field(repr=False)
    expires_at: datetime
    created_at: datetime
    object: Literal["password_reset"] = "password_reset"


@attrs.frozen(kw_only=True)
class UserResponse:
    """``{"user": …}``: the body of the email verification and password reset confirmations."""

    user: User
