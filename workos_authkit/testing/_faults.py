"""Fault injection, the rate limiter and the counters of the fake."""

from __future__ import annotations

import fnmatch
import math
import random
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Fault", "Faults", "FakeRateLimiter", "Stats"]

Drop = Literal["before", "after"]


@dataclass(eq=False)
class Fault:
    """One fault rule. Build them with :meth:`Faults.add`."""

    method: str | None
    path: str
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    latency: float = 0.0
    drop: Drop | None = None
    timeout: bool = False
    times: int | None = None
    fraction: float | None = None
    query: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    timeout_hold: float = 5.0
    fired: int = 0
    _regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.path.startswith("re:"):
            self._regex = re.compile(self.path[3:])
        else:
            # a route template ("/users/{id}") or a glob ("/user_management/*")
            glob = re.sub(r"\{[^/}]+\}", "*", self.path)
            self._regex = re.compile(fnmatch.translate(glob).replace(".*", "[^/]*"))

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def matches(
        self, method: str, path: str, query: Mapping[str, str], body: Any, rng: random.Random
    ) -> bool:
        if self.exhausted:
            return False
        if self.method is not None and self.method != method:
            return False
        if not self._regex.fullmatch(path):
            return False
        if self.query is not None and any(query.get(k) != v for k, v in self.query.items()):
            return False
        if self.json is not None and (
            not isinstance(body, dict) or any(body.get(k) != v for k, v in self.json.items())
        ):
            return False
        return self.fraction is None or rng.random() < self.fraction


class Faults:
    """The fault rules of one fake, consulted in insertion order (the first match fires).

    ``path`` is a route template (``/user_management/users/{id}``), a glob (``*`` matches within a
    segment) or a regex prefixed with ``re:``.
    """

    def __init__(self, seed: object) -> None:
        self._seed = seed
        self._rules: list[Fault] = []
        self._rng = random.Random(f"{seed!r}:faults")
        self._lock = threading.Lock()

    def add(
        self,
        method: str | None,
        path: str,
        *,
        status: int | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        latency: float = 0.0,
        drop: Drop | None = None,
        timeout: bool = False,
        times: int | None = 1,
        fraction: float | None = None,
        query: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        timeout_hold: float = 5.0,
    ) -> Fault:
        """Add a rule. Exactly one effect, or ``latency`` alone, or ``latency`` with an effect:

        - ``status`` (+ ``body``, ``headers``): answer with it instead of applying the request;
        - ``drop="before"``: nothing is applied, the connection fails (``httpx.ConnectError``);
        - ``drop="after"``: the request is applied, then the connection closes without a response
          (``httpx.RemoteProtocolError``);
        - ``timeout=True``: applied, then no answer (``httpx.ReadTimeout``; over loopback the
          socket is held ``timeout_hold`` seconds, then closed).

        ``times`` (default 1; ``None`` = forever) bounds how often it fires; ``fraction`` makes it fire
        on that share of matching requests (deterministic from the fake's seed).
        """
        effects = sum([status is not None, drop is not None, timeout])
        if effects > 1:
            raise ValueError("give at most one of status, drop and timeout")
        if effects == 0 and latency <= 0:
            raise ValueError("a fault needs status, drop, timeout or latency")
        if drop not in (None, "before", "after"):
            raise ValueError("drop must be 'before' or 'after'")
        if fraction is not None and not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be within [0, 1]")
        rule = Fault(
            method=method.upper() if method else None,
            path=path,
            status=status,
            body=body,
            headers=dict(headers or {}),
            latency=latency,
            drop=drop,
            timeout=timeout,
            times=times,
            fraction=fraction,
            query=dict(query) if query is not None else None,
            json=dict(json) if json is not None else None,
            timeout_hold=timeout_hold,
        )
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: Fault) -> None:
        with self._lock:
            self._rules.remove(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._rng = random.Random(f"{self._seed!r}:faults")

    @property
    def rules(self) -> list[Fault]:
        return list(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def match(self, method: str, path: str, query: Mapping[str, str], body: Any) -> Fault | None:
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path, query, body, self._rng):
                    rule.fired += 1
                    return rule
        return None


@dataclass
class _Window:
    limit: int
    start: float = 0.0
    used: int = 0


class FakeRateLimiter:
    """Fixed-window limiter: ``limit`` requests per ``window`` seconds (on the fake's clock).

    With ``read_limit``/``write_limit`` set, GET requests and other methods are counted apart.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        read_limit: int | None = None,
        write_limit: int | None = None,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.window = float(window)
        self._windows = {
            "all": _Window(limit),
            "read": _Window(read_limit if read_limit is not None else limit),
            "write": _Window(write_limit if write_limit is not None else limit),
        }
        self._split = read_limit is not None or write_limit is not None
        self._lock = threading.Lock()

    def take(self, method: str, now: float) -> tuple[bool, dict[str, str]]:
        """Count one request. Returns (allowed, headers)."""
        name = ("read" if method in ("GET", "HEAD") else "write") if self._split else "all"
        with self._lock:
            w = self._windows[name]
            start = math.floor(now / self.window) * self.window
            if start != w.start:
                w.start, w.used = start, 0
            reset = max(1, math.ceil(w.start + self.window - now))
            allowed = w.used < w.limit
            if allowed:
                w.used += 1
            headers = {
                "X-RateLimit-Limit": str(w.limit),
                "X-RateLimit-Remaining": str(max(0, w.limit - w.used)),
                "X-RateLimit-Reset": str(reset),
            }
            if not allowed:
                headers["Retry-After"] = str(reset)
            return allowed, headers


@dataclass
class Stats:
    """Counters, readable by tests and benchmarks. ``requests`` is keyed by ``"METHOD template"``."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0
    faults_fired: int = 0
    idempotent_replays: int = 0
    unauthorized: int = 0

    @property
    def total(self) -> int:
        return sum(self.requests.values())

    def reset(self) -> None:
        self.requests.clear()
        self.statuses.clear()
        self.rate_limited = self.faults_fired = self.idempotent_replays = self.unauthorized = 0
