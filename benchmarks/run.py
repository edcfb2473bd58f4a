"""Run every benchmark (``make bench``), print a summary, write ``benchmarks/results.json``.

Usage: ``python benchmarks/run.py [--quick] [--only import,calls,parse,fake,ratelimit,session,bulk,otel,middleware] [--output PATH]``

Each benchmark measures our SDK and its comparisons side by side in one run (interleaved,
repeated, medians), so the ratios are the numbers to read; raw timings depend on the
machine. The official SDK (``workos==10.8.0``, the ``bench`` extra) must be installed.
``fake`` measures our test fake (``FakeWorkOS``) in-process and on loopback (runs ``wrk`` too
if it is on ``PATH``). Takes about a minute (``--quick``: a few seconds, for checking that
everything runs).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    bench_bulk,
    bench_calls,
    bench_fake,
    bench_import,
    bench_middleware,
    bench_otel,
    bench_parse,
    bench_ratelimit,
    bench_session,
)
from benchmarks._common import environment, table

HERE = Path(__file__).resolve().parent

# name -> (full-run kwargs, quick-run kwargs, runner, renderer)
BENCHMARKS: dict[str, tuple[dict[str, Any], dict[str, Any], Callable[..., Any], Any]] = {
    "import": ({"rounds": 11}, {"rounds": 2}, bench_import.run, bench_import.render),
    "calls": (
        {"rounds": 21, "batch": 200},
        {"rounds": 3, "batch": 20},
        bench_calls.run,
        bench_calls.render,
    ),
    "parse": (
        {"rounds": 25, "batch": 20},
        {"rounds": 3, "batch": 3},
        bench_parse.run,
        bench_parse.render,
    ),
    "fake": (
        {"rounds": 21, "batch": 200, "load_rounds": 2, "seconds": 1.5, "wrk_seconds": 3},
        {"rounds": 3, "batch": 20, "load_rounds": 1, "seconds": 1.5, "wrk_seconds": 1},
        bench_fake.run,
        bench_fake.render,
    ),
    "ratelimit": ({}, bench_ratelimit.QUICK, bench_ratelimit.run, bench_ratelimit.render),
    "bulk": ({}, bench_bulk.QUICK, bench_bulk.run, bench_bulk.render),
    "session": (
        {"rounds": 21, "batch": 200},
        {"rounds": 3, "batch": 20},
        bench_session.run,
        bench_session.render,
    ),
    "otel": (
        {"rounds": 21, "batch": 200},
        {"rounds": 3, "batch": 20},
        bench_otel.run,
        bench_otel.render,
    ),
    "middleware": (
        {"rounds": 21, "batch": 200},
        {"rounds": 3, "batch": 20},
        bench_middleware.run,
        bench_middleware.render,
    ),
}


def _preflight() -> None:
    missing = []
    for module in ("workos", "workos_authkit"):
        try:
            __import__(module)
        except ImportError as exc:
            missing.append(f"{module}: {exc}")
    if missing:
        raise SystemExit(
            "benchmarks need both SDKs importable (pip install -e '.[bench]'):\n  "
            + "\n  ".join(missing)
        )


def summary(results: dict[str, Any]) -> str:
    rows: list[list[Any]] = []
    if "import" in results:
        for case, c in results["import"]["cases"].items():
            rows.append(
                [f"import: {case}", "ms", c["ours_ms"], c["official_ms"], "", c["ours/official"]]
            )
    if "calls" in results:
        for sc in results["calls"]["scenarios"].values():
            r = sc["results_us"]
            for flavour in ("sync", "async"):
                ours = r[f"ours {flavour}"]["median"]
                official = r[f"official {flavour}"]["median"]
                raw = r[f"raw {flavour}"]["median"]
                rows.append(
                    [
                        f"{sc['what']} ({flavour})",
                        "us/call",
                        ours,
                        official,
                        f"{raw:,.2f} ({ours / raw:.2f}x)",
                        round(ours / official, 2),
                    ]
                )
    if "parse" in results:
        r = results["parse"]["results_us"]
        ours, official, floor = (r[k]["median"] for k in ("ours", "official", "json.loads"))
        rows.append(
            [
                "parse 100-user page",
                "us/page",
                ours,
                official,
                f"{floor:,.2f} ({ours / floor:.2f}x)",
                round(ours / official, 2),
            ]
        )
    if "session" in results:
        r = results["session"]["results_us"]
        for flavour in ("async", "sync"):
            ours, official = r[f"ours {flavour}"]["median"], r["official"]["median"]
            rows.append(
                [
                    f"authenticate(cookie), warm JWKS ({flavour})",
                    "us/call",
                    ours,
                    official,
                    "",
                    round(ours / official, 2),
                ]
            )
    parts = []
    if rows:
        parts.append(
            table(
                ["benchmark", "unit", "ours", "official", "floor (ours/floor)", "ours/official"],
                rows,
            )
        )
    if "fake" in results:
        parts.append(_fake_summary(results["fake"]))
    if "ratelimit" in results:
        parts.append(
            "Rate limiter on loopback (issue 12 §3):\n"
            + bench_ratelimit.render(results["ratelimit"])
        )
    if "bulk" in results:
        parts.append("Bulk import (issue 16):\n" + bench_bulk.render(results["bulk"]))
    if "otel" in results:
        parts.append(
            "Observability (issue 17 §5): OpenTelemetry spans and DEBUG lines vs off:\n"
            + bench_otel.render(results["otel"])
        )
    if "middleware" in results:
        parts.append(
            "AuthKit middleware in a FastAPI app (issue 17):\n"
            + bench_middleware.render(results["middleware"])
        )
    return "\n\n".join(parts)


def _fake_summary(fake: dict[str, Any]) -> str:
    ip = fake["in_process"]
    r = ip["results_us"]
    handle, on_fake = r["fake.handle"]["median"], r["ours on fake"]["median"]
    lines = [
        f"FakeWorkOS: handle {handle:,.2f} us vs users.get on fake.transport {on_fake:,.2f} us "
        f"(handle/SDK call {ip['ratios']['fake.handle/ours on fake']:.2f}x; whole mount "
        f"{ip['ratios']['(ours on fake - ours on mock)/ours on fake']:.2f} of the call)"
    ]
    lb = fake["loopback"]
    target = lb["target_requests_per_s"]
    clients = [(f"{lb['threads']} http.client threads", lb["results"])]
    if isinstance(lb["wrk"], dict):
        clients.append(("wrk", lb["wrk"]))
    for client, by_endpoint in clients:
        served = ", ".join(
            f"{name} {x['requests_per_s']:,.0f} req/s ({'met' if x['meets_target'] else 'MISSED'})"
            for name, x in by_endpoint.items()
        )
        lines.append(f"FakeWorkOS loopback, {client} (target >= {target:,} req/s): {served}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few rounds: check it runs")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    selected = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(selected) - BENCHMARKS.keys()
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    _preflight()

    started = time.perf_counter()
    results: dict[str, Any] = {}
    for name in selected:
        full, quick, runner, render = BENCHMARKS[name]
        t0 = time.perf_counter()
        print(f"== {name} ...", flush=True)
        results[name] = runner(**(quick if args.quick else full), quiet=True)
        results[name]["seconds"] = round(time.perf_counter() - t0, 1)
        print(render(results[name]), end="\n\n", flush=True)

    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "total_seconds": round(time.perf_counter() - started, 1),
        "environment": environment(),
        "benchmarks": results,
    }
    print("== summary (medians; ratios < 1 mean ours is faster)")
    print(summary(results))
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output} ({report['total_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
