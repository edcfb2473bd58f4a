"""Sessions: listing, revocation, logout."""

from __future__ import annotations

from typing import Any

from .._util import iso, message_error, missing
from .records import JSON, PROVIDERS_OAUTH
from .router import Auth, Invalid, Params, Raw, Request, route
from .state import FakeState
from .validate import body_of, page, str_field

_SESSION_METHOD = {"Password": "password", "MagicAuth": "magic_code", "SSO": "sso"}


class SessionRoutes(FakeState):
    def _new_session(
        self, user: JSON, method: str, org_id: str | None, ip: str | None, ua: str | None
    ) -> tuple[JSON, str]:
        now = self._now()
        s: JSON = {
            "object": "session",
            "id": self.ids.new("session"),
            "user_id": user["id"],
            "status": "active",
            "auth_method": _SESSION_METHOD.get(
                method, "oauth" if method in PROVIDERS_OAUTH else "unknown"
            ),
            "ip_address": ip,
            "user_agent": ua,
            "expires_at": iso(now + self.settings.session_lifetime),
            "ended_at": None,
            "created_at": iso(now),
            "updated_at": iso(now),
        }
        if org_id is not None:
            s["organization_id"] = org_id
        self.sessions[s["id"]] = s
        self._session_org[s["id"]] = org_id
        self._auth_time[s["id"]] = int(now)
        return s, self._new_refresh_token(s["id"])

    def _new_refresh_token(self, sid: str) -> str:
        refresh = self._secret(24)
        self._refresh_index[refresh] = sid
        return refresh

    def _session_state(self, s: JSON) -> str:
        if s["status"] == "active" and self._expired(s):
            s["status"] = "expired"
            s["ended_at"] = s["expires_at"]
        return str(s["status"])

    def _known_session(self, sid: str) -> str:
        """``sid`` if it names a session; else one code-less 422 that each route reports with the
        status its operation declares (revoke: 400, logout: 422)."""
        if sid not in self.sessions:
            raise message_error(422, missing("Session", sid))
        return sid

    def _end_session(self, sid: str, status: str) -> None:
        s = self.sessions[sid]
        if self._session_state(s) == "active":
            now = iso(self._now())
            s.update(status=status, ended_at=now, updated_at=now)
        for tok in [t for t, v in self._refresh_index.items() if v == sid]:
            del self._refresh_index[tok]

    @route("GET", "/user_management/users/{id}/sessions", "UserlandUserSessionsController_list")
    def _list_sessions(self, req: Request, p: Params) -> Any:
        self._get(self.users, "User", p["id"])
        items = self._owned_by(self.sessions, p["id"])
        for s in items:
            self._session_state(s)
        return page(req, items)

    @route(
        "POST",
        "/user_management/sessions/revoke",
        "UserlandSessionsController_revokeSession",
        invalid=Invalid.STATUS_400,
    )
    def _revoke_session(self, req: Request, p: Params) -> Any:
        sid = str_field(body_of(req), "session_id", required=True)
        self._end_session(self._known_session(sid), "revoked")
        return 200, None

    @route(
        "GET",
        "/user_management/sessions/logout",
        "UserlandSessionsController_logout",
        auth=Auth.PUBLIC,
        invalid=Invalid.MESSAGE,
    )
    def _logout(self, req: Request, p: Params) -> Any:
        sid = req.query.get("session_id")
        if not sid:
            raise message_error(422, "session_id is required.")
        self._end_session(self._known_session(sid), "revoked")
        return_to = req.query.get("return_to")
        if return_to:
            return 302, Raw(None, b"", {"Location": return_to})
        return 200, Raw(
            "text/html; charset=utf-8",
            b"<!doctype html><title>Signed out</title><p>Signed out.</p>",
        )
