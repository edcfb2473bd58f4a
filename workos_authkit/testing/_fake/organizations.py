"""Organizations and organization memberships."""

from __future__ import annotations

from typing import Any, Literal

from .._util import code_error, iso, message_error
from .records import JSON
from .router import Invalid, Params, Request, route
from .state import FakeState
from .validate import body_of, check_metadata, page, str_field


class OrganizationRoutes(FakeState):
    @route("POST", "/organizations", "OrganizationsController_create", invalid=Invalid.MESSAGE)
    def _create_org(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        name = str_field(body, "name", required=True)
        ext = str_field(body, "external_id")
        domains = [d.get("domain") for d in body.get("domain_data") or [] if isinstance(d, dict)]
        domains += [d for d in body.get("domains") or [] if isinstance(d, str)]
        metadata = check_metadata(body.get("metadata"))
        return 201, self._new_org(name, [d for d in domains if d], ext, metadata)

    @route("GET", "/organizations", "OrganizationsController_list", invalid=Invalid.MESSAGE)
    def _list_orgs(self, req: Request, p: Params) -> Any:
        return page(req, self.organizations.values())

    @route("GET", "/organizations/{id}", "OrganizationsController_find")
    def _get_org(self, req: Request, p: Params) -> Any:
        return self._get(self.organizations, "Organization", p["id"])

    def _roles_from(self, body: JSON) -> list[str] | None:
        """The role slugs of ``role_slug`` or ``role_slugs`` (all of them kept), if sent."""
        slug = body.get("role_slug")
        slugs = body.get("role_slugs")
        if slug is not None and slugs is not None:
            raise message_error(422, "Provide either role_slug or role_slugs, not both.")
        if slugs is not None:
            if (
                not isinstance(slugs, list)
                or not slugs
                or not all(isinstance(s, str) for s in slugs)
            ):
                raise message_error(422, "role_slugs must be a non-empty array of strings.")
            if len(slugs) > 1 and not self.settings.multiple_roles:
                raise code_error(
                    422,
                    "multiple_roles_not_enabled",
                    "Multiple roles are not enabled for this environment.",
                )
        elif slug is not None:
            if not isinstance(slug, str):
                raise message_error(422, "role_slug must be a string.")
            slugs = [slug]
        for s in slugs or ():
            if s not in self.settings.roles:
                raise code_error(422, "invalid_role", f"Role '{s}' does not exist.")
        return None if slugs is None else list(dict.fromkeys(slugs))

    @route(
        "POST",
        "/user_management/organization_memberships",
        "UserlandUserOrganizationMembershipsController_create",
    )
    def _create_membership(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        uid = str_field(body, "user_id", required=True)
        oid = str_field(body, "organization_id", required=True)
        roles = self._roles_from(body)
        self._get(self.users, "User", uid)
        self._get(self.organizations, "Organization", oid)
        existing = self._find_membership(uid, oid)
        if existing is not None:
            if existing["status"] == "pending":
                raise code_error(
                    400,
                    "cannot_reactivate_pending_organization_membership",
                    "A pending membership cannot be reactivated; accept the invitation instead.",
                )
            if existing["status"] == "active":
                raise message_error(422, "The user is already a member of this organization.")
            existing["status"] = "active"
            if roles is not None:
                self._set_roles(existing, roles)
            existing["updated_at"] = iso(self._now())
            return 201, self._render_membership(existing)
        m = self._new_membership(uid, oid, roles)
        return 201, self._render_membership(m)

    @route(
        "GET",
        "/user_management/organization_memberships/{id}",
        "UserlandUserOrganizationMembershipsController_get",
    )
    def _get_membership(self, req: Request, p: Params) -> Any:
        return self._render_membership(
            self._get(self.memberships, "Organization membership", p["id"])
        )

    @route(
        "GET",
        "/user_management/organization_memberships",
        "UserlandUserOrganizationMembershipsController_list",
        invalid=Invalid.MESSAGE,
    )
    def _list_memberships(self, req: Request, p: Params) -> Any:
        uid = req.query.get("user_id")
        oid = req.query.get("organization_id")
        if not uid and not oid:
            raise code_error(
                400, "missing_user_id_or_organization_id", "Send user_id or organization_id."
            )
        statuses: set[str] | None = None
        raw = req.query.get("statuses")
        if raw:
            statuses = {s for s in raw.split(",") if s}
            if not statuses <= {"active", "inactive", "pending"}:
                raise code_error(
                    400,
                    "invalid_request_parameters",
                    "statuses must be active, inactive or pending.",
                )
        items = [
            m
            for m in self.memberships.values()
            if (not uid or m["user_id"] == uid)
            and (not oid or m["organization_id"] == oid)
            and (statuses is None or m["status"] in statuses)
        ]
        return page(req, items, self._render_membership)

    @route(
        "PUT",
        "/user_management/organization_memberships/{id}",
        "UserlandUserOrganizationMembershipsController_update",
    )
    def _update_membership(self, req: Request, p: Params) -> Any:
        m = self._get(self.memberships, "Organization membership", p["id"])
        roles = self._roles_from(body_of(req, required=False))
        if roles is not None:
            self._set_roles(m, roles)
            m["updated_at"] = iso(self._now())
        return self._render_membership(m)

    @route(
        "DELETE",
        "/user_management/organization_memberships/{id}",
        "UserlandUserOrganizationMembershipsController_delete",
    )
    def _delete_membership(self, req: Request, p: Params) -> Any:
        self._get(self.memberships, "Organization membership", p["id"])
        del self.memberships[p["id"]]
        return 200, None

    def _set_membership_status(
        self, mid: str, status: Literal["active", "inactive"], verb: str
    ) -> JSON:
        m = self._get(self.memberships, "Organization membership", mid)
        if m["status"] == "pending":
            raise code_error(
                400,
                f"cannot_{verb}_pending_organization_membership",
                f"A pending membership cannot be {verb}d.",
            )
        if m["status"] != status:
            m["status"] = status
            m["updated_at"] = iso(self._now())
        return self._render_membership(m)

    @route(
        "PUT",
        "/user_management/organization_memberships/{id}/deactivate",
        "UserlandUserOrganizationMembershipsController_deactivate",
    )
    def _deactivate_membership(self, req: Request, p: Params) -> Any:
        return self._set_membership_status(p["id"], "inactive", "deactivate")

    @route(
        "PUT",
        "/user_management/organization_memberships/{id}/reactivate",
        "UserlandUserOrganizationMembershipsController_reactivate",
    )
    def _reactivate_membership(self, req: Request, p: Params) -> Any:
        return self._set_membership_status(p["id"], "active", "reactivate")
