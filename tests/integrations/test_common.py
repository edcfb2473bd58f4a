"""The integrations' shared pure layer: settings, cookies, sign-in attempts, redirect targets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workos_authkit import AsyncWorkOS, ConfigurationError
from workos_authkit.integrations.common import (
    SIGN_IN_COOKIE_MAX_AGE,
    AuthKitSettings,
    SignInError,
    bearer_token,
    read_sign_in,
    safe_return_to,
    sign_in_cookie_name,
    start_sign_in,
    wants_redirect,
)
from workos_authkit.testing import FakeWorkOS

PASSWORD = "p" * 40
ENV = {
    "WORKOS_CLIENT_ID": "client_123",
    "WORKOS_API_KEY": "sk_test_secret_key_value",
    "WORKOS_REDIRECT_URI": "https://app.example.com/auth/callback",
    "WORKOS_COOKIE_PASSWORD": PASSWORD,
}


def test_settings_from_the_authkit_session_environment_variables() -> None:
    s = AuthKitSettings.from_env(ENV)
    assert (s.cookie_name, s.cookie_max_age, s.cookie_same_site, s.secure) == (
        "wos-session",
        34_560_000,
        "lax",
        True,
    )
    assert s.callback_path == "/auth/callback"
    s = AuthKitSettings.from_env(
        {
            **ENV,
            "WORKOS_REDIRECT_URI": "http://127.0.0.1:8000/callback",
            "WORKOS_COOKIE_NAME": "my-session",
            "WORKOS_COOKIE_MAX_AGE": "3600",
            "WORKOS_COOKIE_DOMAIN": "example.com",
            "WORKOS_COOKIE_SAME_SITE": "Strict",
        }
    )
    header = s.session_cookie("v").header()
    assert (
        header
        == "my-session=v; Path=/; Max-Age=3600; Domain=example.com; HttpOnly; SameSite=Strict"
    )
    assert AuthKitSettings.from_env(ENV, cookie_secure=False).secure is False
    text = repr(s) + repr(s.session_cookie("sealed-value"))
    assert PASSWORD not in text and ENV["WORKOS_API_KEY"] not in text and "sealed-value" not in text


@pytest.mark.parametrize(
    "change",
    [
        {"WORKOS_COOKIE_PASSWORD": "short"},
        {"WORKOS_COOKIE_PASSWORD": ""},
        {"WORKOS_REDIRECT_URI": "/callback"},
        {"WORKOS_REDIRECT_URI": ""},
        {"WORKOS_COOKIE_SAME_SITE": "sometimes"},
        {"WORKOS_COOKIE_MAX_AGE": "a year"},
        {"WORKOS_COOKIE_SAME_SITE": "none", "WORKOS_REDIRECT_URI": "http://127.0.0.1/cb"},
        {"WORKOS_REDIRECT_URI": "https://app.example.com/login"},
    ],
)
def test_bad_settings_fail_at_construction_without_showing_secrets(change: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError) as info:
        AuthKitSettings.from_env({**ENV, **change})
    assert PASSWORD not in str(info.value) and "short" not in str(info.value)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dashboard?tab=1#x", "/dashboard?tab=1#x"),
        ("/", "/"),
        ("https://evil.example/", "/home"),
        ("//evil.example", "/home"),
        ("/\\evil.example", "/home"),
        ("\\\\evil.example", "/home"),
        ("/\t/evil.example", "/home"),
        ("javascript:alert(1)", "/home"),
        ("dashboard", "/home"),
        ("", "/home"),
        (None, "/home"),
        ("/" + "a" * 3000, "/home"),
    ],
)
def test_return_to_is_a_path_on_this_site(target: object, expected: str) -> None:
    assert safe_return_to(target, "/home") == expected


def test_bearer_and_page_detection() -> None:
    assert bearer_token("Bearer abc") == "abc" and bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Basic abc") is None and bearer_token("Bearer ") is None
    assert bearer_token(None) is None
    assert wants_redirect("GET", "text/html,application/xhtml+xml")
    assert not wants_redirect("POST", "text/html") and not wants_redirect("GET", "*/*")


def test_sign_in_attempts_are_bound_to_their_state_and_expire() -> None:
    fake = FakeWorkOS()
    settings = AuthKitSettings.from_env(ENV)
    sealer = settings.sealer()
    auth = AsyncWorkOS(api_key="sk_x", client_id="client_123", transport=fake.transport).auth
    now = 1_800_000_000.0
    a = start_sign_in(settings, sealer, auth, return_to="/a", now=now)
    b = start_sign_in(settings, sealer, auth, return_to="https://evil.example", now=now)
    assert a.state != b.state and a.cookie.name == sign_in_cookie_name(a.state) != b.cookie.name
    assert a.cookie.max_age == SIGN_IN_COOKIE_MAX_AGE and "state=" in a.authorization_url
    jar = {a.cookie.name: a.cookie.value, b.cookie.name: b.cookie.value}
    code, attempt = read_sign_in(settings, sealer, {"code": "c", "state": a.state}, jar, now=now)
    assert (code, attempt.return_to) == ("c", "/a") and attempt.code_verifier not in repr(attempt)
    _, other = read_sign_in(settings, sealer, {"code": "c", "state": b.state}, jar, now=now)
    assert other.return_to == "/"
    # b's attempt under a's name: the state inside the seal must match too
    swapped = {a.cookie.name: b.cookie.value}
    for query, cookies, when, reason in [
        ({"code": "c", "state": a.state}, swapped, now, "state_mismatch"),
        ({"code": "c", "state": a.state}, jar, now + SIGN_IN_COOKIE_MAX_AGE + 1, "expired_attempt"),
        ({"code": "c", "state": "other"}, jar, now, "unknown_state"),
        ({"state": a.state}, jar, now, "missing_parameters"),
        ({"error": "access_denied", "state": a.state}, jar, now, "provider_error"),
        ({"code": "c", "state": a.state}, {a.cookie.name: "Fe26.2**x"}, now, "invalid_attempt"),
    ]:
        with pytest.raises(SignInError) as info:
            read_sign_in(settings, sealer, query, cookies, now=when)
        assert info.value.reason == reason


def test_checked_sessions_are_remembered_until_their_token_expires() -> None:
    from workos_authkit import AccessTokenClaims, AuthenticatedSession
    from workos_authkit.integrations.common import SessionCache
    from workos_authkit.models import User

    user = User(
        id="user_1",
        email="ada@example.com",
        email_verified=True,
        created_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
    )

    def session(exp: int | None) -> AuthenticatedSession:
        claims = AccessTokenClaims(sub="user_1", sid="session_1", exp=exp)
        return AuthenticatedSession(session_id="session_1", user=user, claims=claims)

    cache = SessionCache(max_size=2)
    cache.put("a", session(100))
    cache.put("never", session(None))  # no expiry: never remembered
    assert cache.get("a", 99.0) is not None and cache.get("never", 0.0) is None
    assert cache.get("a", 100.0) is None and cache.get("a", 50.0) is None  # expired: dropped
    cache.put("b", session(100))
    cache.discard("b")
    assert cache.get("b", 0.0) is None
    for key in ("c", "d", "e"):
        cache.put(key, session(100))
    assert cache.get("e", 0.0) is not None and len(cache._entries) <= 2
