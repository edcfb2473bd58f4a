"""A walk through what workos-authkit does today.

Runs against the built-in fake AuthKit server on loopback, or against the real API when
``WORKOS_API_KEY`` is set (then only the steps that are safe on a real environment run, and every
user it creates is deleted at the end).

    make demo            # or: python examples/demo.py
"""

from __future__ import annotations

import logging
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio

from workos_authkit import (
    AsyncWorkOS,
    BadRequestError,
    InvalidArgumentError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitConfig,
    RefreshedSession,
    RequestOptions,
    SessionFailure,
    WorkOS,
)
from workos_authkit._bulk.cli import run_import
from workos_authkit.testing import FakeWorkOS, totp


def step(title: str) -> None:
    print(f"\n== {title}")


def say(text: str) -> None:
    print(f"   {text}")


@contextmanager
def target() -> Iterator[tuple[str, str, FakeWorkOS | None]]:
    """(api_key, base_url, fake or None): the real API when WORKOS_API_KEY is set, else a fake."""
    api_key = os.environ.get("WORKOS_API_KEY")
    if api_key:
        base_url = os.environ.get("WORKOS_BASE_URL", "https://api.workos.com")
        print(f"Using the real WorkOS API at {base_url} (WORKOS_API_KEY is set).")
        yield api_key, base_url, None
        return
    fake = FakeWorkOS(rng_seed=42)
    with fake.serve() as base_url:
        print(
            f"Started the fake AuthKit server on {base_url} (set WORKOS_API_KEY to use the real API)."
        )
        yield fake.api_key, base_url, fake


async def walkthrough(
    api_key: str, base_url: str, fake: FakeWorkOS | None
) -> tuple[str, list[str]]:
    tag = uuid.uuid4().hex[:8]
    created: list[str] = []
    client_id = fake.client_id if fake is not None else os.environ.get("WORKOS_CLIENT_ID")
    async with AsyncWorkOS(api_key=api_key, base_url=base_url, client_id=client_id) as workos:
        step("1. Create users (async client, one shared connection pool and rate limiter)")
        ada = await workos.users.create(
            email=f"ada.{tag}@example.com",
            first_name="Ada",
            last_name="Lovelace",
            password="a-long-and-unguessable-passphrase",
            external_id=f"crm-{tag}-1",
            metadata={"plan": "pro"},
        )
        created.append(ada.id)
        say(f"created {ada.id} <{ada.email}> at {ada.created_at:%Y-%m-%d %H:%M:%S}")

        async def make(i: int) -> None:
            user = await workos.users.create(email=f"user{i:02d}.{tag}@example.com")
            created.append(user.id)

        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for i in range(24):
                tg.start_soon(make, i)
        say(f"created 24 more concurrently in {time.perf_counter() - started:.2f}s")

        step("2. List everything through the pager (10 per page, fetched lazily)")
        pages = [page async for page in workos.users.list(limit=10).pages()]
        mine = [u for p in pages for u in p.data if tag in u.email]
        say(
            f"{len(pages)} pages, {sum(len(p.data) for p in pages)} users, {len(mine)} from this run"
        )
        found = [u.id async for u in workos.users.list(email=ada.email)]
        say(f"filter by email -> {found}")

        step("3. Read and update")
        same = await workos.users.get_by_external_id(f"crm-{tag}-1")
        updated = await workos.users.update(same.id, first_name="Augusta Ada", metadata=None)
        say(
            f"get_by_external_id -> {same.id}; updated first_name={updated.first_name!r}, metadata={updated.metadata}"
        )

        step("4. Typed errors")
        try:
            await workos.users.create(email=ada.email)
        except BadRequestError as err:
            say(
                f"duplicate email -> {type(err).__name__}: code={err.code!r} request_id={err.request_id}"
            )
        try:
            await workos.users.get("user_01DOESNOTEXIST000000000000")
        except NotFoundError as err:
            say(f"unknown id -> {type(err).__name__}: {err}")
        try:
            workos.users.list(limit=500)
        except InvalidArgumentError as err:
            say(f"bad input, caught before any request -> {type(err).__name__}: {err}")

        if fake is not None:
            await organizations(workos, fake, ada.id, tag, created)
        else:
            step("4b-4c. Memberships and invitations need an organization: skipped on the real API")
        await mfa(workos, fake, ada.id)
        if fake is not None:
            await sign_in(workos, ada.email)
        else:
            step("4e. Password sign-in needs a user with a known password: skipped on the real API")

        if fake is not None:
            await faults_and_limits(workos, fake, ada.id, tag, created)
        else:
            step(
                "5-6. Fault injection and rate limiting need the fake server: skipped on the real API"
            )

    return tag, created


def sync_cleanup(api_key: str, base_url: str, tag: str, created: list[str]) -> None:
    """Plain synchronous code, as in a Django view: no event loop anywhere."""
    step("7. The same through the generated sync client (WorkOS, plain for loops)")
    with WorkOS(api_key=api_key, base_url=base_url) as sync_workos:
        count = sum(1 for u in sync_workos.users.list(limit=100) if tag in u.email)
        say(f"counted {count} users from this run with a plain for loop")
        for user_id in created:
            sync_workos.users.delete(user_id)
        say(f"deleted the {len(created)} users this run created")


async def sign_in(workos: AsyncWorkOS, email: str) -> None:
    step("4e. Sign in, verify the access token, seal a session cookie, refresh, revoke")
    auth = await workos.auth.authenticate_with_password(
        email=email, password="a-long-and-unguessable-passphrase"
    )
    claims = await workos.auth.verify_access_token(auth.access_token)
    say(f"signed in {auth.user.email}; access token verified against the JWKS: sid={claims.sid}")
    cookies = workos.session_cookies(cookie_password="a-demo-cookie-password-of-32-chars!")
    cookie = cookies.seal(auth)
    session = await cookies.authenticate(cookie)
    say(
        f"sealed cookie {cookie[:9]}… ({len(cookie)} chars) -> authenticated={session.authenticated}"
    )
    refreshed = await cookies.refresh(cookie)
    assert isinstance(refreshed, RefreshedSession)
    say("refresh -> a new cookie to set (single-flight: concurrent refreshes share one request)")
    assert claims.sid is not None  # a session-bound token names its session
    await workos.sessions.revoke(claims.sid)
    denied = await cookies.refresh(refreshed.sealed_session)
    reason = denied.reason.value if isinstance(denied, SessionFailure) else "?"
    say(f"session revoked (sessions.revoke); refreshing its cookie now -> {reason}")


async def organizations(
    workos: AsyncWorkOS, fake: FakeWorkOS, ada_id: str, tag: str, created: list[str]
) -> None:
    org = fake.add_organization(f"Acme {tag}")  # organizations are not part of this SDK
    step(f"4b. Organization memberships ({org['name']})")
    membership = await workos.organization_memberships.create(
        user_id=ada_id, organization_id=org["id"], role_slug="admin"
    )
    say(f"added Ada as {membership.role.slug}: {membership.id} ({membership.status})")
    membership = await workos.organization_memberships.deactivate(membership.id)
    say(f"deactivate -> {membership.status}")
    membership = await workos.organization_memberships.reactivate(membership.id)
    say(f"reactivate -> {membership.status}")

    step("4c. Invitation flow: send, find by the emailed token, accept")
    invitation = await workos.invitations.send(
        email=f"linus.{tag}@example.com", organization_id=org["id"], expires_in_days=7
    )
    say(f"sent {invitation.id} to {invitation.email} ({invitation.state}); repr hides the token")
    token = fake.last_email(invitation.email, "invitation").token or ""  # what Linus receives
    found = await workos.invitations.find_by_token(token)
    linus = await workos.users.create(email=found.email)
    created.append(linus.id)
    accepted = await workos.invitations.accept(found.id)
    members = [
        f"{m.user.email} ({m.status})"
        async for m in workos.organization_memberships.list(organization_id=org["id"])
    ]
    say(f"accepted ({accepted.state}); members now: {', '.join(sorted(members))}")


async def mfa(workos: AsyncWorkOS, fake: FakeWorkOS | None, ada_id: str) -> None:
    step("4d. MFA: enrol a TOTP factor, challenge it, verify a code computed from its secret")
    enrolled = await workos.mfa.enroll_factor(ada_id, totp_issuer="workos-authkit demo")
    factor = enrolled.authentication_factor
    assert factor.totp is not None
    say(f"enrolled {factor.id}: {factor.totp!r} (secret, QR code and URI kept out of repr)")
    challenge = await workos.mfa.challenge(factor.id)
    now = fake.clock.now() if fake is not None else None
    result = await workos.mfa.verify_challenge(challenge.id, totp(factor.totp.secret, now))
    say(f"verify {challenge.id} with the authenticator's code -> valid={result.valid}")


async def faults_and_limits(
    workos: AsyncWorkOS, fake: FakeWorkOS, ada_id: str, tag: str, created: list[str]
) -> None:
    step("5. Retries through injected faults (watch the workos_authkit log lines)")
    fake.faults.add("GET", "/user_management/users/*", status=503, times=2)
    before = workos.transport_stats.retries
    user = await workos.users.get(ada_id)
    say(f"two 503s, then {user.id}: {workos.transport_stats.retries - before} retries, no error")

    fake.faults.add("POST", "/user_management/users", drop="after")
    try:
        await workos.users.create(email=f"grace.{tag}@example.com")
    except OutcomeUnknownError as err:
        say(
            f"connection dropped after the server committed -> {type(err).__name__} (not retried blindly)"
        )
        grace = await workos.users.create(
            email=f"grace.{tag}@example.com",
            options=RequestOptions(idempotency_key=err.idempotency_key),
        )
        created.append(grace.id)
        copies = sum(1 for u in fake.users.values() if u["email"] == grace.email)
        say(
            f"resent with the same Idempotency-Key -> {grace.id}; "
            f"server replays: {fake.stats.idempotent_replays}; users with that email: {copies}"
        )

    step("6. Rate limit: 40 concurrent reads against a server allowing 10 per second")
    fake.rate_limit(10, window=1.0)
    started = time.perf_counter()
    refused_before = fake.stats.rate_limited
    pauses_before = workos.rate_limit_pauses

    async def read() -> None:
        await workos.users.get(ada_id)

    async with anyio.create_task_group() as tg:
        for _ in range(40):
            tg.start_soon(read)
    fake.rate_limit(None)
    refused = fake.stats.rate_limited - refused_before
    pauses = workos.rate_limit_pauses - pauses_before
    say(f"all 40 reads succeeded in {time.perf_counter() - started:.1f}s")
    say(
        f"the first burst went out before the client knew the server's limit: {refused} refused "
        f"(429), {pauses} client-wide pause(s); after that the client followed "
        "X-RateLimit-Remaining/Reset and paced itself"
    )


USERS_CSV = Path(__file__).resolve().parent / "users.csv"
#: the organizations examples/users.csv names (examples/make_users_csv.py)
DEMO_ORGANIZATIONS = {
    "org_01DEMOACME00000000000000000": "Acme",
    "org_01DEMOGLOBEX000000000000000": "Globex",
}


def bulk_import(api_key: str, base_url: str, fake: FakeWorkOS) -> None:
    step("8. Bulk import examples/users.csv (what `workos-authkit import-users FILE` runs)")
    for org_id, name in DEMO_ORGANIZATIONS.items():
        fake.add_organization(name, id=org_id)
    fake.faults.add("POST", "/user_management/users", drop="after", fraction=0.02, times=None)
    say("1,000 rows (some bcrypt hashes, a few bad rows), 2 % of creates dropped after commit;")
    say("the fake allows 2,000 writes / 10 s, and the client is told so with RateLimitConfig")
    status = run_import(
        str(USERS_CSV),
        api_key=api_key,
        base_url=base_url,
        concurrency=16,
        client_options={"rate_limit": RateLimitConfig(writes=2000)},
    )
    fake.faults.clear()
    users = [u for u in fake.users.values() if u["email"].endswith("@example.com")]
    say(
        f"exit status {status} (1: some rows failed, as they should); "
        f"{len(users)} users hold example.com emails, each once: "
        f"{len({u['email'].lower() for u in users}) == len(users)}"
    )


def main() -> int:
    logging.basicConfig(format="   [log] %(name)s: %(message)s", level=logging.WARNING)
    logging.getLogger("workos_authkit").setLevel(logging.INFO)
    print("workos-authkit demo")
    with target() as (api_key, base_url, fake):
        tag, created = anyio.run(walkthrough, api_key, base_url, fake)
        sync_cleanup(api_key, base_url, tag, created)
        if fake is not None:
            bulk_import(api_key, base_url, fake)
        else:
            step("8. Bulk import needs the fake server: skipped on the real API")
        if fake is not None:
            served = ", ".join(f"{k}: {v}" for k, v in sorted(fake.stats.requests.items()))
            step(f"The fake served {fake.stats.total} requests")
            say(served)
    step("Framework integrations: example apps to open in a browser, against the fake")
    say("make demo-fastapi   FastAPI / Starlette (AuthKit, require_session) on 127.0.0.1:8000")
    say("make demo-django    Django (AuthKitMiddleware, authkit_login_required) on 127.0.0.1:8001")
    print("\nDone.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
