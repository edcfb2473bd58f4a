"""The public surface: every exported name resolves, and the twins match name for name."""

from __future__ import annotations

import inspect

import pytest

import workos_authkit
import workos_authkit.testing


@pytest.mark.parametrize("module", [workos_authkit, workos_authkit.testing])
def test_every_exported_name_resolves(module: object) -> None:
    for name in module.__all__:  # type: ignore[attr-defined]
        assert getattr(module, name) is not None, name
    assert sorted(dir(module)) == sorted(module.__all__)  # type: ignore[attr-defined]


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {
        name.removeprefix("a") if name == "aclose" else name: inspect.signature(member)
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


@pytest.mark.parametrize(
    ("async_cls", "sync_cls"),
    [
        ("AsyncWorkOS", "WorkOS"),
        ("AsyncPager", "Pager"),
        ("AsyncUsers", "Users"),
    ],
)
def test_sync_twin_has_the_same_methods_and_parameters(async_cls: str, sync_cls: str) -> None:
    from workos_authkit import _async, _sync

    a, s = getattr(_async, async_cls), getattr(_sync, sync_cls)
    a_methods, s_methods = _public(a), _public(s)
    assert set(a_methods) == set(s_methods)
    for name, signature in a_methods.items():
        assert list(signature.parameters) == list(s_methods[name].parameters), name
    assert not any(inspect.iscoroutinefunction(m) for _, m in inspect.getmembers(s))
    assert inspect.iscoroutinefunction(_async.AsyncUsers.get)


def test_resources_share_one_http_layer() -> None:
    client = workos_authkit.WorkOS(api_key="sk_test_x")
    assert client.users._http is client._http
    client.close()
