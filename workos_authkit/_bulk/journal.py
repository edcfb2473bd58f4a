"""The import journal: one JSON line per finished row, appended and flushed as rows finish.

Format (JSON Lines, UTF-8)::

    {"journal": "workos-authkit import", "version": 1}
    {"row": 1, "email": "ada@example.com", "status": "created", "user_id": "user_..."}
    {"row": 2, "email": "bad", "status": "failed", "error_type": "RowInvalid", "message": "..."}

Re-running an import with the same journal skips the rows it records as ``created``,
``updated`` or ``skipped`` (matched by email, so a reordered or extended file resumes too);
``failed`` and ``unknown`` rows are tried again. A half-written last line (a crash while
writing) is ignored. It never holds a password, a hash or the API key.
"""

from __future__ import annotations

import json
import threading
from os import PathLike
from pathlib import Path
from typing import IO

from .report import DONE, RowOutcome
from .rows import normalize_email

__all__ = ["Journal"]

HEADER = {"journal": "workos-authkit import", "version": 1}


class JournalError(ValueError):
    """The journal file is not an import journal."""


class Journal:
    """An append-only journal; ``done`` holds the (normalised) emails finished earlier."""

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        self.done: set[str] = set()
        self._lock = threading.Lock()
        exists = self.path.exists() and self.path.stat().st_size > 0
        if exists:
            self._load()
        self._fh: IO[str] | None = self.path.open("a", encoding="utf-8")
        if not exists:
            self._write(HEADER)

    def _load(self) -> None:
        with self.path.open(encoding="utf-8") as fh:
            first = fh.readline()
            try:
                header = json.loads(first)
            except ValueError:
                header = None
            if not isinstance(header, dict) or header.get("journal") != HEADER["journal"]:
                raise JournalError(f"{self.path} is not a workos-authkit import journal")
            for line in fh:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash
                if not isinstance(entry, dict) or not isinstance(entry.get("email"), str):
                    continue
                email = normalize_email(entry["email"])
                if entry.get("status") in DONE:
                    self.done.add(email)
                else:
                    self.done.discard(email)

    def _write(self, entry: dict[str, object]) -> None:
        if self._fh is None:
            return
        self._fh.write(json.dumps(entry, separators=(",", ":")) + "\n")
        self._fh.flush()

    def record(self, outcome: RowOutcome) -> None:
        if outcome.status in ("resumed", "valid"):
            return  # nothing new happened to it
        with self._lock:
            self._write(outcome.to_dict())

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
