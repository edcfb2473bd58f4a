"""``POST /user_management/authenticate``: one function per grant type."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from .._util import RouteError, code_error, iso, message_error, missing, oauth_error
from .authorize import AuthorizeRoutes
from .mfa import MfaRoutes, too_many_attempts
from .records import JSON, Pending
from .router import Auth, Params, Request, route
from .sign_in import SignIn
from .state import same_secret
from .validate import body_of

GRANT_CODE = "authorization_code"
GRANT_PASSWORD = "password"
GRANT_MAGIC = "urn:workos:oauth:grant-type:magic-auth:code"
GRANT_EMAIL = "urn:workos:oauth:grant-type:email-verification:code"
GRANT_TOTP = "urn:workos:oauth:grant-type:mfa-totp"
GRANT_ORG = "urn:workos:oauth:grant-type:organization-selection"
GRANT_REFRESH = "refresh_token"
GRANT_DEVICE = "urn:ietf:params:oauth:grant-type:device_code"


class AuthenticateRoutes(SignIn, AuthorizeRoutes, MfaRoutes):
    def _accept_invitation_token(self, body: JSON, user: JSON, org_id: str | None) -> str | None:
        """Accept the body's ``invitation_token`` (if any) for ``user``; returns the org to sign into."""
        token = body.get("invitation_token")
        if not isinstance(token, str):
            return org_id
        inv = self._invitation_for(token, user["email"])
        self._accept(inv, user)
        invited_org: str | None = inv["organization_id"]
        return invited_org

    @route(
        "POST",
        "/user_management/authenticate",
        "UserlandSessionsController_authenticate",
        auth=Auth.API_KEY_IF_SENT,
    )
    def _authenticate(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        grant = body.get("grant_type")
        if not isinstance(grant, str):
            raise message_error(422, "grant_type is required.")
        self._check_client_id(body)
        if grant != GRANT_DEVICE:
            secret = body.get("client_secret")
            public_pkce = grant == GRANT_CODE and body.get("code_verifier") is not None
            if secret is None and not public_pkce:
                raise message_error(422, "client_secret is required.")
            if secret is not None and secret != self.api_key:
                raise oauth_error(400, "invalid_client", "The client_secret is invalid.")
        ip = body.get("ip_address") if isinstance(body.get("ip_address"), str) else None
        ua = body.get("user_agent") if isinstance(body.get("user_agent"), str) else None
        handler = _GRANTS.get(grant)
        if handler is None:
            raise oauth_error(400, "invalid_request", f"Unsupported grant_type '{grant}'.")
        return 200, handler(self, body, ip, ua)

    def _need(self, body: JSON, *names: str) -> list[str]:
        out = []
        for name in names:
            v = body.get(name)
            if not isinstance(v, str) or not v:
                raise message_error(422, f"{name} is required.")
            out.append(v)
        return out

    def _grant_password(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        email, password = self._need(body, "email", "password")
        uid = self._email_index.get(email.lower())
        if uid is None or not self._check_password(uid, password):
            raise code_error(400, "invalid_credentials", "Invalid email or password.")
        user = self.users[uid]
        org_id = self._accept_invitation_token(body, user, None)
        return self._sign_in(user, "Password", org_id, ip, ua)

    def _consume_code(self, candidates: list[JSON], code: str) -> JSON:
        match = next((x for x in reversed(candidates) if same_secret(x["code"], code)), None)
        if match is None:
            latest = candidates[-1] if candidates else None
            if latest is not None:
                meta = self._one_time[latest["id"]]
                meta.attempts += 1
                if meta.attempts > self.settings.one_time_code_max_attempts:
                    raise too_many_attempts("code")
            raise code_error(400, "invalid_one_time_code", "The code is incorrect.")
        meta = self._one_time[match["id"]]
        if meta.used:
            raise code_error(400, "one_time_code_previously_used", "This code was already used.")
        if meta.attempts >= self.settings.one_time_code_max_attempts:
            raise too_many_attempts("code")
        if self._expired(match):
            raise code_error(400, "one_time_code_expired", "This code has expired.")
        meta.used = True
        return match

    def _grant_magic(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        code, email = self._need(body, "code", "email")
        uid = self._email_index.get(email.lower())
        candidates = self._owned_by(self.magic_auths, uid) if uid else []
        self._consume_code(candidates, code)
        assert uid is not None
        user = self.users[uid]
        if not user["email_verified"]:
            self._mark_verified(user)
        org_id = self._accept_invitation_token(body, user, None)
        return self._sign_in(user, "MagicAuth", org_id, ip, ua)

    def _grant_code(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (code,) = self._need(body, "code")
        ac = self._codes.get(code)
        if ac is None or ac.used or ac.expires <= self._now() or ac.user_id not in self.users:
            raise oauth_error(400, "invalid_grant", "The authorization code is invalid or expired.")
        verifier = body.get("code_verifier")
        if ac.challenge is None and verifier is not None:
            raise code_error(
                400, "code_challenge_not_found", "No code_challenge was sent for this code."
            )
        if ac.challenge is not None:
            if not isinstance(verifier, str):
                raise oauth_error(400, "invalid_grant", "code_verifier is required for this code.")
            computed = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if not same_secret(computed, ac.challenge):
                raise oauth_error(
                    400, "invalid_grant", "The code_verifier does not match the code_challenge."
                )
        ac.used = True
        user = self.users[ac.user_id]
        org_id = self._accept_invitation_token(body, user, ac.org_id)
        return self._sign_in(user, ac.method, org_id, ip, ua, done=ac.skip)

    def _take_pending(self, body: JSON) -> Pending:
        token = body.get("pending_authentication_token")
        pending = self._pending.get(token) if isinstance(token, str) else None
        if (
            pending is None
            or pending.used
            or pending.expires <= self._now()
            or pending.user_id not in self.users
        ):
            raise code_error(
                400,
                "invalid_pending_authentication_token",
                "The pending authentication token is invalid or expired.",
            )
        return pending

    def _grant_email(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (code,) = self._need(body, "code", "pending_authentication_token")[:1]
        pending = self._take_pending(body)
        user = self.users[pending.user_id]
        candidates = self._owned_by(self.email_verifications, user["id"])
        self._consume_code(candidates, code)
        self._mark_verified(user)
        return self._resume(pending, pending.org_id, ip, ua, "email_verification_required")

    def _grant_totp(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        code, _, challenge_id = self._need(
            body, "code", "pending_authentication_token", "authentication_challenge_id"
        )
        pending = self._take_pending(body)
        ch = self._get(self.auth_challenges, "Authentication challenge", challenge_id)
        factor = self.auth_factors.get(ch["authentication_factor_id"])
        if factor is None or factor["user_id"] != pending.user_id:
            raise code_error(400, "user_mismatch", "The challenge belongs to another user.")
        if self._one_time[ch["id"]].used:
            raise code_error(
                400, "one_time_code_previously_used", "This challenge was already completed."
            )
        if not self._check_totp(ch, code):
            raise code_error(400, "invalid_one_time_code", "The code is incorrect.")
        self._one_time[ch["id"]].used = True
        return self._resume(pending, pending.org_id, ip, ua, "mfa_challenge", "mfa_enrollment")

    def _grant_org(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        _, org_id = self._need(body, "pending_authentication_token", "organization_id")
        pending = self._take_pending(body)
        if org_id not in self.organizations:
            raise _org_not_found(org_id)
        self._require_active_member(pending.user_id, org_id)
        return self._resume(pending, org_id, ip, ua, "organization_selection_required")

    def _grant_refresh(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (token,) = self._need(body, "refresh_token")
        sid = self._refresh_index.get(token)
        s = self.sessions.get(sid) if sid else None
        if s is None or self._session_state(s) != "active" or s["user_id"] not in self.users:
            raise oauth_error(
                400,
                "invalid_grant",
                "The refresh token is invalid, used, or its session has ended.",
            )
        org_id = body.get("organization_id")
        if org_id is not None:
            if not isinstance(org_id, str) or org_id not in self.organizations:
                raise _org_not_found(org_id)
            self._require_active_member(s["user_id"], org_id)
            self._session_org[s["id"]] = org_id
            s["organization_id"] = org_id
        del self._refresh_index[token]
        new_refresh = self._new_refresh_token(s["id"])
        s["updated_at"] = iso(self._now())
        return self._tokens(self.users[s["user_id"]], s, new_refresh)

    def _grant_device(self, body: JSON, ip: str | None, ua: str | None) -> JSON:
        (device_code,) = self._need(body, "device_code")
        dev = self._devices.get(device_code)
        now = self._now()
        if dev is None or dev.used:
            raise oauth_error(
                400, "invalid_grant", "The device code is invalid or was already used."
            )
        if dev.expires <= now:
            raise oauth_error(400, "expired_token", "The device code has expired; start again.")
        if dev.denied:
            raise oauth_error(400, "access_denied", "The user denied the request.")
        last, dev.last_poll = dev.last_poll, now
        if dev.approved_user is None:
            if last is not None and now - last < dev.interval:
                dev.interval += 5
                raise oauth_error(
                    400, "slow_down", "Polling too fast; increase the interval by 5 seconds."
                )
            raise oauth_error(
                400, "authorization_pending", "The user has not completed authorization yet."
            )
        if dev.approved_user not in self.users:
            raise oauth_error(400, "access_denied", "The approving user no longer exists.")
        dev.used = True
        return self._sign_in(self.users[dev.approved_user], "Password", None, ip, ua)


_GRANTS: dict[str, Callable[[AuthenticateRoutes, JSON, str | None, str | None], JSON]] = {
    GRANT_PASSWORD: AuthenticateRoutes._grant_password,
    GRANT_CODE: AuthenticateRoutes._grant_code,
    GRANT_MAGIC: AuthenticateRoutes._grant_magic,
    GRANT_EMAIL: AuthenticateRoutes._grant_email,
    GRANT_TOTP: AuthenticateRoutes._grant_totp,
    GRANT_ORG: AuthenticateRoutes._grant_org,
    GRANT_REFRESH: AuthenticateRoutes._grant_refresh,
    GRANT_DEVICE: AuthenticateRoutes._grant_device,
}


def _org_not_found(org_id: object) -> RouteError:
    return oauth_error(400, "organization_not_found", missing("Organization", org_id))
