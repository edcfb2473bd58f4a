"""Authentication (``/user_management/authenticate``, the authorize and logout URLs, JWKS).

Endpoints, the grant bodies and the two browser URLs the SDK builds locally (no I/O): shared by
both twins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args
from urllib.parse import quote, urlencode

from .._endpoint import Endpoint, Retry
from .._validation import compact, opt_choice, opt_str, opt_str_mapping, required_str
from ..errors import ConfigurationError, InvalidArgumentError

AUTHENTICATE = Endpoint(
    "POST",
    "/user_management/authenticate",
    "UserlandSessionsController_authenticate",
    Retry.ONE_SHOT,  # a grant consumes its code or refresh token: never sent twice
)
JWKS = Endpoint("GET", "/sso/jwks/{client_id}", "SsoController_jsonWebKeySet", Retry.SAFE)

AUTHORIZE_PATH = "/user_management/authorize"
LOGOUT_PATH = "/user_management/sessions/logout"

GRANT_CODE = "authorization_code"
GRANT_PASSWORD = "password"
GRANT_MAGIC_AUTH = "urn:workos:oauth:grant-type:magic-auth:code"
GRANT_EMAIL_VERIFICATION = "urn:workos:oauth:grant-type:email-verification:code"
GRANT_TOTP = "urn:workos:oauth:grant-type:mfa-totp"
GRANT_ORGANIZATION_SELECTION = "urn:workos:oauth:grant-type:organization-selection"
GRANT_REFRESH_TOKEN = "refresh_token"
GRANT_DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"

Provider = Literal[
    "authkit",
    "AppleOAuth",
    "BitbucketOAuth",
    "GitHubOAuth",
    "GitLabOAuth",
    "GoogleOAuth",
    "IntuitOAuth",
    "LinkedInOAuth",
    "MicrosoftOAuth",
    "SalesforceOAuth",
    "SlackOAuth",
    "VercelMarketplaceOAuth",
    "VercelOAuth",
    "XeroOAuth",
]
PROVIDERS: tuple[str, ...] = get_args(Provider)
ScreenHint = Literal["sign-up", "sign-in"]
SCREEN_HINTS = ("sign-up", "sign-in")

#: query parameters the authorize operation declares (``provider_query_params`` may not reuse them)
_AUTHORIZE_PARAMS = frozenset(
    {
        "client_id",
        "redirect_uri",
        "response_type",
        "provider",
        "connection_id",
        "organization_id",
        "code_challenge",
        "code_challenge_method",
        "screen_hint",
        "login_hint",
        "domain_hint",
        "state",
        "provider_scopes",
        "provider_query_params",
        "invitation_token",
        "prompt",
    }
)


def require_client_id(client_id: str | None) -> str:
    if not client_id:
        raise ConfigurationError(
            "This call needs the client id: pass client_id=... to the client or set "
            "WORKOS_CLIENT_ID."
        )
    return client_id


def _query(params: Mapping[str, Any]) -> str:
    # commas stay literal: provider_scopes is ``style: form, explode: false`` (comma-joined)
    return urlencode(compact(params), quote_via=quote, safe=",")


def authorization_url(
    base_url: str,
    client_id: str | None,
    *,
    redirect_uri: str,
    provider: str | None,
    connection_id: str | None,
    organization_id: str | None,
    state: str | None,
    code_challenge: str | None,
    code_challenge_method: str | None,
    screen_hint: str | None,
    login_hint: str | None,
    domain_hint: str | None,
    provider_scopes: Sequence[str] | None,
    provider_query_params: Mapping[str, str] | None,
    invitation_token: str | None,
    prompt: str | None,
) -> str:
    """``{base_url}/user_management/authorize?…`` with exactly the spec's query parameters."""
    required_str("redirect_uri", redirect_uri)
    given = [
        n
        for n, v in (
            ("provider", provider),
            ("connection_id", connection_id),
            ("organization_id", organization_id),
        )
        if v is not None
    ]
    if len(given) != 1:
        raise InvalidArgumentError(
            "pass exactly one of provider, connection_id or organization_id"
            + (f" (got {', '.join(given)})" if given else "")
        )
    opt_choice("provider", provider, PROVIDERS)
    for name, value in (
        ("connection_id", connection_id),
        ("organization_id", organization_id),
        ("state", state),
        ("login_hint", login_hint),
        ("domain_hint", domain_hint),
        ("invitation_token", invitation_token),
        ("prompt", prompt),
    ):
        opt_str(name, value)
        if value is not None and not value:
            raise InvalidArgumentError(f"{name} must not be empty")
    if code_challenge is not None:
        required_str("code_challenge", code_challenge)
        opt_choice("code_challenge_method", code_challenge_method, ("S256",))
        code_challenge_method = "S256"
    elif code_challenge_method is not None:
        raise InvalidArgumentError("code_challenge_method goes with a code_challenge")
    opt_choice("screen_hint", screen_hint, SCREEN_HINTS)
    if screen_hint is not None and provider != "authkit":
        raise InvalidArgumentError("screen_hint applies only with provider='authkit'")
    scopes: str | None = None
    if provider_scopes is not None:
        if isinstance(provider_scopes, str) or not all(
            isinstance(s, str) and s and "," not in s for s in provider_scopes
        ):
            raise InvalidArgumentError(
                "provider_scopes must be a list of non-empty strings without commas"
            )
        scopes = ",".join(provider_scopes) or None
    extra = opt_str_mapping("provider_query_params", provider_query_params) or {}
    clash = sorted(set(extra) & _AUTHORIZE_PARAMS)
    if clash:
        raise InvalidArgumentError(
            f"provider_query_params may not set {', '.join(clash)} (parameters of the "
            "authorize call itself)"
        )
    params: dict[str, Any] = {
        "client_id": require_client_id(client_id),
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "provider": provider,
        "connection_id": connection_id,
        "organization_id": organization_id,
        "code_challenge": code_challenge,
        "code_challenge_method": code_challenge_method,
        "screen_hint": screen_hint,
        "login_hint": login_hint,
        "domain_hint": domain_hint,
        "state": state,
        "provider_scopes": scopes,
        "invitation_token": invitation_token,
        "prompt": prompt,
    }
    # an object parameter without ``style`` is ``form`` + ``explode: true``: one pair per key
    params.update(extra)
    return f"{base_url}{AUTHORIZE_PATH}?{_query(params)}"


def logout_url(base_url: str, *, session_id: str, return_to: str | None) -> str:
    """``{base_url}/user_management/sessions/logout?session_id=…&return_to=…``."""
    required_str("session_id", session_id)
    opt_str("return_to", return_to)
    return f"{base_url}{LOGOUT_PATH}?{_query({'session_id': session_id, 'return_to': return_to})}"


def grant_body(
    grant_type: str,
    client_id: str | None,
    client_secret: str | None,
    *,
    required: Mapping[str, str],
    optional: Mapping[str, str | None] | None = None,
    ip_address: str | None = None,
    user_agent: str | None = None,
) -> dict[str, Any]:
    """The JSON body of one ``authenticate`` variant (``client_secret`` is the API key)."""
    for name, value in required.items():
        required_str(name, value)
    for key, maybe in (optional or {}).items():
        opt_str(key, maybe)
    opt_str("ip_address", ip_address)
    opt_str("user_agent", user_agent)
    body: dict[str, Any] = {"client_id": require_client_id(client_id)}
    if client_secret is not None:
        body["client_secret"] = client_secret
    body["grant_type"] = grant_type
    body.update(required)
    body.update(compact(dict(optional or {})))
    body.update(compact({"ip_address": ip_address, "user_agent": user_agent}))
    return body
