"""``authenticate(cookie)`` per call with a warm key set: the request hot path of a web app.

Contenders, all checking the same session (an RS256 access token signed by ``FakeWorkOS``, the
same key set, no network):

* ``ours async`` - ``AsyncWorkOS.session_cookies(...).authenticate(cookie)`` on an iron cookie
                   (``Fe26.2*``, our default seal);
* ``ours sync``  - the same with ``WorkOS``;
* ``official``   - ``workos==10.8.0``: ``user_management.load_sealed_session(session_data=...,
                   cookie_password=...).authenticate()`` on a Fernet cookie (its only seal).

The key set: ours fetches it once through ``fake.transport`` (in-process); the official SDK's
``PyJWKClient`` gets the same key set put in its cache (lifespan made long), and its URL points at
a closed port, so a fetch would fail loudly instead of reaching the network. Sanity checks first:
every contender authenticates the same session id and user.
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

from benchmarks._common import interleave, ratio, table

US = 1e-6
COOKIE_PASSWORD = "a-cookie-password-of-at-least-32-chars"
PASSWORD = "correct horse battery staple"


def _official(fake: Any, raw: dict[str, Any]) -> tuple[Any, str, str]:
    from cryptography.fernet import Fernet
    from jwt import PyJWKSet
    from jwt.jwk_set_cache import JWKSetCache
    from workos import WorkOSClient
    from workos.session import _get_jwks_client, seal_session_from_auth_response

    official = WorkOSClient(
        api_key=fake.api_key, client_id=fake.client_id, base_url="http://127.0.0.1:9/"
    )
    jwks_client = _get_jwks_client(f"{official.base_url}sso/jwks/{official.client_id}")
    jwks_client.jwk_set_cache = JWKSetCache(lifespan=10**9)
    jwks_client.jwk_set_cache.put(PyJWKSet.from_dict(fake.jwks()))
    key = Fernet.generate_key().decode()
    cookie = seal_session_from_auth_response(
        access_token=raw["access_token"],
        refresh_token=raw["refresh_token"],
        user=raw["user"],
        cookie_password=key,
    )
    return official, cookie, key


def run(*, rounds: int = 21, batch: int = 200, quiet: bool = False) -> dict[str, Any]:
    from workos_authkit import AsyncWorkOS, SessionFailure, WorkOS
    from workos_authkit._decode import decode
    from workos_authkit.models import AuthenticationResponse
    from workos_authkit.testing import FakeWorkOS

    fake = FakeWorkOS()
    fake.settings.access_token_lifetime = 24 * 3600  # valid for the whole run
    fake.add_user("ada@example.com", password=PASSWORD)
    body = {
        "client_id": fake.client_id,
        "client_secret": fake.api_key,
        "grant_type": "password",
        "email": "ada@example.com",
        "password": PASSWORD,
    }

    resp = fake.handle("POST", "/user_management/authenticate", body=json.dumps(body).encode())
    raw = dict(resp.json())
    response = decode(resp.body, AuthenticationResponse, status_code=200, request_id=None)

    kwargs: dict[str, Any] = {
        "api_key": fake.api_key,
        "client_id": fake.client_id,
        "base_url": fake.base_url,
    }
    sync_client = WorkOS(**kwargs, transport=fake.transport)
    sync_cookies = sync_client.session_cookies(cookie_password=COOKIE_PASSWORD)
    cookie = sync_cookies.seal(response)
    official, official_cookie, fernet_key = _official(fake, raw)
    loop = asyncio.new_event_loop()

    async def make_async() -> Any:
        return AsyncWorkOS(**kwargs, transport=fake.transport)

    async_client = loop.run_until_complete(make_async())
    async_cookies = async_client.session_cookies(cookie_password=COOKIE_PASSWORD)
    load = official.user_management.load_sealed_session

    # sanity: the same session from everyone, and the key set is warm (one fetch for ours)
    ours_s = sync_cookies.authenticate(cookie)
    ours_a = loop.run_until_complete(async_cookies.authenticate(cookie))
    theirs = load(session_data=official_cookie, cookie_password=fernet_key).authenticate()
    assert not isinstance(ours_s, SessionFailure) and not isinstance(ours_a, SessionFailure)
    assert theirs.authenticated, theirs
    assert ours_s.session_id == ours_a.session_id == theirs.session_id
    assert ours_s.user.id == ours_a.user.id == theirs.user["id"]
    jwks_fetches = fake.stats.requests["GET /sso/jwks/{clientId}"]
    assert jwks_fetches == 2  # one per client of ours, none during the timing

    def ours_sync(n: int) -> None:
        auth = sync_cookies.authenticate
        for _ in range(n):
            auth(cookie)

    async def ours_async(n: int) -> None:
        auth = async_cookies.authenticate
        for _ in range(n):
            await auth(cookie)

    def official_sync(n: int) -> None:
        for _ in range(n):
            load(session_data=official_cookie, cookie_password=fernet_key).authenticate()

    def run_async(coro: Awaitable[None]) -> None:
        loop.run_until_complete(coro)

    try:
        series = interleave(
            {"ours async": ours_async, "ours sync": ours_sync, "official": official_sync},
            rounds=rounds,
            batch=batch,
            warmup=batch,
            run_async=run_async,
            is_async=lambda name: name == "ours async",
        )
        assert fake.stats.requests["GET /sso/jwks/{clientId}"] == jwks_fetches
    finally:
        sync_client.close()
        loop.run_until_complete(async_client.aclose())
        loop.close()
    med = {name: s.median / US for name, s in series.items()}
    result: dict[str, Any] = {
        "benchmark": "session",
        "what": "authenticate(cookie) with a warm key set: microseconds per call",
        "rounds": rounds,
        "calls_per_round": batch,
        "results_us": {name: s.summary(US, "us/call") for name, s in series.items()},
        "ratios": {
            "ours async/official": ratio(med["ours async"], med["official"]),
            "ours sync/official": ratio(med["ours sync"], med["official"]),
        },
        "goal": "ours <= 0.8x official",
        "notes": [
            "ours: iron cookie (Fe26.2); official: Fernet cookie (workos 10.8.0's only seal)",
            "no request during the timing (checked on the fake's counters)",
        ],
    }
    if not quiet:
        print(render(result))
    return result


def render(result: dict[str, Any]) -> str:
    rows = [[name, r["median"], r["p25"], r["p75"]] for name, r in result["results_us"].items()]
    return "\n".join(
        [
            f"authenticate(cookie), warm key set ({result['rounds']} rounds x "
            f"{result['calls_per_round']} calls)",
            table(["contender", "median us/call", "p25", "p75"], rows),
            "ratios: "
            + ", ".join(f"{k} {v:.2f}x" for k, v in result["ratios"].items())
            + f" (goal: {result['goal']})",
        ]
    )


if __name__ == "__main__":
    run()
