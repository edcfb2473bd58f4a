"""MFA: TOTP factors and challenges."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from .._totp import verify_totp
from .._util import RouteError, code_error, iso, message_error
from .records import JSON
from .router import Invalid, Params, Request, route
from .state import FakeState
from .validate import body_of, page, str_field


class MfaRoutes(FakeState):
    @route(
        "POST",
        "/user_management/users/{userlandUserId}/auth_factors",
        "UserlandUserAuthenticationFactorsController_create",
        invalid=Invalid.MESSAGE,
    )
    def _enroll_factor(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        user = self._factor_user(p)
        if body.get("type") != "totp":
            raise message_error(422, "type must be 'totp'.")
        issuer = str_field(body, "totp_issuer") or "WorkOS"
        account = str_field(body, "totp_user") or user["email"]
        secret = str_field(body, "totp_secret")
        if secret is None:
            secret = (
                base64.b32encode(self._rng.getrandbits(160).to_bytes(20, "big"))
                .decode()
                .rstrip("=")
            )
        else:
            try:
                base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
            except ValueError:
                raise message_error(422, "totp_secret must be base32.") from None
        now = iso(self._now())
        factor: JSON = {
            "object": "authentication_factor",
            "id": self.ids.new("auth_factor"),
            "type": "totp",
            "user_id": user["id"],
            "totp": {"issuer": issuer, "user": account},
            "created_at": now,
            "updated_at": now,
        }
        self.auth_factors[factor["id"]] = factor
        self._factor_secrets[factor["id"]] = secret
        uri = f"otpauth://totp/{issuer}:{account}?" + urlencode(
            {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30}
        )
        enrolled = dict(factor)
        enrolled["totp"] = {
            "issuer": issuer,
            "user": account,
            "secret": secret,
            "qr_code": "data:text/plain;base64," + base64.b64encode(uri.encode()).decode(),
            "uri": uri,
        }
        challenge = self._new_challenge(factor)
        return 201, {"authentication_factor": enrolled, "authentication_challenge": challenge}

    @route(
        "GET",
        "/user_management/users/{userlandUserId}/auth_factors",
        "UserlandUserAuthenticationFactorsController_list",
        invalid=Invalid.MESSAGE,
    )
    def _list_factors(self, req: Request, p: Params) -> Any:
        uid = self._factor_user(p)["id"]
        return page(req, self._owned_by(self.auth_factors, uid))

    def _factor_user(self, p: Params) -> JSON:
        """The user of an auth factor route (an unknown one is a 422 there, not a 404)."""
        user = self.users.get(p["userlandUserId"])
        if user is None:
            raise message_error(422, "User not found.")
        return user

    def _new_challenge(self, factor: JSON) -> JSON:
        now = iso(self._now())
        ch: JSON = {
            "object": "authentication_challenge",
            "id": self.ids.new("auth_challenge"),
            "authentication_factor_id": factor["id"],
            "created_at": now,
            "updated_at": now,
        }
        return self._new_one_time(self.auth_challenges, ch)

    @route(
        "POST",
        "/auth/factors/{id}/challenge",
        "AuthenticationFactorsController_challenge",
        invalid=Invalid.MESSAGE,
    )
    def _challenge(self, req: Request, p: Params) -> Any:
        factor = self._get(self.auth_factors, "Authentication factor", p["id"])
        body = body_of(req, required=False)
        str_field(body, "sms_template")
        return 201, self._new_challenge(factor)

    def _check_totp(self, challenge: JSON, code: str) -> bool:
        meta = self._one_time[challenge["id"]]
        if meta.attempts >= self.settings.one_time_code_max_attempts:
            raise too_many_attempts("challenge")
        meta.attempts += 1
        secret = self._factor_secrets.get(challenge["authentication_factor_id"])
        return secret is not None and verify_totp(secret, code, self._now())

    @route(
        "POST",
        "/auth/challenges/{id}/verify",
        "AuthenticationChallengesController_verify",
        invalid=Invalid.MESSAGE,
    )
    def _verify_challenge(self, req: Request, p: Params) -> Any:
        ch = self._get(self.auth_challenges, "Authentication challenge", p["id"])
        code = str_field(body_of(req), "code", required=True)
        meta = self._one_time[ch["id"]]
        valid = not meta.used and self._check_totp(ch, code)
        if valid:
            meta.used = True
        return 201, {"challenge": ch, "valid": valid}


def too_many_attempts(what: str) -> RouteError:
    return code_error(
        400, "one_time_code_too_many_attempts", f"Too many attempts; request a new {what}."
    )
