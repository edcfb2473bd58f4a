"""Streaming readers for import files: CSV (with a header row) and JSON Lines.

Both yield one record at a time (a dict, or an ``UnreadableRow`` for a line that cannot be
parsed), so a file of any size is read in constant memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from .rows import COLUMNS, UnreadableRow

__all__ = ["count_rows", "read_rows", "unknown_columns"]

Record = dict[str, object] | UnreadableRow


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise ValueError(f"{path.name}: expected a .csv or .jsonl file")


def read_rows(path: str | Path) -> Iterator[Record]:
    """The records of a ``.csv`` or ``.jsonl`` file, one at a time."""
    path = Path(path)
    if _kind(path) == "csv":
        return _read_csv(path)
    return _read_jsonl(path)


def _read_csv(path: Path) -> Iterator[Record]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for record in csv.DictReader(fh):
            if None in record:  # more cells than the header has columns
                yield UnreadableRow("the line has more cells than the header has columns")
                continue
            yield {k.strip(): v for k, v in record.items() if k is not None and v not in ("", None)}


def _read_jsonl(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                yield UnreadableRow(f"line {number} is not valid JSON")
                continue
            if not isinstance(value, dict):
                yield UnreadableRow(f"line {number} is not a JSON object")
                continue
            yield value


def unknown_columns(path: str | Path) -> list[str]:
    """Header columns of a CSV file that are not import columns (``[]`` for JSONL)."""
    path = Path(path)
    if _kind(path) != "csv":
        return []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), [])
    return [c for c in (h.strip() for h in header) if c and c not in COLUMNS]


def count_rows(path: str | Path) -> int:
    """How many records the file holds (a quick pass: for progress totals)."""
    path = Path(path)
    if _kind(path) == "csv":
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return max(sum(1 for record in csv.reader(fh) if record) - 1, 0)
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())
