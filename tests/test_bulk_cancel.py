"""Cancelling an async import (Ctrl-C under ``anyio.run`` is a cancellation): rows in flight are
recorded as ``unknown`` in the journal, and a re-run settles them without duplicates."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import anyio
import pytest

from workos_authkit import AsyncWorkOS, RateLimitConfig
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio

ROWS = [{"email": f"user{i}@example.com"} for i in range(120)]


def client(fake: FakeWorkOS) -> AsyncWorkOS:
    return AsyncWorkOS(
        api_key=fake.api_key,
        base_url=fake.base_url,
        transport=fake.transport,
        rate_limit=RateLimitConfig(enabled=False),
    )


async def test_a_cancelled_import_resumes_without_duplicates(tmp_path: Path) -> None:
    fake = FakeWorkOS()
    # the fake applies a create, then waits: a cancellation lands after the commit
    fake.faults.add("POST", "/user_management/users", latency=0.02, times=None)
    journal = tmp_path / "import.journal"
    with anyio.move_on_after(0.25) as scope:
        async with client(fake) as workos:
            await workos.users.import_users(ROWS, concurrency=8, journal=journal)
    assert scope.cancelled_caught
    entries = [json.loads(line) for line in journal.read_text().splitlines()[1:]]
    statuses = Counter(e["status"] for e in entries)
    assert statuses["created"] > 0
    assert 1 <= statuses["unknown"] <= 8  # the rows in flight (8 workers)
    assert len(fake.users) < len(ROWS)

    fake.faults.clear()
    async with client(fake) as workos:
        report = await workos.users.import_users(ROWS, concurrency=8, journal=journal)
    assert report.resumed == statuses["created"]
    assert report.created + report.skipped + report.resumed == len(ROWS)
    assert report.failed == 0
    assert len(fake.users) == len(ROWS)
    assert len({u["email"] for u in fake.users.values()}) == len(ROWS)
