"""Reconciliation decisions: reading "already exists" answers, and what an update must change.

The API documents ``Idempotency-Key`` only for audit-log events, so an import never trusts a
resend to be deduplicated: it looks the user up (by email, and by ``external_id`` when given)
whenever a create's outcome is unknown or the server says the user exists. These functions
decide from what came back; the awaiting lives in ``_async/bulk.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from ..errors import APIError, ConflictError
from ..models import User
from .rows import UserImport, normalize_email

__all__ = [
    "changes",
    "CreationWindow",
    "matches",
    "membership_exists",
    "replayed",
    "user_exists",
]


#: codes by which a user create says the email (or external id) is taken, top level or in
#: ``errors[]``: production answers 400 ``user_creation_error`` with ``email_not_available``
#: in ``errors``; ``user_already_exists`` (409) and the external-id codes are seen too.
USER_EXISTS_CODES = frozenset(
    {
        "email_not_available",
        "user_already_exists",
        "external_id_not_available",
        "external_id_already_used",
        "email_already_exists",
    }
)
#: codes (and a message) by which a membership create says the membership exists
MEMBERSHIP_EXISTS_CODES = frozenset(
    {
        "user_already_organization_member",
        "organization_membership_already_exists",
        "membership_already_exists",
    }
)
_MEMBER_MESSAGE = "already a member"


def _codes(err: APIError) -> Iterable[str]:
    if err.code:
        yield err.code
    for detail in err.errors:
        code = detail.get("code")
        if isinstance(code, str):
            yield code


def user_exists(err: APIError) -> bool:
    """Whether a failed create says a user with this email or external id exists."""
    if isinstance(err, ConflictError):
        return True
    return any(code in USER_EXISTS_CODES for code in _codes(err))


def membership_exists(err: APIError) -> bool:
    """Whether a failed membership create says the user is a member already."""
    if isinstance(err, ConflictError):
        return True
    if any(code in MEMBERSHIP_EXISTS_CODES for code in _codes(err)):
        return True
    return err.status_code in (400, 422) and _MEMBER_MESSAGE in (err.message or "").lower()


def changes(row: UserImport, user: User) -> dict[str, Any]:
    """The fields an update must send to make ``user`` match ``row`` (``{}``: nothing differs).

    Only fields the row gives are compared. Passwords cannot be compared and are left alone
    (they are set when the user is created).
    """
    found: dict[str, Any] = {}
    if normalize_email(row.email) != normalize_email(user.email):
        found["email"] = row.email
    for name in ("first_name", "last_name", "email_verified", "external_id"):
        value = getattr(row, name)
        if value is not None and value != getattr(user, name):
            found[name] = value
    if row.metadata is not None and dict(row.metadata) != dict(user.metadata):
        found["metadata"] = dict(row.metadata)
    return found


def matches(row: UserImport, user: User) -> bool:
    """Whether ``user`` looks like what creating ``row`` would have made (same given fields)."""
    return not changes(row, user)


def replayed(err: APIError) -> bool:
    """Whether the server answered a resend by replaying the first answer to its key."""
    return err.headers.get("idempotent-replayed", "").lower() == "true"


class CreationWindow:
    """When this import began, in the server's time, estimated from the users it created.

    A user created by one of our creates has ``created_at`` at or after the server's clock at
    the moment we first sent that row, which is ``server_start + (sent - started)`` on our
    monotonic clock. So each user created with a definite answer gives an upper bound of the
    server's time at the start, ``created_at - (first_sent - started)``; the least of them is
    the estimate. No clock synchronisation between us and the server is assumed.

    It settles the one case a server that ignores ``Idempotency-Key`` leaves open: a create
    whose outcome was unknown, a resend answered "exists", and a user that looks like the row.
    It is ours when created after the estimate (less ``TOLERANCE``), and existed before the
    import otherwise. Either way the user exists exactly once; this decides only whether the
    row is reported as created.
    """

    TOLERANCE = 1.0

    def __init__(self, started: float) -> None:
        self._started = started
        self._estimate: float | None = None
        self._lock = threading.Lock()

    def observe(self, user: User, first_sent: float) -> None:
        bound = user.created_at.timestamp() - (first_sent - self._started)
        with self._lock:
            if self._estimate is None or bound < self._estimate:
                self._estimate = bound

    def ours(self, created_at: float) -> bool:
        """Whether a user created at ``created_at`` (epoch seconds) was created by this import."""
        with self._lock:
            estimate = self._estimate
        if estimate is None:
            return False  # nothing created in this import: everything existed before it
        return created_at >= estimate - self.TOLERANCE
