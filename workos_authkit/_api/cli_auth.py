"""CLI auth (OAuth 2.0 device authorization grant, RFC 8628): endpoint and polling rules."""

from __future__ import annotations

from .._endpoint import Endpoint, Retry

DEVICE_AUTHORIZATION = Endpoint(
    "POST",
    "/user_management/authorize/device",
    "UserlandSsoController_deviceAuthorization",
    Retry.CREATE_WITH_KEY,
)

#: RFC 8628 section 3.5: "slow_down" adds 5 seconds to the polling interval
SLOW_DOWN_STEP = 5.0
#: RFC 8628 section 3.2: the interval when the server does not send one
DEFAULT_INTERVAL = 5.0
