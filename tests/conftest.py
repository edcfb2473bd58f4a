from __future__ import annotations

import pytest
import respx

from tests.factories import BASE_URL


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def router() -> respx.Router:
    """A fresh respx router per test, used as the inner transport under the retry middleware."""
    return respx.Router(base_url=BASE_URL, assert_all_called=False)
