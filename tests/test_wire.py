"""The default pool's errors leave it as httpx's: one exception family above the transport."""

from __future__ import annotations

import httpcore2
import httpx
import pytest

from workos_authkit._wire import pool_errors

FAILURES = [
    name
    for name in httpcore2.__all__
    if isinstance(getattr(httpcore2, name), type)
    and issubclass(getattr(httpcore2, name), Exception)
    and name != "ConnectionNotAvailable"  # the pool's own signal, handled inside it
]


def test_every_httpcore2_failure_is_covered() -> None:
    assert {"ConnectError", "ReadTimeout", "RemoteProtocolError", "PoolTimeout"} <= set(FAILURES)


@pytest.mark.parametrize("name", FAILURES)
def test_each_failure_becomes_the_httpx_exception_of_the_same_name(name: str) -> None:
    with pytest.raises(httpx.TransportError) as info, pool_errors():
        raise getattr(httpcore2, name)("boom")
    assert type(info.value) is getattr(httpx, name)
    assert str(info.value) == "boom"
    assert isinstance(info.value.__cause__, getattr(httpcore2, name))


def test_other_exceptions_pass_through_unchanged() -> None:
    with pytest.raises(KeyError), pool_errors():
        raise KeyError("not a transport failure")
