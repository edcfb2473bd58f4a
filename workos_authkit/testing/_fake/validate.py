"""Validators shared by the routes: each raises a code-less 422 that the route's ``invalid`` rule
turns into the shape its operation declares."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .._util import code_error, message_error, paginate, parse_page_params
from .records import JSON
from .router import INVALID, Request
from .state import id_key

__all__ = ["EMAIL_RE", "body_of", "check_metadata", "email_field", "page", "str_field"]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def body_of(req: Request, *, required: bool = True) -> JSON:
    data = req.json()
    if data is INVALID:
        raise message_error(422, "The request body is not valid JSON.")
    if data is None:
        if required:
            raise message_error(422, "A JSON request body is required.")
        return {}
    if not isinstance(data, dict):
        raise message_error(422, "The request body must be a JSON object.")
    return data


def str_field(body: JSON, name: str, *, required: bool = False, nullable: bool = True) -> Any:
    value = body.get(name)
    if value is None:
        if required:
            raise message_error(422, f"{name} is required.")
        if name in body and not nullable:
            raise message_error(422, f"{name} must be a string.")
        return None
    if not isinstance(value, str):
        raise message_error(422, f"{name} must be a string.")
    if required and not value:
        raise message_error(422, f"{name} must not be empty.")
    return value


def email_field(body: JSON) -> str:
    """The required, well-formed ``email`` field of a create request."""
    email: str = str_field(body, "email", required=True)
    if not EMAIL_RE.match(email):
        raise message_error(422, "email must be a valid email address.")
    return email


def page(req: Request, items: Iterable[JSON], render: Callable[[JSON], JSON] | None = None) -> JSON:
    limit, order, before, after = parse_page_params(req.query, lambda m: message_error(422, m))
    page, b, a = paginate(items, id_key, limit, order, before, after)
    data = [render(x) for x in page] if render is not None else page
    return {"object": "list", "data": data, "list_metadata": {"before": b, "after": a}}


def check_metadata(metadata: Any) -> dict[str, str]:
    if metadata is None:
        return {}
    if (
        not isinstance(metadata, dict)
        or len(metadata) > 50
        or any(
            not isinstance(k, str) or len(k) > 40 or not isinstance(v, str) or len(v) > 600
            for k, v in metadata.items()
        )
    ):
        raise code_error(
            400,
            "invalid_metadata",
            "Metadata must map at most 50 keys (up to 40 characters) to strings of up to 600 characters.",
        )
    return dict(metadata)
