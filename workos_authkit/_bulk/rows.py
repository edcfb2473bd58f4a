"""Import rows: the ``UserImport`` model, and reading a row from a dict, a CSV or JSONL record.

A row is checked here, locally, before anything is sent: a bad or missing email, a password
together with a hash, a hash without its type, an unknown hash type, a malformed flag or
metadata fail that row with a reason (``RowInvalid``); the import goes on with the others.
Business limits (password strength, metadata sizes) stay the server's to enforce.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._api.users import PASSWORD_HASH_TYPES

__all__ = [
    "COLUMNS",
    "ImportRow",
    "Membership",
    "RowInvalid",
    "UnreadableRow",
    "UserImport",
    "normalize_email",
    "parse_row",
]

#: The columns (CSV) and keys (JSONL, dicts) an import row may have, with what each holds.
COLUMNS: dict[str, str] = {
    "email": "required; the user's email address",
    "first_name": "optional",
    "last_name": "optional",
    "email_verified": "optional; true/false (also 1/0, yes/no); default false",
    "external_id": "optional; your system's id for the user (also used to find it again)",
    "metadata": 'optional; a JSON object of string values, e.g. {"plan": "pro"}',
    "password": "optional; a plaintext password (not with password_hash)",
    "password_hash": "optional; a hash from your old system (with password_hash_type)",
    "password_hash_type": "with password_hash: " + ", ".join(PASSWORD_HASH_TYPES),
    "memberships": (
        "optional; organizations to add the user to: 'org_id:role_slug;org_id' (CSV) or a "
        'list of [organization_id, role_slug] / {"organization_id", "role_slug"} (JSONL)'
    ),
}

# Deliberately simple: one "@", no spaces, a dot in the domain. The server has the last word.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f", ""})


class RowInvalid(ValueError):
    """A row failed the local checks; the message says why (it never holds a secret)."""


@attrs.frozen
class Membership:
    """An organization membership to create for the imported user."""

    organization_id: str
    role_slug: str | None = None


@attrs.frozen
class UnreadableRow:
    """A record a reader could not parse (a line that is not JSON): its row fails with ``reason``."""

    reason: str


@attrs.frozen(kw_only=True)
class UserImport:
    """One user to import. ``password`` and ``password_hash`` never appear in ``repr``."""

    email: str
    first_name: str | None = None
    last_name: str | None = None
    email_verified: bool | None = None
    external_id: str | None = None
    metadata: Mapping[str, str] | None = None
    password: str | None = attrs.field(default=None, repr=False)
    password_hash: str | None = attrs.field(default=None, repr=False)
    password_hash_type: str | None = None
    memberships: tuple[Membership, ...] = ()

    def create_arguments(self) -> dict[str, Any]:
        """Keyword arguments of ``users.create`` for this row."""
        return {
            "email": self.email,
            "password": self.password,
            "password_hash": self.password_hash,
            "password_hash_type": self.password_hash_type,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email_verified": self.email_verified,
            "external_id": self.external_id,
            "metadata": dict(self.metadata) if self.metadata is not None else None,
        }


#: what ``import_users`` takes per row: a dict of ``COLUMNS`` keys, a ``UserImport``, or a
#: record a reader could not parse
ImportRow = UserImport | Mapping[str, Any] | UnreadableRow


def normalize_email(email: str) -> str:
    """The form emails are compared in (AuthKit treats them case-insensitively)."""
    return email.strip().lower()


def _text(raw: Mapping[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RowInvalid(f"{name} must be text, not {type(value).__name__}")
    value = value.strip()
    return value or None


def _flag(raw: Mapping[str, Any], name: str) -> bool | None:
    value = raw.get(name)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "":
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise RowInvalid(f"{name} must be true or false, got {str(value)[:20]!r}")


def _metadata(raw: Mapping[str, Any]) -> dict[str, str] | None:
    value = raw.get("metadata")
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise RowInvalid("metadata must be a JSON object") from None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise RowInvalid("metadata must be an object of string keys and string values")
    return dict(value)


def _one_membership(item: object) -> Membership:
    org_id: object
    role_slug: object
    if isinstance(item, Membership):
        return item
    if isinstance(item, str):
        org, _, role = item.strip().partition(":")
        org_id, role_slug = org.strip(), role.strip() or None
    elif isinstance(item, Mapping):
        org_id, role_slug = item.get("organization_id"), item.get("role_slug")
    elif isinstance(item, Sequence) and 1 <= len(item) <= 2:
        org_id = item[0]
        role_slug = item[1] if len(item) == 2 else None
    else:
        raise RowInvalid(f"a membership must be (organization_id, role_slug), got {item!r}")
    if not isinstance(org_id, str) or not org_id.strip():
        raise RowInvalid("a membership needs an organization_id")
    if role_slug is not None and (not isinstance(role_slug, str) or not role_slug.strip()):
        raise RowInvalid("a membership's role_slug must be text")
    return Membership(org_id.strip(), role_slug.strip() if role_slug else None)


def _memberships(raw: Mapping[str, Any]) -> tuple[Membership, ...]:
    value = raw.get("memberships")
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[object] = [p for p in value.split(";") if p.strip()]
    elif isinstance(value, Sequence):
        items = list(value)
    else:
        raise RowInvalid("memberships must be a list or 'org_id:role;org_id' text")
    found = tuple(dict.fromkeys(_one_membership(i) for i in items))
    orgs = [m.organization_id for m in found]
    if len(set(orgs)) != len(orgs):
        raise RowInvalid("memberships name the same organization twice")
    return found


def _check(row: UserImport) -> UserImport:
    email = row.email
    if not isinstance(email, str) or not email.strip():
        raise RowInvalid("email is missing")
    if not _EMAIL.match(email.strip()):
        raise RowInvalid(f"email {email.strip()[:80]!r} is not a valid address")
    if row.password is not None and row.password_hash is not None:
        raise RowInvalid("give password or password_hash, not both")
    if row.password_hash is not None and row.password_hash_type is None:
        raise RowInvalid("password_hash needs password_hash_type")
    if row.password_hash_type is not None:
        if row.password_hash is None:
            raise RowInvalid("password_hash_type without password_hash")
        if row.password_hash_type not in PASSWORD_HASH_TYPES:
            raise RowInvalid(
                f"unknown password_hash_type {row.password_hash_type[:30]!r} "
                f"(expected one of: {', '.join(PASSWORD_HASH_TYPES)})"
            )
    if row.password is not None and not row.password:
        raise RowInvalid("password is empty")
    return row if email == email.strip() else attrs.evolve(row, email=email.strip())


def parse_row(raw: object) -> UserImport:
    """A checked ``UserImport`` from a dict (CSV/JSONL record) or a ``UserImport``.

    Empty CSV cells count as missing. Raises ``RowInvalid`` with the reason.
    """
    if isinstance(raw, UnreadableRow):
        raise RowInvalid(raw.reason)
    if isinstance(raw, UserImport):
        return _check(raw)
    if not isinstance(raw, Mapping):
        raise RowInvalid(f"a row must be a dict or a UserImport, not {type(raw).__name__}")
    unknown = [k for k in raw if k not in COLUMNS and k is not None]
    if unknown:
        raise RowInvalid(f"unknown field(s): {', '.join(sorted(map(str, unknown)))[:200]}")
    email = raw.get("email")
    if email is None or (isinstance(email, str) and not email.strip()):
        raise RowInvalid("email is missing")
    if not isinstance(email, str):
        raise RowInvalid(f"email must be text, not {type(email).__name__}")
    password = raw.get("password")
    if password is not None and not isinstance(password, str):
        raise RowInvalid("password must be text")
    row = UserImport(
        email=email,
        first_name=_text(raw, "first_name"),
        last_name=_text(raw, "last_name"),
        email_verified=_flag(raw, "email_verified"),
        external_id=_text(raw, "external_id"),
        metadata=_metadata(raw),
        password=password or None,
        password_hash=_text(raw, "password_hash"),
        password_hash_type=_text(raw, "password_hash_type"),
        memberships=_memberships(raw),
    )
    return _check(row)
