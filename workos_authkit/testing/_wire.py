"""What a mount needs from a fake: the response type and the one ``handle`` call.

A leaf module: the mounts (``_transport``, ``_server``) import it, never the fake itself, so the
fake, its transport and its server import in one direction only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

__all__ = ["FakeResponse", "Handler"]


@dataclass(slots=True)
class FakeResponse:
    """What :meth:`FakeWorkOS.handle` returns; mounts turn ``disconnect`` into their own failure."""

    status: int
    headers: dict[str, str]
    body: bytes
    latency: float = 0.0
    disconnect: Literal["before", "after", "timeout"] | None = None
    hold: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)


class Handler(Protocol):
    """A fake as its mounts see it: one pure request handler and the base URL it answers for."""

    base_url: str

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> FakeResponse: ...
