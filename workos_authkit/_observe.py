"""Observability of API calls, shared by both twins: the DEBUG line per call and OpenTelemetry.

Whether a client traces is decided once, when it is made (``tracer_for``): without a tracer the
HTTP layer takes its plain path, so OpenTelemetry costs nothing when it is not installed or not
configured. ``opentelemetry`` is never imported here unless the application imported it first.
Nothing secret goes into a log line or a span: paths are masked (``loggable_path``), and neither
headers, query strings, bodies nor error messages are recorded.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ._validation import loggable_path
from ._version import __version__

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

logger = logging.getLogger("workos_authkit")

#: the instrumentation scope of the spans
SCOPE = "workos_authkit"


def tracer_for(provider: Any = None) -> Tracer | None:
    """The tracer for a new client's spans, or ``None`` for no tracing.

    ``provider`` is an OpenTelemetry ``TracerProvider`` given to the client; by default the global
    one, used only when the application has imported OpenTelemetry and set a real provider (the
    API's default proxy and no-op providers mean nobody collects spans).
    """
    if provider is None:
        trace = sys.modules.get("opentelemetry.trace")
        if trace is None:
            return None  # OpenTelemetry not installed, or not in use by the application
        provider = trace.get_tracer_provider()
        if isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider):
            return None
    tracer: Tracer = provider.get_tracer(SCOPE, __version__)
    return tracer


def log_call(
    operation_id: str,
    method: str,
    path: str,
    status: int | None,
    request_id: str | None,
    seconds: float,
    failure: str | None = None,
) -> None:
    """The DEBUG line of one finished call (call only when DEBUG is enabled)."""
    where = loggable_path(path)
    outcome = failure if failure is not None else str(status)
    logger.debug(
        "%s %s %s -> %s request_id=%s in %.1fms",
        operation_id,
        method,
        where,
        outcome,
        request_id or "-",
        seconds * 1000.0,
        extra={
            "workos_operation_id": operation_id,
            "workos_request_id": request_id,
            "http_status": status,
        },
    )


@contextlib.contextmanager
def call_span(tracer: Tracer, operation_id: str, method: str, path: str) -> Iterator[Span]:
    """A client span for one API call, current while the call runs; ERROR on an exception."""
    from opentelemetry.trace import SpanKind

    attributes = {
        "http.request.method": method,
        "url.path": loggable_path(path),
        "workos.operation_id": operation_id,
    }
    with tracer.start_as_current_span(
        operation_id,
        kind=SpanKind.CLIENT,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except BaseException as exc:
            span_failed(span, exc)
            raise


def span_answered(span: Span, status: int, request_id: str | None) -> None:
    """Record the response of a call on its span."""
    span.set_attribute("http.response.status_code", status)
    if request_id:
        span.set_attribute("workos.request_id", request_id)


def span_failed(span: Span, exc: BaseException) -> None:
    """Mark a span as failed by ``exc``: its type, and the status and request id it carries."""
    from opentelemetry.trace import Status, StatusCode

    name = type(exc).__name__
    span.set_attribute("error.type", name)
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        span.set_attribute("http.response.status_code", status)
    request_id = getattr(exc, "request_id", None)
    if isinstance(request_id, str) and request_id:
        span.set_attribute("workos.request_id", request_id)
    # The type only: a message may echo what was sent (an email address, a field's value).
    span.set_status(Status(StatusCode.ERROR, name))
