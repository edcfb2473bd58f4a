"""`make demo` keeps working: run the walkthrough against the built-in fake, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"


def test_demo_runs_against_the_fake() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKOS_")}
    result = subprocess.run(
        [sys.executable, str(DEMO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Started the fake AuthKit server on http://127.0.0.1:" in out
    assert "3 pages, 25 users, 25 from this run" in out
    assert "duplicate email -> BadRequestError: code='user_creation_error'" in out
    assert "two 503s, then" in out
    assert "users with that email: 1" in out
    assert "all 40 reads succeeded" in out
    assert "added Ada as admin" in out and "reactivate -> active" in out
    assert "accepted (accepted); members now: ada." in out
    assert "valid=True" in out
    assert "access token verified against the JWKS" in out
    assert "refreshing its cookie now -> refresh_denied" in out
    assert "inside a running event loop" not in out + result.stderr
    assert "deleted the 27 users this run created" in out
    assert "8. Bulk import examples/users.csv" in out
    assert "Import summary" in out
    assert (
        "exit status 1 (1: some rows failed, as they should); 995 users hold example.com emails, each once: True"
        in out
    )
    assert "Traceback" not in out + result.stderr
