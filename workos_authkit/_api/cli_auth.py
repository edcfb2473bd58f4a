"""CLI auth (OAuth 2.0 device authorization grant, RFC 8628): endpoint and polling rules."""

from __future__ import annotations

import math

from .._endpoint import Endpoint, Retry
from .._types import RequestOptions

DEVICE_AUTHORIZATION = Endpoint(
    "POST",
    "/user_management/authorize/device",
    "UserlandSsoController_deviceAuthorization",
    Retry.CREATE_WITH_KEY,
    public=True,
)

#: RFC 8628 section 3.5: "slow_down" adds 5 seconds to the polling interval
SLOW_DOWN_STEP = 5.0
#: RFC 8628 section 3.2: the interval when the server does not send one
DEFAULT_INTERVAL = 5.0


def polling_deadline(options: RequestOptions | None, now: float) -> float | None:
    """When polling must stop: ``options.deadline`` seconds from ``now``, or never."""
    if options is None or options.deadline is None or options.deadline == math.inf:
        return None
    return now + options.deadline
