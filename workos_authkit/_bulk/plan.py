"""Admitting rows to an import: validation, duplicates within the input, resuming, defaults.

Runs in the one task (or thread) that reads the input, before a row is queued: a row that fails
here never reaches the network, and its outcome is final.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Literal

import attrs

from .report import RowOutcome
from .rows import Membership, RowInvalid, UnreadableRow, UserImport, normalize_email, parse_row

__all__ = ["Admission", "Job", "OnConflict"]

OnConflict = Literal["skip", "update", "error"]
ON_CONFLICT: tuple[str, ...] = ("skip", "update", "error")


@attrs.frozen
class Job:
    """A checked row to import, with its position in the input."""

    number: int
    row: UserImport

    def outcome(self, status: str, **fields: object) -> RowOutcome:
        return RowOutcome(row=self.number, email=self.row.email, status=status, **fields)  # type: ignore[arg-type]


def _email_of(raw: object) -> str | None:
    if isinstance(raw, UserImport):
        return raw.email if isinstance(raw.email, str) else None
    if isinstance(raw, dict):
        email = raw.get("email")
        return email.strip()[:200] if isinstance(email, str) else None
    return None


def _digest(email: str) -> bytes:
    # 8 bytes per address seen, instead of the address itself: bounded memory on huge inputs
    return hashlib.blake2b(email.encode("utf-8", "replace"), digest_size=8).digest()


class Admission:
    """Turns each input record into a ``Job`` or a final ``RowOutcome``."""

    def __init__(
        self,
        *,
        organization_id: str | None,
        role_slug: str | None,
        done: Callable[[str], bool] = lambda email: False,
    ) -> None:
        self._default = (
            Membership(organization_id, role_slug) if organization_id is not None else None
        )
        self._done = done
        self._seen: dict[bytes, int] = {}

    def admit(self, number: int, raw: object) -> Job | RowOutcome:
        try:
            row = parse_row(raw)
        except RowInvalid as exc:
            return RowOutcome(
                row=number,
                email=_email_of(raw),
                status="failed",
                error_type="RowInvalid" if not isinstance(raw, UnreadableRow) else "UnreadableRow",
                message=str(exc),
            )
        email = normalize_email(row.email)
        key = _digest(email)
        first = self._seen.setdefault(key, number)
        if first != number:
            return RowOutcome(
                row=number,
                email=row.email,
                status="failed",
                error_type="DuplicateRow",
                message=f"the same email as row {first}: not sent twice",
            )
        if self._done(email):
            return RowOutcome(row=number, email=row.email, status="resumed")
        default = self._default
        if default is not None and all(
            m.organization_id != default.organization_id for m in row.memberships
        ):
            row = attrs.evolve(row, memberships=(*row.memberships, default))
        return Job(number, row)


#: how many times one row is tried again after transient failures (429 past the retry budget,
#: 5xx on reads, connections never made), on top of the client's own retries
ROW_ATTEMPTS = 4
#: how many times a create whose outcome stayed unknown is looked up and resent
SETTLE_ROUNDS = 10


class RowFailed(Exception):
    """This row cannot be imported; ``error_type`` and the message go to the report."""

    def __init__(self, error_type: str, message: str, *, user_id: str | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.user_id = user_id


@attrs.define
class RowState:
    """What is known about one row while it is being imported (kept across its retries)."""

    #: the Idempotency-Key of a create whose outcome is unknown (resent with it)
    key: str | None = None
    #: a create of this row may have been applied without our seeing the answer
    ambiguous: bool = False
    #: monotonic time of the first create attempt
    first_sent: float | None = None
    #: ``created_at`` (epoch seconds) of a user that may be ours: decided at the end of the run
    created_at: float | None = None
    user_id: str | None = None
    status: str | None = None
    #: organizations whose membership is settled, and the keys of unknown membership creates
    memberships_done: set[str] = attrs.field(factory=set)
    memberships_created: int = 0
    membership_keys: dict[str, str] = attrs.field(factory=dict)


def check_settings(
    *, concurrency: object, on_conflict: object, organization_id: object, role_slug: object
) -> None:
    """Reject bad ``import_users`` arguments before anything is read or sent."""
    from ..errors import InvalidArgumentError

    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidArgumentError(f"concurrency must be an integer >= 1, got {concurrency!r}")
    if on_conflict not in ON_CONFLICT:
        raise InvalidArgumentError(
            f"on_conflict must be one of {', '.join(ON_CONFLICT)}; got {on_conflict!r}"
        )
    for name, value in (("organization_id", organization_id), ("role_slug", role_slug)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InvalidArgumentError(f"{name} must be a non-empty string")
    if role_slug is not None and organization_id is None:
        raise InvalidArgumentError("role_slug needs organization_id")


def safe_message(exc: BaseException) -> str:
    """An error's message for the report, cut to a readable length."""
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 500 else text[:499] + "…"
