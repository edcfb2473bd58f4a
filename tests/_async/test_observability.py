# source-of-truth: async
"""A DEBUG line and an OpenTelemetry span per API call: names, attributes, status, no secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
import respx
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from tests._async.helpers import async_make_client
from tests.factories import API_KEY, user_json
from workos_authkit import APIConnectionError, BadRequestError, NotFoundError

pytestmark = pytest.mark.anyio

USER_ID = "user_01HZX0000000000000000000A1"
PASSWORD = "correct horse battery staple"
INVITE_TOKEN = "Z1uX3RbwcIl5fIGJJJCXXisdI"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.clear()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def _everything_recorded(spans: tuple[ReadableSpan, ...]) -> str:
    parts: list[str] = []
    for span in spans:
        parts.append(span.name)
        parts.extend(f"{k}={v!s}" for k, v in (span.attributes or {}).items())
        parts.append(str(span.status.description))
        for event in span.events:
            parts.append(event.name)
            parts.extend(f"{k}={v!s}" for k, v in (event.attributes or {}).items())
    return "\n".join(parts)


async def test_a_call_makes_one_client_span(
    router: respx.Router, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    router.get(f"/user_management/users/{USER_ID}").respond(
        200, json=user_json(USER_ID), headers={"X-Request-ID": "req_ok_1"}
    )
    async with async_make_client(router, tracer_provider=provider) as client:
        user = await client.users.get(USER_ID)
    assert user.id == USER_ID
    (span,) = exporter.get_finished_spans()
    assert span.name == "UserlandUsersController_get"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "url.path": f"/user_management/users/{USER_ID}",
        "workos.operation_id": "UserlandUsersController_get",
        "http.response.status_code": 200,
        "workos.request_id": "req_ok_1",
    }
    assert span.instrumentation_scope is not None
    assert span.instrumentation_scope.name == "workos_authkit"


async def test_an_error_status_marks_the_span_and_records_no_secret(
    router: respx.Router, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    router.post("/user_management/authenticate").respond(
        400,
        json={"error": "invalid_credentials", "error_description": "Invalid credentials."},
        headers={"X-Request-ID": "req_bad_1"},
    )
    async with async_make_client(router, tracer_provider=provider) as client:
        with pytest.raises(BadRequestError) as info:
            await client.auth.authenticate_with_password(email="ada@example.com", password=PASSWORD)
    assert "req_bad_1" in str(info.value)
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "BadRequestError"
    attributes = dict(span.attributes or {})
    assert attributes["http.response.status_code"] == 400
    assert attributes["workos.request_id"] == "req_bad_1"
    assert attributes["error.type"] == "BadRequestError"
    assert attributes["http.request.method"] == "POST"
    recorded = _everything_recorded(exporter.get_finished_spans())
    for secret in (API_KEY, PASSWORD, "ada@example.com"):
        assert secret not in recorded


async def test_a_token_in_the_path_is_masked(
    router: respx.Router, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    router.get(f"/user_management/invitations/by_token/{INVITE_TOKEN}").respond(
        404, json={"code": "entity_not_found", "message": "Not found."}
    )
    async with async_make_client(router, tracer_provider=provider) as client:
        with pytest.raises(NotFoundError):
            await client.invitations.find_by_token(INVITE_TOKEN)
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes or {})["url.path"] == "/user_management/invitations/by_token/***"
    assert INVITE_TOKEN not in _everything_recorded(exporter.get_finished_spans())


async def test_a_connection_failure_marks_the_span(
    router: respx.Router, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    router.get(f"/user_management/users/{USER_ID}").mock(side_effect=httpx.ConnectError("refused"))
    async with async_make_client(router, tracer_provider=provider, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.users.get(USER_ID)
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert dict(span.attributes or {})["error.type"] == "APIConnectionError"
    assert "http.response.status_code" not in (span.attributes or {})


async def test_no_tracer_provider_no_spans(
    router: respx.Router, exporter: InMemorySpanExporter
) -> None:
    router.get(f"/user_management/users/{USER_ID}").respond(200, json=user_json(USER_ID))
    async with async_make_client(router) as client:
        assert client._http._tracer is None  # the global provider is the API's default proxy
        await client.users.get(USER_ID)
    assert exporter.get_finished_spans() == ()


async def test_debug_line_per_call_with_the_request_id(
    router: respx.Router, caplog: pytest.LogCaptureFixture
) -> None:
    router.get(f"/user_management/users/{USER_ID}").respond(
        200, json=user_json(USER_ID), headers={"X-Request-ID": "req_log_1"}
    )
    router.get(f"/user_management/invitations/by_token/{INVITE_TOKEN}").respond(
        404,
        json={"code": "entity_not_found", "message": "Not found."},
        headers={"X-Request-ID": "req_log_2"},
    )
    caplog.set_level(logging.DEBUG, logger="workos_authkit")
    async with async_make_client(router) as client:
        await client.users.get(USER_ID)
        with pytest.raises(NotFoundError):
            await client.invitations.find_by_token(INVITE_TOKEN)
    lines = [r for r in caplog.records if getattr(r, "workos_operation_id", None)]
    assert len(lines) == 2
    ok, missing = lines
    assert ok.levelno == logging.DEBUG
    text = ok.getMessage()
    assert text.startswith(
        f"UserlandUsersController_get GET /user_management/users/{USER_ID} -> 200"
    )
    assert "request_id=req_log_1" in text
    assert "ms" in text
    assert getattr(ok, "workos_request_id", None) == "req_log_1"
    assert "-> 404 request_id=req_log_2" in missing.getMessage()
    assert "/by_token/***" in missing.getMessage()
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert INVITE_TOKEN not in everything
    assert API_KEY not in everything


async def test_debug_line_for_a_connection_failure(
    router: respx.Router, caplog: pytest.LogCaptureFixture
) -> None:
    router.get(f"/user_management/users/{USER_ID}").mock(side_effect=httpx.ConnectError("refused"))
    caplog.set_level(logging.DEBUG, logger="workos_authkit")
    async with async_make_client(router, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.users.get(USER_ID)
    lines = [r.getMessage() for r in caplog.records if getattr(r, "workos_operation_id", None)]
    assert len(lines) == 1
    assert "-> APIConnectionError request_id=-" in lines[0]
