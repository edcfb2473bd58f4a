# source-of-truth: async
"""Password reset: ``/user_management/password_reset``."""

from __future__ import annotations

from ..._api import one_time_codes as api
from ..._types import RequestOptions
from ...models import PasswordReset, User, UserResponse
from .._resource import AsyncResource


class AsyncPasswordResets(AsyncResource):
    """Email a password reset link, and set the new password with its token."""

    async def create(self, *, email: str, options: RequestOptions | None = None) -> PasswordReset:
        """Email a password reset link to the user with ``email``. One-shot."""
        body = api.password_reset_body(email)
        return await self._post(
            api.CREATE_PASSWORD_RESET, PasswordReset, body=body, options=options
        )

    async def get(
        self, password_reset_id: str, *, options: RequestOptions | None = None
    ) -> PasswordReset:
        """Get a password reset (its token included) by id."""
        return await self._get(
            api.GET_PASSWORD_RESET, PasswordReset, password_reset_id, options=options
        )

    async def reset_password(
        self, *, token: str, new_password: str, options: RequestOptions | None = None
    ) -> User:
        """Set a new password with the ``token`` from the reset link; returns the user."""
        body = api.reset_password_body(token=token, new_password=new_password)
        response = await self._post(api.RESET_PASSWORD, UserResponse, body=body, options=options)
        return response.user
