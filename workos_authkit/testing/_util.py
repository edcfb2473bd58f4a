"""Small pure helpers of the fake: ids, clock, timestamps, errors, pagination."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "RouteError",
    "FakeClock",
    "IdGenerator",
    "iso",
    "paginate",
]

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _b32(value: int, width: int) -> str:
    out = []
    for _ in range(width):
        out.append(CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(out))


class IdGenerator:
    """WorkOS-style ids: ``prefix_01`` + 24 Crockford base32 characters.

    The first 10 characters after ``01`` encode a counter shared by all prefixes, so ids of one fake
    sort (as strings) in creation order; the remaining 14 come from the fake's seeded RNG.
    """

    __slots__ = ("_counter", "_lock", "_rng")

    def __init__(self, seed: object) -> None:
        self._rng = random.Random(f"{seed!r}:ids")
        self._counter = 0
        self._lock = threading.Lock()

    def new(self, prefix: str) -> str:
        with self._lock:
            self._counter += 1
            counter = self._counter
            rand = self._rng.getrandbits(70)
        return f"{prefix}_01{_b32(counter, 10)}{_b32(rand, 14)}"


class FakeClock:
    """The fake's notion of "now" (epoch seconds).

    By default it follows real time plus an offset that :meth:`advance` grows. :meth:`freeze` stops
    it (at the current instant or a given one); :meth:`unfreeze` resumes real time from there.
    """

    __slots__ = ("_frozen", "_offset")

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen: float | None = None

    def now(self) -> float:
        if self._frozen is not None:
            return self._frozen
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        if self._frozen is not None:
            self._frozen += seconds
        else:
            self._offset += seconds

    def freeze(self, at: float | datetime | None = None) -> None:
        if isinstance(at, datetime):
            at = at.timestamp()
        self._frozen = self.now() if at is None else float(at)

    def unfreeze(self) -> None:
        if self._frozen is not None:
            self._offset = self._frozen - time.time()
            self._frozen = None

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def reset(self) -> None:
        self._offset = 0.0
        self._frozen = None

    def __repr__(self) -> str:
        state = "frozen" if self._frozen is not None else f"offset={self._offset:+.3f}s"
        return f"FakeClock({iso(self.now())}, {state})"


def iso(ts: float) -> str:
    """Epoch seconds -> ``2024-01-01T00:00:00.000Z`` (the API's format)."""
    dt = datetime.fromtimestamp(ts, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


class RouteError(Exception):
    """Raised inside a route handler; turned into an HTTP error response by the dispatcher."""

    def __init__(self, status: int, body: Mapping[str, Any] | None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def code_error(status: int, code: str, message: str, **extra: Any) -> RouteError:
    return RouteError(status, {"code": code, "message": message, **extra})


def oauth_error(status: int, error: str, description: str, **extra: Any) -> RouteError:
    return RouteError(status, {"error": error, "error_description": description, **extra})


def message_error(status: int, message: str) -> RouteError:
    return RouteError(status, {"message": message})


def missing(kind: str, ident: object) -> str:
    """The one wording of "no such object" (404s and the errors that stand for one)."""
    return f"{kind} not found: '{ident}'."


def not_found(kind: str, ident: str) -> RouteError:
    return RouteError(404, {"message": missing(kind, ident)})


ORDERS = ("normal", "desc", "asc")


def parse_page_params(
    query: Mapping[str, str], invalid: Callable[[str], RouteError]
) -> tuple[int, str, str | None, str | None]:
    raw_limit = query.get("limit")
    limit = 10
    if raw_limit is not None:
        try:
            limit = int(raw_limit)
        except ValueError:
            raise invalid("limit must be an integer between 1 and 100.") from None
        if not 1 <= limit <= 100:
            raise invalid("limit must be an integer between 1 and 100.")
    order = query.get("order", "desc")
    if order not in ORDERS:
        raise invalid("order must be one of: normal, desc, asc.")
    before = query.get("before") or None
    after = query.get("after") or None
    if before is not None and after is not None:
        raise invalid("Only one of before and after may be given.")
    return limit, order, before, after


def paginate(
    items: Iterable[Any],
    key: Callable[[Any], str],
    limit: int,
    order: str,
    before: str | None,
    after: str | None,
) -> tuple[list[Any], str | None, str | None]:
    """Cursor pagination over objects whose ``key`` (their id) sorts in creation order.

    ``desc``/``asc``: ``after`` pages forward in display order, ``before`` backward.
    ``normal``: displayed descending, but ``before`` fetches older records and ``after`` newer.
    Returns ``(page, list_metadata.before, list_metadata.after)``.
    """
    seq: Sequence[Any] = sorted(items, key=key, reverse=order != "asc")
    n = len(seq)
    descending = order != "asc"
    fwd, back = (before, after) if order == "normal" else (after, before)

    def beyond(cursor: str) -> int:
        # index of the first item strictly after the cursor in display order
        for i, item in enumerate(seq):
            k = key(item)
            if (k < cursor) if descending else (k > cursor):
                return i
        return n

    if fwd is not None:
        start = beyond(fwd)
        end = min(n, start + limit)
    elif back is not None:
        # items strictly before the cursor in display order: indices < first index not before it
        stop = 0
        for i, item in enumerate(seq):
            k = key(item)
            if (k > back) if descending else (k < back):
                stop = i + 1
            else:
                break
        end = stop
        start = max(0, end - limit)
    else:
        start, end = 0, min(n, limit)
    page = list(seq[start:end])
    nxt = key(page[-1]) if page and end < n else None
    prev = key(page[0]) if page and start > 0 else None
    if order == "normal":
        return page, nxt, prev
    return page, prev, nxt
