"""One-time codes and tokens: magic auth, email verification, password reset."""

from __future__ import annotations

from typing import Any

from .._util import code_error, iso, message_error, not_found
from .invitations import InvitationRoutes
from .records import JSON
from .router import Invalid, Params, Request, route
from .state import same_secret
from .validate import body_of, email_field, str_field


class OneTimeCodeRoutes(InvitationRoutes):
    @route(
        "POST",
        "/user_management/magic_auth",
        "UserlandMagicAuthController_sendMagicAuthCodeAndReturn",
        invalid=Invalid.MESSAGE,
    )
    def _create_magic_auth(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        email = email_field(body)
        token = str_field(body, "invitation_token")
        if token is not None:
            self._invitation_for(token, email)
        uid = self._email_index.get(email.lower())
        user = self.users[uid] if uid else self._new_user(email=email)
        lifetime = self.settings.magic_auth_lifetime
        return 201, self._new_code("magic_auth", self.magic_auths, user, lifetime)

    @route("GET", "/user_management/magic_auth/{id}", "UserlandMagicAuthController_get")
    def _get_magic_auth(self, req: Request, p: Params) -> Any:
        return self._get(self.magic_auths, "Magic Auth", p["id"])

    @route(
        "GET",
        "/user_management/email_verification/{id}",
        "UserlandUsersController_getEmailVerification",
    )
    def _get_email_verification(self, req: Request, p: Params) -> Any:
        return self._get(self.email_verifications, "Email verification", p["id"])

    @route(
        "POST",
        "/user_management/users/{id}/email_verification/send",
        "UserlandUsersController_sendVerificationEmail",
    )
    def _send_verification(self, req: Request, p: Params) -> Any:
        user = self._get(self.users, "User", p["id"])
        if user["email_verified"]:
            raise code_error(
                400, "email_already_verified", "The email address is already verified."
            )
        self._new_email_verification(user)
        return 200, {"user": user}

    @route(
        "POST",
        "/user_management/users/{id}/email_verification/confirm",
        "UserlandUsersController_emailVerification",
    )
    def _confirm_verification(self, req: Request, p: Params) -> Any:
        user = self._get(self.users, "User", p["id"])
        code = str_field(body_of(req), "code", required=True)
        candidates = self._owned_by(self.email_verifications, user["id"])
        match = next((ev for ev in reversed(candidates) if same_secret(ev["code"], code)), None)
        if match is not None and self._one_time[match["id"]].used:
            raise code_error(
                400, "email_verification_code_previously_used", "This code was already used."
            )
        if user["email_verified"]:
            raise code_error(
                400, "email_previously_verified", "The email address is already verified."
            )
        if match is None:
            raise code_error(400, "email_verification_code_incorrect", "The code is incorrect.")
        if self._expired(match):
            raise code_error(400, "email_verification_code_expired", "The code has expired.")
        self._one_time[match["id"]].used = True
        self._mark_verified(user)
        return 200, {"user": user}

    @route(
        "POST",
        "/user_management/password_reset",
        "UserlandUsersController_createPasswordResetToken",
    )
    def _create_password_reset(self, req: Request, p: Params) -> Any:
        email = str_field(body_of(req), "email", required=True)
        uid = self._email_index.get(email.lower())
        if uid is None:
            raise not_found("User", email)
        now = self._now()
        token = self._secret(24)
        pr: JSON = {
            "object": "password_reset",
            "id": self.ids.new("password_reset"),
            "user_id": uid,
            "email": self.users[uid]["email"],
            "password_reset_token": token,
            "password_reset_url": f"{self.base_url}/reset-password?token={token}",
            "expires_at": iso(now + self.settings.password_reset_lifetime),
            "created_at": iso(now),
        }
        self._new_one_time(self.password_resets, pr)
        self._send(
            "password_reset", pr["email"], pr["id"], token=token, url=pr["password_reset_url"]
        )
        return 201, pr

    @route(
        "GET",
        "/user_management/password_reset/{id}",
        "UserlandUsersController_getPasswordReset",
    )
    def _get_password_reset(self, req: Request, p: Params) -> Any:
        return self._get(self.password_resets, "Password reset", p["id"])

    @route(
        "POST",
        "/user_management/password_reset/confirm",
        "UserlandUsersController_resetPassword",
    )
    def _reset_password(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        token = str_field(body, "token", required=True)
        new_password = str_field(body, "new_password", required=True)
        pr = next(
            (
                x
                for x in self.password_resets.values()
                if same_secret(x["password_reset_token"], token)
            ),
            None,
        )
        if pr is None or pr["user_id"] not in self.users:
            raise message_error(404, "Password reset token not found.")
        meta = self._one_time[pr["id"]]
        errors: list[JSON] = []
        if meta.used:
            errors.append(
                {
                    "code": "password_reset_token_used",
                    "message": "This password reset token was already used.",
                }
            )
        elif self._expired(pr):
            errors.append(
                {
                    "code": "password_reset_token_expired",
                    "message": "This password reset token has expired.",
                }
            )
        else:
            errors = self._password_problems(new_password)
        if errors:
            raise code_error(
                400, "password_reset_error", "The password could not be reset.", errors=errors
            )
        meta.used = True
        user = self.users[pr["user_id"]]
        self._passwords[user["id"]] = self._hash_password(new_password)
        user["updated_at"] = iso(self._now())
        return 200, {"user": user}
