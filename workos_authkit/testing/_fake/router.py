"""The router: the ``@route`` decorator, the route table and the request pipeline.

A route is one function in one area module::

    @route("GET", "/user_management/users/{id}", "UserlandUsersController_get")
    def _get_user(self, req: Request, p: Params) -> Any:
        return self._get(self.users, "User", p["id"])

The template is the spec's path (its parameter names too) and the third argument the spec's
``operationId`` (``None`` only for the fake's own pages). The route's own rules travel with it:
``auth`` (who may call it) and ``invalid`` (how it reports a malformed request, in the status and
shape its operation declares). A test checks the table against the vendored operations list.

Every request goes through :func:`dispatch`: faults, then the rate limit, then auth, then
idempotency, then the handler.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from .._util import RouteError
from .._wire import FakeResponse

if TYPE_CHECKING:
    from .state import FakeState

__all__ = ["ROUTES", "Auth", "Invalid", "Params", "Raw", "Request", "Route", "dispatch", "route"]

Params = dict[str, str]
RouteFn = Callable[[Any, "Request", Params], Any]


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    _json: Any = None
    _parsed: bool = False

    def json(self) -> Any:
        """The parsed JSON body: ``None`` if empty, :data:`INVALID` if it does not parse."""
        if not self._parsed:
            self._parsed = True
            if self.raw.strip():
                try:
                    self._json = json.loads(self.raw)
                except ValueError:
                    self._json = INVALID
        return self._json


INVALID = object()


@dataclass(slots=True)
class Raw:
    """A non-JSON response from a route (HTML page, redirect)."""

    content_type: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class Auth(enum.Enum):
    """Who may call a route."""

    API_KEY = "api_key"
    """``Authorization: Bearer <api key>`` required (most routes)."""
    API_KEY_IF_SENT = "api_key_if_sent"
    """Public, but a sent ``Authorization`` must hold the key (client credentials may travel in
    the body; a JWKS client sends no key)."""
    PUBLIC = "public"
    """Browser and device endpoints: no key."""


class Invalid(enum.Enum):
    """How a route reports a malformed request (a code-less 422 raised by the shared validators),
    in the status and shape the spec declares for its operation."""

    CODE = "code"
    """422 ``{code: invalid_request_parameters, message}`` (the default)."""
    MESSAGE = "message"
    """422 ``{message}``."""
    ERRORS = "errors"
    """422 ``{message, errors: [{code, field}]}``."""
    STATUS_400 = "400"
    """The operation declares no 422: 400 ``{message}``."""
    OAUTH = "oauth"
    """The operation declares no 422: 400 ``{error, error_description}``."""

    def reshape(self, body: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
        message = str(body.get("message", "The request is not valid."))
        if self is Invalid.MESSAGE:
            return 422, body
        if self is Invalid.ERRORS:
            if "errors" in body:
                return 422, body
            return 422, {"message": message, "errors": [{"code": "invalid", "field": "body"}]}
        if self is Invalid.STATUS_400:
            return 400, {"message": message}
        if self is Invalid.OAUTH:
            return 400, {"error": "invalid_request", "error_description": message}
        return 422, {"code": "invalid_request_parameters", **body}


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    template: str
    operation_id: str | None
    handler: RouteFn
    auth: Auth
    invalid: Invalid
    segments: tuple[str | None, ...]
    names: tuple[str, ...]


class RouteTable:
    """Routes by method and segment count; literal segments win over parameters."""

    def __init__(self) -> None:
        self._routes: list[Route] = []
        self._by_method: dict[tuple[str, int], list[Route]] = {}
        self._by_len: dict[int, list[Route]] = {}

    def add(self, r: Route) -> None:
        if any((x.method, x.template) == (r.method, r.template) for x in self._routes):
            raise ValueError(f"route registered twice: {r.method} {r.template}")
        self._routes.append(r)
        routes = self._by_method.setdefault((r.method, len(r.segments)), [])
        routes.append(r)
        routes.sort(key=lambda x: tuple(s is None for s in x.segments))
        self._by_len.setdefault(len(r.segments), []).append(r)

    def __iter__(self) -> Iterator[Route]:
        return iter(self._routes)

    def __len__(self) -> int:
        return len(self._routes)

    def match(self, method: str, path: str) -> tuple[Route, Params] | None:
        parts = _segments(path)
        for r in self._by_method.get((method, len(parts)), ()):
            values = []
            for seg, part in zip(r.segments, parts, strict=True):
                if seg is None:
                    if not part:
                        break
                    values.append(part)
                elif seg != part:
                    break
            else:
                return r, dict(zip(r.names, values, strict=True))
        return None

    def path_known(self, path: str) -> bool:
        """Whether some route (of any method) has this path."""
        parts = _segments(path)
        return any(
            all(seg is None or seg == part for seg, part in zip(r.segments, parts, strict=True))
            for r in self._by_len.get(len(parts), ())
        )


ROUTES = RouteTable()
"""Every route of the fake, filled as the area modules are imported."""


def route(
    method: str,
    template: str,
    operation_id: str | None,
    *,
    auth: Auth = Auth.API_KEY,
    invalid: Invalid = Invalid.CODE,
) -> Callable[[RouteFn], RouteFn]:
    """Register ``fn`` (``fn(fake, request, path_params)``) as the handler of one operation.

    It returns a body (status 201 for POST, else 200), ``(status, body)``, ``None`` (empty body)
    or a :class:`Raw`; it raises :class:`~workos_authkit.testing._util.RouteError` for an error.
    """
    parts = template.strip("/").split("/")

    def deco(fn: RouteFn) -> RouteFn:
        ROUTES.add(
            Route(
                method,
                template,
                operation_id,
                fn,
                auth,
                invalid,
                tuple(None if s.startswith("{") else s for s in parts),
                tuple(s[1:-1] for s in parts if s.startswith("{")),
            )
        )
        return fn

    return deco


def _segments(path: str) -> list[str]:
    """Percent-decoded segments of a raw path (an encoded ``/`` stays inside its segment)."""
    return [unquote(s) for s in path.strip("/").split("/")]


# ---------------------------------------------------------------- the pipeline


def dispatch(fake: FakeState, req: Request) -> FakeResponse:
    """Answer one request (the caller holds the fake's lock)."""
    found = ROUTES.match(req.method, req.path)
    template = found[0].template if found else "(unmatched)"
    fake.stats.requests[f"{req.method} {template}"] += 1

    latency = 0.0
    disconnect: Literal["before", "after", "timeout"] | None = None
    hold = 0.0
    fault = fake.faults.match(
        req.method, req.path, req.query, req.json() if len(fake.faults) else None
    )
    if fault is not None:
        fake.stats.faults_fired += 1
        latency = fault.latency
        if fault.status is not None:
            body = fault.body
            raw = (
                b""
                if body is None
                else body
                if isinstance(body, bytes)
                else json.dumps(body).encode()
            )
            hdrs = {"Content-Type": "application/json"} if raw else {}
            hdrs.update(fault.headers)
            return _finish(fake, req, FakeResponse(fault.status, hdrs, raw, latency))
        if fault.drop == "before":
            return FakeResponse(0, {}, b"", latency, "before")
        if fault.drop == "after":
            disconnect = "after"
        elif fault.timeout:
            disconnect, hold = "timeout", fault.timeout_hold

    resp = _dispatch_route(fake, req, found)
    resp.latency, resp.disconnect, resp.hold = latency, disconnect, hold
    return resp


def _finish(
    fake: FakeState, req: Request, resp: FakeResponse, extra: Mapping[str, str] | None = None
) -> FakeResponse:
    """Count and log a response; ``extra`` (rate-limit headers) is added to its headers."""
    if extra:
        resp.headers.update(extra)
    fake.stats.statuses[resp.status] += 1
    fake.requests_log.append((req.method, req.path, resp.status))
    return resp


def _unknown_route(req: Request) -> FakeResponse:
    if ROUTES.path_known(req.path):
        return json_response(405, {"message": "Method not allowed."})
    # not the body of a missing resource: a client that builds a wrong path should see so
    return json_response(
        404,
        {"code": "route_not_found", "message": f"No route matches {req.method} {req.path}."},
    )


def _dispatch_route(
    fake: FakeState, req: Request, found: tuple[Route, Params] | None
) -> FakeResponse:
    if req.path == "/health" and req.method == "GET":
        return _finish(fake, req, json_response(200, {"status": "ok"}))
    if found is None:
        return _finish(fake, req, _unknown_route(req))
    rt, params = found

    extra: dict[str, str] = {}
    limiter = fake._rate_limiter
    if limiter is not None:
        allowed, extra = limiter.take(req.method, fake._now())
        if not allowed:
            fake.stats.rate_limited += 1
            resp = json_response(
                429,
                {
                    "code": "rate_limit_exceeded",
                    "message": "Too many requests. Please retry later.",
                },
            )
            return _finish(fake, req, resp, extra)

    auth = req.headers.get("authorization") or None
    needs_key = rt.auth is Auth.API_KEY or (rt.auth is Auth.API_KEY_IF_SENT and auth is not None)
    if needs_key and auth != f"Bearer {fake.api_key}":
        fake.stats.unauthorized += 1
        return _finish(fake, req, FakeResponse(401, {}, b""), extra)

    idem_key = req.headers.get("idempotency-key") if req.method == "POST" else None
    fingerprint = ""
    if idem_key is not None and fake.honour_idempotency_keys:
        fingerprint = hashlib.sha256(
            req.method.encode() + b" " + req.path.encode() + b"\n" + req.raw
        ).hexdigest()
        stored = fake._idempotency.get(idem_key)
        if stored is not None and stored[1] + 86400 > fake._now():
            if stored[0] != fingerprint:
                resp = json_response(
                    409,
                    {
                        "code": "idempotency_key_reused",
                        "message": "This Idempotency-Key was used with a different request.",
                    },
                )
                return _finish(fake, req, resp, extra)
            fake.stats.idempotent_replays += 1
            old = stored[2]
            resp = FakeResponse(old.status, dict(old.headers), old.body)
            resp.headers["Idempotent-Replayed"] = "true"
            return _finish(fake, req, resp, extra)

    try:
        result = rt.handler(fake, req, params)
    except RouteError as err:
        status, body = err.status, err.body
        if status == 422 and body is not None and "code" not in body:
            status, body = rt.invalid.reshape(body)
        resp = _to_response(body, status)
    else:
        resp = _to_response(result, 201 if req.method == "POST" else 200)
    if idem_key is not None and fake.honour_idempotency_keys and resp.status < 500:
        fake._idempotency[idem_key] = (fingerprint, fake._now(), resp)
        resp = FakeResponse(resp.status, dict(resp.headers), resp.body)
    return _finish(fake, req, resp, extra)


def json_response(status: int, body: Any) -> FakeResponse:
    return FakeResponse(
        status,
        {"Content-Type": "application/json"},
        json.dumps(body, separators=(",", ":")).encode(),
    )


def _to_response(result: Any, default_status: int) -> FakeResponse:
    status = default_status
    if isinstance(result, tuple):
        status, result = result
    if result is None:
        return FakeResponse(status, {}, b"")
    if isinstance(result, Raw):
        headers = dict(result.headers)
        if result.content_type:
            headers["Content-Type"] = result.content_type
        return FakeResponse(status, headers, result.body)
    return json_response(status, result)
