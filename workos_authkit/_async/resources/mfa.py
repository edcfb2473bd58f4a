# source-of-truth: async
"""MFA: ``/user_management/users/{id}/auth_factors``, ``/auth/factors``, ``/auth/challenges``."""

from __future__ import annotations

from ..._api import mfa as api
from ..._api.mfa import FactorType
from ..._types import Order, RequestOptions
from ..._validation import list_params
from ...models import (
    AuthenticationChallenge,
    AuthenticationFactor,
    ChallengeVerification,
    FactorEnrollment,
)
from .._pagination import AsyncPager
from .._resource import AsyncResource


class AsyncMfa(AsyncResource):
    """Enrol TOTP factors, list them, challenge one and verify the code.

    In an AuthKit sign-in, finish an MFA challenge with ``authenticate_with_totp`` instead of
    ``verify_challenge``.
    """

    async def enroll_factor(
        self,
        user_id: str,
        *,
        type: FactorType = "totp",
        totp_issuer: str | None = None,
        totp_user: str | None = None,
        totp_secret: str | None = None,
        options: RequestOptions | None = None,
    ) -> FactorEnrollment:
        """Enrol a TOTP factor for a user: the factor with its secret, QR code and URI (shown to
        the user once), and a first challenge."""
        body = api.enroll_body(
            type=type, totp_issuer=totp_issuer, totp_user=totp_user, totp_secret=totp_secret
        )
        return await self._post(
            api.ENROLL_FACTOR, FactorEnrollment, user_id, body=body, options=options
        )

    def list_factors(
        self,
        user_id: str,
        *,
        limit: int | None = None,
        before: str | None = None,
        after: str | None = None,
        order: Order | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[AuthenticationFactor]:
        """Iterate over a user's factors."""
        params = list_params(limit=limit, before=before, after=after, order=order)
        return self._list(
            api.LIST_FACTORS, AuthenticationFactor, user_id, params=params, options=options
        )

    async def challenge(
        self,
        authentication_factor_id: str,
        *,
        sms_template: str | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationChallenge:
        """Create a challenge on a factor (``sms_template`` with ``{{code}}``, for SMS factors)."""
        body = api.challenge_body(sms_template=sms_template)
        return await self._post(
            api.CHALLENGE,
            AuthenticationChallenge,
            authentication_factor_id,
            body=body,
            options=options,
        )

    async def verify_challenge(
        self, authentication_challenge_id: str, code: str, *, options: RequestOptions | None = None
    ) -> ChallengeVerification:
        """Check a ``code`` against a challenge; ``.valid`` says whether it was right."""
        body = api.verify_body(code)
        return await self._post(
            api.VERIFY_CHALLENGE,
            ChallengeVerification,
            authentication_challenge_id,
            body=body,
            options=options,
        )
