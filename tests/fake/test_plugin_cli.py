"""The pytest plugin (run in a child pytest) and the ``workos-authkit fake-server`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import jwt
import pytest

from workos_authkit.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_pytest_plugin_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test_user_code.py").write_text(
        textwrap.dedent(
            """
            import sys

            import anyio

            def test_fresh_fake(workos_fake):
                assert workos_fake.users == {}
                workos_fake.add_user("ada@example.com")

            def test_fresh_again(workos_fake):
                assert workos_fake.users == {}

            def test_sync_client(workos_client, workos_fake):
                user = workos_client.users.create(email="ada@example.com", password="correct horse battery")
                assert workos_fake.user("ada@example.com")["id"] == user.id

            def test_async_client(async_workos_client, workos_fake):
                async def go():
                    return await async_workos_client.users.create(email="b@example.com")
                user = anyio.run(go)
                assert workos_fake.user("b@example.com")["id"] == user.id

            def test_plugin_is_light():
                # the plugin module itself imports no fake, no httpx client, no jwt
                import workos_authkit.testing.pytest_plugin as plugin
                assert "FakeWorkOS" not in vars(plugin) or plugin.FakeWorkOS is None
            """
        )
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:workos_authkit",
            "-p",
            "workos_authkit.testing.pytest_plugin",
            "-p",
            "no:cacheprovider",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 passed" in proc.stdout


def test_plugin_module_imports_nothing_heavy() -> None:
    code = (
        "import sys; import workos_authkit.testing.pytest_plugin; "
        "heavy = [m for m in ('httpx', 'jwt', 'cryptography', 'respx', 'yaml', 'workos_authkit.testing._fake') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), timeout=60
    )
    # importing the package `workos_authkit` itself may pull in the SDK; the fake and its deps must not load
    assert (
        "workos_authkit.testing._fake" not in out.stdout
        and "'respx'" not in out.stdout
        and "'yaml'" not in out.stdout
    ), out


def test_cli_refuses_remote_host(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fake-server", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_cli_without_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "fake-server" in capsys.readouterr().out


def test_cli_bad_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "seed.json"
    bad.write_text("[1, 2]")
    assert main(["fake-server", "--port", "0", "--seed", str(bad)]) == 2
    assert "cannot load seed" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_cli_fake_server_serves_seed(tmp_path: Path, fmt: str) -> None:
    seed = {
        "organizations": [{"name": "Acme"}],
        "users": [{"email": "ada@example.com", "password": "correct horse battery"}],
        "memberships": [{"user": "ada@example.com", "organization": "Acme"}],
    }
    path = tmp_path / f"seed.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(seed))
    else:
        import yaml

        path.write_text(yaml.safe_dump(seed))
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workos_authkit.cli",
            "fake-server",
            "--port",
            "0",
            "--seed",
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
    ) as proc:
        _check_server(proc)


def _check_server(proc: subprocess.Popen[str]) -> None:
    try:
        assert proc.stdout is not None
        lines: dict[str, str] = {}
        deadline = time.monotonic() + 30
        while len(lines) < 3 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "=" in line:
                k, v = line.strip().split("=", 1)
                lines[k] = v
        url, key = lines["WORKOS_BASE_URL"], lines["WORKOS_API_KEY"]
        assert url.startswith("http://127.0.0.1:") and lines["WORKOS_CLIENT_ID"].startswith(
            "client_"
        )
        assert httpx.get(f"{url}/health").json() == {"status": "ok"}
        users = httpx.get(
            f"{url}/user_management/users", headers={"Authorization": f"Bearer {key}"}
        ).json()
        assert [u["email"] for u in users["data"]] == ["ada@example.com"]
        # tokens name the served base URL as their issuer, so an issuer check works over loopback
        client_id = lines["WORKOS_CLIENT_ID"]
        body = {
            "client_id": client_id,
            "client_secret": key,
            "grant_type": "password",
            "email": "ada@example.com",
            "password": "correct horse battery",
        }
        token = httpx.post(f"{url}/user_management/authenticate", json=body).json()["access_token"]
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["iss"] == f"{url}/user_management/{client_id}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
