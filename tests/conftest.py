from __future__ import annotations

import pytest
import respx

from tests.factories import BASE_URL


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Async tests run on both anyio backends (generated sync tests ignore it)."""
    return str(request.param)


@pytest.fixture
def router() -> respx.Router:
    """A fresh respx router per test, used as the inner transport under the retry middleware."""
    return respx.Router(base_url=BASE_URL, assert_all_called=False)
