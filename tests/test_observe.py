"""Whether a client traces is decided once, from the tracer provider in use when it is made."""

from __future__ import annotations

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from workos_authkit import WorkOS
from workos_authkit._observe import SCOPE, tracer_for


def test_the_default_global_provider_means_no_tracing() -> None:
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
    assert tracer_for() is None


def test_a_no_op_global_provider_means_no_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trace, "get_tracer_provider", trace.NoOpTracerProvider)
    assert tracer_for() is None


def test_a_configured_global_provider_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    provider = TracerProvider()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    tracer = tracer_for()
    assert tracer is not None
    assert tracer._instrumentation_scope.name == SCOPE  # type: ignore[attr-defined]
    with WorkOS(api_key="sk_x") as client:
        assert client._http._tracer is not None


def test_without_opentelemetry_imported_nothing_is_looked_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(__import__("sys").modules, "opentelemetry.trace")
    assert tracer_for() is None
