"""The FastAPI example in headless Chromium: through the fake's hosted sign-in page to the
protected page and out again. Needs Debian's ``chromium`` (``apt-get install chromium``; ``.ci/run``
installs it when it can) and Playwright, pointed at ``/usr/bin/chromium``: skipped otherwise."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from tests.integrations.helpers import PASSWORD
from tests.integrations.test_examples import free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "fastapi_app.py"

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason=f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)",
    ),
]


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fastapi_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sign_in_and_out_in_headless_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.delenv("WORKOS_API_KEY", raising=False)
    with load_example().serve(free_port()) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.click("#sign-in")  # -> /login -> the fake's hosted sign-in page
            assert (
                page.url.startswith("http://127.0.0.1:")
                and "/user_management/authorize" in page.url
            )
            page.fill("input[name=email]", "ada@example.com")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")  # -> /callback -> /account
            page.wait_for_url(url + "account")
            assert page.text_content("#email") == "ada@example.com"
            (cookie,) = [c for c in context.cookies() if c["name"] == "wos-session"]
            assert cookie["value"].startswith("Fe26.2*")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
            assert not [c for c in context.cookies() if c["name"].startswith("wos-auth-verifier")]

            page.click("#sign-out")  # -> /logout -> the fake's logout -> back to the app
            page.wait_for_url(url)
            assert page.locator("#sign-in").count() == 1
            assert not [c for c in context.cookies() if c["name"] == "wos-session"]
        finally:
            browser.close()
