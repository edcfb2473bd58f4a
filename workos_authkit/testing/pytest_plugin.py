"""pytest plugin (entry point ``pytest11``): fixtures bound to a fresh FakeWorkOS.

Fixtures: ``workos_fake`` (a new :class:`~workos_authkit.testing.FakeWorkOS` per test),
``workos_client`` (a sync ``WorkOS`` bound to it) and ``async_workos_client`` (an ``AsyncWorkOS``
bound to it; a plain fixture, so it works with any async test runner).

Nothing heavy is imported at module level: pytest loads this module in every project that has
workos-authkit installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from workos_authkit.testing import FakeWorkOS


def _client_kwargs(fake: FakeWorkOS) -> dict[str, Any]:
    """What binds a ``WorkOS``/``AsyncWorkOS`` client to ``fake``."""
    return {
        "api_key": fake.api_key,
        "client_id": fake.client_id,
        "base_url": fake.base_url,
        "transport": fake.transport,
    }


@pytest.fixture
def workos_fake() -> FakeWorkOS:
    """A fresh in-memory WorkOS AuthKit server for this test."""
    from workos_authkit.testing import FakeWorkOS

    return FakeWorkOS()


@pytest.fixture
def workos_client(workos_fake: FakeWorkOS) -> Iterator[Any]:
    """A sync ``WorkOS`` client whose requests are answered in-process by ``workos_fake``."""
    from workos_authkit import WorkOS  # type: ignore[attr-defined,unused-ignore]

    client = WorkOS(**_client_kwargs(workos_fake))
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def async_workos_client(workos_fake: FakeWorkOS) -> Any:
    """An ``AsyncWorkOS`` client answered in-process by ``workos_fake``.

    A plain (sync) fixture; the fake's transport holds no connections, so the client needs no
    ``aclose()`` (use ``async with`` in the test if you want it closed explicitly).
    """
    from workos_authkit import AsyncWorkOS  # type: ignore[attr-defined,unused-ignore]

    return AsyncWorkOS(**_client_kwargs(workos_fake))
