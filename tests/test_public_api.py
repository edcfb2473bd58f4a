"""The public surface: every exported name resolves, and the twins match name for name."""

from __future__ import annotations

import inspect
import types

import pytest

import workos_authkit
import workos_authkit.testing
from workos_authkit import _async, _sync


@pytest.mark.parametrize("module", [workos_authkit, workos_authkit.testing])
def test_all_lists_exactly_the_public_names(module: types.ModuleType) -> None:
    """``__all__`` == the names bound at import + the names resolved lazily (nothing missing)."""
    exported = set(module.__all__)
    for name in exported:
        assert getattr(module, name) is not None, name
    # read the module's own namespace, not dir() (which answers __all__ itself)
    lazy = set(getattr(module, "_LAZY", {}))
    bound = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in {"annotations", "TYPE_CHECKING", "lazy_getattr"}
        and getattr(value, "__module__", module.__name__).startswith("workos_authkit")
    }
    bound |= {"__version__"} & set(vars(module))
    assert bound | lazy == exported, sorted((bound | lazy) ^ exported)


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {
        name.removeprefix("a") if name == "aclose" else name: inspect.signature(member)
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


def _twin_pairs() -> list[tuple[str, str]]:
    """Every class the async package exports, with its generated twin's name."""
    pairs = []
    for name in _async.__all__:
        obj = getattr(_async, name)
        if inspect.isclass(obj):
            pairs.append((name, name.removeprefix("Async")))
    return pairs


def test_the_twin_list_covers_every_resource() -> None:
    names = {a for a, _ in _twin_pairs()}
    for name in _async.resources.__all__:
        assert name in names, f"{name} is not exported by workos_authkit._async"
    assert {"AsyncWorkOS", "AsyncPager"} <= names


@pytest.mark.parametrize(("async_cls", "sync_cls"), _twin_pairs())
def test_sync_twin_has_the_same_methods_and_parameters(async_cls: str, sync_cls: str) -> None:
    a, s = getattr(_async, async_cls), getattr(_sync, sync_cls)
    a_methods, s_methods = _public(a), _public(s)
    assert set(a_methods) == set(s_methods)
    for name, signature in a_methods.items():
        assert list(signature.parameters) == list(s_methods[name].parameters), name
    assert not any(inspect.iscoroutinefunction(m) for _, m in inspect.getmembers(s))
    awaited = [name for name, m in inspect.getmembers(a) if inspect.iscoroutinefunction(m)]
    if async_cls != "AsyncPager":  # a pager is iterated, its pages fetched inside generators
        assert awaited, f"{async_cls} has no coroutine methods"


def test_resources_share_the_clients_configuration_and_http_layer() -> None:
    client = workos_authkit.WorkOS(api_key="sk_test_x")
    assert client.users._http is client._http
    assert client.users._config is client._config
    client.close()
