"""Exceptions raised by the SDK, and the one mapper from an HTTP error response to a typed error.

Hierarchy::

    WorkOSError
    ├── ConfigurationError            bad client configuration (also a ValueError)
    ├── InvalidArgumentError          an argument rejected before any request (also a ValueError)
    ├── APIError                      the API answered with an error status
    │   ├── BadRequestError           400
    │   ├── AuthenticationError       401
    │   ├── PermissionDeniedError     403
    │   ├── NotFoundError             404
    │   ├── ConflictError             409
    │   ├── UnprocessableEntityError  422
    │   ├── RateLimitError            429 (retry_after)
    │   ├── ServerError               5xx
    │   └── AuthenticationFlowError   sign-in needs another step (400 or 403)
    │       ├── EmailVerificationRequired
    │       ├── MfaEnrollmentRequired
    │       ├── MfaChallengeRequired
    │       ├── OrganizationSelectionRequired
    │       ├── SsoRequired
    │       └── OrganizationAuthMethodsRequired
    │   (400 from the device-code grant, RFC 8628: DeviceAuthorizationPending, DeviceSlowDown,
    │    DeviceAccessDenied, DeviceCodeExpired, all BadRequestError)
    ├── APIConnectionError            no usable response (connection failed, dropped)
    │   └── APITimeoutError
    ├── OutcomeUnknownError           a non-idempotent request may or may not have been applied
    ├── AccessTokenError              an access token failed local verification
    │   ├── AccessTokenExpiredError
    │   ├── InvalidAccessTokenError   bad signature, algorithm, issuer, audience, unknown key…
    │   └── JwksUnavailableError      the key set could not be fetched
    ├── InvalidSessionCookieError     a session cookie that cannot be unsealed
    └── ResponseValidationError       a success response did not match the expected shape

No message, ``repr`` or attribute of these errors carries the API key, a password or a token.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .models import AuthenticationFactorRef, AuthMethods, OrganizationRef, User

__all__ = [
    "APIConnectionError",
    "AccessTokenError",
    "AccessTokenExpiredError",
    "DeviceAccessDenied",
    "DeviceAuthorizationPending",
    "DeviceCodeExpired",
    "DeviceSlowDown",
    "InvalidAccessTokenError",
    "InvalidSessionCookieError",
    "JwksUnavailableError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "AuthenticationFlowError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "EmailVerificationRequired",
    "InvalidArgumentError",
    "MfaChallengeRequired",
    "MfaEnrollmentRequired",
    "NotFoundError",
    "OrganizationAuthMethodsRequired",
    "OrganizationSelectionRequired",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "SsoRequired",
    "UnprocessableEntityError",
    "WorkOSError",
    "error_from_response",
]

_SNIPPET = 200


class WorkOSError(Exception):
    """Base class of every error this SDK raises."""


class ConfigurationError(WorkOSError, ValueError):
    """The client was configured wrongly (for example, no API key)."""


class InvalidArgumentError(WorkOSError, ValueError):
    """An argument was rejected locally, before any request was sent."""


class APIError(WorkOSError):
    """The API answered with an error status.

    ``code`` is the machine-readable code from either body form (``code`` or OAuth ``error``),
    ``message`` the human-readable one (``message`` or ``error_description``), ``errors`` the
    list of field errors when the API sends one, ``request_id`` the ``X-Request-ID`` header.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        request_id: str | None = None,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        #: the response's headers (``X-Request-ID``, ``Retry-After``, ``X-RateLimit-*``)
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.code = code
        self.errors: list[dict[str, Any]] = errors or []
        self.request_id = request_id
        self.body: Mapping[str, Any] = body or {}

    def __str__(self) -> str:
        parts = [f"{self.status_code}"]
        if self.code:
            parts.append(self.code)
        text = f"{' '.join(parts)}: {self.message}"
        if self.errors:
            details = "; ".join(
                str(e.get("message") or e.get("code") or e)
                for e in self.errors
                if isinstance(e, dict)
            )
            if details:
                text += f" ({details})"
        if self.request_id:
            text += f" [request_id={self.request_id}]"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class BadRequestError(APIError):
    """400."""


class AuthenticationError(APIError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIError):
    """403."""


class NotFoundError(APIError):
    """404."""


class ConflictError(APIError):
    """409."""


class UnprocessableEntityError(APIError):
    """422: the request was well-formed but its parameters were invalid."""


class RateLimitError(APIError):
    """429. ``retry_after`` is the server's hint in seconds, when it sent one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx, after the retries the client was allowed."""


class AuthenticationFlowError(APIError):
    """Sign-in is not finished: the API asks for another step.

    ``pending_authentication_token`` continues the flow with the matching ``authenticate_with_*``
    call. The token is a credential for that one step, so it is left out of ``str`` and ``repr``.
    """

    #: the ``code`` / ``error`` value that selects this class
    flow_code: ClassVar[str] = ""

    def __init__(
        self, message: str, *, pending_authentication_token: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.pending_authentication_token = pending_authentication_token


class EmailVerificationRequired(AuthenticationFlowError):
    """The user must verify their email: next, ``authenticate_with_email_verification``."""

    flow_code = "email_verification_required"

    def __init__(
        self,
        message: str,
        *,
        email: str | None = None,
        email_verification_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.email = email
        self.email_verification_id = email_verification_id


class MfaEnrollmentRequired(AuthenticationFlowError):
    """The user must enroll a factor: next, enroll, challenge, ``authenticate_with_totp``."""

    flow_code = "mfa_enrollment"

    def __init__(self, message: str, *, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.user = user


class MfaChallengeRequired(AuthenticationFlowError):
    """The user must pass an MFA challenge on one of ``authentication_factors``."""

    flow_code = "mfa_challenge"

    def __init__(
        self,
        message: str,
        *,
        authentication_factors: list[AuthenticationFactorRef] | None = None,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.authentication_factors = authentication_factors or []
        self.user = user


class OrganizationSelectionRequired(AuthenticationFlowError):
    """The user belongs to several organizations: next, ``authenticate_with_organization_selection``."""

    flow_code = "organization_selection_required"

    def __init__(
        self,
        message: str,
        *,
        organizations: list[OrganizationRef] | None = None,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.organizations = organizations or []
        self.user = user


class SsoRequired(AuthenticationFlowError):
    """The user must sign in through SSO, with one of ``connection_ids``."""

    flow_code = "sso_required"

    def __init__(
        self,
        message: str,
        *,
        connection_ids: list[str] | None = None,
        email: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.connection_ids = connection_ids or []
        self.email = email


class OrganizationAuthMethodsRequired(AuthenticationFlowError):
    """The organization requires other authentication methods (``auth_methods``)."""

    flow_code = "organization_authentication_methods_required"

    def __init__(
        self,
        message: str,
        *,
        sso_connection_ids: list[str] | None = None,
        auth_methods: AuthMethods | None = None,
        email: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.sso_connection_ids = sso_connection_ids or []
        self.auth_methods = auth_methods
        self.email = email


class DeviceAuthorizationPending(BadRequestError):
    """Device flow: the user has not finished yet (``authorization_pending``); poll again."""


class DeviceSlowDown(BadRequestError):
    """Device flow: polling too fast (``slow_down``); add 5 seconds to the interval."""


class DeviceAccessDenied(BadRequestError):
    """Device flow: the user declined (``access_denied``)."""


class DeviceCodeExpired(BadRequestError):
    """Device flow: the device code expired (``expired_token``); start a new authorization."""


class AccessTokenError(WorkOSError):
    """An access token failed local verification. The token itself is never in the message."""


class AccessTokenExpiredError(AccessTokenError):
    """The access token's ``exp`` has passed (refresh the session)."""


class InvalidAccessTokenError(AccessTokenError):
    """The access token is not one this client accepts (signature, algorithm, key, claims)."""


class JwksUnavailableError(AccessTokenError):
    """The JSON Web Key Set could not be fetched, so no token can be verified right now."""


class InvalidSessionCookieError(WorkOSError):
    """A session cookie that cannot be unsealed with any of the cookie passwords."""


class APIConnectionError(WorkOSError):
    """No usable response: the connection failed or was dropped."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class OutcomeUnknownError(WorkOSError):
    """A non-idempotent request (POST) may or may not have been applied by the server.

    Raised instead of a blind retry when the request body may have reached the server and no
    definite answer came back: a read timeout, a connection dropped after sending, a 502 or 504.
    Retry it safely by sending the same request with the same ``idempotency_key``
    (``RequestOptions(idempotency_key=err.idempotency_key)``), or check the server's state first.
    Pass ``retry_ambiguous=True`` (client or per call) to let the client do that itself.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        idempotency_key: str | None,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.idempotency_key = idempotency_key
        self.status_code = status_code
        self.request_id = request_id

    def __str__(self) -> str:
        return _with_request_id(super().__str__(), self.request_id)


class ResponseValidationError(WorkOSError):
    """A success response could not be read as the expected model."""

    def __init__(self, message: str, *, status_code: int, request_id: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.request_id = request_id

    def __str__(self) -> str:
        return _with_request_id(super().__str__(), self.request_id)


def _with_request_id(text: str, request_id: str | None) -> str:
    """``text`` ending with the request id, when there is one (quote it to WorkOS support)."""
    return f"{text} [request_id={request_id}]" if request_id else text


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_FLOW_ERRORS: dict[str, type[AuthenticationFlowError]] = {
    cls.flow_code: cls
    for cls in (
        EmailVerificationRequired,
        MfaEnrollmentRequired,
        MfaChallengeRequired,
        OrganizationSelectionRequired,
        SsoRequired,
        OrganizationAuthMethodsRequired,
    )
}
#: OAuth ``error`` values of the device-code grant (400)
_DEVICE_ERRORS: dict[str, type[BadRequestError]] = {
    "authorization_pending": DeviceAuthorizationPending,
    "slow_down": DeviceSlowDown,
    "access_denied": DeviceAccessDenied,
    "expired_token": DeviceCodeExpired,
}
#: the code-less 400 variant of ``/user_management/authenticate``
_SSO_MESSAGE = "Must use SSO for selected organization"
# Seen in older documentation and some SDKs: the same outcomes under longer names.
_FLOW_ERRORS["mfa_enrollment_required"] = MfaEnrollmentRequired
_FLOW_ERRORS["mfa_challenge_required"] = MfaChallengeRequired


def _snippet(content: bytes) -> str:
    text = content[:_SNIPPET].decode("utf-8", "replace").strip()
    text = " ".join(text.split())
    return text + ("…" if len(content) > _SNIPPET else "")


def _decode_body(content: bytes) -> dict[str, Any] | None:
    if not content:
        return None
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurd nesting
        return None
    return data if isinstance(data, dict) else None


def _flow_fields(cls: type[AuthenticationFlowError], body: Mapping[str, Any]) -> dict[str, Any]:
    """Typed next-step data for an authentication-flow error, read leniently from the body."""
    from . import _converter as conv  # deferred: keeps `import workos_authkit.errors` light
    from .models import AuthenticationFactorRef, AuthMethods, OrganizationRef, User

    fields: dict[str, Any] = {}
    if isinstance(body.get("pending_authentication_token"), str):
        fields["pending_authentication_token"] = body["pending_authentication_token"]
    if cls in (EmailVerificationRequired, SsoRequired, OrganizationAuthMethodsRequired):
        fields["email"] = body.get("email") if isinstance(body.get("email"), str) else None
    if cls is EmailVerificationRequired:
        fields["email_verification_id"] = body.get("email_verification_id")
    if cls in (MfaEnrollmentRequired, MfaChallengeRequired, OrganizationSelectionRequired):
        fields["user"] = conv.structure_lenient(body.get("user"), User)
    if cls is MfaChallengeRequired:
        fields["authentication_factors"] = conv.structure_list_lenient(
            body.get("authentication_factors"), AuthenticationFactorRef
        )
    if cls is OrganizationSelectionRequired:
        fields["organizations"] = conv.structure_list_lenient(
            body.get("organizations"), OrganizationRef
        )
    if cls is SsoRequired:
        fields["connection_ids"] = [
            c for c in body.get("connection_ids") or [] if isinstance(c, str)
        ]
    if cls is OrganizationAuthMethodsRequired:
        fields["sso_connection_ids"] = [
            c for c in body.get("sso_connection_ids") or [] if isinstance(c, str)
        ]
        fields["auth_methods"] = conv.structure_lenient(body.get("auth_methods"), AuthMethods)
    return fields


def error_from_response(
    status_code: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    retry_after: float | None = None,
) -> APIError:
    """Turn an error response into the matching typed error.

    Reads either body form (``{code, message, errors}`` or OAuth ``{error, error_description}``);
    a body that is not a JSON object (an HTML page from a proxy, an empty 502) gives an error
    carrying the status and a short snippet of the body.
    """
    request_id = headers.get("x-request-id")
    body = _decode_body(content)
    if body is None:
        snippet = _snippet(content)
        message = f"HTTP {status_code} with a non-JSON body" + (
            f": {snippet}" if snippet else " (empty)"
        )
        body = {}
        code = None
        errors: list[dict[str, Any]] = []
    else:
        raw_code = body.get("code") or body.get("error")
        code = raw_code if isinstance(raw_code, str) else None
        raw_message = body.get("message") or body.get("error_description") or code
        message = str(raw_message) if raw_message else f"HTTP {status_code}"
        raw_errors = body.get("errors")
        errors = (
            [e for e in raw_errors if isinstance(e, dict)] if isinstance(raw_errors, list) else []
        )

    common: dict[str, Any] = {
        "status_code": status_code,
        "code": code,
        "errors": errors,
        "request_id": request_id,
        "body": body,
        "headers": headers,
    }
    if code is not None and code in _FLOW_ERRORS and status_code in (400, 403, 422):
        flow_cls = _FLOW_ERRORS[code]
        return flow_cls(message, **common, **_flow_fields(flow_cls, body))
    if status_code == 400 and code is None and message == _SSO_MESSAGE:
        return SsoRequired(message, **common, **_flow_fields(SsoRequired, body))
    if status_code == 400 and code is not None and code in _DEVICE_ERRORS:
        return _DEVICE_ERRORS[code](message, **common)
    cls = _BY_STATUS.get(status_code)
    if cls is RateLimitError:
        if retry_after is None:
            from ._retry import parse_retry_after  # deferred: keeps this module light

            retry_after = parse_retry_after(headers)
        return RateLimitError(message, retry_after=retry_after, **common)
    if cls is None:
        cls = ServerError if status_code >= 500 else APIError
    return cls(message, **common)
