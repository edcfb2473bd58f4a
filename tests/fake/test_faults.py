"""Fault injection, rate limiting, API-key checks, idempotency keys and counters."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from workos_authkit.testing import FakeWorkOS

from .conftest import Api

USERS = "/user_management/users"


def test_status_fault_with_headers_fires_n_times(api: Api, fake: FakeWorkOS) -> None:
    rule = fake.faults.add(
        "GET", USERS, status=503, body={"message": "down"}, headers={"Retry-After": "2"}, times=2
    )
    first = api.get(USERS)
    assert (first.status_code, first.headers["retry-after"], first.json()) == (
        503,
        "2",
        {"message": "down"},
    )
    assert api.get(USERS).status_code == 503
    assert api.get(USERS).status_code == 200
    assert rule.fired == 2 and rule.exhausted
    assert fake.stats.faults_fired == 2
    assert fake.stats.requests[f"GET {USERS}"] == 3


def test_fault_matches_by_template_query_and_body(api: Api, fake: FakeWorkOS) -> None:
    fake.faults.add("POST", USERS, status=500, json={"email": "boom@example.com"}, times=None)
    fake.faults.add(
        "GET", "/user_management/users/{id}", status=502, query={"probe": "1"}, times=None
    )
    assert api.post(USERS, {"email": "fine@example.com"}).status_code == 201
    assert api.post(USERS, {"email": "boom@example.com"}).status_code == 500
    assert "boom@example.com" not in {u["email"] for u in fake.users.values()}  # not applied
    uid = next(iter(fake.users))
    assert api.get(f"{USERS}/{uid}").status_code == 200
    assert api.get(f"{USERS}/{uid}", params={"probe": "1"}).status_code == 502


def test_fraction_is_deterministic_from_seed() -> None:
    def pattern(seed: int) -> list[int]:
        fake = FakeWorkOS(rng_seed=seed)
        fake.faults.add("GET", "/health", status=500, fraction=0.5, times=None)
        return [fake.handle("GET", "/health").status for _ in range(40)]

    a, b = pattern(1), pattern(1)
    assert a == b
    assert 5 < a.count(500) < 35
    assert pattern(2) != a


def test_drop_before_is_not_applied_in_process(api: Api, fake: FakeWorkOS) -> None:
    fake.faults.add("POST", USERS, drop="before")
    with pytest.raises(httpx.ConnectError):
        api.post(USERS, {"email": "a@example.com"})
    assert fake.users == {}
    assert api.post(USERS, {"email": "a@example.com"}).status_code == 201


def test_drop_after_is_applied_in_process(api: Api, fake: FakeWorkOS) -> None:
    fake.faults.add("POST", USERS, drop="after")
    with pytest.raises(
        httpx.RemoteProtocolError, match="Server disconnected without sending a response"
    ):
        api.post(USERS, {"email": "a@example.com"})
    assert [u["email"] for u in fake.users.values()] == ["a@example.com"]


def test_timeout_is_applied_in_process(api: Api, fake: FakeWorkOS) -> None:
    fake.faults.add("POST", USERS, timeout=True)
    with pytest.raises(httpx.ReadTimeout):
        api.post(USERS, {"email": "a@example.com"})
    assert len(fake.users) == 1


def test_latency_sync(api: Api, fake: FakeWorkOS) -> None:
    fake.faults.add("GET", "/health", latency=0.05)
    started = time.perf_counter()
    assert api.get("/health").status_code == 200
    assert time.perf_counter() - started >= 0.05


@pytest.mark.anyio
async def test_async_transport_faults_and_latency(fake: FakeWorkOS) -> None:
    fake.faults.add("POST", USERS, drop="after")
    fake.faults.add("GET", USERS, latency=0.05)
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    async with httpx.AsyncClient(
        transport=fake.transport, base_url="https://anything.example", headers=headers
    ) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(USERS, json={"email": "a@example.com"})
        started = time.perf_counter()
        r = await client.get(USERS)
        assert time.perf_counter() - started >= 0.05
        assert [u["email"] for u in r.json()["data"]] == ["a@example.com"]


@pytest.mark.parametrize(("mode", "applied"), [("before", False), ("after", True)])
def test_drop_over_loopback(fake: FakeWorkOS, mode: str, applied: bool) -> None:
    fake.faults.add("POST", USERS, drop=mode)  # type: ignore[arg-type]
    with (
        fake.serve() as url,
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {fake.api_key}"}) as c,
    ):
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            c.post(USERS, json={"email": "a@example.com"})
        assert (len(fake.users) == 1) is applied
        assert c.get("/health").status_code == 200  # the server keeps serving


def test_timeout_over_loopback(fake: FakeWorkOS) -> None:
    fake.faults.add("POST", USERS, timeout=True, timeout_hold=1.0)
    with (
        fake.serve() as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {fake.api_key}"}, timeout=0.2
        ) as c,
        pytest.raises(httpx.ReadTimeout),
    ):
        c.post(USERS, json={"email": "a@example.com"})
    assert len(fake.users) == 1


def test_rate_limit_headers_and_retry_after(api: Api, fake: FakeWorkOS) -> None:
    fake.clock.freeze(
        1_000_000.0
    )  # window boundary known: windows of 10 s start at multiples of 10
    fake.rate_limit(limit=3, window=10)
    statuses = []
    for _ in range(4):
        r = api.get(USERS)
        statuses.append(r.status_code)
    assert statuses == [200, 200, 200, 429]
    assert r.json() == {"code": "rate_limit_exceeded", "message": r.json()["message"]}
    assert (
        r.headers["retry-after"],
        r.headers["x-ratelimit-limit"],
        r.headers["x-ratelimit-remaining"],
    ) == ("10", "3", "0")
    fake.clock.advance(4)
    r = api.get(USERS)
    assert (r.status_code, r.headers["retry-after"], r.headers["x-ratelimit-reset"]) == (
        429,
        "6",
        "6",
    )
    fake.clock.advance(6)
    ok = api.get(USERS)
    assert (ok.status_code, ok.headers["x-ratelimit-remaining"]) == (200, "2")
    assert fake.stats.rate_limited == 2
    fake.rate_limit(None)
    assert "x-ratelimit-limit" not in api.get(USERS).headers


def test_rate_limit_read_write_split(api: Api, fake: FakeWorkOS) -> None:
    fake.rate_limit(limit=100, window=60, read_limit=1, write_limit=2)
    assert api.get(USERS).status_code == 200
    assert api.get(USERS).status_code == 429
    assert api.post(USERS, {"email": "a@example.com"}).status_code == 201
    w = api.post(USERS, {"email": "b@example.com"})
    assert (w.status_code, w.headers["x-ratelimit-limit"], w.headers["x-ratelimit-remaining"]) == (
        201,
        "2",
        "0",
    )
    assert api.post(USERS, {"email": "c@example.com"}).status_code == 429


def test_rate_limit_over_loopback(fake: FakeWorkOS) -> None:
    fake.rate_limit(limit=2, window=30)
    with (
        fake.serve() as url,
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {fake.api_key}"}) as c,
    ):
        codes = [c.get(USERS).status_code for _ in range(3)]
        last = c.get(USERS)
    assert codes == [200, 200, 429]
    assert int(last.headers["retry-after"]) >= 1 and last.headers["x-ratelimit-remaining"] == "0"


def test_api_key_is_checked(fake: FakeWorkOS) -> None:
    with httpx.Client(transport=fake.transport, base_url="https://x") as c:
        missing = c.get(USERS)
        wrong = c.get(USERS, headers={"Authorization": "Bearer sk_nope"})
        public = c.get(
            "/user_management/authorize",
            params={
                "client_id": fake.client_id,
                "redirect_uri": "https://a/cb",
                "response_type": "code",
            },
        )
    assert (missing.status_code, missing.content) == (401, b"")
    assert wrong.status_code == 401 and public.status_code == 200
    assert fake.stats.unauthorized == 2
    assert fake.api_key not in repr(fake) and fake.api_key not in repr(fake.transport)


def test_idempotency_keys(api: Api, fake: FakeWorkOS) -> None:
    key = {"Idempotency-Key": "k-1"}
    first = api.post(USERS, {"email": "a@example.com"}, headers=key)
    replay = api.post(USERS, {"email": "a@example.com"}, headers=key)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json() and replay.headers["idempotent-replayed"] == "true"
    assert replay.headers["x-request-id"] != first.headers["x-request-id"]
    assert len(fake.users) == 1 and fake.stats.idempotent_replays == 1
    reused = api.post(USERS, {"email": "b@example.com"}, headers=key)
    assert (reused.status_code, reused.json()["code"]) == (409, "idempotency_key_reused")

    fake.honour_idempotency_keys = False
    dup = api.post(USERS, {"email": "a@example.com"}, headers=key)
    assert dup.status_code == 400 and dup.json()["errors"][0]["code"] == "email_not_available"


def test_idempotent_retry_after_dropped_response(api: Api, fake: FakeWorkOS) -> None:
    fake.faults.add("POST", USERS, drop="after")
    headers = {"Idempotency-Key": "retry-1"}
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(USERS, {"email": "a@example.com"}, headers=headers)
    retry = api.post(USERS, {"email": "a@example.com"}, headers=headers)
    assert retry.status_code == 201 and retry.json()["email"] == "a@example.com"
    assert len(fake.users) == 1


def test_counters_and_reset(api: Api, fake: FakeWorkOS) -> None:
    api.post(USERS, {"email": "a@example.com"})
    uid = next(iter(fake.users))
    api.get(f"{USERS}/{uid}")
    api.get(f"{USERS}/{uid}")
    api.get("/no/such/thing")
    assert fake.stats.requests["GET /user_management/users/{id}"] == 2
    assert fake.stats.statuses[404] == 1 and fake.stats.total == 4
    fake.faults.add("GET", "/health", status=500)
    fake.clock.advance(100)
    fake.reset()
    assert fake.users == {} and fake.stats.total == 0 and len(fake.faults) == 0
    assert abs(fake.clock.now() - time.time()) < 5
    assert api.get("/health").status_code == 200


def test_serve_binds_loopback_only(fake: FakeWorkOS) -> None:
    with pytest.raises(ValueError, match="non-loopback"):
        fake.serve("0.0.0.0").__enter__()
    with fake.serve() as url:
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1])
    with socket.socket() as s:  # stopped: the port no longer accepts
        assert s.connect_ex(("127.0.0.1", port)) != 0
