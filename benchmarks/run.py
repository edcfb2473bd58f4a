"""Run every benchmark (``make bench``), print a summary, write ``benchmarks/results.json``.

Usage: ``python benchmarks/run.py [--quick] [--only import,calls,parse] [--output PATH]``

Each benchmark measures our SDK and its comparisons side by side in one run (interleaved,
repeated, medians), so the ratios are the numbers to read; raw timings depend on the
machine. The official SDK (``workos==10.8.0``, the ``bench`` extra) must be installed.
Takes about a minute (``--quick``: a few seconds, for checking that everything runs).
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

from benchmarks import bench_calls, bench_import, bench_parse
from benchmarks._common import environment, table

HERE = Path(__file__).resolve().parent

# name -> (full-run kwargs, quick-run kwargs, runner, renderer)
BENCHMARKS: dict[str, tuple[dict[str, int], dict[str, int], Callable[..., Any], Any]] = {
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
        r = results["calls"]["results_us"]
        for flavour in ("sync", "async"):
            ours = r[f"ours {flavour}"]["median"]
            official = r[f"official {flavour}"]["median"]
            raw = r[f"raw {flavour}"]["median"]
            rows.append(
                [
                    f"users.get ({flavour})",
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
    return table(
        ["benchmark", "unit", "ours", "official", "floor (ours/floor)", "ours/official"], rows
    )


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
