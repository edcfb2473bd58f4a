"""Wire-format payloads for tests (plain dicts, as the API sends them)."""

from __future__ import annotations

from typing import Any

API_KEY = "sk_test_a1b2c3d4e5f6SECRET"
CLIENT_ID = "client_01TESTCLIENT"
BASE_URL = "https://api.workos.com"


def user_json(user_id: str = "user_01HZX0000000000000000000A1", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "object": "user",
        "id": user_id,
        "email": f"{user_id.lower()}@example.com",
        "email_verified": True,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "profile_picture_url": None,
        "external_id": None,
        "metadata": {},
        "last_sign_in_at": None,
        "locale": None,
        "created_at": "2024-05-01T12:00:00.000Z",
        "updated_at": "2024-05-02T12:00:00.000Z",
    }
    data.update(overrides)
    return data


def page_json(
    items: list[dict[str, Any]], *, before: str | None, after: str | None
) -> dict[str, Any]:
    return {"object": "list", "data": items, "list_metadata": {"before": before, "after": after}}
