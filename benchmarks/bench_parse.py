"""Decoding a 100-user list page: bytes -> typed objects.

Contenders, all fed the same bytes (a ``UserlandUserList`` page of 100 realistic users,
checked against the vendored spec):

* ``json.loads``  - the floor: bytes -> dicts, no typed objects;
* ``ours``        - ``workos_authkit._decode.decode(body, UserList)``: msgspec reads the bytes
                    straight into attrs ``Page[User]`` (validated, timestamps -> ``datetime``);
* ``official``    - ``json.loads`` + what ``workos==10.8.0``'s ``request_page`` does:
                    ``User.from_dict`` per item, ``ListMetadata.from_dict``, ``SyncPage(...)``.
                    (10.8.0's models are generated ``@dataclass(slots=True)`` classes with
                    hand-written ``from_dict``, not pydantic.)
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    check_against_spec,
    interleave,
    ratio,
    table,
    user_page_bytes,
)

US = 1e-6
PAGE_SIZE = 100


def _contenders(body: bytes) -> dict[str, Any]:
    from workos._pagination import ListMetadata as OfficialListMetadata
    from workos._pagination import SyncPage
    from workos.common.models.user import User as OfficialUser

    from workos_authkit._decode import decode
    from workos_authkit.models import UserList

    loads = json.loads

    def structure(body: bytes, cls: Any) -> Any:
        return decode(body, cls, status_code=200, request_id=None)

    def floor(n: int) -> None:
        for _ in range(n):
            loads(body)

    def ours(n: int) -> None:
        for _ in range(n):
            structure(body, UserList)

    def official(n: int) -> None:
        from_dict = OfficialUser.from_dict
        meta = OfficialListMetadata.from_dict
        for _ in range(n):
            data = loads(body)
            SyncPage(
                data=[from_dict(item) for item in data.get("data") or []],
                list_metadata=meta(data.get("list_metadata", {})),
                _fetch_page=None,
            )

    # Same answer from both: 100 users, same ids and parsed timestamps.
    page = structure(body, UserList)
    theirs = [OfficialUser.from_dict(item) for item in loads(body)["data"]]
    assert len(page.data) == len(theirs) == PAGE_SIZE
    assert [u.id for u in page.data] == [u.id for u in theirs]
    assert [u.created_at for u in page.data] == [u.created_at for u in theirs]
    assert page.list_metadata.after == page.data[-1].id

    return {"json.loads": floor, "ours": ours, "official": official}


def run(*, rounds: int = 25, batch: int = 20, quiet: bool = False) -> dict[str, Any]:
    body = user_page_bytes(PAGE_SIZE)
    fixture = check_against_spec("GET", "/user_management/users", body)
    contenders = _contenders(body)
    loop = asyncio.new_event_loop()  # unused: every contender is synchronous

    def run_async(coro: Awaitable[None]) -> None:
        loop.run_until_complete(coro)

    try:
        series = interleave(
            contenders,
            rounds=rounds,
            batch=batch,
            warmup=batch,
            run_async=run_async,
            is_async=lambda name: False,
        )
    finally:
        loop.close()
    med = {name: s.median / US for name, s in series.items()}
    result: dict[str, Any] = {
        "benchmark": "parse",
        "what": f"bytes -> typed objects for a {PAGE_SIZE}-user list page: microseconds per page",
        "fixture": fixture,
        "body_bytes": len(body),
        "rounds": rounds,
        "pages_per_round": batch,
        "results_us": {name: s.summary(US, "us/page") for name, s in series.items()},
        "ratios": {
            "ours/official": ratio(med["ours"], med["official"]),
            "ours/json.loads": ratio(med["ours"], med["json.loads"]),
            "official/json.loads": ratio(med["official"], med["json.loads"]),
        },
        "notes": ["official = workos 10.8.0 dataclass models (User.from_dict), not pydantic"],
    }
    if not quiet:
        print(render(result))
    return result


def render(result: dict[str, Any]) -> str:
    rows = [
        [name, r["median"], r["median"] / PAGE_SIZE, r["p25"], r["p75"]]
        for name, r in result["results_us"].items()
    ]
    return "\n".join(
        [
            f"parse a {PAGE_SIZE}-user page ({result['rounds']} rounds x "
            f"{result['pages_per_round']} pages, {result['body_bytes']:,} B; {result['fixture']})",
            table(["contender", "median us/page", "us/user", "p25", "p75"], rows),
            "ratios: " + ", ".join(f"{k} {v:.2f}x" for k, v in result["ratios"].items()),
        ]
    )


if __name__ == "__main__":
    run()
