"""A session cookie sealed by iron-webcrypto (as ``@workos/authkit-session`` and the Next.js AuthKit
library seal it) is accepted by both integrations, and refreshed when its access token expires.

``tests/data/authkit_session_vector.json`` holds the cookie; its payload is what
``replay_sign_in`` gives (the fake is deterministic for a seed and a frozen clock), sealed by
``tests/data/seal_authkit_session_vector.mjs``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client, override_settings
from starlette.testclient import TestClient

from tests.integrations.helpers import COOKIE, PASSWORD, bound_client
from tests.integrations.test_django import AUTHENTICATE
from tests.integrations.test_starlette import make_app
from workos_authkit import AuthenticationResponse
from workos_authkit.testing import FakeWorkOS

VECTOR = json.loads((Path(__file__).parent.parent / "data/authkit_session_vector.json").read_text())


def replay_sign_in() -> tuple[FakeWorkOS, AuthenticationResponse]:
    """The fake's state when the vector was made: the same seed, clock and steps."""
    fake = FakeWorkOS(rng_seed=VECTOR["fake"]["rng_seed"])
    fake.clock.freeze(VECTOR["fake"]["frozen_at"])
    org = fake.add_organization("Acme")
    user = fake.add_user(VECTOR["email"], password=PASSWORD, first_name="Ada")
    fake.add_membership(user["id"], org["id"], role_slug="admin")
    with bound_client(fake) as client:
        response = client.auth.authenticate_with_password(email=VECTOR["email"], password=PASSWORD)
    fake.clock.advance(10)
    return fake, response


def test_the_vector_holds_the_replayed_session() -> None:
    from workos_authkit.sealing import Sealer

    _, response = replay_sign_in()
    data = Sealer(VECTOR["cookie_password"]).unseal(
        VECTOR["sealed"], now=VECTOR["fake"]["frozen_at"]
    )
    assert VECTOR["sealed"].startswith("Fe26.2**") and VECTOR["sealed"].endswith("~2")
    assert data["accessToken"] == response.access_token
    assert data["refreshToken"] == response.refresh_token


def test_fastapi_accepts_an_iron_webcrypto_cookie_and_refreshes_it() -> None:
    fake, _ = replay_sign_in()
    app, _ = make_app(fake, cookie_password=VECTOR["cookie_password"])
    with TestClient(app, follow_redirects=False) as browser:
        browser.cookies.set(COOKIE, VECTOR["sealed"])
        page = browser.get("/")
        assert page.status_code == 200 and "Hello ada@example.com" in page.text
        assert "set-cookie" not in page.headers
        fake.clock.advance(400)
        refreshed = browser.get("/api/users")
        assert refreshed.status_code == 200
        assert refreshed.headers["set-cookie"].startswith(f"{COOKIE}=Fe26.2*")


def test_django_accepts_an_iron_webcrypto_cookie_and_refreshes_it() -> None:
    fake, _ = replay_sign_in()
    client = bound_client(fake)
    with override_settings(WORKOS_CLIENT=client, WORKOS_COOKIE_PASSWORD=VECTOR["cookie_password"]):
        browser = Client()
        browser.cookies[COOKIE] = VECTOR["sealed"]
        page = browser.get("/")
        assert page.status_code == 200 and b"Hello ada@example.com" in page.content
        fake.clock.advance(400)
        before = fake.stats.requests[AUTHENTICATE]
        refreshed = browser.get("/users/")
        assert refreshed.status_code == 200 and fake.stats.requests[AUTHENTICATE] == before + 1
        assert refreshed.cookies[COOKIE].value.startswith("Fe26.2*")
