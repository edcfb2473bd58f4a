"""Invitations: ``/user_management/invitations``."""

from __future__ import annotations

from typing import Any

from .._util import code_error, iso, message_error, oauth_error
from .records import JSON
from .router import Params, Request, route
from .state import FakeState
from .validate import body_of, email_field, page, str_field


class InvitationRoutes(FakeState):
    def _render_invitation(self, inv: JSON) -> JSON:
        if inv["state"] == "pending" and self._expired(inv):
            inv["state"] = "expired"
            inv["updated_at"] = inv["expires_at"]
        return inv

    @route("POST", "/user_management/invitations", "UserlandUserInvitesController_create")
    def _send_invitation(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        email = email_field(body)
        oid = str_field(body, "organization_id")
        inviter = str_field(body, "inviter_user_id")
        role = str_field(body, "role_slug")
        str_field(body, "locale")
        days = body.get("expires_in_days", 7)
        if not isinstance(days, int) or isinstance(days, bool):
            raise message_error(422, "expires_in_days must be an integer.")
        if days < 1:
            raise code_error(
                400, "expires_in_days_too_short", "expires_in_days must be at least 1."
            )
        if days > 30:
            raise code_error(400, "expires_in_days_too_long", "expires_in_days must be at most 30.")
        if oid is not None:
            self._get(self.organizations, "Organization", oid)
        if inviter is not None:
            self._get(self.users, "User", inviter)
        if role is not None and role not in self.settings.roles:
            raise code_error(400, "invalid_role", f"Role '{role}' does not exist.")
        uid = self._email_index.get(email.lower())
        for inv in self.invitations.values():
            if (
                inv["email"].lower() == email.lower()
                and self._render_invitation(inv)["state"] == "pending"
            ):
                if oid is not None and inv["organization_id"] == oid:
                    raise code_error(
                        400,
                        "email_already_invited_to_organization",
                        "This email already has a pending invitation to the organization.",
                    )
                if oid is None and inv["organization_id"] is None:
                    raise code_error(
                        400, "email_already_invited", "This email already has a pending invitation."
                    )
        if uid is not None:
            if oid is None:
                raise code_error(
                    400, "user_already_exists", "A user with this email already exists."
                )
            m = self._find_membership(uid, oid)
            if m is not None and m["status"] == "active":
                raise code_error(
                    400,
                    "user_already_organization_member",
                    "The user is already a member of the organization.",
                )
        now = self._now()
        token = self._secret(18)
        inv = {
            "object": "invitation",
            "id": self.ids.new("invitation"),
            "email": email,
            "state": "pending",
            "accepted_at": None,
            "revoked_at": None,
            "expires_at": iso(now + days * 86400),
            "organization_id": oid,
            "inviter_user_id": inviter,
            "accepted_user_id": None,
            "role_slug": role,
            "token": token,
            "accept_invitation_url": f"{self.base_url}/invite?invitation_token={token}",
            "created_at": iso(now),
            "updated_at": iso(now),
        }
        self.invitations[inv["id"]] = inv
        self._invite_tokens[token] = inv["id"]
        if uid is not None and oid is not None and self._find_membership(uid, oid) is None:
            m = self._new_membership(uid, oid, None if role is None else [role])
            m["status"] = "pending"
        self._send_invitation_email(inv)
        return 201, inv

    def _invitation(self, iid: str) -> JSON:
        return self._render_invitation(self._get(self.invitations, "Invitation", iid))

    @staticmethod
    def _require_pending(inv: JSON) -> None:
        if inv["state"] != "pending":
            raise code_error(400, "invite_not_pending", f"The invitation is {inv['state']}.")

    def _send_invitation_email(self, inv: JSON) -> None:
        self._send(
            "invitation",
            inv["email"],
            inv["id"],
            token=inv["token"],
            url=inv["accept_invitation_url"],
        )

    @route("GET", "/user_management/invitations/{id}", "UserlandUserInvitesController_get")
    def _get_invitation(self, req: Request, p: Params) -> Any:
        return self._invitation(p["id"])

    @route(
        "GET",
        "/user_management/invitations/by_token/{token}",
        "UserlandUserInvitesController_getByToken",
    )
    def _get_invitation_by_token(self, req: Request, p: Params) -> Any:
        iid = self._invite_tokens.get(p["token"])
        if iid is None:
            raise message_error(404, "Invitation not found.")
        return self._render_invitation(self.invitations[iid])

    @route("GET", "/user_management/invitations", "UserlandUserInvitesController_list")
    def _list_invitations(self, req: Request, p: Params) -> Any:
        oid = req.query.get("organization_id")
        email = (req.query.get("email") or "").lower()
        items = [
            self._render_invitation(i)
            for i in self.invitations.values()
            if (not oid or i["organization_id"] == oid)
            and (not email or i["email"].lower() == email)
        ]
        return page(req, items)

    def _accept(self, inv: JSON, user: JSON) -> None:
        now = iso(self._now())
        inv.update(state="accepted", accepted_at=now, accepted_user_id=user["id"], updated_at=now)
        oid = inv["organization_id"]
        if oid is not None and oid in self.organizations:
            m = self._find_membership(user["id"], oid)
            if m is None:
                role = inv["role_slug"]
                self._new_membership(user["id"], oid, None if role is None else [role])
            elif m["status"] != "active":
                m["status"] = "active"
                m["updated_at"] = now

    @route(
        "POST",
        "/user_management/invitations/{id}/accept",
        "UserlandUserInvitesController_accept",
    )
    def _accept_invitation(self, req: Request, p: Params) -> Any:
        inv = self._invitation(p["id"])
        if inv["accepted_user_id"] is not None:
            raise code_error(
                400, "invite_has_accepted_user_id", "The invitation was already accepted by a user."
            )
        self._require_pending(inv)
        uid = self._email_index.get(inv["email"].lower())
        if uid is None:
            raise code_error(
                400,
                "invalid_invite",
                "No user with the invited email exists yet; sign up with the invitation token.",
            )
        self._accept(inv, self.users[uid])
        return 200, inv

    @route(
        "POST",
        "/user_management/invitations/{id}/revoke",
        "UserlandUserInvitesController_revoke",
    )
    def _revoke_invitation(self, req: Request, p: Params) -> Any:
        inv = self._invitation(p["id"])
        self._require_pending(inv)
        now = iso(self._now())
        inv.update(state="revoked", revoked_at=now, updated_at=now)
        return 200, inv

    @route(
        "POST",
        "/user_management/invitations/{id}/resend",
        "UserlandUserInvitesController_resend",
    )
    def _resend_invitation(self, req: Request, p: Params) -> Any:
        inv = self._invitation(p["id"])
        body = body_of(req, required=False)
        str_field(body, "locale")
        state = inv["state"]
        if state == "expired":
            raise code_error(400, "invite_expired", "The invitation has expired.")
        if state == "revoked":
            raise code_error(400, "invite_revoked", "The invitation was revoked.")
        if state == "accepted":
            raise code_error(400, "invite_accepted", "The invitation was already accepted.")
        inv["updated_at"] = iso(self._now())
        self._send_invitation_email(inv)
        return 200, inv

    def _invitation_for(self, token: str, email: str | None) -> JSON:
        iid = self._invite_tokens.get(token)
        inv = self._render_invitation(self.invitations[iid]) if iid else None
        if inv is None or inv["state"] != "pending":
            raise oauth_error(
                400, "invitation_invalid", "The invitation is invalid, expired or already used."
            )
        if email is not None and inv["email"].lower() != email.lower():
            raise oauth_error(
                400,
                "invitation_cannot_be_used_for_email",
                "The invitation was sent to another email address.",
            )
        return inv
