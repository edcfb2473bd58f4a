"""Authenticated requests through a minimal FastAPI app, with the AuthKit middleware and without.

Both apps answer ``GET /`` with a small JSON body and receive the same sealed ``wos-session``
cookie. ``with middleware``: ``AuthKit.install(app)`` and a ``require_session`` dependency, so
every request unseals the cookie and verifies its access token (RS256, key set cached: no request
to WorkOS). ``without``: the same route with no middleware and no dependency. Requests go
in-process through ``httpx.ASGITransport`` (no sockets), one at a time, so the ratio is the
middleware's whole cost against the framework's own per-request work. Goal: >= 0.8x.

A browser sends the same cookie until it changes, and the middleware remembers a checked cookie
until its access token expires; the row ``new cookie each request`` shows the first request of
each cookie (unseal + RS256 check), the cost a cache miss pays.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Annotated, Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import anyio
import httpx
from fastapi import Depends, FastAPI

from benchmarks._common import interleave, table
from workos_authkit import AsyncWorkOS, AuthenticatedSession
from workos_authkit.integrations.starlette import AuthKit, AuthKitSettings, require_session
from workos_authkit.testing import FakeWorkOS

GOAL = 0.8
PASSWORD = "correct horse battery staple"
COOKIE_PASSWORD = "a-benchmark-cookie-password-of-32-chars"


def _apps(fresh: int = 0) -> tuple[FastAPI, FastAPI, str, list[str]]:
    # route annotations are resolved in this module's globals: keep those names imported above
    fake = FakeWorkOS()
    fake.settings.access_token_lifetime = 3600.0
    fake.add_user("ada@example.com", password=PASSWORD)
    client = AsyncWorkOS(
        api_key=fake.api_key,
        client_id=fake.client_id,
        base_url=fake.base_url,
        transport=fake.transport,
    )
    settings = AuthKitSettings(
        redirect_uri="http://bench/callback", cookie_password=COOKIE_PASSWORD
    )
    authkit = AuthKit(client, settings)

    async def sign_in() -> list[str]:
        response = await client.auth.authenticate_with_password(
            email="ada@example.com", password=PASSWORD
        )
        # every seal differs (random salts and IV): ``fresh`` cookies the app has never seen
        return [authkit.flow.cookies.seal(response) for _ in range(fresh + 1)]

    cookie, *others = anyio.run(sign_in)

    with_mw = FastAPI()
    authkit.install(with_mw)

    @with_mw.get("/")
    async def home(
        session: Annotated[AuthenticatedSession, Depends(require_session)],
    ) -> dict[str, str]:
        return {"email": session.user.email}

    without = FastAPI()

    @without.get("/")
    async def plain() -> dict[str, str]:
        return {"email": "ada@example.com"}

    return with_mw, without, cookie, others


def run(*, rounds: int, batch: int, quiet: bool = True) -> dict[str, Any]:
    warmup = 20
    with_mw, without, cookie, fresh = _apps(fresh=(rounds + 1) * batch + warmup)
    unseen = iter(fresh)

    def batch_of(app: Any, cookies: Any) -> Any:
        async def go(n: int) -> None:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                for _ in range(n):
                    headers = {"Cookie": f"wos-session={next(cookies)}"}
                    response = await http.get("/", headers=headers)
                    if response.status_code != 200 or "ada@example.com" not in response.text:
                        raise RuntimeError(f"unexpected answer {response.status_code}")

        return go

    same = itertools.repeat(cookie)
    series = interleave(
        {
            "with middleware": batch_of(with_mw, same),
            "with middleware, new cookie each request": batch_of(with_mw, unseen),
            "without": batch_of(without, same),
        },
        rounds=rounds,
        batch=batch,
        warmup=warmup,
        run_async=lambda coro: anyio.run(lambda: coro),
        is_async=lambda name: True,
    )
    per_s = {name: 1 / s.median for name, s in series.items()}
    ratio = per_s["with middleware"] / per_s["without"]
    cold = per_s["with middleware, new cookie each request"] / per_s["without"]
    return {
        "results_us": {name: s.summary(1e-6, "us") for name, s in series.items()},
        "requests_per_s": {name: round(v) for name, v in per_s.items()},
        "with/without": round(ratio, 3),
        "new cookie/without": round(cold, 3),
        "goal": GOAL,
        "meets_goal": ratio >= GOAL,
    }


def render(result: dict[str, Any]) -> str:
    rows = [
        [name, f"{rps:,}", result["results_us"][name]["median"]]
        for name, rps in result["requests_per_s"].items()
    ]
    verdict = "met" if result["meets_goal"] else "MISSED"
    return (
        table(["FastAPI app, authenticated GET /", "requests/s", "us/request"], rows)
        + f"\nwith/without = {result['with/without']:.2f}x (goal >= {result['goal']}x: {verdict}); "
        f"a cookie the process has not checked yet: {result['new cookie/without']:.2f}x"
    )


if __name__ == "__main__":
    print(render(run(rounds=7, batch=200)))
