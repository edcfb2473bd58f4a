"""The sync client shared by many threads (Django, thread pools): nothing lost, nothing doubled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from workos_authkit import RetryConfig, WorkOS
from workos_authkit.testing import FakeWorkOS


def test_threads_share_one_client_through_faults() -> None:
    fake = FakeWorkOS(rng_seed=7)
    fake.faults.add("POST", "/user_management/users", status=503, fraction=0.2, times=None)
    fake.faults.add("GET", "/user_management/users/*", drop="before", fraction=0.2, times=None)
    # The fake's faults answer instead of applying the request, so resending a create with its
    # idempotency key after a 503 is right here (by default a 5xx on a create is ambiguous).
    retry = RetryConfig(max_retries=8, initial_delay=0.001, max_delay=0.005, retry_ambiguous=True)
    with WorkOS(
        api_key=fake.api_key, base_url=fake.base_url, transport=fake.transport, retry=retry
    ) as client:

        def work(i: int) -> str:
            user = client.users.create(email=f"t{i:03d}@example.com")
            assert client.users.get(user.id).email == user.email
            return user.id

        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(work, range(200)))

        assert len(set(ids)) == 200
        assert sorted(ids) == sorted(fake.users)
        listed = [u.id for u in client.users.list(limit=100)]
        assert sorted(listed) == sorted(ids)
        assert client.transport_stats.retries > 0
    assert fake.stats.faults_fired == client.transport_stats.retries
