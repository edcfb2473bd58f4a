# source-of-truth: async
"""Email verification: ``/user_management/users/{id}/email_verification``."""

from __future__ import annotations

from ..._api import one_time_codes as api
from ..._types import RequestOptions
from ...models import EmailVerification, User, UserResponse
from .._resource import AsyncResource


class AsyncEmailVerifications(AsyncResource):
    """Email a user a verification code, and confirm it."""

    async def get(
        self, email_verification_id: str, *, options: RequestOptions | None = None
    ) -> EmailVerification:
        """Get an email verification (its code included) by id."""
        return await self._get(
            api.GET_EMAIL_VERIFICATION, EmailVerification, email_verification_id, options=options
        )

    async def send(self, user_id: str, *, options: RequestOptions | None = None) -> User:
        """Email the user a verification code; returns the user. One-shot."""
        response = await self._post(
            api.SEND_VERIFICATION_EMAIL, UserResponse, user_id, options=options
        )
        return response.user

    async def confirm(
        self, user_id: str, code: str, *, options: RequestOptions | None = None
    ) -> User:
        """Verify the user's email with the ``code`` they received; returns the user."""
        body = api.code_body(code)
        response = await self._post(
            api.VERIFY_EMAIL, UserResponse, user_id, body=body, options=options
        )
        return response.user
