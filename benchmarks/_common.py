"""Shared pieces of the benchmarks: canned wire data, interleaved timing, tables.

Method: every benchmark measures all contenders in the same process run, interleaved
(each round runs every contender once, in a rotating order), repeats for many rounds and
reports medians, so a noisy neighbour or a CPU-frequency change hits every contender alike.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmark the working tree, installed or not
    sys.path.insert(0, str(ROOT))

API_BASE = "https://api.workos.com"
USER_ID = "user_01E4ZCR3C56J083X43JQXF3JK5"

_FIRST = ["Marcelina", "Ada", "Grace", "Linus", "Katherine", "Alan", "Barbara", "Edsger"]
_LAST = ["Davis", "Lovelace", "Hopper", None, "Johnson", "Turing", "Liskov", "Dijkstra"]
_LOCALES = ["en-US", "fr-FR", None, "de-DE", "ja-JP"]
_ULID = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _ulid(n: int) -> str:
    digits = []
    for _ in range(26):
        n, r = divmod(n * 7919 + 104729, 32)
        digits.append(_ULID[r])
    return "01" + "".join(digits)[:24]


def make_user(i: int = 0) -> dict[str, Any]:
    """A realistic user per the spec's ``UserlandUser`` schema (every field present)."""
    first = _FIRST[i % len(_FIRST)]
    last = _LAST[i % len(_LAST)]
    metadata: dict[str, str] = {}
    if i % 3 != 2:
        metadata = {"timezone": "America/New_York", "plan": ["free", "pro", "team"][i % 3]}
    return {
        "object": "user",
        "id": USER_ID if i == 0 else f"user_{_ulid(i)}",
        "first_name": first,
        "last_name": last,
        "profile_picture_url": f"https://workoscdn.com/images/v1/{i:06x}" if i % 2 else None,
        "email": f"{first.lower()}.{(last or 'x').lower()}{i}@example.com",
        "email_verified": i % 4 != 3,
        "external_id": f"f1ffa2b2-c20b-4d39-be5c-{i:012d}" if i % 5 else None,
        "metadata": metadata,
        "last_sign_in_at": f"2025-06-{1 + i % 28:02d}T19:07:33.155Z" if i % 6 else None,
        "locale": _LOCALES[i % len(_LOCALES)],
        "created_at": f"2024-{1 + i % 12:02d}-15T12:00:00.000Z",
        "updated_at": "2026-01-15T12:00:00.000Z",
    }


def user_bytes() -> bytes:
    """The canned ``GET /user_management/users/{id}`` body (same bytes for every contender)."""
    return json.dumps(make_user(0), separators=(",", ":")).encode()


def user_page(n: int = 100) -> dict[str, Any]:
    users = [make_user(i) for i in range(n)]
    return {
        "object": "list",
        "data": users,
        "list_metadata": {"before": None, "after": users[-1]["id"]},
    }


def user_page_bytes(n: int = 100) -> bytes:
    return json.dumps(user_page(n), separators=(",", ":")).encode()


def check_against_spec(method: str, path: str, body: bytes) -> str:
    """Validate a canned body against the vendored OpenAPI spec (strict: no invented fields)."""
    try:
        from tests.spec_contract import spec
    except ImportError as exc:  # jsonschema/referencing not installed (bench-only env)
        return f"fixture not checked against the spec ({exc})"
    spec().validate_response(method, path, 200, body, strict=True)
    return "fixture validated against tests/spec/open-api-spec.yaml (strict)"


# --------------------------------------------------------------------------- timing

SyncBatch = Callable[[int], None]  # runs the operation n times
AsyncBatch = Callable[[int], Awaitable[None]]


@dataclass
class Series:
    """Per-operation timings (seconds) of one contender, one sample per round."""

    name: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def summary(self, unit: float, unit_name: str) -> dict[str, Any]:
        ordered = sorted(self.samples)
        return {
            "median": round(self.median / unit, 3),
            "min": round(ordered[0] / unit, 3),
            "max": round(ordered[-1] / unit, 3),
            "p25": round(_quantile(ordered, 0.25) / unit, 3),
            "p75": round(_quantile(ordered, 0.75) / unit, 3),
            "unit": unit_name,
            "rounds": len(self.samples),
        }


def _quantile(ordered: Sequence[float], q: float) -> float:
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def interleave(
    contenders: dict[str, SyncBatch | AsyncBatch],
    *,
    rounds: int,
    batch: int,
    warmup: int,
    run_async: Callable[[Awaitable[None]], None],
    is_async: Callable[[str], bool],
) -> dict[str, Series]:
    """Time each contender's batch ``rounds`` times, rotating the order every round.

    The result is seconds per single operation. Garbage from one contender is collected
    before the next starts, so nobody pays for someone else's allocations.
    """
    names = list(contenders)
    series = {name: Series(name) for name in names}

    def one(name: str, n: int) -> float:
        fn = contenders[name]
        gc.collect()
        if is_async(name):
            box: list[float] = []

            async def timed() -> None:
                start = time.perf_counter()
                await fn(n)  # type: ignore[misc]
                box.append(time.perf_counter() - start)

            run_async(timed())
            return box[0]
        start = time.perf_counter()
        fn(n)
        return time.perf_counter() - start

    for name in names:
        one(name, warmup)
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            series[name].samples.append(one(name, batch) / batch)
    return series


@contextlib.contextmanager
def fake_server_process() -> Iterator[tuple[str, str]]:
    """A fresh ``FakeWorkOS`` served on loopback by a child process: yields (base URL, key).

    A fake served from a thread of the benchmark's own process shares its GIL with the client
    being measured, so a contender's throughput would depend on how its system calls happen to
    hand the GIL to the server; a real server is never in the client's process.
    """
    cmd = [sys.executable, "-m", "workos_authkit.cli", "fake-server", "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=str(ROOT))
    try:
        assert proc.stdout is not None
        found: dict[str, str] = {}
        while len(found) < 2:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"fake-server exited with {proc.wait(5)} before listening")
            key, _, value = line.strip().partition("=")
            if key in ("WORKOS_BASE_URL", "WORKOS_API_KEY"):
                found[key] = value
        yield found["WORKOS_BASE_URL"], found["WORKOS_API_KEY"]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def environment() -> dict[str, Any]:
    import httpx

    versions: dict[str, str] = {"httpx": httpx.__version__}
    for dist in ("workos", "cattrs", "attrs", "httpx2"):
        try:
            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "not installed"
    try:
        from workos_authkit import __version__ as ours

        versions["workos_authkit"] = ours
    except Exception as exc:
        versions["workos_authkit"] = f"unavailable ({exc})"
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "versions": versions,
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
