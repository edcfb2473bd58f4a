"""The sign-in pipeline shared by every grant: required steps (email verification, MFA,
organization selection), pending tokens, the session and its tokens."""

from __future__ import annotations

from typing import Literal, get_args

from .._util import RouteError, code_error, iso, missing, oauth_error
from .one_time_codes import OneTimeCodeRoutes
from .records import JSON, Pending
from .sessions import SessionRoutes
from .state import id_key
from .tokens import TokenRoutes

Outcome = Literal[
    "email_verification_required",
    "mfa_enrollment",
    "mfa_challenge",
    "organization_selection_required",
    "sso_required",
    "organization_authentication_methods_required",
]
OUTCOMES: tuple[str, ...] = get_args(Outcome)


class SignIn(SessionRoutes, TokenRoutes, OneTimeCodeRoutes):
    def _pending_token(
        self,
        user: JSON,
        method: str,
        org_id: str | None,
        stage: str,
        done: frozenset[str],
        ip: str | None,
        ua: str | None,
    ) -> str:
        token = self._secret(24)
        self._pending[token] = Pending(
            user["id"],
            method,
            org_id,
            self._now() + self.settings.pending_token_lifetime,
            stage,
            done | {stage},
            ip,
            ua,
        )
        return token

    def _outcome(
        self,
        outcome: str,
        user: JSON,
        method: str,
        org_id: str | None,
        done: frozenset[str],
        ip: str | None,
        ua: str | None,
    ) -> RouteError:
        token = self._pending_token(user, method, org_id, outcome, done, ip, ua)
        if outcome == "email_verification_required":
            ev = self._new_email_verification(user)
            return code_error(
                403,
                outcome,
                "Email ownership must be verified before authentication.",
                pending_authentication_token=token,
                email=user["email"],
                email_verification_id=ev["id"],
            )
        if outcome == "mfa_enrollment":
            return code_error(
                403,
                outcome,
                "The user must enroll in MFA to finish authenticating.",
                pending_authentication_token=token,
                user=user,
            )
        if outcome == "mfa_challenge":
            factors = [
                {"id": f["id"], "type": f["type"]}
                for f in sorted(self._owned_by(self.auth_factors, user["id"]), key=id_key)
            ]
            return code_error(
                403,
                outcome,
                "The user must complete an MFA challenge to finish authenticating.",
                pending_authentication_token=token,
                authentication_factors=factors,
                user=user,
            )
        if outcome == "organization_selection_required":
            orgs = [{"id": o["id"], "name": o["name"]} for o in self._active_orgs(user["id"])]
            return code_error(
                403,
                outcome,
                "The user must choose an organization to finish authenticating.",
                pending_authentication_token=token,
                organizations=orgs,
                user=user,
            )
        connection = "conn_" + self.ids.new("x")[2:]
        if outcome == "sso_required":
            return oauth_error(
                400,
                outcome,
                "User must authenticate using one of the matching connections.",
                connection_ids=[connection],
                email=user["email"],
                pending_authentication_token=token,
            )
        return oauth_error(
            400,
            "organization_authentication_methods_required",
            "User must authenticate using one of the methods allowed by the organization.",
            sso_connection_ids=[connection],
            auth_methods={
                "apple_oauth": False,
                "github_oauth": False,
                "google_oauth": True,
                "magic_auth": True,
                "microsoft_oauth": False,
                "password": False,
            },
            email=user["email"],
            pending_authentication_token=token,
        )

    def _sign_in(
        self,
        user: JSON,
        method: str,
        org_id: str | None,
        ip: str | None,
        ua: str | None,
        *,
        done: frozenset[str] = frozenset(),
    ) -> JSON:
        forced = self._forced.get(user["id"])
        if forced:
            outcome = forced.pop(0)
            if not forced:
                del self._forced[user["id"]]
            raise self._outcome(outcome, user, method, org_id, done, ip, ua)
        st = self.settings
        if (
            st.require_email_verification
            and not user["email_verified"]
            and "email_verification_required" not in done
        ):
            raise self._outcome("email_verification_required", user, method, org_id, done, ip, ua)
        if "mfa_challenge" not in done and "mfa_enrollment" not in done:
            has_factor = any(f["user_id"] == user["id"] for f in self.auth_factors.values())
            if has_factor and st.mfa_challenge_enrolled_users:
                raise self._outcome("mfa_challenge", user, method, org_id, done, ip, ua)
            if not has_factor and st.require_mfa_enrollment:
                raise self._outcome("mfa_enrollment", user, method, org_id, done, ip, ua)
        orgs = self._active_orgs(user["id"])
        if org_id is None:
            if (
                len(orgs) > 1
                and st.organization_selection
                and "organization_selection_required" not in done
            ):
                raise self._outcome(
                    "organization_selection_required", user, method, org_id, done, ip, ua
                )
            if len(orgs) == 1:
                org_id = orgs[0]["id"]
        elif org_id not in {o["id"] for o in orgs}:
            if org_id not in self.organizations:
                raise code_error(400, "invalid_organization_id", missing("Organization", org_id))
            raise _not_a_member()
        session, refresh = self._new_session(user, method, org_id, ip, ua)
        user["last_sign_in_at"] = iso(self._now())
        out = self._tokens(user, session, refresh)
        out["authentication_method"] = method
        return out

    def _tokens(self, user: JSON, session: JSON, refresh: str) -> JSON:
        """The body of a successful authentication: user, session organization and tokens."""
        out: JSON = {"user": user}
        org_id = self._session_org.get(session["id"])
        if org_id is not None:
            out["organization_id"] = org_id
        out["access_token"] = self._access_token(session)
        out["refresh_token"] = refresh
        return out

    def _resume(
        self, pending: Pending, org_id: str | None, ip: str | None, ua: str | None, *stages: str
    ) -> JSON:
        """Continue the sign-in held by ``pending`` now that ``stages`` are completed."""
        pending.used = True
        return self._sign_in(
            self.users[pending.user_id],
            pending.method,
            org_id,
            ip or pending.ip,
            ua or pending.ua,
            done=pending.done | set(stages),
        )

    def _require_active_member(self, user_id: str, org_id: str) -> None:
        m = self._find_membership(user_id, org_id)
        if m is None or m["status"] != "active":
            raise _not_a_member()


def _not_a_member() -> RouteError:
    return oauth_error(
        400, "organization_membership_not_found", "The user is not a member of this organization."
    )
