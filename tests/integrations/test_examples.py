"""``make demo-fastapi`` and ``make demo-django`` work: each example, started as the make target
starts it, signs a person in over real loopback HTTP against the fake and shows the account."""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integrations.helpers import PASSWORD

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
_HIDDEN = re.compile(r"<input type='hidden' name='([^']*)' value='([^']*)'>")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(params=["fastapi_app.py", "django_app/run_demo.py"])
def example(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKOS_", "DJANGO_"))}
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / request.param), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Open "):
                break
        url = f"http://127.0.0.1:{port}/"
        assert f"Open {url}" in "".join(lines), "".join(lines)
        fake = re.search(r"Fake AuthKit server on (\S+):", "".join(lines))
        assert fake is not None
        yield url, fake.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_example_signs_in_through_the_fake_on_loopback(example: tuple[str, str]) -> None:
    url, fake_url = example
    with httpx.Client(follow_redirects=True, headers={"Accept": "text/html"}) as browser:
        for _ in range(50):  # the server may still be binding its socket
            try:
                page = browser.get(url)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        link = re.search(r"<a id='sign-in' href='([^']+)'>Sign in</a>", page.text)
        assert link is not None, page.text
        sign_in = browser.get(url.rstrip("/") + html.unescape(link.group(1)))
        assert str(sign_in.url).startswith(fake_url) and "<form" in sign_in.text
        form = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(sign_in.text)}
        account = browser.post(
            fake_url + "/user_management/authorize",
            data={**form, "email": "ada@example.com", "password": PASSWORD},
        )
        assert account.status_code == 200
        assert "<p id='email'>ada@example.com</p>" in account.text
        assert "role: admin" in account.text
