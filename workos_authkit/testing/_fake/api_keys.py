"""Organization API keys and their validation."""

from __future__ import annotations

from typing import Any

from .._util import RouteError, iso
from .records import JSON
from .router import Invalid, Params, Request, route
from .state import FakeState, parse_iso
from .validate import body_of, page, str_field


class ApiKeyRoutes(FakeState):
    @route(
        "POST",
        "/organizations/{organizationId}/api_keys",
        "OrganizationApiKeysController_create",
        invalid=Invalid.ERRORS,
    )
    def _create_api_key(self, req: Request, p: Params) -> Any:
        org = self._get(self.organizations, "Organization", p["organizationId"])
        body = body_of(req)
        name = body.get("name")
        errors = []
        if not isinstance(name, str) or not name:
            errors.append({"code": "required", "field": "name"})
        perms = body.get("permissions", [])
        if not isinstance(perms, list) or not all(isinstance(x, str) for x in perms):
            errors.append({"code": "invalid", "field": "permissions"})
        expires_at = body.get("expires_at")
        if expires_at is not None:
            try:
                expires_at = iso(parse_iso(expires_at))
            except (TypeError, ValueError, AttributeError):
                errors.append({"code": "invalid", "field": "expires_at"})
        if errors:
            raise RouteError(422, {"message": "Validation failed.", "errors": errors})
        value = "sk_" + self._secret(30)
        now = iso(self._now())
        key: JSON = {
            "object": "api_key",
            "id": self.ids.new("api_key"),
            "owner": {"type": "organization", "id": org["id"]},
            "name": name,
            "obfuscated_value": f"sk_…{value[-4:]}",
            "last_used_at": None,
            "permissions": list(perms),
            "expires_at": expires_at,
            "created_at": now,
            "updated_at": now,
        }
        self.api_keys[key["id"]] = key
        self._api_key_values[value] = key["id"]
        return 201, {**key, "value": value}

    @route("GET", "/organizations/{organizationId}/api_keys", "OrganizationApiKeysController_list")
    def _list_api_keys(self, req: Request, p: Params) -> Any:
        oid = self._get(self.organizations, "Organization", p["organizationId"])["id"]
        return page(req, [k for k in self.api_keys.values() if k["owner"]["id"] == oid])

    @route("DELETE", "/api_keys/{id}", "ApiKeysController_delete")
    def _delete_api_key(self, req: Request, p: Params) -> Any:
        self._get(self.api_keys, "API key", p["id"])
        del self.api_keys[p["id"]]
        for v in [v for v, k in self._api_key_values.items() if k == p["id"]]:
            del self._api_key_values[v]
        return 204, None

    @route(
        "POST",
        "/api_keys/validations",
        "ApiKeysController_validateApiKey",
        invalid=Invalid.MESSAGE,
    )
    def _validate_api_key(self, req: Request, p: Params) -> Any:
        value = str_field(body_of(req), "value", required=True)
        kid = self._api_key_values.get(value)
        if kid is None:
            return 200, {"api_key": None}
        key = self.api_keys[kid]
        if key["expires_at"] is not None and self._expired(key):
            return 200, {"api_key": None}
        key["last_used_at"] = iso(self._now())
        return 200, {"api_key": key}
