# source-of-truth: async
"""CLI auth: the OAuth 2.0 device authorization grant (RFC 8628)."""

from __future__ import annotations

from ..._api import auth as auth_api
from ..._api import cli_auth as api
from ..._types import RequestOptions
from ...errors import APITimeoutError, DeviceAuthorizationPending, DeviceSlowDown
from ...models import AuthenticationResponse, DeviceAuthorization
from .._resource import AsyncResource


class AsyncCliAuth(AsyncResource):
    """Sign a user in from a command-line tool: show a code, poll until they approve it."""

    async def authorize_device(
        self, *, options: RequestOptions | None = None
    ) -> DeviceAuthorization:
        """Start a device sign-in: show ``user_code`` and ``verification_uri`` to the user."""
        body = {"client_id": auth_api.require_client_id(self._config.client_id)}
        return await self._post(
            api.DEVICE_AUTHORIZATION, DeviceAuthorization, body=body, options=options
        )

    async def poll_for_token(
        self,
        device_code: str,
        *,
        interval: float | None = None,
        options: RequestOptions | None = None,
    ) -> AuthenticationResponse:
        """Poll until the user approves the device; return the tokens.

        Keeps polling every ``interval`` seconds (the authorization's ``interval``, 5 s by
        default) on ``authorization_pending``, adds 5 s on ``slow_down``, and raises
        ``DeviceAccessDenied`` or ``DeviceCodeExpired`` when the user declines or the code
        expires. Cancelling the task stops it, and so does ``options.deadline`` (seconds for the
        whole polling): ``APITimeoutError`` when the next poll would come after it. Without one,
        polling lasts until the device code expires.
        """
        wait = api.DEFAULT_INTERVAL if interval is None else float(interval)
        auth = self._client.auth
        clock = self._clock
        deadline_at = api.polling_deadline(options, clock.monotonic())
        while True:
            try:
                return await auth.authenticate_with_device_code(
                    device_code=device_code, options=options
                )
            except DeviceAuthorizationPending:
                pass
            except DeviceSlowDown:
                wait += api.SLOW_DOWN_STEP
            if deadline_at is not None and clock.monotonic() + wait >= deadline_at:
                raise APITimeoutError("the device sign-in is still pending at the deadline")
            await clock.sleep(wait)
