# source-of-truth: async
"""Chaos: a bulk import through ~10 % faults ends with every user exactly once.

500s, 429 bursts with ``Retry-After``, connections dropped after the server committed, read
timeouts and latency spikes, on creates and lookups alike, on virtual time (the client's waits
move the fake's clock; nothing sleeps for real but the fake's latency spikes). Every run imports
the acceptance size, 5,000 users (about 10 s per backend); ``WORKOS_CHAOS_USERS=500`` makes a
quick local run.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from tests._async.helpers import async_fake_client
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio

USERS = int(os.environ.get("WORKOS_CHAOS_USERS", "5000"))


def chaos(fake: FakeWorkOS) -> None:
    add = fake.faults.add
    add("POST", "/user_management/users", status=500, fraction=0.03, times=None)
    add("POST", "/user_management/users", drop="after", fraction=0.03, times=None)
    add("POST", "/user_management/users", timeout=True, fraction=0.01, times=None)
    add("GET", "/user_management/users", status=503, fraction=0.03, times=None)
    add(
        None,
        "/user_management/*",
        status=429,
        headers={"Retry-After": "1"},
        fraction=0.02,
        times=None,
    )
    add(None, "/user_management/*", latency=0.002, fraction=0.01, times=None)


async def test_every_user_exactly_once_through_faults() -> None:
    fake = FakeWorkOS()
    chaos(fake)
    rows = [{"email": f"user{i}@chaos.example", "external_id": f"ext-{i}"} for i in range(USERS)]
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(rows, concurrency=32)
        assert report.failures == []
        emails = Counter(str(u["email"]) for u in fake.users.values())
        assert len(emails) == USERS
        assert max(emails.values()) == 1
        assert (report.created, report.skipped, report.failed) == (USERS, 0, 0)
        assert report.created == len(fake.users)
        assert fake.stats.faults_fired > USERS // 20
        assert report.rate_limited > 0 and report.retries > 0
        again = await client.users.import_users(rows, concurrency=32)
    assert (again.created, again.skipped, again.failed) == (0, USERS, 0)
    assert len(fake.users) == USERS
