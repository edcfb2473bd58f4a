"""Sealing: iron vectors from iron-webcrypto (tests/data/iron_vectors.json, see its
``generated_by``), Fernet vectors from the official workos SDK, tampering, rotation, PKCE."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workos_authkit import ConfigurationError, InvalidSessionCookieError, pkce
from workos_authkit._session import session_data
from workos_authkit.sealing import Sealer, iron_seal, iron_unseal

DATA = Path(__file__).parent / "data"
IRON = json.loads((DATA / "iron_vectors.json").read_text())
FERNET = json.loads((DATA / "fernet_vectors.json").read_text())
OURS_BY_NODE = json.loads((DATA / "iron_ours_unsealed_by_node.json").read_text(encoding="utf-8"))
NOW = 1_800_000_000.0


@pytest.mark.parametrize("vector", IRON["vectors"], ids=lambda v: v["name"])
def test_iron_webcrypto_vectors_unseal(vector: dict[str, Any]) -> None:
    passwords = (
        {vector["password_id"]: vector["password"]}
        if vector["password_id"]
        else [vector["password"]]
    )
    if vector["expired"]:
        with pytest.raises(InvalidSessionCookieError, match="expired"):
            iron_unseal(vector["sealed"], passwords, now=NOW)
        return
    assert iron_unseal(vector["sealed"], passwords, now=NOW) == vector["data"]


@pytest.mark.parametrize(
    ("vector", "node"),
    list(zip(OURS_BY_NODE["vectors"], OURS_BY_NODE["node_output"]["results"], strict=True)),
    ids=lambda v: v["name"],
)
def test_our_seals_are_what_iron_webcrypto_unsealed(
    vector: dict[str, Any], node: dict[str, Any]
) -> None:
    """Interop evidence: node's iron-webcrypto read our cookies (its output committed beside)."""
    assert OURS_BY_NODE["node_output"]["checked_by"].startswith("iron-webcrypto ")
    assert node["name"] == vector["name"]
    assert node["equals_sealed_data"] and node["tampered_rejected"]
    assert node["wrong_password_rejected"]
    assert node["unsealed"] == vector["data"]
    expiration = vector["sealed"].split("~")[0].split("*")[5]
    now = int(expiration) / 1000 - 3600 if expiration else NOW
    passwords = (
        {vector["password_id"]: vector["password"]}
        if vector["password_id"]
        else [vector["password"]]
    )
    assert iron_unseal(vector["sealed"], passwords, now=now) == node["unsealed"]
    if not vector["password_id"]:
        assert Sealer(vector["password"]).unseal(vector["sealed"], now=now) == node["unsealed"]


def test_a_node_cookie_loads_as_typed_session_data() -> None:
    vector = IRON["vectors"][0]
    data = session_data(Sealer(vector["password"]).unseal(vector["sealed"], now=NOW))
    assert data.user.email == "ada@example.com" and data.user.email_verified
    assert data.organization_id == "org_01EHQMYV6MBK39QC5PZXHY59C3"
    assert data.impersonator is not None and data.impersonator.reason == "support ticket 42"
    assert data.refresh_token not in repr(data)


@pytest.mark.parametrize("vector", FERNET["vectors"], ids=lambda v: v["name"])
def test_official_sdk_fernet_cookies_read(vector: dict[str, Any]) -> None:
    sealer = Sealer(["another-password-that-is-long-enough-123", vector["password"]])
    data = session_data(sealer.unseal(vector["sealed"]))
    assert data.access_token == vector["data"]["access_token"]
    assert data.user.id == vector["data"]["user"]["id"]


def test_our_seals_unseal_with_any_password_of_the_list() -> None:
    old, new = "o" * 32, "n" * 40
    sealed = Sealer(old).seal({"a": "é"})
    assert sealed.startswith("Fe26.2**") and sealed.endswith("~2")
    assert Sealer([new, old]).unseal(sealed) == {"a": "é"}
    assert Sealer([new, old]).seal({"b": 1}) != sealed
    with pytest.raises(InvalidSessionCookieError):
        Sealer(new).unseal(sealed)


def test_tampered_truncated_and_foreign_cookies_are_refused() -> None:
    password = "p" * 32
    sealed = iron_seal({"x": 1}, password)
    parts = sealed.split("*")
    flipped = parts[4][:-2] + ("A" if parts[4][-2] != "A" else "B") + parts[4][-1]
    bad = [
        "*".join([*parts[:4], flipped, *parts[5:]]),
        sealed[: len(sealed) // 2],
        sealed.replace("Fe26.2", "Fe26.1"),
        sealed[:-2] + "~9",
        "gAAAAAB-not-fernet",
        "",
        "plain",
    ]
    for cookie in bad:
        with pytest.raises(InvalidSessionCookieError) as info:
            Sealer(password).unseal(cookie)
        assert password not in str(info.value)
        if cookie:
            assert cookie not in str(info.value)


def test_short_or_missing_passwords_are_configuration_errors() -> None:
    for bad in ("short", [], ["x" * 32, "y"], 42):
        with pytest.raises(ConfigurationError) as info:
            Sealer(bad)  # type: ignore[arg-type]
        assert "short" not in str(info.value)
    assert "x" * 32 not in repr(Sealer("x" * 32))


def test_pkce_rfc7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce.code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    pair = pkce.generate()
    assert len(pair.code_verifier) == 64
    assert pkce.code_challenge(pair.code_verifier) == pair.code_challenge
    with pytest.raises(ValueError):
        pkce.code_challenge("too-short")
