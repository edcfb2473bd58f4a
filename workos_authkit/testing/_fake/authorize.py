"""Browser and device entry points: ``/user_management/authorize`` (a sign-in page), device authorization."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .._util import oauth_error
from .records import JSON, PROVIDERS_OAUTH, AuthCode, Device
from .router import Auth, Invalid, Params, Raw, Request, route
from .state import FakeState
from .validate import body_of


class AuthorizeRoutes(FakeState):
    @route(
        "POST",
        "/user_management/authorize/device",
        "UserlandSsoController_deviceAuthorization",
        auth=Auth.PUBLIC,
        invalid=Invalid.OAUTH,
    )
    def _device_authorization(self, req: Request, p: Params) -> Any:
        body = body_of(req, required=False)
        self._check_client_id(body)
        if not self.settings.device_flow_enabled:
            raise oauth_error(
                403, "access_denied", "Device authorization grant is not enabled for this team."
            )
        now = self._now()
        device_code = self._secret(30)
        letters = "BCDFGHJKLMNPQRSTVWXZ"
        user_code = (
            "".join(self._rng.choice(letters) for _ in range(4))
            + "-"
            + "".join(self._rng.choice(letters) for _ in range(4))
        )
        dev = Device(
            device_code,
            user_code,
            now + self.settings.device_code_lifetime,
            self.settings.device_poll_interval,
        )
        self._devices[device_code] = dev
        self._device_by_user_code[user_code] = device_code
        uri = f"{self.base_url}/device"
        return 200, {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": uri,
            "verification_uri_complete": f"{uri}?user_code={user_code}",
            "expires_in": int(self.settings.device_code_lifetime),
            "interval": int(self.settings.device_poll_interval),
        }

    @route("GET", "/user_management/authorize", "UserlandSsoController_authorize", auth=Auth.PUBLIC)
    def _authorize(self, req: Request, p: Params) -> Any:
        return self._authorize_flow(req.query, None)

    @route("POST", "/user_management/authorize", None, auth=Auth.PUBLIC)
    def _authorize_submit(self, req: Request, p: Params) -> Any:
        form = dict(parse_qsl(req.raw.decode("utf-8", "replace")))
        params = {k[2:]: v for k, v in form.items() if k.startswith("q_")}
        return self._authorize_flow(params, (form.get("email", ""), form.get("password", "")))

    def _authorize_flow(self, q: Mapping[str, str], creds: tuple[str, str] | None) -> Any:
        redirect_uri = q.get("redirect_uri", "")
        if q.get("client_id") != self.client_id:
            return 400, _html_page("Invalid client", "<p>The client_id is missing or unknown.</p>")
        allowed = self.settings.allowed_redirect_uris
        if not redirect_uri or (allowed is not None and redirect_uri not in allowed):
            return 400, _html_page(
                "Invalid redirect URI", "<p>The redirect_uri is missing or not allowed.</p>"
            )
        state = q.get("state")

        def back(**params: str) -> tuple[int, Raw]:
            if state is not None:
                params["state"] = state
            return 302, Raw(None, b"", {"Location": _add_query(redirect_uri, params)})

        if q.get("response_type") != "code":
            return back(
                error="unsupported_response_type", error_description="response_type must be 'code'."
            )
        challenge = q.get("code_challenge")
        if challenge is not None and q.get("code_challenge_method") != "S256":
            return back(
                error="invalid_request", error_description="code_challenge_method must be S256."
            )
        user: JSON | None = None
        method = "Password"
        skip: frozenset[str] = frozenset()
        hint = q.get("login_hint")
        if (q.get("connection_id") or q.get("provider", "authkit") != "authkit") and hint:
            # the fake's "identity provider" signs in the hinted user at once
            uid = self._email_index.get(hint.lower())
            if uid is not None:
                user = self.users[uid]
                provider = q.get("provider")
                method = provider if provider in PROVIDERS_OAUTH else "SSO"
                skip = frozenset({"sso_required", "organization_authentication_methods_required"})
        elif creds is not None:
            uid = self._email_index.get(creds[0].lower())
            if uid is None or not self._check_password(uid, creds[1]):
                return 200, _sign_in_page(q, "Invalid email or password.")
            user = self.users[uid]
        elif self.default_user is not None:
            try:
                user = self._user_ref(self.default_user)
            except KeyError:
                user = None
        if user is None:
            return 200, _sign_in_page(q, None)
        code = self._secret(24)
        self._codes[code] = AuthCode(
            user["id"],
            method,
            self._now() + self.settings.authorization_code_lifetime,
            redirect_uri,
            challenge,
            q.get("organization_id"),
            skip,
        )
        return back(code=code)

    def _check_client_id(self, body: JSON) -> None:
        if body.get("client_id") != self.client_id:
            raise oauth_error(400, "invalid_client", "The client_id is missing or unknown.")


def _add_query(url: str, params: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _html_page(title: str, inner: str) -> Raw:
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>{inner}</body></html>"
    )
    return Raw("text/html; charset=utf-8", page.encode())


def _sign_in_page(q: Mapping[str, str], error: str | None) -> Raw:
    hidden = "".join(
        f"<input type='hidden' name='q_{html.escape(k, quote=True)}' value='{html.escape(v, quote=True)}'>"
        for k, v in q.items()
    )
    err = f"<p role='alert'>{html.escape(error)}</p>" if error else ""
    hint = html.escape(q.get("login_hint", ""), quote=True)
    form = (
        f"{err}<form method='post' action='/user_management/authorize'>{hidden}"
        f"<label>Email <input type='email' name='email' value='{hint}' required></label>"
        "<label>Password <input type='password' name='password' required></label>"
        "<button type='submit'>Sign in</button></form>"
    )
    return _html_page("Sign in", form)
