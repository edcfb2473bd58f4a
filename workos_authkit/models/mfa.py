"""MFA: authentication factors and challenges (spec ``AuthenticationFactor``,
``AuthenticationFactorEnrolled``, ``AuthenticationChallenge``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs


@attrs.frozen(kw_only=True)
class TotpFactor:
    """A TOTP factor's issuer and account name, as an authenticator app shows them."""

    issuer: str
    user: str


@attrs.frozen(kw_only=True)
class TotpEnrollment(TotpFactor):
    """A TOTP factor at enrolment: the shared ``secret`` (Base32; SHA-1, 6 digits, 30 s), the QR
    code to scan and the ``otpauth://`` URI. Only given once; all three hold the secret and are
    left out of ``repr``."""

    secret: str = attrs.field(repr=False)
    qr_code: str = attrs.field(repr=False)
    uri: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class SmsFactor:
    phone_number: str


@attrs.frozen(kw_only=True)
class AuthenticationFactor:
    """A second factor of a user. ``type`` is ``totp``, ``sms``, ``generic_otp`` or ``webauthn``
    (a ``str``: WorkOS may add types)."""

    id: str
    type: str
    created_at: datetime
    updated_at: datetime
    user_id: str | None = None
    totp: TotpFactor | None = None
    sms: SmsFactor | None = None
    object: Literal["authentication_factor"] = "authentication_factor"


@attrs.frozen(kw_only=True)
class EnrolledAuthenticationFactor(AuthenticationFactor):
    """A factor as enrolment returns it, with the TOTP secret (spec
    ``AuthenticationFactorEnrolled``)."""

    totp: TotpEnrollment | None = None


@attrs.frozen(kw_only=True)
class AuthenticationChallenge:
    """A challenge on a factor. ``expires_at`` is not set for TOTP; ``code`` only for factors
    whose code WorkOS sends (it is left out of ``repr``)."""

    id: str
    authentication_factor_id: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None = None
    code: str | None = attrs.field(default=None, repr=False)
    object: Literal["authentication_challenge"] = "authentication_challenge"


@attrs.frozen(kw_only=True)
class FactorEnrollment:
    """What enrolling a factor returns: the factor (with its secret) and a first challenge."""

    authentication_factor: EnrolledAuthenticationFactor
    authentication_challenge: AuthenticationChallenge


@attrs.frozen(kw_only=True)
class ChallengeVerification:
    """The outcome of verifying a challenge: ``valid`` is whether the code was right."""

    challenge: AuthenticationChallenge
    valid: bool
