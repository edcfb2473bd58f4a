"""Users and their identities: ``/user_management/users``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .._util import code_error, iso, message_error, not_found
from .records import JSON
from .router import Invalid, Params, Request, route
from .sessions import SessionRoutes
from .validate import EMAIL_RE, body_of, check_metadata, email_field, page, str_field

_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$")
_BCRYPT_RE = re.compile(r"^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$")
HASH_TYPES = ("bcrypt", "firebase-scrypt", "ssha", "scrypt", "pbkdf2", "argon2")


class UserRoutes(SessionRoutes):
    @route("POST", "/user_management/users", "UserlandUsersController_create")
    def _create_user(self, req: Request, p: Params) -> Any:
        body = body_of(req)
        email = email_field(body)
        for name in ("first_name", "last_name", "external_id"):
            str_field(body, name)
        if body.get("email_verified") is not None and not isinstance(body["email_verified"], bool):
            raise message_error(422, "email_verified must be a boolean.")
        ext = body.get("external_id")
        if ext is not None and len(ext) > 128:
            raise message_error(422, "external_id must be at most 128 characters.")
        metadata = check_metadata(body.get("metadata"))
        pw = self._password_fields(body)
        errors = []
        if email.lower() in self._email_index:
            errors.append(
                {"code": "email_not_available", "message": "This email is not available."}
            )
        if ext is not None and ext in self._external_index:
            errors.append(
                {
                    "code": "external_id_not_available",
                    "message": "This external_id is already in use.",
                }
            )
        if errors:
            raise code_error(400, "user_creation_error", "Could not create user.", errors=errors)
        user = self._new_user(
            email=email,
            first_name=body.get("first_name"),
            last_name=body.get("last_name"),
            email_verified=bool(body.get("email_verified") or False),
            external_id=ext,
            metadata=metadata,
        )
        if pw is not None:
            self._passwords[user["id"]] = pw
        return 201, user

    @route("GET", "/user_management/users/{id}", "UserlandUsersController_get")
    def _get_user(self, req: Request, p: Params) -> Any:
        return self._get(self.users, "User", p["id"])

    @route(
        "GET",
        "/user_management/users/external_id/{external_id}",
        "UserlandUsersController_getByExternalId",
    )
    def _get_user_external(self, req: Request, p: Params) -> Any:
        uid = self._external_index.get(p["external_id"])
        if uid is None:
            raise not_found("User with external_id", p["external_id"])
        return self.users[uid]

    @route("GET", "/user_management/users", "UserlandUsersController_list", invalid=Invalid.MESSAGE)
    def _list_users(self, req: Request, p: Params) -> Any:
        items: Iterable[JSON] = self.users.values()
        email = req.query.get("email")
        if email:
            uid = self._email_index.get(email.lower())
            items = [self.users[uid]] if uid else []
        org_id = req.query.get("organization_id") or req.query.get("organization")
        if org_id:
            members = {
                m["user_id"] for m in self.memberships.values() if m["organization_id"] == org_id
            }
            items = [u for u in items if u["id"] in members]
        return page(req, items)

    @route("PUT", "/user_management/users/{id}", "UserlandUsersController_update")
    def _update_user(self, req: Request, p: Params) -> Any:
        user = self._get(self.users, "User", p["id"])
        body = body_of(req)
        for name in ("email", "first_name", "last_name", "external_id", "locale"):
            str_field(body, name, nullable=name in ("external_id", "locale"))
        if "email_verified" in body and not isinstance(body["email_verified"], bool):
            raise message_error(422, "email_verified must be a boolean.")
        metadata = check_metadata(body["metadata"]) if "metadata" in body else None
        pw = self._password_fields(body)
        email = body.get("email")
        if email is not None and email.lower() != user["email"].lower():
            if not EMAIL_RE.match(email):
                raise code_error(400, "invalid_email", "The email address is not valid.")
            if email.lower() in self._email_index:
                raise code_error(400, "email_not_available", "This email is not available.")
        ext = body.get("external_id")
        if ext is not None and self._external_index.get(ext, user["id"]) != user["id"]:
            raise code_error(400, "external_id_already_used", "This external_id is already in use.")
        locale = body.get("locale")
        if locale is not None and not _LOCALE_RE.match(locale):
            raise code_error(400, "invalid_locale", "The locale is not supported.")
        # apply
        if email is not None and email != user["email"]:
            del self._email_index[user["email"].lower()]
            self._email_index[email.lower()] = user["id"]
            if email.lower() != user["email"].lower():
                user["email_verified"] = False
            user["email"] = email
        for name in ("first_name", "last_name"):
            if name in body:
                user[name] = body[name]
        if "external_id" in body:
            if user["external_id"] is not None:
                self._external_index.pop(user["external_id"], None)
            user["external_id"] = ext
            if ext is not None:
                self._external_index[ext] = user["id"]
        if "locale" in body:
            user["locale"] = locale
        if "email_verified" in body:
            user["email_verified"] = body["email_verified"]
        if metadata is not None:
            user["metadata"] = metadata
        if pw is not None:
            self._passwords[user["id"]] = pw
        user["updated_at"] = iso(self._now())
        return user

    @route("DELETE", "/user_management/users/{id}", "UserlandUsersController_delete")
    def _delete_user(self, req: Request, p: Params) -> Any:
        user = self._get(self.users, "User", p["id"])
        uid = user["id"]
        del self.users[uid]
        self._email_index.pop(user["email"].lower(), None)
        if user["external_id"] is not None:
            self._external_index.pop(user["external_id"], None)
        self._passwords.pop(uid, None)
        self.identities.pop(uid, None)
        self._forced.pop(uid, None)
        for table in (self.memberships, self.auth_factors):
            for k in [k for k, v in table.items() if v.get("user_id") == uid]:
                del table[k]
        for sid, s in self.sessions.items():
            if s["user_id"] == uid:
                self._end_session(sid, "revoked")
        return 200, None

    @route("GET", "/user_management/users/{id}/identities", "UserlandUserIdentitiesController_get")
    def _list_identities(self, req: Request, p: Params) -> Any:
        self._get(self.users, "User", p["id"])
        return list(self.identities.get(p["id"], []))

    def _password_fields(self, body: JSON) -> tuple[str, str] | None:
        password = body.get("password")
        phash = body.get("password_hash")
        htype = body.get("password_hash_type")
        if password is not None and phash is not None:
            raise code_error(
                400,
                "password_and_password_hash_provided",
                "Provide either password or password_hash.",
            )
        if password is not None and htype is not None:
            raise code_error(
                400,
                "password_and_password_hash_type_provided",
                "password_hash_type is only valid with password_hash.",
            )
        if password is not None:
            if not isinstance(password, str):
                raise message_error(422, "password must be a string.")
            problems = self._password_problems(password)
            if problems:
                raise code_error(
                    400,
                    "password_strength_error",
                    "Password does not meet the strength requirements.",
                    errors=problems,
                )
            return self._hash_password(password)
        if phash is not None or htype is not None:
            if phash is None or htype is None:
                raise message_error(
                    422, "password_hash and password_hash_type must be sent together."
                )
            if htype not in HASH_TYPES:
                raise message_error(
                    422, f"password_hash_type must be one of: {', '.join(HASH_TYPES)}."
                )
            if not isinstance(phash, str) or (htype == "bcrypt" and not _BCRYPT_RE.match(phash)):
                raise code_error(
                    400, "invalid_password_hash", "The password hash is not valid for its type."
                )
            return (str(htype), phash)
        return None
