"""Cost of the built-in fake server, ``workos_authkit.testing.FakeWorkOS``.

Two parts:

1. **In-process**, per call, three contenders interleaved (the ``bench_calls`` method):

   * ``fake.handle``     - ``fake.handle("GET", "/user_management/users/{id}", headers=auth)``
                           alone: the fake's own work (routing, auth, lock, serialising);
   * ``ours on fake``    - ``WorkOS(..., transport=fake.transport).users.get(id)``: a full SDK
                           call answered by the fake in-process;
   * ``ours on mock``    - the same SDK call on an ``httpx.MockTransport`` returning the very
                           bytes (and headers) the fake returns for that user: the SDK alone.

   ``fake.handle / ours on fake`` is the fake's share of an SDK test call; ``ours on fake -
   ours on mock`` is what mounting the fake costs end to end (``FakeTransport`` included).
   The requirement is that the SDK, not the fake, dominates.

2. **Loopback throughput**: ``with fake.serve() as url:`` (stdlib ``ThreadingHTTPServer``, one
   thread per keep-alive connection, in this process) and a bounded load generator in a
   *subprocess* (its own GIL: an in-process client would compete with the server for one
   interpreter lock): N threads, each with its own keep-alive ``http.client.HTTPConnection``,
   hammering ``GET /health`` or ``GET /user_management/users/{id}`` for a fixed time, then
   stopping by itself. Endpoints alternate in rounds (A B, B A, ...). Reported: requests/s,
   p50/p99 latency (client-side, per request), the server process's CPU per request, and
   whether it meets the >= 2,000 req/s target. Client and server share the machine's cores,
   so the numbers are a floor for the server alone. If ``wrk`` is on ``PATH`` it is also run
   (``wrk -t2 -c8 -d3s --latency``) against both endpoints; skipped cleanly otherwise.

Everything binds to 127.0.0.1 only; nothing else on the network is touched.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks._common import (
    ROOT,
    check_against_spec,
    environment,
    interleave,
    make_user,
    ratio,
    table,
)

US = 1e-6
TARGET_RPS = 2_000
HEALTH = "/health"
USER_TEMPLATE = "/user_management/users/{id}"
WARMUP_PER_THREAD = 20


# --------------------------------------------------------------------------- fixtures


def _seed() -> tuple[Any, str]:
    """A fake with one realistic user (names, external id and metadata set)."""
    from workos_authkit.testing import FakeWorkOS

    fake = FakeWorkOS()
    u = make_user(0)
    user = fake.add_user(
        u["email"],
        first_name=u["first_name"],
        last_name=u["last_name"],
        external_id=u["external_id"],
        metadata=u["metadata"],
    )
    return fake, str(user["id"])


# --------------------------------------------------------------------------- part 1


def _in_process(*, rounds: int, batch: int) -> dict[str, Any]:
    from workos_authkit import RateLimitConfig, WorkOS

    fake, uid = _seed()
    path = USER_TEMPLATE.format(id=uid)
    auth = {"authorization": f"Bearer {fake.api_key}"}

    answer = fake.handle("GET", path, headers=auth)
    assert answer.status == 200, answer
    body = answer.body
    canned_headers = dict(answer.headers)  # Content-Type and an X-Request-ID, like the fake's
    fixture = check_against_spec("GET", path, body)

    def canned(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers=canned_headers)

    no_limit = RateLimitConfig(enabled=False)
    on_fake = WorkOS(
        api_key=fake.api_key,
        base_url=fake.base_url,
        transport=fake.transport,
        rate_limit=no_limit,
    )
    on_mock = WorkOS(
        api_key=fake.api_key,
        base_url=fake.base_url,
        transport=httpx.MockTransport(canned),
        rate_limit=no_limit,
    )

    # sanity: both SDK paths decode the same user; the fake really served the SDK's request
    key = f"GET {USER_TEMPLATE}"  # the fake counts requests per route template
    served = fake.stats.requests[key]
    via_fake, via_mock = on_fake.users.get(uid), on_mock.users.get(uid)
    assert via_fake == via_mock, (via_fake, via_mock)
    assert via_fake.id == uid
    assert fake.stats.requests[key] == served + 1, "the SDK call did not reach the fake"

    def handle(n: int) -> None:
        h = fake.handle
        for _ in range(n):
            h("GET", path, headers=auth)

    def sdk_fake(n: int) -> None:
        get = on_fake.users.get
        for _ in range(n):
            get(uid)

    def sdk_mock(n: int) -> None:
        get = on_mock.users.get
        for _ in range(n):
            get(uid)

    def no_async(coro: Any) -> None:  # pragma: no cover - every contender here is sync
        raise AssertionError("no async contenders")

    series = interleave(
        {"fake.handle": handle, "ours on fake": sdk_fake, "ours on mock": sdk_mock},
        rounds=rounds,
        batch=batch,
        warmup=max(batch // 4, 20),
        run_async=no_async,
        is_async=lambda name: False,
    )
    on_fake.close()
    on_mock.close()

    med = {name: s.median / US for name, s in series.items()}
    return {
        "what": "microseconds per call, in-process (no sockets)",
        "fixture": fixture,
        "body_bytes": len(body),
        "rounds": rounds,
        "calls_per_round": batch,
        "results_us": {name: s.summary(US, "us/call") for name, s in series.items()},
        "ratios": {
            "fake.handle/ours on fake": ratio(med["fake.handle"], med["ours on fake"]),
            "ours on mock/ours on fake": ratio(med["ours on mock"], med["ours on fake"]),
            "(ours on fake - ours on mock)/ours on fake": ratio(
                med["ours on fake"] - med["ours on mock"], med["ours on fake"]
            ),
        },
        "fake_overhead_us": round(med["ours on fake"] - med["ours on mock"], 3),
    }


# --------------------------------------------------------------------------- part 2

_LOADGEN = r"""
import http.client, json, sys, threading, time
cfg = json.loads(sys.argv[1])
host, port, path = cfg["host"], cfg["port"], cfg["path"]
headers, expect = cfg["headers"], cfg["expect"].encode()
n, seconds, warmup = cfg["threads"], cfg["seconds"], cfg["warmup"]
barrier = threading.Barrier(n + 1)
box = {}
out = [None] * n

def worker(i):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    lat, errors = [], 0
    try:
        for _ in range(warmup):
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            b = r.read()
            if r.status != 200 or expect not in b:
                raise RuntimeError(f"bad warm-up answer {r.status}: {b[:200]!r}")
    except Exception as exc:
        print(f"thread {i}: {exc!r}", file=sys.stderr)
        barrier.abort()
        return
    barrier.wait()
    deadline = box["deadline"]
    clock, append = time.perf_counter, lat.append
    request, getresponse = conn.request, conn.getresponse
    now = clock()
    while now < deadline:
        request("GET", path, headers=headers)
        r = getresponse()
        r.read()
        if r.status != 200:
            errors += 1
        end = clock()
        append(end - now)
        now = end
    conn.close()
    out[i] = (lat, errors, now)

threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
for t in threads:
    t.start()
start = time.perf_counter()
box["deadline"] = start + seconds
try:
    barrier.wait()  # every thread is connected and warm
except threading.BrokenBarrierError:
    raise SystemExit("load generator warm-up failed")
cpu0 = time.process_time()
for t in threads:
    t.join(seconds + 30)
cpu = time.process_time() - cpu0
if any(o is None for o in out):
    raise SystemExit("a load-generator thread failed or hung")
lat = [round(x * 1e6, 1) for o in out for x in o[0]]
json.dump({
    "requests": len(lat),
    "errors": sum(o[1] for o in out),
    "elapsed": max(o[2] for o in out) - start,
    "client_cpu": cpu,
    "latencies_us": lat,
}, sys.stdout)
"""


def _loadgen(
    host: str, port: int, path: str, headers: dict[str, str], expect: str, threads: int, s: float
) -> dict[str, Any]:
    cfg = {
        "host": host,
        "port": port,
        "path": path,
        "headers": headers,
        "expect": expect,
        "threads": threads,
        "seconds": s,
        "warmup": WARMUP_PER_THREAD,
    }
    gc.collect()
    cpu0 = time.process_time()  # this process = the server (its threads, nothing else runs)
    proc = subprocess.run(
        [sys.executable, "-c", _LOADGEN, json.dumps(cfg)],
        capture_output=True,
        text=True,
        timeout=s + 60,
        check=False,
        cwd=str(ROOT),
    )
    server_cpu = time.process_time() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{proc.stderr}")
    out: dict[str, Any] = json.loads(proc.stdout)
    # server CPU covers the warm-up requests and connection set-up too
    out["server_cpu"] = server_cpu
    out["server_requests"] = out["requests"] + threads * WARMUP_PER_THREAD
    return out


def _pct(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


_WRK_UNITS = {"us": 1.0, "ms": 1e3, "s": 1e6}


def _wrk_us(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if m is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(m.group(1)) * _WRK_UNITS[m.group(2)]


def _wrk(
    wrk: str, url: str, headers: dict[str, str], seconds: int, threads: int, conns: int
) -> dict[str, Any]:
    cmd = [wrk, f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(url)
    gc.collect()
    cpu0 = time.process_time()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    server_cpu = time.process_time() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed:\n{proc.stdout}\n{proc.stderr}")
    text = proc.stdout
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if rps is None or total is None:
        raise RuntimeError(f"cannot parse wrk output:\n{text}")
    dist = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.MULTILINE))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    sock = re.search(r"Socket errors:(.*)", text)
    requests = int(total.group(1))
    return {
        "options": " ".join(cmd[1:5]),  # the user endpoint also gets -H "Authorization: ..."
        "requests": requests,
        "requests_per_s": round(float(rps.group(1)), 1),
        "p50_us": round(_wrk_us(dist["50"]), 1) if "50" in dist else None,
        "p99_us": round(_wrk_us(dist["99"]), 1) if "99" in dist else None,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sock.group(1).strip() if sock else "",
        "server_cpu_us_per_request": round(server_cpu / requests / US, 1) if requests else None,
        "meets_target": float(rps.group(1)) >= TARGET_RPS,
    }


def _loopback(
    *, load_rounds: int, seconds: float, threads: int, wrk_seconds: int
) -> dict[str, Any]:
    fake, uid = _seed()
    endpoints: dict[str, tuple[str, dict[str, str], str]] = {
        "GET /health": (HEALTH, {}, '"ok"'),
        "GET /user_management/users/{id}": (
            USER_TEMPLATE.format(id=uid),
            {"Authorization": f"Bearer {fake.api_key}"},
            uid,
        ),
    }
    names = list(endpoints)
    per_round: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    wrk_results: dict[str, Any] = {}
    wrk = shutil.which("wrk")
    server_threads_before = threading.active_count()
    with fake.serve() as url:
        parts = httpx.URL(url)
        host, port = str(parts.host), int(parts.port or 80)
        assert host == "127.0.0.1", url
        for r in range(load_rounds):
            order = names if r % 2 == 0 else names[::-1]
            for name in order:
                path, headers, expect = endpoints[name]
                per_round[name].append(
                    _loadgen(host, port, path, headers, expect, threads, seconds)
                )
        if wrk is not None:
            for name in names:
                path, headers, _ = endpoints[name]
                wrk_results[name] = _wrk(wrk, url + path, headers, wrk_seconds, 2, 8)
    # the served connections end when their clients hang up; give their threads a moment
    deadline = time.monotonic() + 2
    while threading.active_count() > server_threads_before and time.monotonic() < deadline:
        time.sleep(0.01)

    results: dict[str, Any] = {}
    for name in names:
        runs = per_round[name]
        lat = sorted(x for run_ in runs for x in run_["latencies_us"])
        requests = sum(run_["requests"] for run_ in runs)
        elapsed = sum(run_["elapsed"] for run_ in runs)
        rps = requests / elapsed
        server_cpu = sum(run_["server_cpu"] for run_ in runs)
        client_cpu = sum(run_["client_cpu"] for run_ in runs)
        results[name] = {
            "requests": requests,
            "errors": sum(run_["errors"] for run_ in runs),
            "seconds": round(elapsed, 3),
            "requests_per_s": round(rps, 1),
            "requests_per_s_per_round": [
                round(run_["requests"] / run_["elapsed"], 1) for run_ in runs
            ],
            "p50_us": round(_pct(lat, 0.50), 1),
            "p99_us": round(_pct(lat, 0.99), 1),
            "mean_us": round(statistics.fmean(lat), 1),
            "server_cpu_us_per_request": round(
                server_cpu / sum(run_["server_requests"] for run_ in runs) / US, 1
            ),
            "client_cpu_us_per_request": round(client_cpu / requests / US, 1),
            "meets_target": rps >= TARGET_RPS,
        }
    return {
        "what": "loopback HTTP/1.1 keep-alive, fake.serve() in this process, client in another",
        "client": f"{threads} threads x http.client.HTTPConnection (keep-alive), subprocess",
        "threads": threads,
        "rounds": load_rounds,
        "seconds_per_round": seconds,
        "target_requests_per_s": TARGET_RPS,
        "cpus": os.cpu_count(),
        "results": results,
        "wrk": wrk_results if wrk is not None else "skipped: wrk not on PATH",
        "notes": [
            f"client and server share the machine's {os.cpu_count()} CPUs, so req/s is a "
            "floor for the server alone",
            "latency is client-side wall time per request (includes the client's own GIL wait)",
            "server CPU per request = this process's CPU time during the run / requests served "
            "(warm-up included)",
        ],
    }


# --------------------------------------------------------------------------- entry points


def run(
    *,
    rounds: int = 21,
    batch: int = 200,
    load_rounds: int = 2,
    seconds: float = 1.5,
    threads: int = 4,
    wrk_seconds: int = 3,
    quiet: bool = False,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "benchmark": "fake",
        "in_process": _in_process(rounds=rounds, batch=batch),
        "loopback": _loopback(
            load_rounds=load_rounds, seconds=seconds, threads=threads, wrk_seconds=wrk_seconds
        ),
    }
    if not quiet:
        print(render(result))
    return result


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def _int(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def render(result: dict[str, Any]) -> str:
    ip = result["in_process"]
    rows = [[name, r["median"], r["p25"], r["p75"]] for name, r in ip["results_us"].items()]
    handle = ip["results_us"]["fake.handle"]["median"]
    on_fake = ip["results_us"]["ours on fake"]["median"]
    on_mock = ip["results_us"]["ours on mock"]["median"]
    out = [
        f"FakeWorkOS in-process, GET one user ({ip['rounds']} rounds x "
        f"{ip['calls_per_round']} calls, {ip['body_bytes']} B body; {ip['fixture']})",
        table(["contender", "median us", "p25", "p75"], rows),
        f"fake.handle / SDK call on the fake: {handle:,.2f} / {on_fake:,.2f} us = "
        f"{ip['ratios']['fake.handle/ours on fake']:.2f}x",
        f"mounting the fake (FakeTransport + handle) adds {ip['fake_overhead_us']:,.2f} us to an "
        f"SDK call ({on_fake:,.2f} us vs {on_mock:,.2f} us on a MockTransport): "
        f"{ip['ratios']['(ours on fake - ours on mock)/ours on fake']:.2f} of the call",
        "",
    ]
    lb = result["loopback"]
    rows = []
    for name, r in lb["results"].items():
        rows.append(
            [
                name,
                _int(r["requests_per_s"]),
                _int(r["p50_us"]),
                _int(r["p99_us"]),
                _int(r["server_cpu_us_per_request"]),
                r["errors"],
                _yes(r["meets_target"]),
            ]
        )
    wrk = lb["wrk"]
    if isinstance(wrk, dict):
        for name, r in wrk.items():
            rows.append(
                [
                    f"{name} (wrk)",
                    _int(r["requests_per_s"]),
                    _int(r["p50_us"]),
                    _int(r["p99_us"]),
                    _int(r["server_cpu_us_per_request"]),
                    r["non_2xx"],
                    _yes(r["meets_target"]),
                ]
            )
    out += [
        f"FakeWorkOS on loopback ({lb['client']}; {lb['rounds']} x {lb['seconds_per_round']} s "
        f"per endpoint; target >= {lb['target_requests_per_s']:,} req/s)",
        table(
            ["endpoint", "req/s", "p50 us", "p99 us", "server CPU us/req", "errors", "target"],
            rows,
        ),
    ]
    if isinstance(wrk, dict) and wrk:
        out.append(f"wrk {next(iter(wrk.values()))['options']} (errors = non-2xx responses)")
        for name, r in wrk.items():
            if r["socket_errors"]:
                out.append(f"wrk socket errors on {name}: {r['socket_errors']}")
    elif not isinstance(wrk, dict):
        out.append(f"wrk: {wrk}")
    out.append(f"note: {lb['notes'][0]}")
    return "\n".join(out)


if __name__ == "__main__":
    import pprint

    res = run()
    pprint.pprint(environment())
