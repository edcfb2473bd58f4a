"""Properties that must hold for any input: the limiter never over-admits, the pager never
loses or repeats an item."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workos_authkit import RateLimitConfig, WorkOS
from workos_authkit._retry import TokenBucket
from workos_authkit.testing import FakeWorkOS


@given(
    capacity=st.integers(1, 50),
    per_second=st.floats(0.5, 200.0),
    arrivals=st.lists(st.floats(0.0, 20.0), min_size=1, max_size=200),
    window=st.floats(0.01, 5.0),
)
def test_token_bucket_never_admits_more_than_capacity_plus_refill(
    capacity: int, per_second: float, arrivals: list[float], window: float
) -> None:
    bucket = TokenBucket(capacity, per_second, now=0.0)
    sends = sorted(t + bucket.reserve(t) for t in sorted(arrivals))
    # however the requests arrive, any time window admits at most burst + refill
    for i, start in enumerate(sends):
        inside = sum(1 for t in sends[i:] if t <= start + window)
        assert inside <= capacity + per_second * window + 1e-6


@given(
    capacity=st.integers(1, 20),
    per_second=st.floats(0.5, 50.0),
    arrivals=st.lists(st.floats(0.0, 10.0), min_size=1, max_size=100),
)
def test_token_bucket_serves_in_arrival_order_without_starving(
    capacity: int, per_second: float, arrivals: list[float]
) -> None:
    bucket = TokenBucket(capacity, per_second, now=0.0)
    ordered = sorted(arrivals)
    sends = [t + bucket.reserve(t) for t in ordered]
    assert sends == sorted(sends)  # first come, first served
    # the last request never waits longer than the queue ahead of it needs
    assert sends[-1] <= ordered[-1] + len(ordered) / per_second + 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(0, 60),
    limit=st.integers(1, 100),
    order=st.sampled_from(["desc", "asc", "normal"]),
    deleted=st.sets(st.integers(0, 59), max_size=10),
)
def test_pager_yields_every_user_exactly_once(
    count: int, limit: int, order: str, deleted: set[int]
) -> None:
    fake = FakeWorkOS(rng_seed=count)
    ids = [fake.add_user(f"u{i:03d}@example.com")["id"] for i in range(count)]
    for i in deleted:
        if i < count:
            fake.handle(
                "DELETE",
                f"/user_management/users/{ids[i]}",
                headers={"Authorization": f"Bearer {fake.api_key}"},
            )
    alive = [uid for i, uid in enumerate(ids) if i not in deleted]
    with WorkOS(
        api_key=fake.api_key,
        base_url=fake.base_url,
        transport=fake.transport,
        rate_limit=RateLimitConfig(enabled=False),
    ) as client:
        seen = [u.id for u in client.users.list(limit=limit, order=order)]  # type: ignore[arg-type]
        pages = list(client.users.list(limit=limit, order=order).pages())  # type: ignore[arg-type]
    assert sorted(seen) == sorted(alive)
    assert len(seen) == len(set(seen))
    expected_order = sorted(alive) if order == "asc" else sorted(alive, reverse=True)
    assert seen == expected_order
    assert all(len(p.data) <= limit for p in pages)
    assert len(pages) == max(1, -(-len(alive) // limit))
