"""Cold import cost: ``workos_authkit`` vs the official ``workos`` (10.8.0).

Every sample is a fresh interpreter (``$BENCH_IMPORT_PYTHON -c ...``, default ``sys.executable``;
``make bench`` points it at a venv holding only what a user installs: this SDK without extras and
the official SDK, since dev tools change what ``import httpx`` loads) that times its own import
with ``time.perf_counter`` (interpreter start-up is excluded; it is reported separately as
``python -c pass`` wall time). "Cold" means a new process: the OS file cache and the
``.pyc`` files are warm (one unmeasured warm-up run per case writes the ``.pyc``), which is
what a restarted worker or CLI sees. Cases run interleaved, N rounds, medians.

Cases (ours vs official):

* ``import``         - ``import workos_authkit``      vs ``import workos``
* ``clients``        - ``from workos_authkit import WorkOS, AsyncWorkOS``
                       vs ``from workos import WorkOSClient, AsyncWorkOSClient``
* ``ready to call``  - import + construct the sync client + touch its users resource
                       (our package loads lazily, so this is where deferred work shows up)
* ``first response`` - import + construct the sync client + one ``get user`` call answered by an
                       in-process ``httpx.MockTransport`` (both SDKs): cold start to the first
                       decoded response, what a restarted worker pays before its first answer

``import httpx`` (which both SDKs need) is reported as a reference.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, ratio, table, user_bytes

_TIMER = (
    "BODY = {body!r}\n"
    "import time as _t\n"
    "_s = _t.perf_counter()\n"
    "{code}\n"
    "_e = _t.perf_counter()\n"
    "import sys as _sys\n"
    "_sys.stdout.write(repr(_e - _s))\n"
)

CASES: dict[str, tuple[str, str]] = {
    "import": ("import workos_authkit", "import workos"),
    "clients": (
        "from workos_authkit import WorkOS, AsyncWorkOS",
        "from workos import WorkOSClient, AsyncWorkOSClient",
    ),
    "ready to call": (
        "from workos_authkit import WorkOS\n"
        "c = WorkOS(api_key='sk_test', client_id='client_x')\n"
        "c.users",
        "from workos import WorkOSClient\n"
        "c = WorkOSClient(api_key='sk_test', client_id='client_x')\n"
        "c.user_management",
    ),
    "first response": (
        "import httpx\n"
        "from workos_authkit import WorkOS\n"
        "t = httpx.MockTransport(lambda r: httpx.Response(200, content=BODY))\n"
        "c = WorkOS(api_key='sk_test', client_id='client_x', transport=t)\n"
        "assert c.users.get('user_1').id",
        "import httpx\n"
        "from workos import WorkOSClient\n"
        "t = httpx.MockTransport(lambda r: httpx.Response(200, content=BODY))\n"
        "c = WorkOSClient(api_key='sk_test', client_id='client_x',"
        " http_client=httpx.Client(transport=t))\n"
        "assert c.user_management.get_user('user_1').id",
    ),
}
REFERENCE = {"import httpx": "import httpx"}

#: the interpreter of the samples (see the module docstring)
PYTHON = os.environ.get("BENCH_IMPORT_PYTHON") or sys.executable


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WORKOS_", "PYTHON")) or k == "PYTHONHASHSEED"
    }
    env["PYTHONPATH"] = str(ROOT)  # the working tree, installed or not
    return env


def _sample(code: str, env: dict[str, str]) -> float:
    """Seconds spent importing/executing ``code`` inside a fresh interpreter."""
    proc = subprocess.run(
        [PYTHON, "-c", _TIMER.format(code=code, body=user_bytes())],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(ROOT),
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed for {code!r}:\n{proc.stderr}")
    return float(proc.stdout.strip())


def _startup(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([PYTHON, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - start


def run(*, rounds: int = 15, quiet: bool = False) -> dict[str, Any]:
    env = _env()
    jobs: list[tuple[str, str]] = []  # (key, code)
    for case, (ours_code, official_code) in CASES.items():
        jobs += [(f"{case}|ours", ours_code), (f"{case}|official", official_code)]
    jobs += [(f"{name}|reference", code) for name, code in REFERENCE.items()]
    for _, code in jobs:  # warm-up: write .pyc, fill the OS file cache
        _sample(code, env)
    samples: dict[str, list[float]] = {key: [] for key, _ in jobs}
    startup: list[float] = []
    for r in range(rounds):
        shift = r % len(jobs)
        for key, code in jobs[shift:] + jobs[:shift]:
            samples[key].append(_sample(code, env))
        startup.append(_startup(env))

    ms = {key: statistics.median(values) * 1e3 for key, values in samples.items()}
    cases: dict[str, Any] = {}
    for case in CASES:
        ours, official = ms[f"{case}|ours"], ms[f"{case}|official"]
        cases[case] = {
            "ours_ms": round(ours, 2),
            "official_ms": round(official, 2),
            "ours/official": ratio(ours, official),
            "ours_code": CASES[case][0],
            "official_code": CASES[case][1],
            "ours_samples_ms": [round(v * 1e3, 2) for v in samples[f"{case}|ours"]],
            "official_samples_ms": [round(v * 1e3, 2) for v in samples[f"{case}|official"]],
        }
    result: dict[str, Any] = {
        "benchmark": "import",
        "what": "cold import in a fresh interpreter (warm .pyc): milliseconds, medians",
        "rounds": rounds,
        "cases": cases,
        "reference_ms": {name: round(ms[f"{name}|reference"], 2) for name in REFERENCE},
        "python_startup_ms": round(statistics.median(startup) * 1e3, 2),
        "interpreter": PYTHON,
    }
    if not quiet:
        print(render(result))
    return result


def render(result: dict[str, Any]) -> str:
    rows: list[list[Any]] = [
        [case, c["ours_ms"], c["official_ms"], f"{c['ours/official']:.2f}x"]
        for case, c in result["cases"].items()
    ]
    rows += [[name, value, "", ""] for name, value in result["reference_ms"].items()]
    return "\n".join(
        [
            f"cold import, fresh interpreter ({result['rounds']} interleaved rounds; python "
            f"start-up itself {result['python_startup_ms']:.1f} ms, not included)",
            table(["case", "ours ms", "official ms", "ours/official"], rows),
        ]
    )


if __name__ == "__main__":
    run()
