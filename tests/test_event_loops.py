"""Clients and event loops: what may be shared with what (see README, "Sharing a client")."""

from __future__ import annotations

import asyncio
import logging

import pytest

from workos_authkit import WorkOS
from workos_authkit.testing import FakeWorkOS


@pytest.fixture
def fresh_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import workos_authkit._concurrency as concurrency

    monkeypatch.setattr(concurrency, "_warned_in_loop", False)


@pytest.mark.usefixtures("fresh_warning")
def test_the_sync_client_inside_a_running_loop_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeWorkOS()
    user = fake.add_user("ada@example.com")
    client = WorkOS(api_key=fake.api_key, base_url=fake.base_url, transport=fake.transport)

    async def handler() -> None:
        for _ in range(3):
            assert client.users.get(user["id"]).email == "ada@example.com"

    with caplog.at_level(logging.WARNING, logger="workos_authkit"):
        client.users.get(user["id"])  # no loop: no warning
        assert not caplog.records
        asyncio.run(handler())
    warnings = [r for r in caplog.records if "inside a running event loop" in r.getMessage()]
    assert len(warnings) == 1
    client.close()


@pytest.mark.usefixtures("fresh_warning")
def test_the_sync_client_inside_trio_warns_too(caplog: pytest.LogCaptureFixture) -> None:
    import trio

    fake = FakeWorkOS()
    user = fake.add_user("ada@example.com")
    client = WorkOS(api_key=fake.api_key, base_url=fake.base_url, transport=fake.transport)

    async def handler() -> None:
        client.users.get(user["id"])

    with caplog.at_level(logging.WARNING, logger="workos_authkit"):
        trio.run(handler)
    assert any("inside a running event loop" in r.getMessage() for r in caplog.records)
    client.close()
