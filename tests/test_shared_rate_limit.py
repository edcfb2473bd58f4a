"""One rate limit for many processes: the client's limiter draws on a budget kept in Redis (GCRA).

Against a real ``redis-server`` (skips with the reason when it or redis-py is missing; see
``tests/redis_server.py``): four processes making 200 users each at once against the fake, served
on loopback and limited to the published write rate (500 writes per 10 s), all succeed with at
most 1 % of the requests refused; a Redis that does not answer leaves the in-process limiter in
charge, with one WARNING.
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.redis_server import redis_client
from workos_authkit import RedisStore, WorkOS
from workos_authkit._retry import RateLimitConfig, SharedLimit
from workos_authkit.testing import FakeWorkOS

ROOT = Path(__file__).resolve().parent.parent
CREATE = "POST /user_management/users"


def _start(settings: dict[str, object]) -> subprocess.Popen[str]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.redis_worker", "creates"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin is not None
    worker.stdin.write(json.dumps(settings) + "\n")
    worker.stdin.flush()
    return worker


def test_four_processes_share_the_write_limit(redis_url: str) -> None:
    fake = FakeWorkOS()
    fake.rate_limit(1000, 10.0, read_limit=1000, write_limit=500)  # AuthKit's published limits
    with fake.serve() as base_url:
        workers = [
            _start(
                {
                    "base_url": base_url,
                    "api_key": fake.api_key,
                    "redis_url": redis_url,
                    "count": 200,
                    "name": f"p{n}",
                }
            )
            for n in range(4)
        ]
        try:
            for w in workers:  # all have imported everything: start them together
                assert w.stdout is not None and w.stdout.readline().strip() == "ready"
            for w in workers:
                assert w.stdin is not None
                w.stdin.write("go\n")
                w.stdin.flush()
            outputs = [w.communicate(timeout=90)[0] for w in workers]
        finally:
            for w in workers:
                if w.poll() is None:
                    w.kill()
                    w.wait()
        assert [w.returncode for w in workers] == [0, 0, 0, 0]
        requests = fake.stats.requests[CREATE]
        refused = fake.stats.rate_limited
    results = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    print(f"4x200 creates: {requests} requests, {refused} refused, {results}")
    assert sum(r["created"] for r in results) == 800
    assert not any(r["fell_back"] for r in results)  # every admission went through Redis
    assert refused <= 0.01 * requests
    assert requests - refused == 800


def test_the_budget_is_shared_by_clients_and_keyed_without_the_api_key(redis_url: str) -> None:
    fake = FakeWorkOS()
    redis = redis_client(redis_url)
    store = RedisStore(redis)
    limit = RateLimitConfig(reads=1000, writes=20, window=1.0)  # 19 writes/s shared
    clients = [
        WorkOS(
            api_key=fake.api_key,
            base_url=fake.base_url,
            transport=fake.transport,
            rate_limit=limit,
            store=store,
        )
        for _ in range(2)
    ]
    start = time.monotonic()
    for i in range(20):
        clients[i % 2].users.create(email=f"u{i}@example.com")
    took = time.monotonic() - start
    # 20 writes at 19/s with a burst of 1.9: about 0.95 s whichever client sends them
    assert 0.8 < took < 3.0
    keys = [k.decode() for k in redis.keys("*")]
    assert len(keys) == 1 and keys[0].startswith("workos_authkit:ratelimit:")
    assert keys[0].endswith(":write")
    assert fake.api_key not in keys[0]
    for c in clients:
        c.close()
    redis.close()


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_redis_falls_back_to_the_local_limiter_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis = pytest.importorskip("redis")
    fake = FakeWorkOS()
    dead = redis.Redis(host="127.0.0.1", port=_dead_port(), socket_connect_timeout=0.5)
    with (
        caplog.at_level(logging.WARNING, logger="workos_authkit"),
        WorkOS(
            api_key=fake.api_key,
            base_url=fake.base_url,
            transport=fake.transport,
            store=RedisStore(dead),
        ) as client,
    ):
        for i in range(5):
            client.users.create(email=f"u{i}@example.com")
        shared = client._http.shared
        assert shared is not None and shared.down
        shared._down_until = 0.0  # the retry period is over: Redis is tried (and fails) again
        client.users.create(email="late@example.com")
    warnings = [r.getMessage() for r in caplog.records if "shared rate limit" in r.getMessage()]
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0]
    assert fake.api_key not in caplog.text


def test_shared_limit_arguments() -> None:
    shared = SharedLimit(RateLimitConfig(), "sk_test_secret")
    key, interval, tolerance = shared.args("write")
    assert "sk_test_secret" not in key and key.endswith(":write")
    assert interval == round(1e6 / 47.5)  # 500 per 10 s, at 95 %
    assert tolerance == pytest.approx(3.75 * interval, abs=5)  # a burst of 0.1 s: 4.75 requests
    assert shared.args("read")[1] == round(1e6 / 95)
    assert SharedLimit(RateLimitConfig(), "other").args("write")[0] != key
    assert shared.failed(0.0) and not shared.failed(1.0)
    assert not shared.usable(1.0) and shared.usable(6.0)
    assert shared.succeeded() and not shared.succeeded()
