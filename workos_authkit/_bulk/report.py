"""What an import did: per-row outcomes, counts, progress, and the report written as JSON.

``Tally`` collects outcomes from concurrent workers (tasks or threads) under a lock that is
never held across a wait; ``ImportReport`` is its frozen result.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import attrs

__all__ = ["ImportProgress", "ImportReport", "RowOutcome", "Status", "Tally"]

Status = Literal["created", "updated", "skipped", "failed", "resumed", "valid", "unknown"]
#: statuses after which a row needs nothing more (a journal marks them done)
DONE: frozenset[str] = frozenset({"created", "updated", "skipped"})


@attrs.frozen(kw_only=True)
class RowOutcome:
    """What happened to one row. ``row`` is its 1-based position among the input's records.

    ``status``: ``created``, ``updated``, ``skipped`` (the user existed and was left as is, or
    had nothing to change), ``failed`` (``error_type`` and ``message`` say why), ``resumed``
    (done in an earlier run, per the journal), ``valid`` (dry run: passed the local checks),
    ``unknown`` (interrupted while in flight: the next run resolves it).
    """

    row: int
    email: str | None
    status: Status
    user_id: str | None = None
    error_type: str | None = None
    message: str | None = None
    memberships: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


@attrs.frozen(kw_only=True)
class ImportProgress:
    """Passed to ``on_progress`` after every row: ``rate`` in rows/s, ``total`` when known."""

    done: int
    total: int | None
    created: int
    updated: int
    skipped: int
    failed: int
    elapsed: float
    rate: float

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, when the total is known."""
        if self.total is None or self.rate <= 0:
            return None
        return max(self.total - self.done, 0) / self.rate


@attrs.frozen(kw_only=True)
class ImportReport:
    """The result of ``users.import_users``.

    Counts by status, every row's ``outcomes`` (in completion order), and what it cost on the
    wire: ``requests`` sent (attempts, retries included), ``retries``, ``rate_limited`` (429
    answers), ``waited`` (seconds spent in backoff and rate-limit waits, all workers added up),
    ``duration`` (seconds). The wire counters are the client's, measured over the import: other
    calls made on the same client meanwhile are counted too.
    """

    rows: int
    created: int
    updated: int
    skipped: int
    failed: int
    resumed: int
    valid: int
    unknown: int
    memberships_created: int
    outcomes: tuple[RowOutcome, ...]
    requests: int
    retries: int
    rate_limited: int
    waited: float
    duration: float
    dry_run: bool

    @property
    def ok(self) -> bool:
        """No row failed and none is left unknown."""
        return self.failed == 0 and self.unknown == 0

    @property
    def failures(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in attrs.fields(type(self))}
        data["waited"] = round(self.waited, 3)
        data["duration"] = round(self.duration, 3)
        data["outcomes"] = [o.to_dict() for o in sorted(self.outcomes, key=lambda o: o.row)]
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


_COUNTED = ("created", "updated", "skipped", "failed", "resumed", "valid", "unknown")


class Tally:
    """Thread-safe collector of outcomes; calls ``on_progress`` after each one."""

    def __init__(
        self,
        *,
        total: int | None,
        on_progress: Callable[[ImportProgress], object] | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._progress_lock = threading.Lock()
        self._clock = clock
        self._started = clock()
        self._total = total
        self._on_progress = on_progress
        self._outcomes: list[RowOutcome] = []
        self._counts = dict.fromkeys(_COUNTED, 0)
        self._memberships = 0

    def add(self, outcome: RowOutcome) -> None:
        with self._lock:
            self._outcomes.append(outcome)
            self._counts[outcome.status] += 1
            self._memberships += outcome.memberships
            progress = self._progress() if self._on_progress is not None else None
        if progress is not None and self._on_progress is not None:
            with self._progress_lock:  # callbacks never run concurrently (sync twin: threads)
                self._on_progress(progress)

    def _progress(self) -> ImportProgress:
        c = self._counts
        elapsed = self._clock() - self._started
        done = len(self._outcomes)
        return ImportProgress(
            done=done,
            total=self._total,
            created=c["created"],
            updated=c["updated"],
            skipped=c["skipped"] + c["resumed"],
            failed=c["failed"],
            elapsed=elapsed,
            rate=done / elapsed if elapsed > 0 else 0.0,
        )

    def report(
        self,
        *,
        requests: int,
        retries: int,
        rate_limited: int,
        waited: float,
        dry_run: bool,
    ) -> ImportReport:
        with self._lock:
            return ImportReport(
                rows=len(self._outcomes),
                memberships_created=self._memberships,
                outcomes=tuple(self._outcomes),
                requests=requests,
                retries=retries,
                rate_limited=rate_limited,
                waited=waited,
                duration=self._clock() - self._started,
                dry_run=dry_run,
                **self._counts,
            )
